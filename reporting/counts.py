"""What a person counts for in a period, and those counts kept per calendar period and scope.

One definition. `measures()` says which figures one person adds one to in one period, from their
enrollment summaries (and follow-ups) within one scope: "active", "sex:female", "category:3",
"leaving:employed", "eu:female:joined"… Each report's tables are the sums of these over the people of
its scope, so a person is counted once however many enrollments, clubs or regions they have, and their
characteristics are those of their earliest enrollment that counts (see `reporting.figures`).

Counts. For months, quarters and years `PeriodCount` keeps those sums per scope (the whole country,
a region; a club for years, which its annual report reads), so a report of a calendar period reads a
few dozen rows whatever the size of the history. For the days from 1 January to any day ("to_date")
it keeps, per day, those who begin to count on that day, so such a period (a year to date, and the
same days a year earlier) sums one row per measure and day. Records to put right ("quality") are
kept, per check, from the day each becomes one, so a count for any day is a sum too.

A person's contributions are keyed (scope, kind, start, open, measure). Up to the last date on their
records they are written per period; after it nothing changes for them but that their open stays
(started, not left) keep them active, so one row marked `open` at the first period after that date
stands for every period from there on: a count is the period's own rows plus the open rows that
began at or before it. Once a month the counts are brought forward (`brought_forward`): the open rows of
periods up to the current one are added into those periods' own rows and move to the next period, so a
report of any past or current period reads its own few rows whatever the length of the history.

Maintenance is by difference, in the writer's transaction: `reporting.summaries` computes the
contributions of the people whose enrollments a write touched before and after it and adds the
difference (an upsert that adds), so a rolled-back write changes nothing and two writers
add their own differences; the people are locked first, so two writes of one person take turns.
Periods given by days are counted with the same `measures()` over the scope's rows.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, F, OuterRef, Q, Sum, Value, When

from networks.models import Region
from participants.choices import EnrollmentLabourMarketStatusChoices as U
from participants.choices import EnrollmentStatusChoices, OutcomeSituationChoices
from participants.models import PARTICIPATING_STATUSES

from .models import EnrollmentFigures, FollowUpFigures, PeriodCount
from .periods import Period
from .quality import problems

KINDS = ("month", "quarter", "year")
# The kinds of period stored for each kind of scope: a club's other periods are counted from its few rows.
STORED = {"N": {*KINDS, "to_date", "quality"}, "R": {*KINDS, "to_date", "quality"}, "C": {"year", "quality"}}
AGE_BANDS = [(18, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 150)]
ESF_AGE = [(0, 17, "<18"), (18, 29, "18–29"), (30, 54, "30–54"), (55, 150, "55+")]
ESF_EDUCATION = {
    "isced_0": "0–2",
    "isced_1": "0–2",
    "isced_2": "0–2",
    "isced_3": "3–4",
    "isced_4": "3–4",
    "isced_5_8": "5–8",
}
EMPLOYED = [
    OutcomeSituationChoices.EMPLOYED,
    OutcomeSituationChoices.SELF_EMPLOYED,
    OutcomeSituationChoices.SOCIAL_COOPERATIVE,
]
UNKNOWN = "unknown"
ON_LEAVING = {
    OutcomeSituationChoices.JOB_SEEKING: "seeking",
    OutcomeSituationChoices.EDUCATION: "learning",
    **dict.fromkeys(EMPLOYED, "employed"),
}
FIELDS = [
    "pk",
    "participant_id",
    "club_id",
    "region_id",
    "sex",
    "status",
    "applied_on",
    "started_on",
    "exit_on",
    "age_on_entry",
    "education_level",
    "labour_market_status",
    "long_term_unemployed",
    "minority_or_migrant",
    "homeless",
    "disability",
    "categories",
    "outcome_situation",
    "reintegration_achieved",
]
FOLLOW_UP_FIELDS = ["enrollment_id", "months_after", "checked_on", "situation", "enrollment__sex"]


def age_band(age):
    for low, high in AGE_BANDS:
        if age is not None and low <= age <= high:
            return f"{low}–{high}" if high < 150 else f"{low}+"
    return UNKNOWN


def age_band_labels():
    return [f"{low}–{high}" if high < 150 else f"{low}+" for low, high in AGE_BANDS]


# --- one person -------------------------------------------------------------------------------------------


def active_in(row, period):
    return (
        row["status"] in PARTICIPATING_STATUSES
        and row["started_on"] is not None
        and row["started_on"] <= period.end
        and (row["exit_on"] is None or row["exit_on"] >= period.start)
    )


def began(row):
    """An EnrollmentFigures row of a stay that began (one that may be active)."""
    return row.status in PARTICIPATING_STATUSES and row.started_on is not None


def completed(row):
    return row.status == EnrollmentStatusChoices.COMPLETED


def left_employed(row):
    return row.outcome_situation in EMPLOYED


def eu_characteristics(row):
    """The ESF+ entry characteristics a person who joined has, as measure names."""
    age = row["age_on_entry"]
    found = ["joined"]
    found += [f"age:{label}" for low, high, label in ESF_AGE if age is not None and low <= age <= high]
    if row["education_level"] in ESF_EDUCATION:
        found.append(f"isced:{ESF_EDUCATION[row['education_level']]}")
    status = row["labour_market_status"]
    if status in (U.UNEMPLOYED_REGISTERED, U.UNEMPLOYED_UNREGISTERED):
        found.append("unemployed")
    if row["long_term_unemployed"]:
        found.append("long_term_unemployed")
    if status == U.INACTIVE:
        found.append("inactive")
    if status == U.EMPLOYED:
        found.append("employed")
    for name in ("minority_or_migrant", "homeless", "disability"):
        if row[name] == "yes":
            found.append(name)
    if "refused" in (row["minority_or_migrant"], row["homeless"], row["disability"]):
        found.append("refused")
    return found


def entry_measures(row):
    """The measures an active person counts for by this enrollment's facts at entry, and its categories'
    (worked out once per row: `measures()` asks for them in every period)."""
    found = row.get("_entry")
    if found is None:
        found = row["_entry"] = (
            (
                f"sex:{row['sex']}",
                f"age:{age_band(row['age_on_entry'])}",
                f"education:{row['education_level'] or UNKNOWN}",
                f"labour:{row['labour_market_status'] or UNKNOWN}",
            ),
            [f"category:{code}" for code in row["categories"]],
        )
    return found


def measures(rows, follow_ups, period, eu=True):
    """The measures one person counts for in the period, from their enrollment rows and follow-ups in a scope
    (without those of the EU indicators, "eu:…", if told)."""
    start, end = period.start, period.end
    found = set()
    first = None
    for r in rows:
        if active_in(r, period):
            if first is None or (r["started_on"], r["pk"]) < (first["started_on"], first["pk"]):
                first = r
            found.update(entry_measures(r)[1])
    if first is not None:
        found.add("active")
        found.update(entry_measures(first)[0])
    if any(start <= r["applied_on"] <= end for r in rows):
        found.add("enrolled")
    joined = [r for r in rows if eu and r["started_on"] is not None and start <= r["started_on"] <= end]
    if joined:
        first = min(joined, key=lambda r: (r["started_on"], r["pk"]))
        found |= {f"eu:{first['sex']}:{name}" for name in eu_characteristics(first)}
    for r in rows:
        if r["exit_on"] is None or not start <= r["exit_on"] <= end:
            continue
        if r["status"] == EnrollmentStatusChoices.COMPLETED:
            found.add("completed")
        elif r["status"] == EnrollmentStatusChoices.DROPPED_OUT:
            found.add("dropped_out")
        situation = r["outcome_situation"]
        if eu and situation in ON_LEAVING:
            found.add(f"eu:{r['sex']}:on_leaving:{ON_LEAVING[situation]}")
        if situation:
            found.add(f"leaving:{situation}")
            if r["reintegration_achieved"]:
                found.add("reintegration")
            if situation in EMPLOYED:
                found |= {"employed", "employed_after"}
    for follow_up in follow_ups:
        if not start <= follow_up["checked_on"] <= end:
            continue
        situation = follow_up["situation"]
        if situation in EMPLOYED:
            found.add("employed_after")
        if follow_up["months_after"] == 6:
            found.add(f"after_6_months:{situation}")
            if eu and situation in EMPLOYED:
                found.add(f"eu:{follow_up['enrollment__sex']}:employed_6_months")
    return found


def period_of(kind, day):
    """The month, quarter or year (`kind`) the day is in."""
    if kind == "month":
        start = day.replace(day=1)
        months = 1
    elif kind == "quarter":
        start = datetime.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        months = 3
    else:
        return Period.year(day.year)
    following = start.month + months
    end = datetime.date(start.year + (following - 1) // 12, (following - 1) % 12 + 1, 1) - datetime.timedelta(days=1)
    return Period(start, end)


def contributions(rows, follow_ups):
    """The keys (scope, kind, start, open, measure) of the counts one person adds one to, from their enrollment
    rows and follow-ups: each once, but for the records to put right, one per record."""
    by_enrollment = defaultdict(list)
    for follow_up in follow_ups:
        by_enrollment[follow_up["enrollment_id"]].append(follow_up)
    scoped = defaultdict(list)
    for row in rows:
        for scope in ("N", f"R{row['region_id']}", f"C{row['club_id']}"):
            scoped[scope].append(row)
    found = []
    computed = {}
    for scope, own in scoped.items():
        pks = tuple(r["pk"] for r in own)
        if pks not in computed:  # most people have the same rows in their club, region and the country
            computed[pks] = list(person_periods(own, [fu for r in own for fu in by_enrollment[r["pk"]]]))
        found += [(scope, *key) for key in computed[pks] if key[0] in STORED[scope[0]]]
    return found


def brought_forward(total, month):
    """A Counter of contributions as stored once the counts are brought forward to `month` (a first day, or
    None for not at all): an open count of a period up to the one that day is in is added to that period's
    own count and to each later one's up to it (a year's also to the days from its 1 January), and moves to
    the period after. A report reads the same either way; it only reads fewer rows."""
    if month is None:
        return total
    result, moving = Counter(), defaultdict(lambda: defaultdict(Counter))
    for key, n in total.items():
        scope, kind, start, is_open, measure = key
        if is_open and start <= month:
            moving[kind][start][(scope, measure)] += n
        else:
            result[key] += n
    for kind, by_start in moving.items():
        running = Counter()
        period = period_of(kind, min(by_start))
        while period.start <= month:
            running.update(by_start.get(period.start, {}))
            for (scope, measure), n in running.items():
                result[(scope, kind, period.start, False, measure)] += n
                if kind == "year" and "to_date" in STORED[scope[0]]:
                    result[(scope, "to_date", period.start, False, measure)] += n
            period = period_of(kind, period.end + datetime.timedelta(days=1))
        for (scope, measure), n in running.items():
            result[(scope, kind, period.start, True, measure)] += n
    return result


def dates_of(rows, follow_ups):
    """Every date on one person's rows and follow-ups."""
    dates = [d for r in rows for d in (r["applied_on"], r["started_on"], r["exit_on"]) if d is not None]
    return dates + [fu["checked_on"] for fu in follow_ups]


def still_active(rows):
    """Whether a stay of these rows began and has not ended: then the person counts in every period after."""
    return any(
        r["status"] in PARTICIPATING_STATUSES and r["started_on"] is not None and r["exit_on"] is None for r in rows
    )


def person_periods(rows, follow_ups):
    """(kind, start, open, measure) of every count one person's rows in one scope add one to."""
    dates = dates_of(rows, follow_ups)
    first, last = min(dates), max(dates)
    active = still_active(rows)
    for kind in KINDS:
        period = period_of(kind, first)
        while period.start <= last:
            for measure in measures(rows, follow_ups, period):
                yield kind, period.start, False, measure
            period = period_of(kind, period.end + datetime.timedelta(days=1))
        if active:  # the same from here on
            for measure in measures(rows, follow_ups, period):
                yield kind, period.start, True, measure
    # Records to put right (not people): each from the day it is one, so a count for any day is a sum.
    for row in rows:
        own = [fu for fu in follow_ups if fu["enrollment_id"] == row["pk"]]
        for code, day in problems(row, own):
            yield "quality", day, False, f"quality:{code}"
    # From 1 January to any day: what a person counts for only grows with the day, and changes on their dates.
    for year in range(first.year, last.year + 1):
        begin = datetime.date(year, 1, 1)
        counted = set()
        for day in sorted({begin, *[d for d in dates if d.year == year]}):
            for measure in measures(rows, follow_ups, Period(begin, day)) - counted:
                yield "to_date", day, False, measure
                counted.add(measure)


def people_rows(enrollments, period=None):
    """{person: ([enrollment row dicts], [follow-up dicts])} of the given EnrollmentFigures, or of those of
    them that may count in the period."""
    follow_ups = FollowUpFigures.objects.filter(enrollment__in=enrollments)
    if period:
        follow_ups = follow_ups.filter(checked_on__range=(period.start, period.end))
        enrollments = enrollments.filter(
            Q(applied_on__lte=period.end, exit_on__isnull=True)
            | Q(applied_on__lte=period.end, exit_on__gte=period.start)
            | Q(pk__in=follow_ups.values("enrollment"))
        )
    people = defaultdict(lambda: ([], []))
    for values in enrollments.values_list(*FIELDS):
        row = dict(zip(FIELDS, values, strict=True))
        people[row["participant_id"]][0].append(row)
    for values in follow_ups.values_list(*FOLLOW_UP_FIELDS, "enrollment__participant_id"):
        people[values[-1]][1].append(dict(zip(FOLLOW_UP_FIELDS, values, strict=False)))
    return people


def counted(people):
    """The summed contributions of {person: (rows, follow-ups)}."""
    total = Counter()
    for rows, follow_ups in people.values():
        if rows:
            total.update(contributions(rows, follow_ups))
    return total


# --- the stored counts --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Whose figures: the key of their stored counts (None where there is none) and which enrollment
    summaries are theirs (a Q)."""

    key: str | None
    where: Q

    @property
    def enrollments(self):
        return EnrollmentFigures.objects.filter(self.where)

    @classmethod
    def of_regions(cls, regions):
        regions = {region.pk for region in regions}
        where = Q(region__in=regions)
        if len(regions) == Region.objects.count():
            return cls("N", where)
        return cls(f"R{min(regions)}" if len(regions) == 1 else None, where)

    @classmethod
    def of_region(cls, region):
        return cls(f"R{region.pk}", Q(region=region.pk))

    @classmethod
    def of_clubs(cls, clubs):
        clubs = [club.pk for club in clubs]
        return cls(f"C{clubs[0]}" if len(clubs) == 1 else None, Q(club__in=clubs))


def stored_kind(period):
    """The stored counts that give this period's: its own as a calendar period, or those of the month, quarter
    or year it begins when no record has a date between its end and that one's (a year to date, say), or
    those of the days from 1 January; else None."""
    for kind in KINDS:
        calendar = period_of(kind, period.start)
        if calendar.start != period.start or calendar.end < period.end:
            continue
        if calendar.end == period.end:
            return kind, calendar
        later = (period.end + datetime.timedelta(days=1), calendar.end)
        dated = (
            EnrollmentFigures.objects.filter(
                Q(applied_on__range=later) | Q(started_on__range=later) | Q(exit_on__range=later)
            ).exists()
            or FollowUpFigures.objects.filter(checked_on__range=later).exists()
        )
        if not dated:
            return kind, calendar
    if (period.start.month, period.start.day) == (1, 1) and period.end.year == period.start.year:
        return "to_date", period
    return None


def counted_by_days(enrollments, periods, eu=True):
    """{period: Counter(measure: people)} of a scope's people in periods of any days, counted from their
    enrollment summaries, read once for all the periods (without the EU indicators' measures, if told)."""
    totals = {period: Counter() for period in periods}
    days = Period(min(p.start for p in periods), max(p.end for p in periods))
    for rows, follow_ups in people_rows(enrollments, days).values():
        dates = dates_of(rows, follow_ups)
        first, last = min(dates), datetime.date.max if still_active(rows) else max(dates)
        for period, total in totals.items():
            if first <= period.end and last >= period.start:  # else they count for nothing in it
                total.update(measures(rows, follow_ups, period, eu))
    return totals


ENTRY_FACTS = [
    "sex",
    "age_on_entry",
    "education_level",
    "labour_market_status",
    "long_term_unemployed",
    "minority_or_migrant",
    "homeless",
    "disability",
]


def eu_counted_by_days(enrollments, periods):
    """{period: Counter(measure: people)} of the ESF+ measures ("eu:…") of a scope's people in periods of any
    days, counted by the database."""
    return {period: eu_counted_in(enrollments, period) for period in periods}


def eu_counted_in(enrollments, period):
    """Those who joined grouped by the facts of their first stay begun in the period, each group then named by
    `eu_characteristics()` as `measures()` names one person, and those who left or were followed up."""
    inside = (period.start, period.end)
    total = Counter()
    earlier = enrollments.filter(participant=OuterRef("participant"), started_on__range=inside).filter(
        Q(started_on__lt=OuterRef("started_on")) | Q(started_on=OuterRef("started_on"), pk__lt=OuterRef("pk"))
    )
    first = enrollments.filter(started_on__range=inside).exclude(Exists(earlier))
    facts = first.values(*ENTRY_FACTS).annotate(n=Count("pk"))
    for row in facts.order_by():
        for name in eu_characteristics(row):
            total[f"eu:{row['sex']}:{name}"] += row["n"]
    groups = Case(
        *[When(outcome_situation=situation, then=Value(group)) for situation, group in ON_LEAVING.items()],
        default=Value(""),
    )
    leaving = (
        enrollments.filter(exit_on__range=inside)
        .annotate(group=groups)
        .exclude(group="")
        .values("sex", "group")
        .annotate(n=Count("participant", distinct=True))
    )
    for row in leaving.order_by():
        total[f"eu:{row['sex']}:on_leaving:{row['group']}"] += row["n"]
    later = (
        FollowUpFigures.objects.filter(
            enrollment__in=enrollments, months_after=6, checked_on__range=inside, situation__in=EMPLOYED
        )
        .values("enrollment__sex")
        .annotate(n=Count("enrollment__participant", distinct=True))
    )
    for row in later.order_by():
        total[f"eu:{row['enrollment__sex']}:employed_6_months"] += row["n"]
    return total


def later_half(period):
    year = Period.year(period.start.year)
    return (year.end - period.end) < (period.end - year.start)


def sign(period):
    return -1 if later_half(period) else 1


def to_date(period):
    """The stored counts whose sum (the days' counts with `sign()`) gives a period of days from 1 January: the
    days up to its end and those counted in every year from theirs on; or, past the middle of the year,
    fewer: the year's own less the days after its end."""
    year = Period.year(period.start.year)
    since = Q(kind="year", open=True, start__lte=year.start)
    if later_half(period):
        after = (period.end + datetime.timedelta(days=1), year.end)
        return since | Q(kind="year", open=False, start=year.start) | Q(kind="to_date", open=False, start__range=after)
    return since | Q(kind="to_date", open=False, start__range=(year.start, period.end))


def counts(scopes, periods, by_days=counted_by_days):
    """{(scope key, period): Counter(measure: people)} for Scope objects and periods, read from the stored
    counts where the scope and period have them (one query for each kind of period), else counted from
    the scope's summaries by `by_days`."""
    result = {}
    stored, by_scope = defaultdict(list), defaultdict(list)
    for period in periods:
        found = stored_kind(period)
        for scope in scopes:
            if found and scope.key and found[0] in STORED[scope.key[0]]:
                kind, calendar = found
                stored[kind].append((scope.key, period, calendar))
            else:
                by_scope[scope].append(period)
    for scope, days in by_scope.items():
        for period, total in by_days(scope.enrollments, days).items():
            result[(scope.key, period)] = total
    for kind, wanted in stored.items():
        keys = {key for key, _period, _calendar in wanted}
        if kind == "to_date":
            for key, period, calendar in wanted:
                rows = PeriodCount.objects.filter(to_date(calendar), scope=key).values("measure")
                rows = rows.annotate(total=Sum(Case(When(kind=kind, then=F("n") * sign(calendar)), default=F("n"))))
                result[(key, period)] = Counter({row["measure"]: row["total"] for row in rows.order_by()})
            continue
        starts = sorted({calendar.start for _key, _period, calendar in wanted})
        own = defaultdict(Counter)
        explicit = PeriodCount.objects.filter(scope__in=keys, kind=kind, open=False, start__in=starts)
        for key, start, measure, n in explicit.values_list("scope", "start", "measure", "n"):
            own[(key, start)][measure] = n
        since = (
            PeriodCount.objects.filter(scope__in=keys, kind=kind, open=True, start__lte=starts[-1])
            .values("scope", "measure")
            .annotate(**{f"s{i}": Sum("n", filter=Q(start__lte=start)) for i, start in enumerate(starts)})
            .order_by()
        )
        for row in since:
            for i, start in enumerate(starts):
                own[(row["scope"], start)][row["measure"]] += row[f"s{i}"] or 0
        for key, period, calendar in wanted:
            result[(key, period)] = own[(key, calendar.start)]
    return result
