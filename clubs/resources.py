from ksr_portal.imports import (
    BooleanWidget,
    ChoiceWidget,
    DateWidget,
    DecimalWidget,
    PortalResource,
    ScopedForeignKeyWidget,
    column,
    date_in,
)
from networks.models import Municipality, Region
from stakeholders.models import Organization

from .choices import ClubKindChoices, ClubStatusChoices
from .models import Activity, Club, Service


class ClubResource(PortalResource):
    """Clubs, matched on the number of the voivode's registry, or by name in their municipality before they have one."""

    registry_number = column("numer_rejestru", "registry_number")
    name = column("nazwa", "name")
    kind = column("rodzaj", "kind", ChoiceWidget(ClubKindChoices.choices))
    operator = column("prowadzacy_nip", "operator", ScopedForeignKeyWidget(Organization, "nip"))
    region = column("wojewodztwo_terc", "region", ScopedForeignKeyWidget(Region, "terc"))
    municipality = column("gmina_terc", "municipality", ScopedForeignKeyWidget(Municipality, "terc"))
    street_address = column("ulica", "street_address")
    postal_code = column("kod_pocztowy", "postal_code")
    town = column("miejscowosc", "town")
    email = column("email", "email")
    phone = column("telefon", "phone")
    created_on = column("data_utworzenia", "created_on", DateWidget())
    activity_started_on = column("data_rozpoczecia", "activity_started_on", DateWidget())
    registered_on = column("data_wpisu", "registered_on", DateWidget())
    status = column("status", "status", ChoiceWidget(ClubStatusChoices.choices))
    under_mayor_auspices = column("patronat", "under_mayor_auspices", BooleanWidget())
    grant_amount = column("kwota_dotacji", "grant_amount", DecimalWidget())
    key_columns = ("numer_rejestru",)

    class Meta(PortalResource.Meta):
        model = Club
        fields = [
            "registry_number", "name", "kind", "operator", "region", "municipality", "street_address",
            "postal_code", "town", "email", "phone", "created_on", "activity_started_on", "registered_on",
            "status", "under_mayor_auspices", "grant_amount",
        ]  # fmt: skip
        import_id_fields = []

    def required_columns(self):
        return ("numer_rejestru", "nazwa", "wojewodztwo_terc", "gmina_terc")

    def get_instance(self, instance_loader, row):
        number = str(row.get("numer_rejestru") or "").strip()
        club = Club.objects.filter(registry_number=number).first() if number else None
        # A club not yet in the voivode's registry (as the pilot's were) by its name in its municipality;
        # so is one whose number the row gives it for the first time.
        return (
            club
            or Club.objects.filter(
                registry_number="",
                name=str(row.get("nazwa") or "").strip(),
                municipality__terc=str(row.get("gmina_terc") or "").strip(),
            ).first()
        )


class ClubWidget(ScopedForeignKeyWidget):
    """The club by its registry number; for a user of one club, an empty cell (or no column) is their club."""

    def __init__(self):
        super().__init__(Club, "registry_number")

    def clean(self, value, row=None, found=None, **kwargs):
        scope = getattr(kwargs.get("user"), "scope", None)
        if not str(value or "").strip() and scope is not None and scope.club_id:
            return scope.club
        return super().clean(value, row, found=found, **kwargs)


def own_club_only(user):
    """Whether `user` imports for their one club, so their files may leave the club out."""
    scope = getattr(user, "scope", None)
    return scope is not None and scope.club_id is not None


class ServiceWidget(ScopedForeignKeyWidget):
    def __init__(self):
        super().__init__(Service, "name")

    def get_queryset(self, value, row, *args, **kwargs):
        return Service.objects.filter(pillar__code=str(row.get("filar") or "").strip())

    def lookup_key(self, value, row):
        return (*super().lookup_key(value, row), str(row.get("filar") or "").strip())


class ActivityResource(PortalResource):
    """Activities of clubs, matched on the club, the date and the title."""

    club = column("klub_numer_rejestru", "club", ClubWidget())
    pillar = column("filar", None)
    service = column("usluga", "service", ServiceWidget())
    provider = column("realizator_nip", "provider", ScopedForeignKeyWidget(Organization, "nip"))
    title = column("tytul", "title")
    held_on = column("data", "held_on", DateWidget())
    hours = column("liczba_godzin", "hours", DecimalWidget())
    location = column("miejsce", "location")
    key_columns = ("klub_numer_rejestru", "data", "tytul")

    class Meta(PortalResource.Meta):
        model = Activity
        fields = ["club", "pillar", "service", "provider", "title", "held_on", "hours", "location"]
        import_id_fields = []

    def dehydrate_pillar(self, activity):
        return activity.service.pillar.code

    def get_instance(self, instance_loader, row):
        try:
            club = self.fields["club"].clean(row, user=self.user, found=self.found)
        except ValueError:
            return None  # reported when the row is read
        return Activity.objects.filter(
            club=club,
            held_on=date_in(row, "data"),
            title=str(row.get("tytul") or "").strip(),
        ).first()
