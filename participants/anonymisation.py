"""Anonymisation of participants whose retention period after exit has passed.

Names (the family's covered by a contract too), PESEL, the day and month of birth and every
free-text note about the person go, in the records and in the audit trail, and so do the scanned
documents of their file. What reports count stays: sex, year of birth, age on entry, municipality,
eligibility categories, statuses and dates, attendance and outcomes. Writes are plain updates, so the
old values are not copied into the audit trail by its signals; one entry per person records the
anonymisation itself.
"""

import datetime

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Max

from ksr_portal.audit import log_bulk
from ksr_portal.changes import bulk_written

from .models import (
    OPEN_ENROLLMENT_STATUSES,
    ActionPlan,
    Attendance,
    CaseDocument,
    CaseNote,
    Consent,
    Enrollment,
    FollowUp,
    Goal,
    GoalProgress,
    HouseholdMember,
    Outcome,
    Participant,
    Referral,
    Review,
    SocialContract,
    Transfer,
)

# model: (path from the model to its participant, {field: value that replaces what was written})
SCRUBBED = {
    Enrollment: ("participant", {"referral_contact": ""}),
    Referral: ("enrollment__participant", {"answer": ""}),
    ActionPlan: ("enrollment__participant", {"resources": "", "barriers": ""}),
    Goal: ("plan__enrollment__participant", {"description": "—"}),
    Review: ("plan__enrollment__participant", {"progress": "—"}),
    GoalProgress: ("review__plan__enrollment__participant", {"notes": ""}),
    SocialContract: (
        "enrollment__participant",
        {
            "social_worker": "",
            "situation_assessment": "",
            "participant_obligations": "",
            "worker_obligations": "",
            "termination_reason": "",
            "fulfilment_assessment": "",
        },
    ),
    Outcome: ("enrollment__participant", {"notes": ""}),
    Attendance: ("enrollment__participant", {}),
    Consent: ("participant", {}),
    FollowUp: ("outcome__enrollment__participant", {"notes": ""}),
    CaseNote: ("enrollment__participant", {"text": ""}),
    HouseholdMember: ("contract__enrollment__participant", {"name": "—", "relationship": ""}),
    CaseDocument: ("enrollment__participant", {}),
    Transfer: ("participant", {}),
}


def retention_cutoff(today, years):
    """The last exit date whose retention period has passed by `today`."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def due_for_anonymisation(today, years):
    """Participants not yet anonymised, with no open enrollment, whose last exit is past the retention period."""
    return (
        Participant.objects.filter(anonymised_on__isnull=True)
        .exclude(enrollments__status__in=OPEN_ENROLLMENT_STATUSES)
        .annotate(last_exit=Max("enrollments__exit_on"))
        .filter(last_exit__lte=retention_cutoff(today, years))
        .order_by("pk")
    )


@transaction.atomic
def anonymise(participants, today):
    pks = [p.pk for p in participants]
    if not pks:
        return 0
    # Reports count age on entry; make sure it is kept before the exact birth date goes.
    missing_age = Enrollment.objects.filter(participant__in=pks, age_on_entry__isnull=True)
    for enrollment in missing_age.select_related("participant"):
        enrollment.save(update_fields=["age_on_entry"])
    for participant in Participant.objects.filter(pk__in=pks):
        Participant.objects.filter(pk=participant.pk).update(
            first_name=f"#{participant.pk}",
            last_name="[zanonimizowano]",
            pesel="",
            birth_date=datetime.date(participant.birth_date.year, 1, 1),
            anonymised_on=today,
        )
    _scrub_audit_trail(Participant, pks)
    for model, (path, values) in SCRUBBED.items():
        rows = model._base_manager.filter(**{f"{path}__in": pks})
        _scrub_audit_trail(model, list(rows.values_list("pk", flat=True)))
        if values:
            rows.update(**values)
    # A reason for declining, written by a club about the person, goes as notes do; a declined transfer
    # keeps one (its constraint), so it reads "—".
    Transfer._base_manager.filter(participant__in=pks).exclude(decline_reason="").update(decline_reason="—")
    # A scan carries the identity itself: the rows go, and their files with them (models/casefile.py).
    CaseDocument._base_manager.filter(enrollment__participant__in=pks).delete()
    log_bulk(Participant, pks, LogEntry.Action.UPDATE, changes={"anonymised_on": ["None", today.isoformat()]})
    bulk_written(Participant, pks)
    return len(pks)


def _scrub_audit_trail(model, pks):
    """Keep who did what and when; drop the names and values the entries copied."""
    label = model._meta.verbose_name
    entries = list(
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id__in=pks).only(
            "pk", "object_id"
        )
    )
    for entry in entries:
        entry.object_repr = f"{label} #{entry.object_id}"
        entry.changes = {}
        entry.changes_text = ""
        entry.serialized_data = None
        entry.additional_data = None
    LogEntry.objects.bulk_update(
        entries, ["object_repr", "changes", "changes_text", "serialized_data", "additional_data"], batch_size=500
    )
