"""The Individual Action Plan (IPD): goals per pillar, reviews and the progress of each goal."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ksr_portal.models import TimestampedModel
from ksr_portal.scoping import ScopePaths
from ksr_portal.workflow import StateMachine

from ..choices import GoalStatusChoices


def default_review_interval():
    return settings.KSR_PLAN_REVIEW_MONTHS


def add_months(day, months):
    """The same day `months` later, or the month's last day when it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue


G = GoalStatusChoices
UNSETTLED_GOAL = [G.OPEN, G.PARTLY_ACHIEVED, G.NOT_ACHIEVED]
GOAL_TRANSITIONS = {
    "achieve": (_("Mark as achieved"), UNSETTLED_GOAL, G.ACHIEVED),
    "partly_achieve": (_("Mark as partly achieved"), [G.OPEN, G.NOT_ACHIEVED], G.PARTLY_ACHIEVED),
    "not_achieve": (_("Mark as not achieved"), [G.OPEN, G.PARTLY_ACHIEVED], G.NOT_ACHIEVED),
    "withdraw": (_("Withdraw"), UNSETTLED_GOAL, G.WITHDRAWN),
    "revise": (_("Revise"), UNSETTLED_GOAL, G.REVISED),
}


class ActionPlan(TimestampedModel):
    """The Individual Action Plan (IPD): a diagnosis of the person's potential and goals per pillar."""

    scope_paths = ScopePaths(
        region="enrollment__club__region", club="enrollment__club", shared_club="enrollment__transferred_to__club"
    )

    enrollment = models.OneToOneField(
        verbose_name=_("enrollment"),
        to="participants.Enrollment",
        on_delete=models.PROTECT,
        related_name="action_plan",
    )
    drawn_up_on = models.DateField(
        verbose_name=_("drawn up on"),
    )
    resources = models.TextField(
        verbose_name=_("resources"),
        blank=True,
        help_text=_("The person's inner and outer resources the reintegration can build on."),
    )
    barriers = models.TextField(
        verbose_name=_("barriers"),
        blank=True,
    )
    review_interval_months = models.PositiveSmallIntegerField(
        verbose_name=_("review every (months)"),
        default=default_review_interval,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )

    class Meta:
        ordering = ["-drawn_up_on"]
        verbose_name = _("individual action plan")
        verbose_name_plural = _("individual action plans")
        constraints = [
            models.CheckConstraint(
                condition=Q(review_interval_months__gte=1) & Q(review_interval_months__lte=12),
                name="action_plan_review_interval_range",
                violation_error_message=_("Reviews take place every 1 to 12 months."),
            ),
        ]

    def __str__(self):
        return _("Plan of %(enrollment)s") % {"enrollment": self.enrollment}

    def next_review_due(self, last_next_review=None):
        """The date the next review is due: as the last review set it, or one interval after drawing up."""
        return last_next_review or add_months(self.drawn_up_on, self.review_interval_months)


class Goal(StateMachine, TimestampedModel):
    """A goal of an action plan under one of the six pillars, with the services planned for it."""

    scope_paths = ScopePaths(
        region="plan__enrollment__club__region",
        club="plan__enrollment__club",
        shared_club="plan__enrollment__transferred_to__club",
    )

    transitions = GOAL_TRANSITIONS
    initial_statuses = [GoalStatusChoices.OPEN]

    plan = models.ForeignKey(
        verbose_name=_("plan"),
        to="participants.ActionPlan",
        on_delete=models.CASCADE,
        related_name="goals",
    )
    pillar = models.ForeignKey(
        verbose_name=_("pillar"),
        to="clubs.Pillar",
        on_delete=models.PROTECT,
        related_name="goals",
    )
    description = models.TextField(
        verbose_name=_("goal"),
    )
    planned_services = models.ManyToManyField(
        verbose_name=_("planned services"),
        to="clubs.Service",
        related_name="goals",
        blank=True,
    )
    target_date = models.DateField(
        verbose_name=_("target date"),
        null=True,
        blank=True,
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=20,
        choices=GoalStatusChoices,
        default=GoalStatusChoices.OPEN,
    )
    replaces = models.OneToOneField(
        verbose_name=_("earlier version"),
        to="self",
        on_delete=models.PROTECT,
        related_name="replaced_by",
        null=True,
        blank=True,
        editable=False,
    )

    class Meta:
        ordering = ["plan", "pillar__order", "created_at"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=GoalStatusChoices.values),
                name="goal_status_valid",
                violation_error_message=_("Unknown goal status."),
            ),
        ]

    def __str__(self):
        return f"{self.pillar}: {self.description[:60]}"

    def clean(self):
        if self.pk and Goal.objects.filter(pk=self.pk, status=GoalStatusChoices.REVISED).exists():
            raise ValidationError(_("A revised goal is kept as it was for the record; change its new version."))

    def achieve(self, on, by=None):
        self.apply_transition("achieve", on, [])

    def partly_achieve(self, on, by=None):
        self.apply_transition("partly_achieve", on, [])

    def not_achieve(self, on, by=None):
        self.apply_transition("not_achieve", on, [])

    def withdraw(self, on, by=None):
        self.apply_transition("withdraw", on, [])

    def revise(self, on, description, target_date=None, by=None):
        """Replace this goal by a new version; this one stays, marked as revised, for the record."""
        if not description:
            problems = [_("Describe the revised goal.")]
        else:
            problems = []
        with transaction.atomic():
            self.apply_transition("revise", on, problems)
            new = Goal(
                plan=self.plan,
                pillar=self.pillar,
                description=description,
                target_date=target_date or self.target_date,
                replaces=self,
            )
            new.full_clean()
            new.save()
            new.planned_services.set(self.planned_services.all())
        return new


class Review(TimestampedModel):
    """A periodic review of an action plan: progress made and the date of the next review."""

    scope_paths = ScopePaths(
        region="plan__enrollment__club__region",
        club="plan__enrollment__club",
        shared_club="plan__enrollment__transferred_to__club",
    )

    plan = models.ForeignKey(
        verbose_name=_("plan"),
        to="participants.ActionPlan",
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    reviewed_on = models.DateField(
        verbose_name=_("reviewed on"),
    )
    progress = models.TextField(
        verbose_name=_("progress"),
    )
    next_review_on = models.DateField(
        verbose_name=_("next review on"),
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["plan", "-reviewed_on"]
        verbose_name = _("plan review")
        verbose_name_plural = _("plan reviews")
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_on__isnull=True) | Q(next_review_on__gt=F("reviewed_on")),
                name="review_next_after_this",
                violation_error_message=_("The next review must come after this one."),
            ),
        ]

    def __str__(self):
        return f"{self.plan} — {self.reviewed_on:%d.%m.%Y}"

    def clean(self):
        if self.next_review_on is None and self.reviewed_on and self.plan_id:
            self.next_review_on = add_months(self.reviewed_on, self.plan.review_interval_months)


class GoalProgress(TimestampedModel):
    """What a review found about one goal of the plan."""

    scope_paths = ScopePaths(
        region="review__plan__enrollment__club__region",
        club="review__plan__enrollment__club",
        shared_club="review__plan__enrollment__transferred_to__club",
    )

    review = models.ForeignKey(
        verbose_name=_("review"),
        to="participants.Review",
        on_delete=models.CASCADE,
        related_name="goal_progress",
    )
    goal = models.ForeignKey(
        verbose_name=_("goal"),
        to="participants.Goal",
        on_delete=models.CASCADE,
        related_name="progress",
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=20,
        choices=GoalStatusChoices,
        default=GoalStatusChoices.OPEN,
    )
    notes = models.TextField(
        verbose_name=_("progress"),
        blank=True,
    )

    class Meta:
        ordering = ["review", "goal"]
        verbose_name = _("progress towards a goal")
        verbose_name_plural = _("progress towards goals")
        constraints = [
            models.UniqueConstraint(
                fields=["review", "goal"],
                name="goal_progress_once_per_review",
                violation_error_message=_("This review already records progress towards this goal."),
            ),
        ]

    def __str__(self):
        return f"{self.goal} — {self.get_status_display()}"

    def clean(self):
        if self.review_id and self.goal_id and self.review.plan_id != self.goal.plan_id:
            raise ValidationError({"goal": _("Choose a goal of the reviewed plan.")})
