"""Summary data the reports read instead of the domain's tables; kept by `reporting.summaries`."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EnrollmentFigures(models.Model):
    """One enrollment as the reports count it: its dates, status and the person's facts at entry.

    A narrow copy of what the figures need from the enrollment, its participant, its art. 1
    categories and its outcome, so a report of any scope and any period of days counts distinct
    people from this one table.
    """

    enrollment = models.OneToOneField(
        verbose_name=_("enrollment"),
        to="participants.Enrollment",
        # Left for the refresh after a deletion to remove, which first subtracts the row from the counts.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="+",
    )
    participant = models.ForeignKey(
        verbose_name=_("participant"),
        to="participants.Participant",
        on_delete=models.CASCADE,
        related_name="+",
    )
    club = models.ForeignKey(
        verbose_name=_("club"),
        to="clubs.Club",
        on_delete=models.CASCADE,
        related_name="+",
    )
    region = models.ForeignKey(
        verbose_name=_("region"),
        to="networks.Region",
        on_delete=models.CASCADE,
        related_name="+",
    )
    status = models.CharField(
        verbose_name=_("status"),
        max_length=20,
    )
    applied_on = models.DateField(
        verbose_name=_("applied on"),
    )
    started_on = models.DateField(
        verbose_name=_("started on"),
        null=True,
    )
    exit_on = models.DateField(
        verbose_name=_("left on"),
        null=True,
    )
    sex = models.CharField(
        verbose_name=_("sex"),
        max_length=10,
    )
    age_on_entry = models.PositiveSmallIntegerField(
        verbose_name=_("age on entry"),
        null=True,
    )
    education_level = models.CharField(
        verbose_name=_("education level at entry"),
        max_length=20,
    )
    labour_market_status = models.CharField(
        verbose_name=_("labour-market status at entry"),
        max_length=30,
    )
    long_term_unemployed = models.BooleanField(
        verbose_name=_("long-term unemployed at entry"),
    )
    minority_or_migrant = models.CharField(
        verbose_name=_("minority or migrant background"),
        max_length=10,
    )
    homeless = models.CharField(
        verbose_name=_("homeless or excluded from housing"),
        max_length=10,
    )
    disability = models.CharField(
        verbose_name=_("with a disability"),
        max_length=10,
    )
    categories = models.CharField(
        verbose_name=_("art. 1 eligibility categories"),
        max_length=8,
        help_text=_("The codes of the art. 1 categories, in order, e.g. 25."),
    )
    outcome_situation = models.CharField(
        verbose_name=_("situation on leaving"),
        max_length=30,
        help_text=_("Empty while no outcome is recorded."),
    )
    reintegration_achieved = models.BooleanField(
        verbose_name=_("achieved reintegration effects"),
    )
    # Whether this row is the one that counts its person in a period of days (`reporting.summaries.earlier`):
    # in the country, and in the region.
    earlier_stays_end = models.DateField(
        verbose_name=_("end of the person's earlier stays"),
        null=True,
    )
    earlier_stays_end_in_region = models.DateField(
        verbose_name=_("end of the person's earlier stays in the region"),
        null=True,
    )
    earlier_completion = models.DateField(
        verbose_name=_("the person's previous completion"),
        null=True,
    )
    earlier_completion_in_region = models.DateField(
        verbose_name=_("the person's previous completion in the region"),
        null=True,
    )
    earlier_employment = models.DateField(
        verbose_name=_("the person's previous leaving into employment"),
        null=True,
    )
    earlier_employment_in_region = models.DateField(
        verbose_name=_("the person's previous leaving into employment in the region"),
        null=True,
    )

    class Meta:
        ordering = ["enrollment_id"]  # the column: by the relation, it would join the base table
        verbose_name = _("enrollment figures")
        verbose_name_plural = _("enrollment figures")
        indexes = [
            models.Index(fields=["club", "started_on"], name="figures_enrollment_club_idx"),
            models.Index(fields=["started_on", "exit_on"], name="figures_enrollment_active_idx"),
            models.Index(fields=["applied_on"], name="figures_enrollment_applied_idx"),
            models.Index(fields=["exit_on"], name="figures_enrollment_exit_idx"),
        ]

    def __str__(self):
        return str(self.pk)


class FollowUpFigures(models.Model):
    """One follow-up of a former participant, as the reports count it."""

    follow_up = models.OneToOneField(
        verbose_name=_("follow-up"),
        to="participants.FollowUp",
        # Left for the refresh after a deletion to remove, which first subtracts the row from the counts.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="+",
    )
    enrollment = models.ForeignKey(
        verbose_name=_("enrollment"),
        to="reporting.EnrollmentFigures",
        on_delete=models.CASCADE,
        related_name="follow_ups",
    )
    months_after = models.PositiveSmallIntegerField(
        verbose_name=_("when"),
    )
    checked_on = models.DateField(
        verbose_name=_("checked on"),
    )
    situation = models.CharField(
        verbose_name=_("situation"),
        max_length=30,
    )

    class Meta:
        ordering = ["follow_up_id"]
        verbose_name = _("follow-up figures")
        verbose_name_plural = _("follow-up figures")
        indexes = [models.Index(fields=["checked_on"], name="figures_follow_up_checked_idx")]

    def __str__(self):
        return str(self.pk)


class ActivityFigures(models.Model):
    """One activity as the reports count it: its day, pillar, provider's type, hours and attendance."""

    activity = models.OneToOneField(
        verbose_name=_("activity"),
        to="clubs.Activity",
        # Left for the refresh after a deletion to remove, which first subtracts the row from the counts.
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="+",
    )
    club = models.ForeignKey(
        verbose_name=_("club"),
        to="clubs.Club",
        on_delete=models.CASCADE,
        related_name="+",
    )
    held_on = models.DateField(
        verbose_name=_("date"),
    )
    pillar = models.ForeignKey(
        verbose_name=_("pillar"),
        to="clubs.Pillar",
        on_delete=models.CASCADE,
        related_name="+",
    )
    provider_type = models.CharField(
        verbose_name=_("stakeholder type"),
        max_length=1,
    )
    hours = models.DecimalField(
        verbose_name=_("hours"),
        max_digits=4,
        decimal_places=1,
    )
    attendance_recorded = models.PositiveIntegerField(
        verbose_name=_("attendance"),
    )
    attendance_present = models.PositiveIntegerField(
        verbose_name=_("present"),
    )

    class Meta:
        ordering = ["activity_id"]
        verbose_name = _("activity figures")
        verbose_name_plural = _("activity figures")
        indexes = [
            models.Index(fields=["club", "held_on"], name="figures_activity_club_idx"),
            models.Index(fields=["held_on"], name="figures_activity_held_idx"),
        ]

    def __str__(self):
        return str(self.pk)


class ActivityMonth(models.Model):
    """A club's activities in a calendar month by pillar and provider's type, summed (see `reporting.summaries`)."""

    club = models.ForeignKey(
        verbose_name=_("club"),
        to="clubs.Club",
        on_delete=models.CASCADE,
        related_name="+",
    )
    start = models.DateField(
        verbose_name=_("first day"),
    )
    pillar = models.ForeignKey(
        verbose_name=_("pillar"),
        to="clubs.Pillar",
        on_delete=models.CASCADE,
        related_name="+",
    )
    provider_type = models.CharField(
        verbose_name=_("stakeholder type"),
        max_length=1,
    )
    # Plain integers: a difference added to them may be negative.
    activities = models.IntegerField(
        verbose_name=_("activities"),
    )
    hours = models.DecimalField(
        verbose_name=_("hours"),
        max_digits=9,
        decimal_places=1,
    )
    attendance_recorded = models.IntegerField(
        verbose_name=_("attendance"),
    )
    attendance_present = models.IntegerField(
        verbose_name=_("present"),
    )

    class Meta:
        verbose_name = _("activities of a month")
        verbose_name_plural = _("activities of months")
        constraints = [
            models.UniqueConstraint(
                fields=["club", "start", "pillar", "provider_type"], name="figures_activity_month_unique"
            )
        ]
        indexes = [models.Index(fields=["start"], name="figures_activity_month_idx")]

    def __str__(self):
        return f"{self.club_id} {self.start}"


class PeriodCount(models.Model):
    """How many people count for a measure in a calendar period within a scope (see `reporting.counts`)."""

    scope = models.CharField(
        verbose_name=_("scope"),
        max_length=12,
        help_text=_("N for the whole country, R and a region's id, C and a club's id."),
    )
    kind = models.CharField(
        verbose_name=_("kind of period"),
        max_length=7,
    )
    start = models.DateField(
        verbose_name=_("first day"),
    )
    open = models.BooleanField(
        verbose_name=_("for every period from this one on"),
    )
    measure = models.CharField(
        verbose_name=_("measure"),
        max_length=60,
    )
    n = models.IntegerField(
        verbose_name=_("people"),
    )

    class Meta:
        verbose_name = _("period count")
        verbose_name_plural = _("period counts")
        # The rows a report sums lie side by side in the index: those of a scope and kind, open or not, by start.
        constraints = [
            models.UniqueConstraint(fields=["scope", "kind", "open", "start", "measure"], name="figures_count_unique")
        ]

    def __str__(self):
        return f"{self.scope} {self.kind} {self.start} {self.measure}"


class CountHorizon(models.Model):
    """The month the stored counts are brought forward to (`reporting.counts.brought_forward`): one row."""

    month = models.DateField(
        verbose_name=_("brought forward to"),
    )

    class Meta:
        verbose_name = _("month the counts are brought forward to")
        verbose_name_plural = _("months the counts are brought forward to")

    def __str__(self):
        return str(self.month)
