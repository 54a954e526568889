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
    digit_columns = {"krs": 10}

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


class MemberWidget(ScopedForeignKeyWidget):
    """The member organisation by its NIP; one without a NIP by its name (the column „organizacja_nazwa”)."""

    def __init__(self, field="nip"):
        super().__init__(Organization, field)

    def get_queryset(self, value, row, *args, **kwargs):
        organizations = super().get_queryset(value, row, *args, **kwargs)
        return organizations if self.field == "nip" else organizations.filter(nip="")

    def clean(self, value, row=None, found=None, **kwargs):
        if self.field == "nip" and not str(value or "").strip() and name_of(row):
            return MemberWidget("name").clean(name_of(row), row, found=found, **kwargs)
        return super().clean(value, row, found=found, **kwargs)


def name_of(row):
    return str((row or {}).get("organizacja_nazwa") or "").strip()


class MembershipResource(PortalResource):
    """Memberships of organisations in networks, matched on the organisation (its NIP, or its name when it
    has none), the network's name and the joining date."""

    organization = column("organizacja_nip", "organization", MemberWidget())
    organization_name = column("organizacja_nazwa", None)
    network = column("siec", "network", ScopedForeignKeyWidget(Network, "name"))
    role = column("rola", "role", ChoiceWidget(MembershipRoleChoices.choices))
    joined_on = column("data_przystapienia", "joined_on", DateWidget())
    left_on = column("data_wystapienia", "left_on", DateWidget())
    agreement_signed_on = column("porozumienie_zawarte", "agreement_signed_on", DateWidget())
    agreement_valid_until = column("porozumienie_wazne_do", "agreement_valid_until", DateWidget())
    key_columns = ("organizacja_nip", "organizacja_nazwa", "siec", "data_przystapienia")

    class Meta(PortalResource.Meta):
        model = Membership
        fields = ["organization", "organization_name", "network", "role", "joined_on", "left_on",
                  "agreement_signed_on", "agreement_valid_until"]  # fmt: skip
        import_id_fields = []

    def required_columns(self):
        return ("organizacja_nip", "siec", "data_przystapienia")

    def dehydrate_organization_name(self, membership):
        return membership.organization.name

    def get_instance(self, instance_loader, row):
        try:
            organization = self.fields["organization"].clean(row, user=self.user, found=self.found)
        except ValueError:
            return None  # reported when the row is read
        memberships = Membership.objects.filter(
            organization=organization,
            network__name=str(row.get("siec") or "").strip(),
        )
        # The one that began on the row's day, so that an ended membership stays itself; else the open one.
        joined = date_in(row, "data_przystapienia")
        return memberships.filter(joined_on=joined).first() or memberships.filter(left_on__isnull=True).first()
