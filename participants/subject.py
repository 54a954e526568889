"""Everything the portal holds about one person, within the reader's scope (GDPR art. 15 and 20).

One structure feeds both the JSON download and the printable page. A coordinator gets the person and
only their own club's enrollments with everything hanging from them; another club's records of the
same person are out of scope and simply absent. A role that may not see a section of the record
(`visibility.py`: an instructor and the plan, for one) gets no such key at all. The case notes and
documents of a person leave the portal only here, in the person's own record; every read of a note is
logged.
"""

import datetime

from auditlog.models import LogEntry
from django.db.models import Prefetch

from ksr_portal.audit import log_bulk
from ksr_portal.scoping import hidden_fields

from .models import (
    Attendance,
    CaseDocument,
    CaseNote,
    Consent,
    Enrollment,
    FollowUp,
    Goal,
    Referral,
    Review,
    SocialContract,
)
from .visibility import (
    ACTION_PLAN,
    ATTENDANCE,
    CASE_NOTES,
    CONSENTS,
    DOCUMENTS,
    OUTCOME,
    REFERRALS,
    SOCIAL_CONTRACTS,
    visible_sections,
)

HIDDEN_FIELDS = {"id", "created_at", "updated_at", "identity_pending"}
SINGLE_OBJECTS = {"enrollment", "action_plan", "outcome"}


def fields_of(obj, user):
    """(name, label, value as shown) for each field of `obj` that `user` may see; choices and relations
    as their text."""
    if obj is None:
        return None
    hidden = HIDDEN_FIELDS | hidden_fields(user, type(obj))
    rows = []
    for field in obj._meta.get_fields():
        if field.auto_created or field.name in hidden or field.one_to_many:
            continue
        if field.many_to_many:
            value = ", ".join(str(item) for item in getattr(obj, field.name).all())
        elif field.choices:
            value = getattr(obj, f"get_{field.name}_display")()
        else:
            value = getattr(obj, field.name)
            if field.is_relation:
                value = str(value) if value is not None else None
            elif isinstance(value, bool | int | float | str | datetime.date | datetime.time) or value is None:
                pass  # dates and times as they are: the page shows them in its format, the JSON in ISO
            else:
                value = str(value)
        rows.append((field.name, str(field.verbose_name), value if value != "" else None))
    return rows


def subject_record(participant, user):
    """The person's record as `user` may see it: only the sections of `visible_sections(user)`."""
    shown = visible_sections(user)
    related = ["club", "referred_by"]
    prefetches = ["eligibility_categories"]
    if ACTION_PLAN in shown:
        related.append("action_plan")
        goals = Goal.objects.restrict(user).select_related("pillar").prefetch_related("planned_services")
        prefetches += [
            Prefetch("action_plan__goals", goals),
            Prefetch("action_plan__reviews", Review.objects.restrict(user)),
        ]
    if SOCIAL_CONTRACTS in shown:
        contracts = SocialContract.objects.restrict(user).select_related("referring_organization")
        prefetches.append(Prefetch("social_contracts", contracts.prefetch_related("household_members")))
    if REFERRALS in shown:
        referrals = Referral.objects.restrict(user).select_related("organization", "service", "offer")
        prefetches.append(Prefetch("referrals", referrals))
    if ATTENDANCE in shown:
        attendance = Attendance.objects.restrict(user).select_related("activity").order_by("activity__held_on")
        prefetches.append(Prefetch("attendances", attendance))
    if OUTCOME in shown:
        related.append("outcome")
        prefetches.append(Prefetch("outcome__follow_ups", FollowUp.objects.restrict(user)))
    if CASE_NOTES in shown:
        prefetches.append(Prefetch("case_notes", CaseNote.objects.restrict(user).select_related("pillar", "author")))
    if DOCUMENTS in shown:
        prefetches.append(Prefetch("documents", CaseDocument.objects.restrict(user)))
    enrollments = (
        Enrollment.objects.restrict(user)
        .filter(participant=participant)
        .select_related(*related)
        .prefetch_related(*prefetches)
        .order_by("applied_on")
    )
    records = []
    for enrollment in enrollments:
        item = {"enrollment": fields_of(enrollment, user)}
        if ACTION_PLAN in shown:
            plan = getattr(enrollment, "action_plan", None)
            item["action_plan"] = fields_of(plan, user)
            item["goals"] = [fields_of(goal, user) for goal in plan.goals.all()] if plan else []
            item["reviews"] = [fields_of(review, user) for review in plan.reviews.all()] if plan else []
        if SOCIAL_CONTRACTS in shown:
            item["social_contracts"] = [fields_of(contract, user) for contract in enrollment.social_contracts.all()]
            item["household_members"] = [
                fields_of(member, user)
                for contract in enrollment.social_contracts.all()
                for member in contract.household_members.all()
            ]
        if REFERRALS in shown:
            item["referrals"] = [fields_of(referral, user) for referral in enrollment.referrals.all()]
        if ATTENDANCE in shown:
            item["attendance"] = [fields_of(attendance, user) for attendance in enrollment.attendances.all()]
        if OUTCOME in shown:
            outcome = getattr(enrollment, "outcome", None)
            item["outcome"] = fields_of(outcome, user)
            item["follow_ups"] = (
                [fields_of(follow_up, user) for follow_up in outcome.follow_ups.all()] if outcome else []
            )
        if CASE_NOTES in shown:
            item["case_notes"] = [fields_of(note, user) for note in enrollment.case_notes.all()]
            log_bulk(CaseNote, [note.pk for note in enrollment.case_notes.all()], LogEntry.Action.ACCESS, actor=user)
        if DOCUMENTS in shown:
            item["documents"] = [fields_of(document, user) for document in enrollment.documents.all()]
        records.append(item)
    record = {"participant": fields_of(participant, user), "enrollments": records}
    if CONSENTS in shown:
        consents = Consent.objects.restrict(user).filter(participant=participant).order_by("given_on")
        record["consents"] = [fields_of(consent, user) for consent in consents]
    return record


def iso(value):
    return value.isoformat() if isinstance(value, datetime.date | datetime.time) else value


def as_json(record):
    """The record with each object as {field name: value}, for a machine-readable download."""

    def plain(rows):
        return None if rows is None else {name: iso(value) for name, _label, value in rows}

    def plain_enrollment(item):
        return {
            key: plain(value) if key in SINGLE_OBJECTS else [plain(rows) for rows in value]
            for key, value in item.items()
        }

    data = {"participant": plain(record["participant"])}
    if "consents" in record:
        data["consents"] = [plain(rows) for rows in record["consents"]]
    data["enrollments"] = [plain_enrollment(item) for item in record["enrollments"]]
    return data
