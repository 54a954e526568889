"""Open data: the public directory of clubs and their partners as CSV and JSON files anyone may reuse.

In the form Polish open-data portals (dane.gov.pl) take: one file per dataset at a stable address, UTF-8
CSV with a header row beside the same rows in JSON, a data dictionary naming each column's type and
meaning, and a licence. Values are written in Polish whatever the reader's interface language, so that a
file means the same to every reuser. Nothing about a person is published: no participant, no contact
person, no club manager's name; a club's address, e-mail and phone are the institution's.
"""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from ksr_portal.collation import Polish
from stakeholders.models import Membership, Organization

from .choices import ClubStatusChoices
from .models import Club, Service

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/deed.pl"
ATTRIBUTION = "Krajowa Sieć Reintegracji"
TEXT, NUMBER, DATE, LIST = _("text"), _("whole number"), _("date (YYYY-MM-DD)"), _("list of texts")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str
    description: str
    value: object  # a function of the row's object


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    description: str
    columns: tuple
    rows: object  # a function returning the objects, one per row

    def records(self):
        """Each row as {column name: value}, values in Polish."""
        with override("pl"):
            return [{column.name: column.value(obj) for column in self.columns} for obj in self.rows()]


def iso(day):
    return day.isoformat() if day else None


def active_clubs():
    return (
        Club.objects.filter(status=ClubStatusChoices.ACTIVE)
        .select_related("region", "municipality", "operator")
        .prefetch_related(Prefetch("services", Service.objects.filter(is_active=True).order_by(Polish("name"))))
        .order_by(Polish("region__name"), Polish("name"), "pk")
    )


def partner_organizations():
    current = (
        Membership.objects.filter(left_on__isnull=True).select_related("network").order_by(Polish("network__name"))
    )
    return (
        Organization.objects.filter(memberships__left_on__isnull=True)
        .distinct()
        .select_related("region", "municipality")
        .prefetch_related(Prefetch("memberships", current, to_attr="current_memberships"))
        .order_by(Polish("name"), "pk")
    )


CLUBS = Dataset(
    "kluby",
    _("Social integration clubs"),
    _("Every active social integration club and centre in the directory, with its operator and services."),
    (
        Column("id", NUMBER, _("The club's identifier in the portal; stable between publications."), lambda c: c.pk),
        Column("nazwa", TEXT, _("Name of the club."), lambda c: c.name),
        Column("rodzaj", TEXT, _("Kind: club (KIS) or centre (CIS)."), lambda c: str(c.get_kind_display())),
        Column("numer_rejestru", TEXT, _("Number in the voivode's register of clubs."), lambda c: c.registry_number),
        Column("wojewodztwo_terc", TEXT, _("TERC code of the voivodeship."), lambda c: c.region.terc),
        Column("wojewodztwo", TEXT, _("Voivodeship."), lambda c: c.region.name),
        Column(
            "gmina_terc",
            TEXT,
            _("TERC code of the municipality (gmina)."),
            lambda c: c.municipality.terc if c.municipality else None,
        ),
        Column("gmina", TEXT, _("Municipality (gmina)."), lambda c: c.municipality.name if c.municipality else None),
        Column("adres", TEXT, _("Street and number."), lambda c: c.street_address),
        Column("kod_pocztowy", TEXT, _("Postal code."), lambda c: c.postal_code),
        Column("miejscowosc", TEXT, _("Town."), lambda c: c.town),
        Column("email", TEXT, _("The club's e-mail address."), lambda c: c.email),
        Column("telefon", TEXT, _("The club's phone number."), lambda c: c.phone),
        Column(
            "prowadzacy",
            TEXT,
            _("The organisation that runs the club."),
            lambda c: c.operator.name if c.operator else None,
        ),
        Column(
            "prowadzacy_nip",
            TEXT,
            _("NIP of the organisation that runs the club."),
            lambda c: c.operator.nip if c.operator else None,
        ),
        Column("dzialalnosc_od", DATE, _("Date the club started its activity."), lambda c: iso(c.activity_started_on)),
        Column(
            "uslugi", LIST, _("Services the club offers."), lambda c: [service.name for service in c.services.all()]
        ),
    ),
    active_clubs,
)

PARTNERS = Dataset(
    "partnerzy",
    _("Partners of the reintegration networks"),
    _("Organisations that are members of a national, regional or local reintegration network today."),
    (
        Column(
            "id", NUMBER, _("The organisation's identifier in the portal; stable between publications."), lambda o: o.pk
        ),
        Column("nazwa", TEXT, _("Name of the organisation."), lambda o: o.name),
        Column(
            "typ",
            TEXT,
            _("Type of partner (public, social economy, business, NGO…)."),
            lambda o: str(o.get_stakeholder_type_display()),
        ),
        Column(
            "forma_prawna", TEXT, _("Legal form."), lambda o: str(o.get_legal_form_display()) if o.legal_form else None
        ),
        Column("nip", TEXT, _("Tax identification number (NIP)."), lambda o: o.nip or None),
        Column("regon", TEXT, _("REGON number."), lambda o: o.regon or None),
        Column("krs", TEXT, _("Number in the National Court Register (KRS)."), lambda o: o.krs or None),
        Column("wojewodztwo", TEXT, _("Voivodeship."), lambda o: o.region.name if o.region else None),
        Column("gmina", TEXT, _("Municipality (gmina)."), lambda o: o.municipality.name if o.municipality else None),
        Column("miejscowosc", TEXT, _("Town."), lambda o: o.town or None),
        Column("www", TEXT, _("Website."), lambda o: o.website or None),
        Column(
            "sieci",
            LIST,
            _("Networks the organisation is a member of today."),
            lambda o: [membership.network.name for membership in o.current_memberships],
        ),
    ),
    partner_organizations,
)

DATASETS = {dataset.slug: dataset for dataset in (CLUBS, PARTNERS)}
