"""Organisations' membership of networks, with their cooperation agreements."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ksr_portal.models import TimestampedModel
from ksr_portal.scoping import ScopePaths
from ksr_portal.validators import validate_document

from ..choices import MembershipRoleChoices


class Membership(TimestampedModel):
    """An organisation's membership in a network, with its cooperation agreement."""

    scope_paths = ScopePaths(region="network__region", national_rows_shared=True)

    organization = models.ForeignKey(
        verbose_name=_("organisation"),
        to="stakeholders.Organization",
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    network = models.ForeignKey(
        verbose_name=_("network"),
        to="networks.Network",
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(
        verbose_name=_("role"),
        max_length=10,
        choices=MembershipRoleChoices,
        default=MembershipRoleChoices.MEMBER,
    )
    joined_on = models.DateField(
        verbose_name=_("joined on"),
    )
    left_on = models.DateField(
        verbose_name=_("left on"),
        null=True,
        blank=True,
    )
    agreement_signed_on = models.DateField(
        verbose_name=_("cooperation agreement signed on"),
        null=True,
        blank=True,
    )
    agreement_valid_until = models.DateField(
        verbose_name=_("cooperation agreement valid until"),
        null=True,
        blank=True,
    )
    agreement_document = models.FileField(
        verbose_name=_("cooperation agreement document"),
        upload_to="agreements/%Y/",
        blank=True,
        validators=[validate_document],
    )
    agreement_pillars = models.ManyToManyField(
        verbose_name=_("pillars the agreement commits to"),
        to="clubs.Pillar",
        related_name="memberships",
        blank=True,
    )

    class Meta:
        ordering = ["network", "organization"]
        verbose_name = _("network membership")
        verbose_name_plural = _("network memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=MembershipRoleChoices.values),
                name="membership_role_valid",
                violation_error_message=_("Unknown membership role."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="membership_left_after_joined",
                violation_error_message=_("An organisation cannot leave a network before joining it."),
            ),
            models.CheckConstraint(
                condition=Q(agreement_valid_until__isnull=True)
                | Q(agreement_signed_on__isnull=True)
                | Q(agreement_valid_until__gte=F("agreement_signed_on")),
                name="membership_agreement_dates",
                violation_error_message=_("A cooperation agreement cannot expire before it was signed."),
            ),
            models.UniqueConstraint(
                fields=["organization", "network"],
                condition=Q(left_on__isnull=True),
                name="membership_one_current_per_network",
                violation_error_message=_("This organisation is already a member of this network."),
            ),
        ]
        indexes = [
            models.Index(fields=["network", "left_on"], name="membership_network_left_idx"),
        ]

    def __str__(self):
        return f"{self.organization} — {self.network}"
