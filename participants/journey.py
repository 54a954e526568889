"""What the journey pages show: a person's timeline and the hours attended per pillar.

Both read a bounded number of queries whatever the length of the journey.
"""

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Min, Prefetch, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from clubs.models import Pillar
from ksr_portal.scoping import hidden_fields

from .choices import AttendanceStatusChoices, SocialContractStatusChoices
from .models import (
    Attendance,
    Consent,
    Enrollment,
    EnrollmentStatusChange,
    FollowUp,
    Goal,
    Referral,
    Review,
    SocialContract,
)
from .visibility import ACTION_PLAN, OUTCOME, REFERRALS, SOCIAL_CONTRACTS, STATUS_CHANGES, visible_sections

PRESENT = Q(status=AttendanceStatusChoices.PRESENT)


@dataclass
class Event:
    on: date
    kind: str
    text: str


def hours_by_pillar(enrollment):
    """[(pillar, hours attended)] for all six pillars, and the total, for the completion certificate."""
    attended = dict(
        Attendance.objects.filter(PRESENT, enrollment=enrollment)
        .values("activity__service__pillar")
        .annotate(hours=Sum("activity__hours"))
        .values_list("activity__service__pillar", "hours")
    )
    rows = [(pillar, plain(attended.get(pillar.pk) or 0)) for pillar in Pillar.objects.order_by("order")]
    return rows, plain(sum(hours for _pillar, hours in rows))


def plain(hours):
    """Hours as 3 or 2.5 whichever database summed them (PostgreSQL keeps a trailing 3.0)."""
    hours = Decimal(hours)
    return int(hours) if hours == hours.to_integral_value() else hours.normalize()


def stays(participant, user):
    """The person's enrollments in scope, each with its next review and the end of its signed contract
    when the user may see the plan and the contracts."""
    shown = visible_sections(user)
    enrollments = Enrollment.objects.restrict(user).filter(participant=participant).select_related("club")
    if ACTION_PLAN in shown:
        enrollments = enrollments.select_related("action_plan").annotate(
            last_next_review=Max("action_plan__reviews__next_review_on")
        )
    if SOCIAL_CONTRACTS in shown:
        signed = Q(social_contracts__status=SocialContractStatusChoices.SIGNED)
        enrollments = enrollments.annotate(contract_until=Min("social_contracts__valid_until", filter=signed))
    rows = []
    for enrollment in enrollments.order_by("-applied_on"):
        plan = getattr(enrollment, "action_plan", None) if ACTION_PLAN in shown else None
        review = plan.next_review_due(enrollment.last_next_review) if plan and enrollment.is_open() else None
        rows.append((enrollment, review, getattr(enrollment, "contract_until", None)))
    return rows


def timeline_events(participant, user):
    """Every step of the person's journey in the clubs within the user's scope, in date order.

    Only the steps of the sections of a person's record the user may see (`visibility.py`).
    """
    shown = visible_sections(user)
    hidden = hidden_fields(user, Enrollment)
    related = ["club", "referred_by"]
    prefetches = []
    if STATUS_CHANGES in shown:
        prefetches.append(Prefetch("status_changes", EnrollmentStatusChange.objects.restrict(user)))
    if ACTION_PLAN in shown:
        related.append("action_plan")
        goals = Goal.objects.restrict(user).select_related("pillar", "replaces")
        prefetches += [
            Prefetch("action_plan__goals", goals),
            Prefetch("action_plan__reviews", Review.objects.restrict(user)),
        ]
    if SOCIAL_CONTRACTS in shown:
        prefetches.append(Prefetch("social_contracts", SocialContract.objects.restrict(user)))
    if REFERRALS in shown:
        referrals = Referral.objects.restrict(user).select_related("organization", "service")
        prefetches.append(Prefetch("referrals", referrals))
    if OUTCOME in shown:
        related.append("outcome")
        prefetches.append(Prefetch("outcome__follow_ups", FollowUp.objects.restrict(user)))
    enrollments = (
        Enrollment.objects.restrict(user)
        .filter(participant=participant)
        .select_related(*related)
        .prefetch_related(*prefetches)
    )
    events = []
    for enrollment in enrollments:
        club = enrollment.club
        shows_referrer = "referred_by" not in hidden
        referral = (
            f" ({_('referred by')} {enrollment.referred_by})" if shows_referrer and enrollment.referred_by else ""
        )
        events.append(Event(enrollment.applied_on, _("Application"), f"{club}{referral}"))
        for change in enrollment.status_changes.all() if STATUS_CHANGES in shown else ():
            events.append(Event(change.changed_on, _("Status"), f"{club}: {change}"))
        plan = getattr(enrollment, "action_plan", None) if ACTION_PLAN in shown else None
        if plan:
            events.append(Event(plan.drawn_up_on, _("Individual Action Plan"), _("Plan drawn up")))
            for goal in plan.goals.all():
                if goal.replaces:
                    text = _("Goal revised: %(new)s (earlier: %(old)s)") % {
                        "new": goal,
                        "old": goal.replaces.description[:60],
                    }
                    events.append(Event(goal.created_at.date(), _("Goal"), text))
                else:
                    events.append(Event(plan.drawn_up_on, _("Goal"), f"{goal} [{goal.get_status_display()}]"))
            for review in plan.reviews.all():
                events.append(Event(review.reviewed_on, _("Plan review"), review.progress))
        for contract in enrollment.social_contracts.all() if SOCIAL_CONTRACTS in shown else ():
            text = _("%(contract)s, valid %(start)s–%(end)s, %(status)s") % {
                "contract": contract,
                "start": contract.valid_from.strftime("%d.%m.%Y"),
                "end": contract.valid_until.strftime("%d.%m.%Y"),
                "status": contract.get_status_display(),
            }
            events.append(Event(contract.signed_on or contract.valid_from, _("Social contract"), text))
        for referral in enrollment.referrals.all() if REFERRALS in shown else ():
            events.append(Event(referral.sent_on, _("Referral to a partner"), str(referral)))
            if referral.answered_on:
                events.append(Event(referral.answered_on, _("Partner's answer"), referral.answer or str(referral)))
            if referral.completed_on:
                events.append(Event(referral.completed_on, _("Referral completed"), str(referral)))
        outcome = getattr(enrollment, "outcome", None) if OUTCOME in shown else None
        if outcome:
            events.append(Event(outcome.recorded_on, _("Outcome"), outcome.get_situation_display()))
            for follow_up in outcome.follow_ups.all():
                events.append(Event(follow_up.checked_on, _("Follow-up"), str(follow_up)))
    months = (
        Attendance.objects.restrict(user)
        .filter(enrollment__in=[e.pk for e in enrollments])
        .annotate(month=TruncMonth("activity__held_on"))
        .values("enrollment__club__name", "month")
        .annotate(total=Count("pk"), present=Count("pk", filter=PRESENT), hours=Sum("activity__hours", filter=PRESENT))
        .order_by("month")
    )
    for row in months:
        text = _("%(club)s: present at %(present)d of %(total)d activities, %(hours)s h") % {
            "club": row["enrollment__club__name"],
            "present": row["present"],
            "total": row["total"],
            "hours": row["hours"] or 0,
        }
        # Dated to the month's last day: the month's attendance is known only then, and its first day
        # may come before the enrollment it belongs to.
        month = row["month"]
        month_end = month.replace(day=calendar.monthrange(month.year, month.month)[1])
        events.append(Event(month_end, _("Attendance in the month"), text))
    for consent in Consent.objects.restrict(user).filter(participant=participant):
        events.append(Event(consent.given_on, _("Consent"), str(consent)))
        if consent.withdrawn_on:
            events.append(Event(consent.withdrawn_on, _("Consent withdrawn"), consent.get_purpose_display()))
    return sorted(events, key=lambda event: event.on)
