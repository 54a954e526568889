"""The reintegration networks: national (KSR), regional (RSR) and local (LSR)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ksr_portal.collation import Polish
from ksr_portal.models import TimestampedModel
from ksr_portal.scoping import ScopePaths

from ..choices import (
    NetworkKindChoices,
)


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
        ordering = ["kind", Polish("name")]
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
