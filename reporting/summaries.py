"""The summary data of the reports, kept right in the same transaction as every write.

Grain. `EnrollmentFigures` holds one narrow row per enrollment (dates, status, the person's sex and
facts at entry, art. 1 categories as a string of codes, the outcome: all that the reports and the
data-quality counts read), `FollowUpFigures` one per
follow-up, and `ActivityFigures` one per activity with its pillar, the provider's stakeholder type,
hours and its attendance counted (recorded, present). Reports count distinct participants over the
enrollment rows of their scope, so a person in two clubs or two regions is one person, a period of
any days is exact (the dates are kept, not bucketed), and no report reads the attendance,
enrollment or participant tables: attendance, the only table growing per person-day, is read as
one row per activity.

Maintenance. A write refreshes the summary rows of what it touched, inside the writer's
transaction: a rolled-back write rolls back its summary too, and a committed one is counted at
commit. Model signals cover saves, deletions and the categories; writes in bulk announce themselves
with `ksr_portal.changes.bulk_written`. A refresh recomputes the rows from the base tables (never
adds deltas) after locking the base rows it reads (`FOR NO KEY UPDATE` on the enrollments or
activities, which leaves rows that only point at them free to be written), so two concurrent
writers of the same rows take turns and the later one counts the earlier one's committed change.
Rows of other enrollments and activities, so of other regions, are never touched.

`rebuild()` recomputes everything in batches, each locked like a refresh; `differences()` compares
the stored rows with a fresh computation (`manage.py rebuild_figures [--check]`).
"""

from django.db import transaction
from django.db.models import Count, Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from clubs.models import Activity, Service
from ksr_portal.changes import bulk_write
from participants.choices import AttendanceStatusChoices
from participants.models import Attendance, Enrollment, FollowUp, Outcome, Participant
from stakeholders.models import Organization

from .models import ActivityFigures, EnrollmentFigures, FollowUpFigures

BATCH = 2_000


# --- computing rows from the base tables -------------------------------------------------------------


def enrollment_rows(enrollments):
    """Fresh (EnrollmentFigures, [FollowUpFigures]) rows for the given enrollments, unsaved."""
    codes = {}
    through = Enrollment.eligibility_categories.through.objects.filter(enrollment__in=enrollments)
    for enrollment_id, code in through.values_list("enrollment_id", "eligibilitycategory__code"):
        codes.setdefault(enrollment_id, []).append(code)
    rows = [
        EnrollmentFigures(
            enrollment_id=pk,
            participant_id=participant_id,
            club_id=club_id,
            status=status,
            applied_on=applied_on,
            started_on=started_on,
            exit_on=exit_on,
            sex=sex,
            age_on_entry=age,
            education_level=education,
            labour_market_status=labour,
            long_term_unemployed=long_term,
            minority_or_migrant=minority,
            homeless=homeless,
            disability=disability,
            categories="".join(sorted(codes.get(pk, ()))),
            outcome_situation=situation or "",
            reintegration_achieved=bool(social or vocational),
        )
        for (
            pk, participant_id, club_id, status, applied_on, started_on, exit_on, sex, age, education, labour,
            long_term, minority, homeless, disability, situation, social, vocational,
        ) in enrollments.values_list(
            "pk", "participant_id", "club_id", "status", "applied_on", "started_on", "exit_on", "participant__sex",
            "age_on_entry", "education_level", "labour_market_status", "long_term_unemployed", "minority_or_migrant",
            "homeless", "disability", "outcome__situation", "outcome__social_reintegration_achieved",
            "outcome__vocational_reintegration_achieved",
        )
    ]  # fmt: skip
    follow_ups = [
        FollowUpFigures(follow_up_id=pk, enrollment_id=enrollment_id, months_after=months, checked_on=on, situation=s)
        for pk, enrollment_id, months, on, s in FollowUp.objects.filter(outcome__enrollment__in=enrollments)
        .order_by("pk")
        .values_list("pk", "outcome__enrollment", "months_after", "checked_on", "situation")
    ]
    return rows, follow_ups


def activity_rows(activities):
    """Fresh ActivityFigures rows for the given activities, unsaved."""
    counted = activities.annotate(
        recorded=Count("attendances"),
        present=Count("attendances", filter=Q(attendances__status=AttendanceStatusChoices.PRESENT)),
    )
    return [
        ActivityFigures(
            activity_id=pk,
            club_id=club_id,
            held_on=held_on,
            pillar_id=pillar_id,
            provider_type=provider_type,
            hours=hours,
            attendance_recorded=recorded,
            attendance_present=present,
        )
        for pk, club_id, held_on, pillar_id, provider_type, hours, recorded, present in counted.values_list(
            "pk", "club_id", "held_on", "service__pillar", "provider__stakeholder_type", "hours", "recorded", "present"
        )
    ]  # fmt: skip


# --- refreshing -------------------------------------------------------------------------------------------


# Inside the writer's transaction, no savepoint of its own: a refresh that fails fails the write.
@transaction.atomic(savepoint=False)
def refresh_enrollments(pks):
    """Recompute the summary rows of these enrollments (deleting those of enrollments gone)."""
    pks = sorted(set(pks))
    if not pks:
        return
    enrollments = Enrollment.objects.filter(pk__in=pks)
    list(enrollments.select_for_update(no_key=True).order_by("pk").values_list("pk"))
    rows, follow_ups = enrollment_rows(enrollments)
    FollowUpFigures.objects.filter(enrollment__in=pks).delete()
    EnrollmentFigures.objects.filter(pk__in=pks).delete()
    EnrollmentFigures.objects.bulk_create(rows)
    FollowUpFigures.objects.bulk_create(follow_ups)


@transaction.atomic(savepoint=False)
def refresh_activities(pks):
    """Recompute the summary rows of these activities (deleting those of activities gone).

    Written over the stored rows in one statement: an attendance sheet is saved many times a day.
    """
    pks = sorted(set(pks))
    if not pks:
        return
    activities = Activity.objects.filter(pk__in=pks)
    list(activities.select_for_update(no_key=True).order_by("pk").values_list("pk"))
    rows = activity_rows(activities)
    if len(rows) < len(pks):
        ActivityFigures.objects.filter(pk__in=pks).exclude(pk__in=[row.pk for row in rows]).delete()
    fields = [field.name for field in ActivityFigures._meta.concrete_fields if not field.primary_key]
    ActivityFigures.objects.bulk_create(rows, update_conflicts=True, unique_fields=["activity"], update_fields=fields)


def enrollments_of(participants):
    return list(Enrollment.objects.filter(participant__in=participants).values_list("pk", flat=True))


def rebuild(progress=None):
    """Recompute every summary row from the base tables, batch by batch; returns the rows written."""
    with transaction.atomic():
        # Summary rows of base rows that no longer exist.
        EnrollmentFigures.objects.exclude(pk__in=Enrollment.objects.values("pk")).delete()
        ActivityFigures.objects.exclude(pk__in=Activity.objects.values("pk")).delete()
    written = 0
    for what, model, refresh in (
        ("enrollments", Enrollment, refresh_enrollments),
        ("activities", Activity, refresh_activities),
    ):
        pks = list(model.objects.order_by("pk").values_list("pk", flat=True))
        for i in range(0, len(pks), BATCH):
            refresh(pks[i : i + BATCH])
            if progress:
                progress(what, min(i + BATCH, len(pks)), len(pks))
        written += len(pks)
    return written


# --- checking ---------------------------------------------------------------------------------------------


def fields_of(row):
    return {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields}


def compare(label, stored, fresh):
    """Differences between stored and fresh rows keyed by pk, as readable lines."""
    for pk in sorted(stored.keys() | fresh.keys()):
        if pk not in fresh:
            yield f"{label} {pk}: stored but its source is gone"
        elif pk not in stored:
            yield f"{label} {pk}: missing"
        else:
            for name, value in fresh[pk].items():
                if stored[pk][name] != value:
                    yield f"{label} {pk}: {name} is {stored[pk][name]!r}, should be {value!r}"


def differences():
    """Every difference between the stored summaries and a fresh computation from the base tables."""
    found = []
    stored = {row.pk: fields_of(row) for row in EnrollmentFigures.objects.all()}
    stored_follow_ups = {row.pk: fields_of(row) for row in FollowUpFigures.objects.all()}
    rows, follow_ups = enrollment_rows(Enrollment.objects.all())
    found += compare("enrollment", stored, {row.pk: fields_of(row) for row in rows})
    found += compare("follow-up", stored_follow_ups, {row.pk: fields_of(row) for row in follow_ups})
    stored = {row.pk: fields_of(row) for row in ActivityFigures.objects.all()}
    fresh = {row.pk: fields_of(row) for row in activity_rows(Activity.objects.all())}
    found += compare("activity", stored, fresh)
    return found


# --- listening to the domain -----------------------------------------------------------------------------


def enrollment_saved(instance, **_signal):
    refresh_enrollments([instance.pk])


def participant_saved(instance, **_signal):
    refresh_enrollments(enrollments_of([instance.pk]))


def activity_saved(instance, **_signal):
    refresh_activities([instance.pk])


# A child row whose parent's figures it changes, with the path from the child to that parent.
PARENTS = {
    Attendance: ("activity_id", refresh_activities),
    Outcome: ("enrollment_id", refresh_enrollments),
    FollowUp: ("outcome__enrollment", refresh_enrollments),
}


def child_saving(sender, instance, **_signal):
    """Remember the parent a changed row had before, which may differ from its new one."""
    path, _refresh = PARENTS[sender]
    instance._figures_parents = list(sender.objects.filter(pk=instance.pk).values_list(path, flat=True))


def child_written(sender, instance, **_signal):
    path, refresh = PARENTS[sender]
    parents = getattr(instance, "_figures_parents", [])
    # A follow-up deleted with its outcome finds no parent: the outcome's own deletion refreshes it.
    parents += sender._base_manager.filter(pk=instance.pk).values_list(path, flat=True)
    if "__" not in path:
        parents.append(getattr(instance, path))
    refresh(parents)


def categories_changed(instance, action, reverse, pk_set, **_signal):
    if not action.startswith("post_"):
        return
    if not reverse:
        refresh_enrollments([instance.pk])
    elif pk_set is not None:
        refresh_enrollments(pk_set)
    else:  # a category cleared of all its enrollments
        tagged = EnrollmentFigures.objects.filter(categories__contains=instance.code)
        refresh_enrollments(tagged.values_list("pk", flat=True))


def service_saved(instance, **_signal):
    stale = ActivityFigures.objects.filter(activity__service=instance).exclude(pillar=instance.pillar_id)
    refresh_activities(stale.values_list("pk", flat=True))


def organization_saved(instance, **_signal):
    stale = ActivityFigures.objects.filter(activity__provider=instance).exclude(provider_type=instance.stakeholder_type)
    refresh_activities(stale.values_list("pk", flat=True))


def written_in_bulk(sender, pks=None, **_signal):
    """Rows written without model signals: refresh those named, or rebuild when none are."""
    if pks is None:
        rebuild()
    elif sender is Enrollment:
        refresh_enrollments(pks)
    elif sender is Participant:
        refresh_enrollments(enrollments_of(pks))
    elif sender is Activity:
        refresh_activities(pks)
    elif sender in PARENTS:
        path, refresh = PARENTS[sender]
        refresh(sender._base_manager.filter(pk__in=pks).values_list(path, flat=True))


def connect_signals():
    bulk_write.connect(written_in_bulk, dispatch_uid="figures-bulk")
    for model, handler in (
        (Enrollment, enrollment_saved),
        (Participant, participant_saved),
        (Activity, activity_saved),
    ):
        post_save.connect(handler, sender=model, dispatch_uid=f"figures-save-{model._meta.label}")
        post_delete.connect(handler, sender=model, dispatch_uid=f"figures-delete-{model._meta.label}")
    for model in PARENTS:
        pre_save.connect(child_saving, sender=model, dispatch_uid=f"figures-before-{model._meta.label}")
        post_save.connect(child_written, sender=model, dispatch_uid=f"figures-save-{model._meta.label}")
        post_delete.connect(child_written, sender=model, dispatch_uid=f"figures-delete-{model._meta.label}")
    m2m_changed.connect(
        categories_changed, sender=Enrollment.eligibility_categories.through, dispatch_uid="figures-categories"
    )
    post_save.connect(service_saved, sender=Service, dispatch_uid="figures-service")
    post_save.connect(organization_saved, sender=Organization, dispatch_uid="figures-organization")
