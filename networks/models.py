from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ksr_portal.models import TimestampedModel
from ksr_portal.scoping import ScopedManager, ScopePaths
from ksr_portal.validators import (
    validate_county_terc,
    validate_document,
    validate_municipality_terc,
    validate_region_terc,
)

from .choices import (
    DeliverableKindChoices,
    DeliverableStatusChoices,
    MeetingKindChoices,
    MunicipalityDegurbaChoices,
    MunicipalityKindChoices,
    NetworkKindChoices,
)


class TercManager(ScopedManager):
    """Looks units up by their TERC code, which is also their natural key in fixtures and imports."""

    def get_by_natural_key(self, terc):
        return self.get(terc=terc)


class Region(TimestampedModel):
    """A voivodeship with its regional social policy centre (ROPS)."""

    terc = models.CharField(
        verbose_name=_("TERC code"),
        max_length=2,
        unique=True,
        validators=[validate_region_terc],
    )
    name = models.CharField(
        verbose_name=_("name"),
        max_length=100,
        unique=True,
    )
    rops_name = models.CharField(
        verbose_name=_("ROPS name"),
        max_length=200,
    )
    rops_town = models.CharField(
        verbose_name=_("ROPS seat"),
        max_length=100,
    )
    rops_address = models.CharField(
        verbose_name=_("ROPS address"),
        max_length=200,
        blank=True,
    )
    rops_email = models.EmailField(
        verbose_name=_("ROPS e-mail"),
        blank=True,
    )
    rops_phone = models.CharField(
        verbose_name=_("ROPS phone"),
        max_length=30,
        blank=True,
    )
    in_pilot = models.BooleanField(
        verbose_name=_("in the KSR pilot"),
        default=False,
    )

    objects = TercManager()

    class Meta:
        ordering = ["terc"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.terc,)


class County(TimestampedModel):
    """A powiat (4-digit TERC code), including cities with county rights."""

    terc = models.CharField(
        verbose_name=_("TERC code"),
        max_length=4,
        unique=True,
        validators=[validate_county_terc],
    )
    name = models.CharField(
        verbose_name=_("name"),
        max_length=100,
    )
    region = models.ForeignKey(
        verbose_name=_("region"),
        to="networks.Region",
        on_delete=models.PROTECT,
        related_name="counties",
    )

    objects = TercManager()

    class Meta:
        ordering = ["terc"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.terc,)

    def clean(self):
        if self.terc and self.region_id and not self.terc.startswith(self.region.terc):
            raise ValidationError({"terc": _("A county's TERC code must start with its region's code.")})


class Municipality(TimestampedModel):
    """A gmina or a part of one, as listed in the GUS TERC register (7-digit code)."""

    terc = models.CharField(
        verbose_name=_("TERC code"),
        max_length=7,
        unique=True,
        validators=[validate_municipality_terc],
    )
    name = models.CharField(
        verbose_name=_("name"),
        max_length=100,
    )
    kind = models.CharField(
        verbose_name=_("kind"),
        max_length=1,
        choices=MunicipalityKindChoices,
    )
    county = models.ForeignKey(
        verbose_name=_("county"),
        to="networks.County",
        on_delete=models.PROTECT,
        related_name="municipalities",
    )
    region = models.ForeignKey(
        verbose_name=_("region"),
        to="networks.Region",
        on_delete=models.PROTECT,
        related_name="municipalities",
    )
    degurba = models.CharField(
        verbose_name=_("degree of urbanisation (DEGURBA)"),
        max_length=1,
        choices=MunicipalityDegurbaChoices,
        blank=True,
    )

    objects = TercManager()

    class Meta:
        ordering = ["terc"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MunicipalityKindChoices.values),
                name="municipality_kind_valid",
                violation_error_message=_("Unknown municipality kind."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    def natural_key(self):
        return (self.terc,)

    def clean(self):
        errors = {}
        if self.terc:
            if self.kind and self.terc[-1] != self.kind:
                errors["kind"] = _("The kind must match the last digit of the TERC code.")
            if self.county_id and not self.terc.startswith(self.county.terc):
                errors["county"] = _("A municipality's TERC code must start with its county's code.")
            if self.region_id and not self.terc.startswith(self.region.terc):
                errors["region"] = _("A municipality's TERC code must start with its region's code.")
        if errors:
            raise ValidationError(errors)


class Network(TimestampedModel):
    """A reintegration network: the national KSR, a regional RSR or a local LSR around a club."""

    scope_paths = ScopePaths(region="region", national_rows_shared=True)

    kind = models.CharField(
        verbose_name=_("kind"),
        max_length=10,
        choices=NetworkKindChoices,
    )
    name = models.CharField(
        verbose_name=_("name"),
        max_length=200,
        unique=True,
    )
    region = models.ForeignKey(
        verbose_name=_("region"),
        to="networks.Region",
        on_delete=models.PROTECT,
        related_name="networks",
        null=True,
        blank=True,
        help_text=_("Empty only for the national network."),
    )
    parent = models.ForeignKey(
        verbose_name=_("parent network"),
        to="networks.Network",
        on_delete=models.PROTECT,
        related_name="children",
        null=True,
        blank=True,
    )
    hub_club = models.ForeignKey(
        verbose_name=_("hub club"),
        to="clubs.Club",
        on_delete=models.PROTECT,
        related_name="hub_of_networks",
        null=True,
        blank=True,
        help_text=_("The club that initiates and leads a local network."),
    )
    established_on = models.DateField(
        verbose_name=_("established on"),
        null=True,
        blank=True,
    )
    description = models.TextField(
        verbose_name=_("description"),
        blank=True,
    )

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=NetworkKindChoices.values),
                name="network_kind_valid",
                violation_error_message=_("Unknown network kind."),
            ),
            models.CheckConstraint(
                condition=(Q(kind=NetworkKindChoices.NATIONAL) & Q(region__isnull=True) & Q(parent__isnull=True))
                | (~Q(kind=NetworkKindChoices.NATIONAL) & Q(region__isnull=False) & Q(parent__isnull=False)),
                name="network_level_fields",
                violation_error_message=_(
                    "The national network has no region and no parent; a regional or local network needs both."
                ),
            ),
            models.CheckConstraint(
                condition=Q(hub_club__isnull=True) | Q(kind=NetworkKindChoices.LOCAL),
                name="network_hub_only_local",
                violation_error_message=_("Only a local network has a hub club."),
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind=NetworkKindChoices.NATIONAL),
                name="network_one_national",
                violation_error_message=_("There is already a national network."),
            ),
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(kind=NetworkKindChoices.REGIONAL),
                name="network_one_regional_per_region",
                violation_error_message=_("This region already has a regional network."),
            ),
        ]
        indexes = [
            models.Index(fields=["region", "kind"], name="network_region_kind_idx"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        errors = {}
        expected_parent = {
            NetworkKindChoices.REGIONAL: NetworkKindChoices.NATIONAL,
            NetworkKindChoices.LOCAL: NetworkKindChoices.REGIONAL,
        }.get(self.kind)
        if self.parent_id:
            if self.parent.kind != expected_parent:
                errors["parent"] = _(
                    "A regional network belongs to the national one, a local network to a regional one."
                )
            elif self.kind == NetworkKindChoices.LOCAL and self.region_id and self.parent.region_id != self.region_id:
                errors["parent"] = _("A local network belongs to the regional network of its own region.")
        if self.hub_club_id and self.region_id and self.hub_club.region_id != self.region_id:
            errors["hub_club"] = _("The hub club must be in the network's region.")
        if errors:
            raise ValidationError(errors)


class Meeting(TimestampedModel):
    """A meeting of a network's body: who came, what was discussed, what follows."""

    scope_paths = ScopePaths(region="network__region", national_rows_shared=True)

    network = models.ForeignKey(
        verbose_name=_("network"),
        to="networks.Network",
        on_delete=models.PROTECT,
        related_name="meetings",
    )
    held_on = models.DateField(
        verbose_name=_("date"),
    )
    kind = models.CharField(
        verbose_name=_("kind"),
        max_length=20,
        choices=MeetingKindChoices,
    )
    topic = models.CharField(
        verbose_name=_("topic"),
        max_length=300,
    )
    attending_organizations = models.ManyToManyField(
        verbose_name=_("attending organisations"),
        to="stakeholders.Organization",
        related_name="meetings",
        blank=True,
    )
    minutes = models.TextField(
        verbose_name=_("minutes"),
        blank=True,
    )
    minutes_file = models.FileField(
        verbose_name=_("minutes file"),
        upload_to="meetings/%Y/",
        blank=True,
        validators=[validate_document],
    )
    follow_up = models.TextField(
        verbose_name=_("follow-up actions"),
        blank=True,
    )

    class Meta:
        ordering = ["-held_on", "network"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            models.Index(fields=["network", "held_on"], name="meeting_network_date_idx"),
        ]

    def __str__(self):
        return f"{self.network} — {self.held_on:%d.%m.%Y}: {self.topic}"


class AnimationTeam(TimestampedModel):
    """A regional animation team (ZRAR): animators who build local networks and support clubs."""

    scope_paths = ScopePaths(region="region")

    region = models.OneToOneField(
        verbose_name=_("region"),
        to="networks.Region",
        on_delete=models.PROTECT,
        related_name="animation_team",
    )
    name = models.CharField(
        verbose_name=_("name"),
        max_length=200,
    )
    members = models.ManyToManyField(
        verbose_name=_("members"),
        to=settings.AUTH_USER_MODEL,
        related_name="animation_teams",
        blank=True,
    )
    supported_clubs = models.ManyToManyField(
        verbose_name=_("supported clubs"),
        to="clubs.Club",
        related_name="animation_teams",
        blank=True,
    )

    class Meta:
        ordering = ["region"]
        verbose_name = _("animation team")
        verbose_name_plural = _("animation teams")

    def __str__(self):
        return self.name


class AnimationDeliverable(TimestampedModel):
    """A document an animation team owes: the animation plan or its recommendations."""

    scope_paths = ScopePaths(region="team__region")

    team = models.ForeignKey(
        verbose_name=_("animation team"),
        to="networks.AnimationTeam",
        on_delete=models.CASCADE,
        related_name="deliverables",
    )
    kind = models.CharField(
        verbose_name=_("kind"),
        max_length=30,
        choices=DeliverableKindChoices,
    )
    title = models.CharField(
        verbose_name=_("title"),
        max_length=300,
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=20,
        choices=DeliverableStatusChoices,
        default=DeliverableStatusChoices.PLANNED,
    )
    due_on = models.DateField(
        verbose_name=_("due on"),
        null=True,
        blank=True,
    )
    delivered_on = models.DateField(
        verbose_name=_("delivered on"),
        null=True,
        blank=True,
    )
    document = models.FileField(
        verbose_name=_("document"),
        upload_to="deliverables/%Y/",
        blank=True,
        validators=[validate_document],
    )

    class Meta:
        ordering = ["team", "due_on"]
        verbose_name = _("animation deliverable")
        verbose_name_plural = _("animation deliverables")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DeliverableKindChoices.values),
                name="deliverable_kind_valid",
                violation_error_message=_("Unknown deliverable kind."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=DeliverableStatusChoices.values),
                name="deliverable_status_valid",
                violation_error_message=_("Unknown deliverable status."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[DeliverableStatusChoices.SUBMITTED, DeliverableStatusChoices.ACCEPTED])
                | Q(delivered_on__isnull=False),
                name="deliverable_delivered_has_date",
                violation_error_message=_("A submitted or accepted deliverable needs its delivery date."),
            ),
        ]

    def __str__(self):
        return self.title
