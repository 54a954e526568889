"""A club's staff records: posts, basis of employment and working time."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ksr_portal.models import TimestampedModel
from ksr_portal.scoping import ScopePaths

from ..choices import EmploymentBasisChoices


class StaffPosition(TimestampedModel):
    """A post in a club's staff in one year, for the annual report to the voivode (no names kept)."""

    scope_paths = ScopePaths(region="club__region", club="club")

    club = models.ForeignKey(
        verbose_name=_("club"),
        to="clubs.Club",
        on_delete=models.CASCADE,
        related_name="staff_positions",
    )
    year = models.PositiveSmallIntegerField(
        verbose_name=_("year"),
        validators=[MinValueValidator(2004), MaxValueValidator(2100)],
    )
    position = models.CharField(
        verbose_name=_("position"),
        max_length=100,
    )
    employment_basis = models.CharField(
        verbose_name=_("basis of employment"),
        max_length=30,
        choices=EmploymentBasisChoices,
    )
    fte = models.DecimalField(
        verbose_name=_("working time (FTE)"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.50"))],
    )

    class Meta:
        ordering = ["club", "-year", "position"]
        verbose_name = _("staff position")
        verbose_name_plural = _("staff positions")
        constraints = [
            models.CheckConstraint(
                condition=Q(fte__gt=0) & Q(fte__lte=Decimal("1.50")),
                name="staff_position_fte_range",
                violation_error_message=_("Working time is more than 0 and at most 1.5 FTE."),
            ),
        ]

    def __str__(self):
        return f"{self.position} ({self.year})"
