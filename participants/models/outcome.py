"""The outcome of a stay and the follow-ups after it."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ksr_portal.models import TimestampedModel
from ksr_portal.scoping import ScopePaths

from ..choices import EnrollmentStatusChoices, FollowUpMonthsChoices, OutcomeSituationChoices
from .plan import add_months

# A transferred person's stay goes on in the next club, whose exit has the outcome.
LEFT_WITH_AN_OUTCOME = [EnrollmentStatusChoices.COMPLETED, EnrollmentStatusChoices.DROPPED_OUT]


class Outcome(TimestampedModel):
    """What a participant achieved on leaving the club."""

    scope_paths = ScopePaths(region="enrollment__club__region", club="enrollment__club")

    enrollment = models.OneToOneField(
        verbose_name=_("enrollment"),
        to="participants.Enrollment",
        on_delete=models.PROTECT,
        related_name="outcome",
    )
    recorded_on = models.DateField(
        verbose_name=_("recorded on"),
    )
    situation = models.CharField(
        verbose_name=_("situation on leaving"),
        max_length=30,
        choices=OutcomeSituationChoices,
    )
    social_reintegration_achieved = models.BooleanField(
        verbose_name=_("improved social functioning (social reintegration effects)"),
        default=False,
    )
    qualification_gained = models.BooleanField(
        verbose_name=_("qualification gained"),
        default=False,
    )
    vocational_reintegration_achieved = models.BooleanField(
        verbose_name=_("vocational reintegration effects achieved"),
        default=False,
    )
    notes = models.TextField(
        verbose_name=_("notes"),
        blank=True,
    )

    class Meta:
        ordering = ["-recorded_on"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        constraints = [
            models.CheckConstraint(
                condition=Q(situation__in=OutcomeSituationChoices.values),
                name="outcome_situation_valid",
                violation_error_message=_("Unknown situation."),
            ),
        ]

    def __str__(self):
        return f"{self.enrollment}: {self.get_situation_display()}"

    def clean(self):
        if self.enrollment_id and self.enrollment.status not in LEFT_WITH_AN_OUTCOME:
            raise ValidationError(
                {"enrollment": _("An outcome is recorded once the person has left: completed or dropped out.")}
            )


class FollowUp(TimestampedModel):
    """A check of a former participant's situation some months after leaving."""

    scope_paths = ScopePaths(region="outcome__enrollment__club__region", club="outcome__enrollment__club")

    outcome = models.ForeignKey(
        verbose_name=_("outcome"),
        to="participants.Outcome",
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    months_after = models.PositiveSmallIntegerField(
        verbose_name=_("when"),
        choices=FollowUpMonthsChoices,
    )
    checked_on = models.DateField(
        verbose_name=_("checked on"),
    )
    situation = models.CharField(
        verbose_name=_("situation"),
        max_length=30,
        choices=OutcomeSituationChoices,
    )
    notes = models.TextField(
        verbose_name=_("notes"),
        blank=True,
    )

    class Meta:
        ordering = ["outcome", "months_after"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(months_after__in=FollowUpMonthsChoices.values),
                name="follow_up_months_valid",
                violation_error_message=_("A follow-up is made 3, 6 or 12 months after leaving."),
            ),
            models.CheckConstraint(
                condition=Q(situation__in=OutcomeSituationChoices.values),
                name="follow_up_situation_valid",
                violation_error_message=_("Unknown situation."),
            ),
            models.UniqueConstraint(
                fields=["outcome", "months_after"],
                name="follow_up_once_per_period",
                violation_error_message=_("This follow-up is already recorded."),
            ),
        ]

    def __str__(self):
        return f"{self.outcome.enrollment} — {self.get_months_after_display()}"

    def clean(self):
        exit_on = self.outcome.enrollment.exit_on if self.outcome_id else None
        if exit_on and self.checked_on and self.months_after in FollowUpMonthsChoices.values:
            due = add_months(exit_on, self.months_after)
            if self.checked_on < due:
                raise ValidationError(
                    {
                        "checked_on": _("This follow-up is made on %(date)s or later, %(months)d months after leaving.")
                        % {"date": due.strftime("%d.%m.%Y"), "months": self.months_after}
                    }
                )
