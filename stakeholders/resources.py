from clubs.models import Pillar
from ksr_portal.imports import (
    ChoiceWidget,
    DateWidget,
    PortalResource,
    ScopedForeignKeyWidget,
    ScopedManyToManyWidget,
    column,
    date_in,
)
from networks.models import Municipality, Network, Region

from .choices import MembershipRoleChoices, OrganizationLegalFormChoices, OrganizationStakeholderTypeChoices
from .models import Membership, Organization


class OrganizationResource(PortalResource):
    """Organisations, matched on NIP, then REGON, then KRS, then the same name in the same municipality."""

    name = column("nazwa", "name")
    legal_form = column("forma_prawna", "legal_form", ChoiceWidget(OrganizationLegalFormChoices.choices))
    stakeholder_type = column("typ", "stakeholder_type", ChoiceWidget(OrganizationStakeholderTypeChoices.choices))
    pillars = column("filary", "pillars", ScopedManyToManyWidget(Pillar, "code"))
    nip = column("nip", "nip")
    regon = column("regon", "regon")
    krs = column("krs", "krs")
    region = column("wojewodztwo_terc", "region", ScopedForeignKeyWidget(Region, "terc"))
    municipality = column("gmina_terc", "municipality", ScopedForeignKeyWidget(Municipality, "terc"))
    street_address = column("ulica", "street_address")
    postal_code = column("kod_pocztowy", "postal_code")
    town = column("miejscowosc", "town")
    email = column("email", "email")
    phone = column("telefon", "phone")
    website = column("www", "website")
    key_columns = ("nip",)

    class Meta(PortalResource.Meta):
        model = Organization
        fields = [
            "name", "legal_form", "stakeholder_type", "pillars", "nip", "regon", "krs", "region",
            "municipality", "street_address", "postal_code", "town", "email", "phone", "website",
        ]  # fmt: skip
        import_id_fields = []

    def required_columns(self):
        return ("nazwa", "typ", "wojewodztwo_terc")

    def get_instance(self, instance_loader, row):
        organizations = Organization.objects.all()
        for key in ("nip", "regon", "krs"):
            value = str(row.get(key) or "").strip()
            if value:
                return organizations.filter(**{key: value}).first()
        municipality = str(row.get("gmina_terc") or "").strip()
        return organizations.filter(name=str(row.get("nazwa") or "").strip(), municipality__terc=municipality).first()


class MembershipResource(PortalResource):
    """Memberships of organisations in networks, matched on the organisation's NIP and the network's name."""

    organization = column("organizacja_nip", "organization", ScopedForeignKeyWidget(Organization, "nip"))
    network = column("siec", "network", ScopedForeignKeyWidget(Network, "name"))
    role = column("rola", "role", ChoiceWidget(MembershipRoleChoices.choices))
    joined_on = column("data_przystapienia", "joined_on", DateWidget())
    left_on = column("data_wystapienia", "left_on", DateWidget())
    agreement_signed_on = column("porozumienie_zawarte", "agreement_signed_on", DateWidget())
    agreement_valid_until = column("porozumienie_wazne_do", "agreement_valid_until", DateWidget())
    key_columns = ("organizacja_nip", "siec", "data_przystapienia")

    class Meta(PortalResource.Meta):
        model = Membership
        fields = ["organization", "network", "role", "joined_on", "left_on", "agreement_signed_on",
                  "agreement_valid_until"]  # fmt: skip
        import_id_fields = []

    def get_instance(self, instance_loader, row):
        memberships = Membership.objects.filter(
            organization__nip=str(row.get("organizacja_nip") or "").strip(),
            network__name=str(row.get("siec") or "").strip(),
        )
        # The one that began on the row's day, so that an ended membership stays itself; else the open one.
        joined = date_in(row, "data_przystapienia")
        return memberships.filter(joined_on=joined).first() or memberships.filter(left_on__isnull=True).first()
