"""Attendance of participants at a club's activities."""

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ksr_portal.audit import log_bulk
from ksr_portal.changes import bulk_written
from ksr_portal.models import TimestampedModel
from ksr_portal.scoping import ScopePaths

from ..choices import AttendanceStatusChoices


class Attendance(TimestampedModel):
    """Whether a participant attended one activity of their club."""

    scope_paths = ScopePaths(region="enrollment__club__region", club="enrollment__club")

    activity = models.ForeignKey(
        verbose_name=_("activity"),
        to="clubs.Activity",
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    enrollment = models.ForeignKey(
        verbose_name=_("enrollment"),
        to="participants.Enrollment",
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    status = models.CharField(
        verbose_name=_("attendance"),
        max_length=10,
        choices=AttendanceStatusChoices,
        default=AttendanceStatusChoices.PRESENT,
    )

    class Meta:
        ordering = ["activity", "enrollment"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=AttendanceStatusChoices.values),
                name="attendance_status_valid",
                violation_error_message=_("Unknown attendance status."),
            ),
            models.UniqueConstraint(
                fields=["activity", "enrollment"],
                name="attendance_once_per_activity",
                violation_error_message=_("Attendance of this person at this activity is already recorded."),
            ),
        ]
        indexes = [
            models.Index(fields=["enrollment", "status"], name="attendance_enrollment_idx"),
        ]

    def __str__(self):
        return f"{self.enrollment.participant} — {self.activity}"

    @classmethod
    @transaction.atomic
    def record_sheet(cls, activity, enrollments, statuses, by=None):
        """Record a whole group's attendance at `activity` in one go.

        `enrollments` are those the user may record (in scope); `statuses` maps an enrollment's pk
        to a status, or to "" to remove what was recorded. Anything refused refuses the whole sheet.
        """
        by_pk = {enrollment.pk: enrollment for enrollment in enrollments}
        problems = []
        for pk, status in statuses.items():
            enrollment = by_pk.get(pk)
            if enrollment is None or enrollment.club_id != activity.club_id:
                problems.append(_("Attendance can be recorded only for participants of this club in your scope."))
            elif not enrollment.was_active_on(activity.held_on):
                problems.append(
                    _("%(person)s was not actively enrolled in the club on %(date)s.")
                    % {"person": enrollment.participant, "date": activity.held_on.strftime("%d.%m.%Y")}
                )
            if status and status not in AttendanceStatusChoices.values:
                problems.append(_("Unknown attendance status."))
        if problems:
            raise ValidationError(sorted(set(map(str, problems))))
        recorded = {a.enrollment_id: a for a in cls.objects.filter(activity=activity, enrollment_id__in=statuses)}
        new = [
            cls(activity=activity, enrollment_id=pk, status=s) for pk, s in statuses.items() if s and pk not in recorded
        ]
        changed = [a for pk, a in recorded.items() if statuses[pk] and statuses[pk] != a.status]
        removed = [a.pk for pk, a in recorded.items() if not statuses[pk]]
        now = timezone.now()
        for attendance in changed:
            attendance.status, attendance.updated_at = statuses[attendance.enrollment_id], now
        created = cls.objects.bulk_create(new)
        cls.objects.bulk_update(changed, ["status", "updated_at"])
        cls.objects.filter(pk__in=removed).delete()
        # Bulk writes pass by the audit trail's signals, so they are logged here.
        log_bulk(cls, [a.pk for a in created], LogEntry.Action.CREATE, actor=by)
        for status in {a.status for a in changed}:
            pks = [a.pk for a in changed if a.status == status]
            log_bulk(cls, pks, LogEntry.Action.UPDATE, {"status": status}, actor=by)
        log_bulk(cls, removed, LogEntry.Action.DELETE, actor=by)
        bulk_written(type(activity), [activity.pk])  # its attendance counts
        return len(created), len(changed), len(removed)

    def clean(self):
        if not (self.activity_id and self.enrollment_id):
            return
        if self.activity.club_id != self.enrollment.club_id:
            raise ValidationError({"enrollment": _("Only participants of the activity's club can attend it.")})
        if not self.enrollment.was_active_on(self.activity.held_on):
            raise ValidationError(
                {
                    "enrollment": _("%(person)s was not actively enrolled in the club on %(date)s.")
                    % {"person": self.enrollment.participant, "date": self.activity.held_on.strftime("%d.%m.%Y")}
                }
            )
