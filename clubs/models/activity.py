"""Activities a club holds, one by one or as a weekly series."""

import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ksr_portal.changes import bulk_written
from ksr_portal.models import TimestampedModel
from ksr_portal.scoping import ScopePaths


class Activity(TimestampedModel):
    """A class held by a club or a partner: one catalogue service on one day."""

    scope_paths = ScopePaths(region="club__region", club="club")

    club = models.ForeignKey(
        verbose_name=_("club"),
        to="clubs.Club",
        on_delete=models.PROTECT,
        related_name="activities",
    )
    service = models.ForeignKey(
        verbose_name=_("catalogue service"),
        to="clubs.Service",
        on_delete=models.PROTECT,
        related_name="activities",
    )
    provider = models.ForeignKey(
        verbose_name=_("provider"),
        to="stakeholders.Organization",
        on_delete=models.PROTECT,
        related_name="provided_activities",
        help_text=_("The club's operator or the partner organisation that runs the class."),
    )
    title = models.CharField(
        verbose_name=_("title"),
        max_length=200,
    )
    held_on = models.DateField(
        verbose_name=_("date"),
    )
    start_time = models.TimeField(
        verbose_name=_("start time"),
        null=True,
        blank=True,
    )
    hours = models.DecimalField(
        verbose_name=_("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0.5), MaxValueValidator(12)],
    )
    location = models.CharField(
        verbose_name=_("location"),
        max_length=200,
        blank=True,
    )

    class Meta:
        ordering = ["-held_on", "club"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=0.5) & Q(hours__lte=12),
                name="activity_hours_range",
                violation_error_message=_("An activity lasts from half an hour to 12 hours."),
            ),
        ]
        indexes = [
            models.Index(fields=["club", "held_on"], name="activity_club_date_idx"),
            models.Index(fields=["held_on"], name="activity_date_idx"),
        ]

    def __str__(self):
        return f"{self.title} ({self.held_on:%d.%m.%Y})"

    @transaction.atomic
    def repeat_weekly(self, until):
        """Copies of this activity every week after it, up to `until` (at most a year); all or nothing."""
        if until <= self.held_on:
            raise ValidationError(_("A weekly series must end after its first activity."))
        if until > self.held_on + datetime.timedelta(days=366):
            raise ValidationError(_("A weekly series can run for at most a year."))
        copies = []
        day = self.held_on + datetime.timedelta(weeks=1)
        while day <= until:
            copy = Activity(
                club=self.club,
                service=self.service,
                provider=self.provider,
                title=self.title,
                held_on=day,
                start_time=self.start_time,
                hours=self.hours,
                location=self.location,
            )
            copy.full_clean()
            copies.append(copy)
            day += datetime.timedelta(weeks=1)
        created = Activity.objects.bulk_create(copies)
        bulk_written(Activity, [activity.pk for activity in created])
        return created
