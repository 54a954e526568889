"""A coordinator's worklist: what needs doing now in the clubs within the user's scope.

Each list is one query however many participants there are (the page's query count is asserted).
"""

import datetime

from django.conf import settings
from django.db.models import Exists, Max, OuterRef, Q

from ksr_portal.scoping import user_scope

from .choices import (
    AttendanceStatusChoices,
    EnrollmentStatusChoices,
    SocialContractStatusChoices,
    TransferStatusChoices,
)
from .models import ActionPlan, Enrollment, FollowUp, Outcome, SocialContract, Transfer, add_months

FOLLOW_UP_AFTER_DAYS = {3: 91, 6: 183}


def first_review_due_by(horizon):
    """The plans (without a review yet) whose first review, one interval after drawing up, is due by `horizon`,
    as a filter: for each interval the latest drawing-up day whose `add_months` does not pass `horizon`."""
    condition = Q()
    for months in range(1, 13):
        latest = add_months(horizon, -months)
        while add_months(latest + datetime.timedelta(days=1), months) <= horizon:
            latest += datetime.timedelta(days=1)
        condition |= Q(review_interval_months=months, drawn_up_on__lte=latest)
    return condition


def plans_due(user, today):
    """Plans of active participants whose next review is due within a week or overdue."""
    horizon = today + datetime.timedelta(days=7)
    return (
        ActionPlan.objects.restrict(user)
        .filter(enrollment__status=EnrollmentStatusChoices.ACTIVE)
        .annotate(last_next_review=Max("reviews__next_review_on"))
        .filter(Q(last_next_review__lte=horizon) | (Q(last_next_review__isnull=True) & first_review_due_by(horizon)))
    )


def reviews_due(user, today):
    """(due date, plan) of the plans due for a review, earliest first."""
    plans = plans_due(user, today).select_related("enrollment__participant", "enrollment__club")
    return sorted(((plan.next_review_due(plan.last_next_review), plan) for plan in plans), key=lambda row: row[0])


def contracts_ending(user, today):
    """Signed contracts ending within the warning period, or already past their end and not settled; only
    those the user may act on (not a previous stay's contract read as history after a transfer)."""
    horizon = today + datetime.timedelta(days=settings.KSR_CONTRACT_EXPIRY_WARNING_DAYS)
    return (
        SocialContract.objects.restrict(user, "change")
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


def outcomes_awaiting(user, today):
    """(months, outcomes whose follow-up after so many months is due and not yet recorded)."""
    for months, days in FOLLOW_UP_AFTER_DAYS.items():
        done = FollowUp.objects.filter(outcome=OuterRef("pk"), months_after=months)
        outcomes = (
            Outcome.objects.restrict(user)
            .filter(enrollment__exit_on__lte=today - datetime.timedelta(days=days))
            .exclude(Exists(done))
        )
        yield months, outcomes


def follow_ups_due(user, today):
    """Outcomes whose 3- or 6-month follow-up is due and not yet recorded: (months, outcome) rows."""
    rows = []
    for months, outcomes in outcomes_awaiting(user, today):
        outcomes = outcomes.select_related("enrollment__participant", "enrollment__club")
        rows += [(months, outcome) for outcome in outcomes.order_by("enrollment__exit_on")]
    return rows


def incoming_transfers(user):
    """Transfers proposed to the user's club, waiting for its answer, oldest first."""
    scope = user_scope(user)
    if scope is None or scope.club_id is None:
        return Transfer.objects.none()
    return (
        Transfer.objects.restrict(user)
        .filter(status=TransferStatusChoices.PROPOSED, to_club=scope.club_id)
        .select_related("enrollment__participant", "enrollment__club")
        .order_by("proposed_on", "pk")
    )


def counts(user, today):
    """How many rows each list of the worklist has, for the page header: one count query per list, however
    many people the club has (the lists the user's role does not see count nothing)."""
    found = {
        "reviews": plans_due(user, today).count(),
        "contracts": contracts_ending(user, today).count(),
        "absent": absent(user, today).count(),
        "follow_ups": sum(outcomes.count() for _months, outcomes in outcomes_awaiting(user, today)),
        "transfers": incoming_transfers(user).count(),
    }
    return found
