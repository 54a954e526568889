"""A coordinator's worklist: what needs doing now in the clubs within the user's scope.

Each list is one query however many participants there are (the page's query count is asserted).
"""

import datetime

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q

from .choices import AttendanceStatusChoices, EnrollmentStatusChoices, SocialContractStatusChoices
from .models import ActionPlan, Enrollment, FollowUp, Outcome, SocialContract

FOLLOW_UP_AFTER_DAYS = {3: 91, 6: 183}


def reviews_due(user, today):
    """Plans of active participants whose next review is due within a week or overdue, earliest first."""
    plans = (
        ActionPlan.objects.restrict(user)
        .filter(enrollment__status=EnrollmentStatusChoices.ACTIVE)
        .annotate(last_next_review=Max("reviews__next_review_on"))
        .select_related("enrollment__participant", "enrollment__club")
    )
    horizon = today + datetime.timedelta(days=7)
    rows = [(plan.next_review_due(plan.last_next_review), plan) for plan in plans]
    return sorted(((due, plan) for due, plan in rows if due <= horizon), key=lambda row: row[0])


def contracts_ending(user, today):
    """Signed contracts ending within the warning period, or already past their end and not settled."""
    horizon = today + datetime.timedelta(days=settings.KSR_CONTRACT_EXPIRY_WARNING_DAYS)
    return (
        SocialContract.objects.restrict(user)
        .filter(status=SocialContractStatusChoices.SIGNED, valid_until__lte=horizon)
        .select_related("enrollment__participant", "enrollment__club")
        .order_by("valid_until")
    )


def absent(user, today):
    """Active participants with no attendance recorded as present within the warning period."""
    since = today - datetime.timedelta(days=settings.KSR_ABSENCE_WARNING_DAYS)
    present = Q(attendances__status=AttendanceStatusChoices.PRESENT, attendances__activity__held_on__lte=today)
    return (
        Enrollment.objects.restrict(user)
        .filter(status=EnrollmentStatusChoices.ACTIVE, started_on__lte=since)
        .annotate(last_present=Max("attendances__activity__held_on", filter=present))
        .filter(Q(last_present__isnull=True) | Q(last_present__lt=since))
        .select_related("participant", "club")
        .order_by("last_present", "participant__last_name")
    )


def follow_ups_due(user, today):
    """Outcomes whose 3- or 6-month follow-up is due and not yet recorded: (months, outcome) rows."""
    rows = []
    for months, days in FOLLOW_UP_AFTER_DAYS.items():
        done = FollowUp.objects.filter(outcome=OuterRef("pk"), months_after=months)
        outcomes = (
            Outcome.objects.restrict(user)
            .filter(enrollment__exit_on__lte=today - datetime.timedelta(days=days))
            .exclude(Exists(done))
            .select_related("enrollment__participant", "enrollment__club")
            .order_by("enrollment__exit_on")
        )
        rows += [(months, outcome) for outcome in outcomes]
    return rows
