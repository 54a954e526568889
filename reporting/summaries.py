"""The summary data of the reports, kept right in the same transaction as every write.

Grain. `EnrollmentFigures` holds one narrow row per enrollment (dates, status, club and region, the
person's sex and facts at entry, art. 1 categories as a string of codes, the outcome: all that the
reports and the data-quality counts read), `FollowUpFigures` one per follow-up, and `ActivityFigures`
one per activity with its pillar, the provider's stakeholder type, hours and its attendance counted
(recorded, present). Above them, two kinds of totals make a report's cost independent of the history:
`PeriodCount`, the people counted once per measure, calendar period and scope (`reporting.counts`
says how, and how a period of any days is counted exactly from the enrollment rows), and
`ActivityMonth`, the activities of each club and month by pillar and provider's type, summed, so hours
and attendance of any days are whole months' sums plus the activity rows of the days around them.
No report reads the attendance, enrollment or participant tables.

Maintenance. A write refreshes the summary rows of what it touched, inside the writer's
transaction: a rolled-back write rolls back its summary too, and a committed one is counted at
commit. Model signals cover saves, deletions and the categories; writes in bulk announce themselves
with `ksr_portal.changes.bulk_written`. A refresh recomputes the rows from the base tables after
locking what it reads (`FOR NO KEY UPDATE` on the people whose enrollments it recomputes, or on the
activities, which leaves rows that only point at them free to be written), so two concurrent writers
of the same rows take turns and the later one counts the earlier one's committed change. The totals
change by the difference between the rows before and after, added in one upsert, so concurrent
writers of other people or activities add to the same totals without losing each other's change;
writers of people wait for each other's commit on the totals they share (the country's count of a
month, say), writers of attendance only on their own club's month.
Rows of other enrollments and activities, so of other regions, are never touched. The first writer
of each month brings the counts forward to it once it has committed (`bring_forward`, see
`reporting.counts`); writers hold the month they counted with (shared) until they commit, so bringing
forward waits for them and they for it.

`rebuild()` recomputes every row in batches, each locked like a refresh, then every total with the
totals' tables locked; `differences()` compares the stored rows and totals with a fresh computation
(`manage.py rebuild_figures [--check]`).
"""

import datetime
from collections import Counter, defaultdict
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from clubs.models import Activity, Club, Service
from ksr_portal.changes import bulk_write
from participants.choices import AttendanceStatusChoices
from participants.models import Attendance, Enrollment, FollowUp, Outcome, Participant
from stakeholders.models import Organization

from . import counts
from .models import ActivityFigures, ActivityMonth, CountHorizon, EnrollmentFigures, FollowUpFigures, PeriodCount

BATCH = 2_000
HORIZON = 1  # the primary key of the one CountHorizon row
MONTH_SUMS = ["activities", "hours", "attendance_recorded", "attendance_present"]


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
            region_id=region_id,
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
            pk, participant_id, club_id, region_id, status, applied_on, started_on, exit_on, sex, age, education,
            labour, long_term, minority, homeless, disability, situation, social, vocational,
        ) in enrollments.values_list(
            "pk", "participant_id", "club_id", "club__region_id", "status", "applied_on", "started_on", "exit_on",
            "participant__sex", "age_on_entry", "education_level", "labour_market_status", "long_term_unemployed",
            "minority_or_migrant", "homeless", "disability", "outcome__situation",
            "outcome__social_reintegration_achieved", "outcome__vocational_reintegration_achieved",
        )
    ]  # fmt: skip
    earlier(rows)
    follow_ups = [
        FollowUpFigures(follow_up_id=pk, enrollment_id=enrollment_id, months_after=months, checked_on=on, situation=s)
        for pk, enrollment_id, months, on, s in FollowUp.objects.filter(outcome__enrollment__in=enrollments)
        .order_by("pk")
        .values_list("pk", "outcome__enrollment", "months_after", "checked_on", "situation")
    ]
    return rows, follow_ups


def earlier(rows):
    """Set on each of these EnrollmentFigures (all of each person's) what makes one row per person count them
    in a period of days, so that those counts are plain counts of rows, in the country and in each region:

    - active: of the person's stays that began, ordered by start, the first to overlap the period is the one
      whose earlier ones all ended before it (`earlier_stays_end`, the latest end of those, `date.max` for one
      not ended; none: the first stay);
    - completed, left into employment: of those stays, ordered by their end, the first to end in the period is
      the one whose previous one ended before it (`earlier_completion`, `earlier_employment`)."""
    for suffix, whose in (("", lambda r: r.participant_id), ("_in_region", lambda r: (r.participant_id, r.region_id))):
        people = defaultdict(list)
        for row in rows:
            people[whose(row)].append(row)
        for own in people.values():
            latest = None
            for row in sorted((r for r in own if counts.began(r)), key=lambda r: (r.started_on, r.pk)):
                setattr(row, f"earlier_stays_end{suffix}", latest)
                latest = max(latest or datetime.date.min, row.exit_on or datetime.date.max)
            for name, ended in (("completion", counts.completed), ("employment", counts.left_employed)):
                previous = None
                for row in sorted((r for r in own if r.exit_on and ended(r)), key=lambda r: (r.exit_on, r.pk)):
                    setattr(row, f"earlier_{name}{suffix}", previous)
                    previous = row.exit_on


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
def refresh_enrollments(pks, counting=True):
    """Recompute the summary rows of these enrollments and of all the other enrollments of their people (deleting
    those of enrollments gone), with the people locked: whether a row counts its person, and so the counts,
    depend on all of them. Unless told not to (as by `rebuild()`), add the difference this makes to the
    people's counts."""
    pks = set(pks)
    if not pks:
        return
    people = set(Enrollment.objects.filter(pk__in=pks).values_list("participant_id", flat=True))
    people |= set(EnrollmentFigures.objects.filter(pk__in=pks).values_list("participant_id", flat=True))
    lock_people(people)
    pks |= set(Enrollment.objects.filter(participant__in=people).values_list("pk", flat=True))
    enrollments = Enrollment.objects.filter(pk__in=pks)
    if counting:
        stored = EnrollmentFigures.objects.filter(participant__in=people)
        before = counts.counted(counts.people_rows(stored))
    rows, follow_ups = enrollment_rows(enrollments)
    FollowUpFigures.objects.filter(enrollment__in=pks).delete()
    EnrollmentFigures.objects.filter(pk__in=pks).delete()
    EnrollmentFigures.objects.bulk_create(rows)
    FollowUpFigures.objects.bulk_create(follow_ups)
    if counting:
        difference = counts.counted(counts.people_rows(stored))
        difference.subtract(before)
        add_to_counts(difference)


@transaction.atomic(savepoint=False)
def refresh_activities(pks, counting=True):
    """Recompute the summary rows of these activities (deleting those of activities gone) and, unless told
    not to, add the difference this makes to their months' sums.

    Written over the stored rows in one statement: an attendance sheet is saved many times a day.
    """
    pks = sorted(set(pks))
    if not pks:
        return
    activities = Activity.objects.filter(pk__in=pks)
    list(activities.select_for_update(no_key=True).order_by("pk").values_list("pk"))
    if counting:
        before = month_sums(ActivityFigures.objects.filter(pk__in=pks))
    rows = activity_rows(activities)
    if len(rows) < len(pks):
        ActivityFigures.objects.filter(pk__in=pks).exclude(pk__in=[row.pk for row in rows]).delete()
    fields = [field.name for field in ActivityFigures._meta.concrete_fields if not field.primary_key]
    ActivityFigures.objects.bulk_create(rows, update_conflicts=True, unique_fields=["activity"], update_fields=fields)
    if counting:
        after = month_sums(rows)
        add_to_months({key: [a - b for a, b in zip(after[key], before[key], strict=True)] for key in after | before})


def month_sums(rows):
    """{(club, first day of the month, pillar, provider's type): [activities, hours, recorded, present]}."""
    sums = defaultdict(lambda: [0, Decimal(0), 0, 0])
    for row in rows:
        month = sums[(row.club_id, row.held_on.replace(day=1), row.pillar_id, row.provider_type)]
        month[0] += 1
        month[1] += row.hours
        month[2] += row.attendance_recorded
        month[3] += row.attendance_present
    return sums


def add_to_months(difference):
    """Add differences of month sums to the stored ones, in the caller's transaction."""
    changes = sorted((key, values) for key, values in difference.items() if any(values))
    add_up(ActivityMonth, ["club_id", "start", "pillar_id", "provider_type"], MONTH_SUMS, changes)
    emptied = {key[0] for key, values in changes if values[0] < 0}  # a month that may have lost its last
    if emptied:
        ActivityMonth.objects.filter(activities=0, club__in=emptied).delete()


def add_to_counts(difference, PeriodCount=PeriodCount, month=None):  # noqa: N803 (a model)
    """Add a Counter of contributions to the stored counts, in the caller's transaction, brought forward as
    they are (to `month` if given). A count that comes down to 0 stays, as 0 (the next rebuild drops it)."""
    difference = counts.brought_forward(difference, month or horizon_for_writing())
    changes = sorted((key, (n,)) for key, n in difference.items() if n)
    add_up(PeriodCount, ["scope", "kind", "start", "open", "measure"], ["n"], changes)


def this_month():
    return timezone.localdate().replace(day=1)


def horizon_for_writing():
    """The month the counts are brought forward to, held (shared) until the transaction ends, so that bringing
    them forward waits for the writers who counted with the month before. A writer who finds it past brings
    them forward once it has committed, in a transaction of its own that holds nothing else."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT month FROM {CountHorizon._meta.db_table} WHERE id = %s FOR SHARE", [HORIZON])
            found = cursor.fetchone()
        month = found[0] if found else None
    else:
        month = CountHorizon.objects.filter(pk=HORIZON).values_list("month", flat=True).first()
    if month and month < this_month():
        transaction.on_commit(bring_forward_to_this_month)
    return month


def bring_forward_to_this_month():
    with transaction.atomic():
        bring_forward(this_month())


def bring_forward(month, PeriodCount=PeriodCount, CountHorizon=CountHorizon):  # noqa: N803 (models: a migration gives its own)
    """Bring the counts forward to `month` (`reporting.counts.brought_forward`), in the caller's transaction:
    the open counts of periods up to it move into those periods, so no open count starts at or before it."""
    horizon = CountHorizon.objects.select_for_update().filter(pk=HORIZON).first()
    if horizon and horizon.month >= month:
        return
    horizon = horizon or CountHorizon(pk=HORIZON)
    moving = PeriodCount.objects.filter(open=True, start__lte=month)
    found = Counter({tuple(key): n for *key, n in moving.values_list("scope", "kind", "start", "open", "measure", "n")})
    moving.delete()
    add_to_counts(found, PeriodCount, month)
    horizon.month = month
    horizon.save()


def add_up(model, keys, sums, changes):
    """Add [(key values, values)] to a table of sums keyed by the columns `keys`: an upsert that adds, so
    concurrent writers each add their own difference."""
    table = model._meta.db_table
    columns = [*keys, *sums]
    row = f"({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        for i in range(0, len(changes), 500):
            batch = changes[i : i + 500]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES {', '.join([row] * len(batch))}"
                f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET "
                + ", ".join(f"{name} = {table}.{name} + excluded.{name}" for name in sums),
                [value for key, values in batch for value in (*key, *values)],
            )


def rebuild_months(ActivityFigures=ActivityFigures, ActivityMonth=ActivityMonth):  # noqa: N803 (models)
    """Every month's sums from the activity summaries (of the models given: a migration gives its own)."""
    ActivityMonth.objects.all().delete()
    months = (
        ActivityFigures.objects.annotate(month=TruncMonth("held_on"))
        .values_list("club", "month", "pillar", "provider_type")
        .annotate(Count("pk"), Sum("hours"), Sum("attendance_recorded"), Sum("attendance_present"))
        .order_by()
    )
    ActivityMonth.objects.bulk_create(
        (
            ActivityMonth(
                club_id=club,
                start=month,
                pillar_id=pillar,
                provider_type=provider_type,
                activities=n,
                hours=hours,
                attendance_recorded=recorded,
                attendance_present=present,
            )
            for club, month, pillar, provider_type, n, hours, recorded, present in months
        ),
        batch_size=5_000,
    )


def lock_people(pks):
    """Lock these people's rows, in order, until the transaction ends: their refreshes take turns, and the
    later one reads what the earlier committed. Only the person is locked, not their other stays: a writer
    already holds the row lock of the stay it changed, and two writers of one person's two stays, each
    waiting for the other's, would deadlock."""
    list(Participant.objects.filter(pk__in=pks).select_for_update(no_key=True).order_by("pk").values_list("pk"))


def enrollments_of(participants):
    return list(Enrollment.objects.filter(participant__in=participants).values_list("pk", flat=True))


def rebuild(progress=None):
    """Recompute every summary row from the base tables, batch by batch, then the counts; returns how many
    rows and counts were written."""
    with transaction.atomic():
        # Summary rows of base rows that no longer exist.
        EnrollmentFigures.objects.exclude(pk__in=Enrollment.objects.values("pk")).delete()
        ActivityFigures.objects.exclude(pk__in=Activity.objects.values("pk")).delete()
    written = 0
    for what, parts, refresh in (
        ("enrollments", batches_of_people(), refresh_enrollments),
        ("activities", batches(Activity.objects.order_by("pk").values_list("pk", flat=True)), refresh_activities),
    ):
        done = 0
        for pks, total in parts:
            refresh(pks, counting=False)
            done += len(pks)
            if progress:
                progress(what, done, total)
        written += done
    return written, rebuild_counts(progress)


def batches(pks):
    pks = list(pks)
    for i in range(0, len(pks), BATCH):
        yield pks[i : i + BATCH], len(pks)


def batches_of_people():
    """The enrollments in batches that hold all of each person's (their rows are computed together)."""
    rows = list(Enrollment.objects.order_by("participant_id", "pk").values_list("participant_id", "pk"))
    batch = []
    for i, (person, pk) in enumerate(rows):
        if len(batch) >= BATCH and person != rows[i - 1][0]:
            yield batch, len(rows)
            batch = []
        batch.append(pk)
    if batch:
        yield batch, len(rows)


@transaction.atomic
def rebuild_counts(progress=None):
    """Recount every stored count from the enrollment summaries, brought forward to this month; writers wait
    until it is done."""
    horizon = CountHorizon.objects.select_for_update().filter(pk=HORIZON).first() or CountHorizon(pk=HORIZON)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {PeriodCount._meta.db_table}, {ActivityMonth._meta.db_table} IN EXCLUSIVE MODE")
    rebuild_months()
    people = counts.people_rows(EnrollmentFigures.objects.all())
    total = Counter()
    for i, (rows, follow_ups) in enumerate(people.values(), 1):
        total.update(counts.contributions(rows, follow_ups))
        if progress and (i % 20_000 == 0 or i == len(people)):
            progress("people counted", i, len(people))
    horizon.month = this_month()
    horizon.save()
    total = +counts.brought_forward(total, horizon.month)
    PeriodCount.objects.all().delete()
    PeriodCount.objects.bulk_create(
        (
            PeriodCount(scope=scope, kind=kind, start=start, open=is_open, measure=measure, n=n)
            for (scope, kind, start, is_open, measure), n in total.items()
        ),
        batch_size=5_000,
    )
    return len(total)


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
    found += compare_counts(rows, follow_ups)
    found += compare_months(activity_rows(Activity.objects.all()))
    return found


def compare_months(rows):
    """Differences between the stored month sums of activities and those of freshly computed rows."""
    fresh = {key: values for key, values in month_sums(rows).items()}
    stored = {
        (club, start, pillar, provider_type): [n, hours, recorded, present]
        for club, start, pillar, provider_type, n, hours, recorded, present in ActivityMonth.objects.values_list(
            "club",
            "start",
            "pillar",
            "provider_type",
            "activities",
            "hours",
            "attendance_recorded",
            "attendance_present",
        )
    }
    for key in sorted(stored.keys() | fresh.keys()):
        if stored.get(key) != fresh.get(key):
            club, start, pillar, provider_type = key
            yield (
                f"activities of club {club} in {start:%m.%Y}, pillar {pillar}, type {provider_type}: "
                f"are {stored.get(key)}, should be {fresh.get(key)} (activities, hours, recorded, present)"
            )


def compare_counts(rows, follow_ups):
    """Differences between the stored counts and those of freshly computed summary rows."""
    people = defaultdict(lambda: ([], []))
    sexes = {}
    for row in rows:
        people[row.participant_id][0].append({**fields_of(row), "pk": row.pk})
        sexes[row.pk] = (row.participant_id, row.sex)
    for follow_up in follow_ups:
        person, sex = sexes[follow_up.enrollment_id]
        people[person][1].append({**fields_of(follow_up), "enrollment__sex": sex})
    month = CountHorizon.objects.filter(pk=HORIZON).values_list("month", flat=True).first()
    fresh = +counts.brought_forward(counts.counted(people), month)
    stored = Counter()
    for *key, n in PeriodCount.objects.values_list("scope", "kind", "start", "open", "measure", "n"):
        stored[tuple(key)] = n
    for key in sorted(stored.keys() | fresh.keys()):
        if stored[key] != fresh[key]:
            scope, kind, start, is_open, measure = key
            since = " and after" if is_open else ""
            yield f"count {scope} {kind} {start}{since} {measure}: is {stored[key]}, should be {fresh[key]}"


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


def club_saved(instance, **_signal):
    moved = EnrollmentFigures.objects.filter(club=instance).exclude(region=instance.region_id)
    refresh_enrollments(moved.values_list("pk", flat=True))


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
        pre_delete.connect(child_saving, sender=model, dispatch_uid=f"figures-before-delete-{model._meta.label}")
        post_save.connect(child_written, sender=model, dispatch_uid=f"figures-save-{model._meta.label}")
        post_delete.connect(child_written, sender=model, dispatch_uid=f"figures-delete-{model._meta.label}")
    m2m_changed.connect(
        categories_changed, sender=Enrollment.eligibility_categories.through, dispatch_uid="figures-categories"
    )
    post_save.connect(club_saved, sender=Club, dispatch_uid="figures-club")
    post_save.connect(service_saved, sender=Service, dispatch_uid="figures-service")
    post_save.connect(organization_saved, sender=Organization, dispatch_uid="figures-organization")
