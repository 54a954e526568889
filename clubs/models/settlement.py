"""A club's year as it is settled with the voivode: the subsidy and the annual report's submission."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ksr_portal.models import TimestampedModel
from ksr_portal.scoping import ScopePaths

AMOUNT = {"max_digits": 12, "decimal_places": 2, "default": Decimal("0"), "validators": [MinValueValidator(0)]}


class AnnualSettlement(TimestampedModel):
    """What the annual report (art. 18 of the Social Employment Act) says of the money and when it was filed."""

    scope_paths = ScopePaths(region="club__region", club="club")

    club = models.ForeignKey(
        verbose_name=_("club"),
        to="clubs.Club",
        on_delete=models.CASCADE,
        related_name="settlements",
    )
    year = models.PositiveSmallIntegerField(
        verbose_name=_("year"),
        validators=[MinValueValidator(2004), MaxValueValidator(2100)],
    )
    subsidy_granted = models.DecimalField(verbose_name=_("subsidy granted (PLN)"), **AMOUNT)
    subsidy_granted_on = models.DateField(verbose_name=_("subsidy agreement of"), null=True, blank=True)
    subsidy_spent = models.DecimalField(verbose_name=_("subsidy spent (PLN)"), **AMOUNT)
    subsidy_returned = models.DecimalField(verbose_name=_("subsidy returned (PLN)"), **AMOUNT)
    subsidy_returned_on = models.DateField(verbose_name=_("returned on"), null=True, blank=True)
    submitted_on = models.DateField(
        verbose_name=_("annual report submitted to the voivode on"),
        null=True,
        blank=True,
        help_text=_("Due by 31 March of the following year."),
    )

    class Meta:
        ordering = ["club", "-year"]
        verbose_name = _("annual settlement")
        verbose_name_plural = _("annual settlements")
        constraints = [
            models.UniqueConstraint(
                fields=["club", "year"],
                name="annual_settlement_once_a_year",
                violation_error_message=_("This club's year is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(subsidy_granted__gte=0) & Q(subsidy_spent__gte=0) & Q(subsidy_returned__gte=0),
                name="annual_settlement_amounts_not_negative",
                violation_error_message=_("Amounts are not negative."),
            ),
            models.CheckConstraint(
                condition=Q(subsidy_spent__lte=F("subsidy_granted") - F("subsidy_returned")),
                name="annual_settlement_within_the_grant",
                violation_error_message=_("The subsidy spent and returned add up to no more than the grant."),
            ),
        ]

    def __str__(self):
        return f"{self.club} — {self.year}"

    def clean(self):
        errors = {}
        if self.subsidy_returned and not self.subsidy_returned_on:
            errors["subsidy_returned_on"] = _("Give the date the unspent subsidy was returned.")
        if self.submitted_on and self.year and self.submitted_on < datetime.date(self.year + 1, 1, 1):
            errors["submitted_on"] = _("The report on a year is submitted once the year has ended.")
        elif self.submitted_on and self.submitted_on > timezone.localdate():
            errors["submitted_on"] = _("A submission cannot be dated in the future.")
        if errors:
            raise ValidationError(errors)
