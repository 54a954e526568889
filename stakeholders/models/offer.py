"""What a partner offers to participants, per catalogue service."""

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ksr_portal.models import TimestampedModel
from ksr_portal.scoping import ScopePaths


class ServiceOffer(TimestampedModel):
    """A catalogue service a partner offers to the participants of a network."""

    scope_paths = ScopePaths(region="network__region", national_rows_shared=True)

    organization = models.ForeignKey(
        verbose_name=_("organisation"),
        to="stakeholders.Organization",
        on_delete=models.PROTECT,
        related_name="service_offers",
    )
    network = models.ForeignKey(
        verbose_name=_("network"),
        to="networks.Network",
        on_delete=models.PROTECT,
        related_name="service_offers",
    )
    service = models.ForeignKey(
        verbose_name=_("catalogue service"),
        to="clubs.Service",
        on_delete=models.PROTECT,
        related_name="offers",
    )
    capacity = models.PositiveIntegerField(
        verbose_name=_("places"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("How many participants can use the offer at once; empty means no fixed limit."),
    )
    terms = models.TextField(
        verbose_name=_("terms"),
        blank=True,
    )
    valid_from = models.DateField(
        verbose_name=_("valid from"),
    )
    valid_until = models.DateField(
        verbose_name=_("valid until"),
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["network", "service"]
        verbose_name = _("service offer")
        verbose_name_plural = _("service offers")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=F("valid_from")),
                name="service_offer_dates",
                violation_error_message=_("An offer cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="service_offer_capacity_positive",
                violation_error_message=_("An offer has at least one place."),
            ),
        ]
        indexes = [
            models.Index(fields=["network", "valid_from"], name="service_offer_network_idx"),
        ]

    def __str__(self):
        return f"{self.service} — {self.organization}"
