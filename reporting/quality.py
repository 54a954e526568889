"""Data quality: records that contradict each other or lack what the reports need.

Each check is a condition on the stays (enrollments) of the reader's scope, with the place where the
record is put right. The conditions read the enrollments' summaries (`EnrollmentFigures`), which hold
all they need, so the counts cost what the other reports cost and the dashboard can show them. A check
that reads fields or rows the reader may not see is not made for them. Readers who may see people get
the records themselves, linked to where each is fixed; the others get counts per club or region,
suppressed as every report is.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ksr_portal.scoping import hides_path, may_view
from participants.choices import EligibilityCategoryCodeChoices, EnrollmentStatusChoices, YesNoRefusedChoices
from participants.models import Enrollment, FollowUp, Outcome
from participants.worklist import FOLLOW_UP_AFTER_DAYS

from .models import EnrollmentFigures, FollowUpFigures, PeriodCount

LEFT = [EnrollmentStatusChoices.COMPLETED, EnrollmentStatusChoices.DROPPED_OUT]
NOT_LEFT = [EnrollmentStatusChoices.CANDIDATE, EnrollmentStatusChoices.QUALIFIED, EnrollmentStatusChoices.ACTIVE]
# What the EU indicators need of everyone who took part.
EU_FIELDS = ["education_level", "labour_market_status", "minority_or_migrant", "homeless", "disability"]
SHOWN = 50  # records listed per check


@dataclass(frozen=True)
class Check:
    code: str
    label: str
    reads: tuple  # lookup paths from the enrollment the check reads
    models: tuple  # models whose rows it reads

    def condition(self, today):
        return CONDITIONS[self.code](today)

    def applies_to(self, user):
        return all(may_view(user, model) for model in self.models) and not any(
            hides_path(user, Enrollment, path) for path in self.reads
        )


def _follow_up_missing(today):
    missing = Q()
    for months, days in FOLLOW_UP_AFTER_DAYS.items():
        done = FollowUpFigures.objects.filter(enrollment=OuterRef("pk"), months_after=months)
        missing |= Q(exit_on__lte=today - datetime.timedelta(days=days)) & ~Exists(done)
    return ~Q(outcome_situation="") & missing


# Conditions on the enrollments' summaries, whose outcome situation is empty while no outcome is recorded.
CONDITIONS = {
    "disability_missing": lambda today: (
        Q(categories__contains=EligibilityCategoryCodeChoices.DISABILITY) & ~Q(disability=YesNoRefusedChoices.YES)
    ),
    "exit_without_outcome": lambda today: Q(status__in=LEFT, outcome_situation=""),
    "outcome_while_staying": lambda today: Q(status__in=NOT_LEFT) & ~Q(outcome_situation=""),
    "follow_up_missing": _follow_up_missing,
    "eu_fields_blank": lambda today: (
        Q(started_on__isnull=False)
        & ~Q(status=EnrollmentStatusChoices.TRANSFERRED)
        & Q(*(Q(**{name: ""}) for name in EU_FIELDS), _connector=Q.OR)
    ),
}


def _follow_up_due_since(row, follow_ups):
    if not row["outcome_situation"] or row["exit_on"] is None:
        return None
    done = {fu["months_after"] for fu in follow_ups}
    due = [
        row["exit_on"] + datetime.timedelta(days=days)
        for months, days in FOLLOW_UP_AFTER_DAYS.items()
        if months not in done
    ]
    return min(due, default=None)


# The same conditions on one enrollment's summary row and its follow-ups (`reporting.counts`): the day from
# which the record is to be put right, or None. Only the follow-up becomes due; the others are so at once.
ALWAYS = datetime.date.min
SINCE = {
    "disability_missing": lambda row, _fus: (
        ALWAYS
        if EligibilityCategoryCodeChoices.DISABILITY in row["categories"]
        and row["disability"] != YesNoRefusedChoices.YES
        else None
    ),
    "exit_without_outcome": lambda row, _fus: (
        ALWAYS if row["status"] in LEFT and not row["outcome_situation"] else None
    ),
    "outcome_while_staying": lambda row, _fus: (
        ALWAYS if row["status"] in NOT_LEFT and row["outcome_situation"] else None
    ),
    "follow_up_missing": _follow_up_due_since,
    "eu_fields_blank": lambda row, _fus: (
        ALWAYS
        if row["started_on"] is not None
        and row["status"] != EnrollmentStatusChoices.TRANSFERRED
        and any(row[name] == "" for name in EU_FIELDS)
        else None
    ),
}


def problems(row, follow_ups):
    """[(check code, the day from which it is a problem)] of one enrollment's summary row."""
    return [(code, day) for code, since in SINCE.items() if (day := since(row, follow_ups)) is not None]


CHECKS = [
    Check(
        "disability_missing",
        _("category 8 (disability) without a disability recorded"),
        ("eligibility_categories", "disability"),
        (Enrollment,),
    ),
    Check("exit_without_outcome", _("left the club, no outcome recorded"), (), (Enrollment, Outcome)),
    Check("outcome_while_staying", _("outcome recorded for a stay that has not ended"), (), (Enrollment, Outcome)),
    Check("follow_up_missing", _("follow-up due and not recorded"), (), (Enrollment, Outcome, FollowUp)),
    Check("eu_fields_blank", _("EU indicator fields left blank"), tuple(EU_FIELDS), (Enrollment,)),
]


def checks_for(user):
    return [check for check in CHECKS if check.applies_to(user)]


def counts(scopes, checks, today):
    """{scope key: [number of records per check]} over the enrollments of Scope objects: from the stored
    counts of those that have them (one query), else counted over their summaries."""
    found = {}
    stored = [scope.key for scope in scopes if scope.key]
    rows = (
        PeriodCount.objects.filter(scope__in=stored, kind="quality", start__lte=today)
        .values_list("scope", "measure")
        .annotate(Sum("n"))
        .order_by()
    )
    by_scope = {key: {} for key in stored}
    for key, measure, n in rows:
        by_scope[key][measure] = n
    for scope in scopes:
        if scope.key:
            found[scope.key] = [by_scope[scope.key].get(f"quality:{check.code}", 0) for check in checks]
        else:
            measures = {check.code: Count("pk", filter=check.condition(today)) for check in checks}
            totals = scope.enrollments.aggregate(**measures)
            found[scope.key] = [totals[check.code] for check in checks]
    return found


def fix_link(user, check, enrollment):
    """Where the record is put right, if the reader may go there."""
    if check.code == "exit_without_outcome":
        if user.has_perm("participants.add_outcome"):
            return reverse("admin:participants_outcome_add") + f"?enrollment={enrollment.pk}"
        return None
    if check.code in ("outcome_while_staying", "follow_up_missing"):
        outcome = enrollment.outcome
        if check.code == "follow_up_missing" and user.has_perm("participants.add_followup"):
            return reverse("admin:participants_followup_add") + f"?outcome={outcome.pk}"
        if user.has_perm("participants.change_outcome"):
            return reverse("admin:participants_outcome_change", args=[outcome.pk])
        return None
    if user.has_perm("participants.change_enrollment"):
        return reverse("admin:participants_enrollment_change", args=[enrollment.pk])
    return None


def records(user, enrollments, checks, today):
    """[(check, count, [(enrollment, link)])] — the first `SHOWN` records of each check."""
    found = []
    for check in checks:
        matching = enrollments.filter(pk__in=EnrollmentFigures.objects.filter(check.condition(today)).values("pk"))
        listed = matching.select_related("participant", "club", "outcome").order_by("club__name", "pk")[:SHOWN]
        found.append((check, matching.count(), [(e, fix_link(user, check, e)) for e in listed]))
    return found
