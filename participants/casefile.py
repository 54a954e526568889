"""The case file of one stay: everything the coordinator works with, read in a bounded number of queries.

The page shows only the sections of a person's record the reader may see (`visibility.py`) and takes
every row through `restrict(user)`. What the next step needs comes from the model's own rules
(`Enrollment.next_step`); this module only gathers.
"""

from auditlog.models import LogEntry
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404

from ksr_portal.audit import log_access, log_bulk

from .choices import AttendanceStatusChoices, TransferStatusChoices
from .journey import hours_by_pillar
from .models import (
    ActionPlan,
    Attendance,
    CaseDocument,
    CaseNote,
    Enrollment,
    EnrollmentStatusChange,
    FollowUp,
    Goal,
    Review,
    SocialContract,
    Transfer,
)
from .visibility import (
    ACTION_PLAN,
    ATTENDANCE,
    CASE_NOTES,
    DOCUMENTS,
    OUTCOME,
    SOCIAL_CONTRACTS,
    STATUS_CHANGES,
    visible_sections,
)


def stay_in_scope(user, pk):
    """The enrollment `pk` with what its case file shows, or 404 when it is out of `user`'s scope."""
    shown = visible_sections(user)
    related = ["participant", "club"]
    prefetches = []
    if STATUS_CHANGES in shown:
        changes = EnrollmentStatusChange.objects.restrict(user).select_related("changed_by")
        prefetches.append(Prefetch("status_changes", changes))
    if ACTION_PLAN in shown:
        related.append("action_plan")
        goals = Goal.objects.restrict(user).select_related("pillar").prefetch_related("planned_services")
        prefetches += [
            Prefetch("action_plan__goals", goals),
            Prefetch("action_plan__reviews", Review.objects.restrict(user)),
        ]
    if SOCIAL_CONTRACTS in shown:
        contracts = (
            SocialContract.objects.restrict(user)
            .select_related("referring_organization")
            .prefetch_related("goals__pillar", "household_members")
        )
        prefetches.append(Prefetch("social_contracts", contracts))
    if CASE_NOTES in shown:
        notes = CaseNote.objects.restrict(user).select_related("pillar", "author")
        prefetches.append(Prefetch("case_notes", notes))
    if DOCUMENTS in shown:
        prefetches.append(Prefetch("documents", CaseDocument.objects.restrict(user)))
    if OUTCOME in shown:
        related.append("outcome")
        prefetches.append(Prefetch("outcome__follow_ups", FollowUp.objects.restrict(user)))
    queryset = Enrollment.objects.restrict(user).select_related(*related).prefetch_related(*prefetches)
    return get_object_or_404(queryset, pk=pk), shown


def transfer_context(user, enrollment, shown):
    """The stay's proposals of a transfer, and, for a stay that continues one in another club, that
    transfer and the previous stay's plan and contracts as history (only they reach this club)."""
    transfers = Transfer.objects.restrict(user).select_related("to_club")
    context = {"transfers": list(transfers.filter(enrollment=enrollment))}
    if enrollment.transferred_from_id is None:
        return context
    previous = enrollment.transferred_from_id
    context["arrived_by"] = (
        transfers.filter(enrollment=previous, status=TransferStatusChoices.ACCEPTED)
        .select_related("enrollment__club")
        .first()
    )
    if ACTION_PLAN in shown:
        goals = Goal.objects.restrict(user).select_related("pillar").prefetch_related("planned_services")
        context["previous_plan"] = (
            ActionPlan.objects.restrict(user)
            .prefetch_related(Prefetch("goals", goals), Prefetch("reviews", Review.objects.restrict(user)))
            .filter(enrollment=previous)
            .first()
        )
    if SOCIAL_CONTRACTS in shown:
        context["previous_contracts"] = list(
            SocialContract.objects.restrict(user).prefetch_related("goals__pillar").filter(enrollment=previous)
        )
    return context


def case_file(user, pk, today):
    """The context of the case file page; reading it is logged, the notes and documents shown included."""
    enrollment, shown = stay_in_scope(user, pk)
    context = {"enrollment": enrollment, "participant": enrollment.participant, "sections": shown}
    if user.has_perm("participants.change_enrollment"):
        context["next_step"] = enrollment.next_step(today)
        # A transfer is proposed by its own form and taken when the receiving club accepts it.
        context["transitions"] = [
            (name, Enrollment.transitions[name][0]) for name in enrollment.available_transitions() if name != "transfer"
        ]
    context |= transfer_context(user, enrollment, shown)
    if ACTION_PLAN in shown:
        context["plan"] = getattr(enrollment, "action_plan", None)
    if OUTCOME in shown:
        context["outcome"] = getattr(enrollment, "outcome", None)
    if ATTENDANCE in shown:
        present = Q(status=AttendanceStatusChoices.PRESENT)
        context["attendance"] = (
            Attendance.objects.restrict(user)
            .filter(enrollment=enrollment)
            .aggregate(total=Count("pk"), present=Count("pk", filter=present))
        )
        context["hours"] = hours_by_pillar(enrollment)
    log_access(enrollment.participant)
    log_access(enrollment)
    if CASE_NOTES in shown:
        log_bulk(CaseNote, [note.pk for note in enrollment.case_notes.all()], LogEntry.Action.ACCESS, actor=user)
    return context
