"""What the API says of each record. Codes (TERC, pillar and category codes) name related records where a
code exists, so that another system can match them to its own dictionaries."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from clubs.models import Club, Pillar, Service
from networks.models import Municipality, Network, Region
from participants.models import EligibilityCategory
from stakeholders.models import Organization

from .models import InboundReferral


class StrictSerializer(serializers.ModelSerializer):
    """Refuses a field it does not take (unknown, or one only the portal sets) instead of ignoring it."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            refused = {
                str(name): [_("This field cannot be set.") if name in self.fields else _("Unknown field.")]
                for name in data
                if name not in writable
            }
            if refused:
                raise serializers.ValidationError(refused)
        return super().to_internal_value(data)


def terc(**kwargs):
    """A related region, county or municipality named by its TERC code."""
    return serializers.SlugRelatedField(slug_field="terc", read_only=True, **kwargs)


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["terc", "name", "rops_name", "rops_town", "rops_address", "rops_email", "rops_phone", "in_pilot"]


class MunicipalitySerializer(serializers.ModelSerializer):
    region = terc()
    county = terc()

    class Meta:
        model = Municipality
        fields = ["terc", "name", "kind", "county", "region", "degurba"]


class NetworkSerializer(serializers.ModelSerializer):
    region = terc(allow_null=True)

    class Meta:
        model = Network
        fields = ["id", "kind", "name", "region", "parent", "hub_club", "established_on", "description"]


class PillarSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="get_code_display", read_only=True)

    class Meta:
        model = Pillar
        fields = ["code", "name", "order"]


class ServiceSerializer(serializers.ModelSerializer):
    pillar = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Service
        fields = ["id", "pillar", "name", "description", "is_active"]


class ClubSerializer(serializers.ModelSerializer):
    """A club as the directory and the registry show it: no person's name (the manager's is left out)."""

    region = terc()
    municipality = terc(allow_null=True)

    class Meta:
        model = Club
        fields = [
            "id",
            "kind",
            "name",
            "status",
            "registry_number",
            "operator",
            "region",
            "municipality",
            "street_address",
            "postal_code",
            "town",
            "email",
            "phone",
            "created_on",
            "activity_started_on",
            "registered_on",
            "services",
        ]


class OrganizationSerializer(serializers.ModelSerializer):
    region = terc(allow_null=True)
    municipality = terc(allow_null=True)
    pillars = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "legal_form",
            "stakeholder_type",
            "pillars",
            "nip",
            "regon",
            "krs",
            "region",
            "municipality",
            "street_address",
            "postal_code",
            "town",
            "email",
            "phone",
            "website",
        ]


class InboundReferralSerializer(StrictSerializer):
    """A referral as its referrer sends it and reads it back: the person, the reason, and the club's answer."""

    club = serializers.PrimaryKeyRelatedField(queryset=Club.objects.none())
    eligibility_categories = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        required=False,
        queryset=EligibilityCategory.objects.all(),
        help_text=_("Points of art. 1 ust. 2 (1–8) the referrer believes apply."),
    )

    class Meta:
        model = InboundReferral
        fields = [
            "reference",
            "club",
            "first_name",
            "last_name",
            "pesel",
            "birth_date",
            "contact",
            "reason",
            "eligibility_categories",
            "status",
            "answered_on",
            "answer",
            "created_at",
        ]
        read_only_fields = ["status", "answered_on", "answer", "created_at"]
        # The model's constraints are checked by its full_clean(), with the model's own messages.
        validators = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["club"].queryset = Club.objects.restrict(request.user)


class FigureRowSerializer(serializers.Serializer):
    label = serializers.CharField()
    values = serializers.ListField(
        child=serializers.JSONField(),
        help_text=_("The row's figures; null where a figure is suppressed (see hidden)."),
    )


class FigureTableSerializer(serializers.Serializer):
    """A report table as the portal shows it, with the same small-cell suppression for the same roles."""

    title = serializers.CharField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = FigureRowSerializer(many=True)
    hidden = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField()),
        help_text=_("Positions [row, column] of the figures not published to keep statistical confidentiality."),
    )


class FiguresSerializer(serializers.Serializer):
    title = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    tables = FigureTableSerializer(many=True)
    legend = serializers.CharField()
