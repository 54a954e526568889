"""The figures of the reports, each an aggregate over the scope asked for, in a fixed number of queries.

Every figure of people, activities and attendance is read from the summaries of `reporting.models`
(kept by `reporting.summaries`), never from the domain's enrollment or attendance tables. People are
counted once however many clubs they attended: counts are of distinct participants, and a person's
characteristics at entry are taken from their earliest enrollment that counts.
"""

import datetime
import operator
from collections import defaultdict
from functools import partial, reduce

from django.db.models import Count, Q, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from clubs.choices import ClubStatusChoices, EmploymentBasisChoices
from clubs.models import AnnualSettlement, Club, Pillar, StaffPosition
from ksr_portal.collation import Polish
from networks.models import Meeting, Network
from participants.choices import (
    EligibilityCategoryCodeChoices,
    EnrollmentEducationLevelChoices,
    EnrollmentLabourMarketStatusChoices,
    EnrollmentStatusChoices,
    OutcomeSituationChoices,
    ParticipantSexChoices,
)
from participants.models import PARTICIPATING_STATUSES
from stakeholders.choices import OrganizationStakeholderTypeChoices
from stakeholders.models import Membership

from .counts import (
    EMPLOYED,
    ESF_AGE,
    UNKNOWN,
    Scope,
    age_band_labels,
    counted_by_days,
    counts,
    eu_counted_by_days,
    period_of,
    stored_kind,
)
from .coverage import Health, health, local_networks, standings, working_networks
from .models import ActivityFigures, ActivityMonth
from .periods import Period
from .tables import Table

DAY = datetime.timedelta(days=1)


def breakdown(title, periods, counted, prefix, choices, total_label):
    """People by one characteristic at entry, one column per period, with the total row."""
    rows = [(label, [c[f"{prefix}:{value}"] for c in counted]) for value, label in choices]
    rows.append((total_label, [c["active"] for c in counted]))
    return Table(title, [str(p) for p in periods], rows, total_row=True)


def people_tables(counted, periods):
    """The people part of a report: headline counts and breakdowns of those active, one Counter per period."""
    headline = Table(
        _("Participants (each person counted once)"),
        [str(p) for p in periods],
        [
            (_("enrolled (applied in the period)"), [c["enrolled"] for c in counted]),
            (pgettext("people", "active"), [c["active"] for c in counted]),
            (pgettext("people", "completed"), [c["completed"] for c in counted]),
            (pgettext("people", "dropped out"), [c["dropped_out"] for c in counted]),
        ],
    )
    unknown = (UNKNOWN, _("not recorded"))
    active = _("all active participants")
    return [
        headline,
        breakdown(_("Active participants by sex"), periods, counted, "sex", ParticipantSexChoices.choices, active),
        breakdown(
            _("Active participants by age on entry"),
            periods,
            counted,
            "age",
            [(b, b) for b in age_band_labels()] + [unknown],
            active,
        ),
        breakdown(
            _("Active participants by education level (ISCED)"),
            periods,
            counted,
            "education",
            EnrollmentEducationLevelChoices.choices + [unknown],
            active,
        ),
        breakdown(
            _("Active participants by labour-market status at entry"),
            periods,
            counted,
            "labour",
            EnrollmentLabourMarketStatusChoices.choices + [unknown],
            active,
        ),
        Table(
            _("Active participants by eligibility category (art. 1 ust. 2); a person may be in several"),
            [str(p) for p in periods],
            [
                (f"{code}. {label}", [c[f"category:{code}"] for c in counted])
                for code, label in EligibilityCategoryCodeChoices.choices
            ],
        ),
    ]


def outcome_tables(counted, periods):
    tables = []
    for title, prefix in [
        (_("Situation on leaving"), "leaving"),
        (_("Situation 6 months after leaving"), "after_6_months"),
    ]:
        rows = [(label, [c[f"{prefix}:{value}"] for c in counted]) for value, label in OutcomeSituationChoices.choices]
        rows.append((_("all who left"), [sum(r[1][i] for r in rows) for i in range(len(periods))]))
        tables.append(Table(title, [str(p) for p in periods], rows, total_row=True))
    return tables


def activity_sums(where, period, by):
    """{values of the fields `by`: {sum: value}} of the activities held in the period, where `where` (a Q on
    their club) says: whole months from their sums (ActivityMonth), the days around them from their rows."""
    first = period.start if period.start.day == 1 else period_of("month", period.start).end + DAY
    last_month = period_of("month", period.end)
    last = period.end if last_month.end == period.end else last_month.start - DAY
    sums = {"n": Sum("activities"), "h": Sum("hours"), "r": Sum("attendance_recorded"), "p": Sum("attendance_present")}
    parts = []
    if first <= last:
        parts.append(ActivityMonth.objects.filter(where, start__range=(first, last)).values(*by).annotate(**sums))
        days = [(period.start, first - DAY), (last + DAY, period.end)]
    else:
        days = [(period.start, period.end)]
    days = [Q(held_on__range=(start, end)) for start, end in days if start <= end]
    if days:
        parts.append(
            ActivityFigures.objects.filter(where)
            .filter(reduce(operator.or_, days))
            .values(*by)
            .annotate(n=Count("pk"), h=Sum("hours"), r=Sum("attendance_recorded"), p=Sum("attendance_present"))
        )
    totals = defaultdict(lambda: dict.fromkeys(["activities", "hours", "recorded", "present"], 0))
    for part in parts:
        for row in part.order_by():
            total = totals[tuple(row[name] for name in by)]
            for name, value in zip(total, (row["n"], row["h"], row["r"], row["p"]), strict=True):
                total[name] += value or 0
    return totals


def activity_tables(where, periods):
    """Hours and attendance from the activities' summaries of a scope (`where`, a Q on their club)."""
    sums = [activity_sums(where, p, ["pillar", "provider_type"]) for p in periods]

    def hours(p, test):
        return sum(total["hours"] for key, total in sums[p].items() if test(key))

    columns = [str(p) for p in periods]
    pillar_rows = [
        (str(pillar), [hours(i, lambda key, pk=pillar.pk: key[0] == pk) for i in range(len(periods))])
        for pillar in Pillar.objects.order_by("order")
    ]
    type_rows = [
        (label, [hours(i, lambda key, v=value: key[1] == v) for i in range(len(periods))])
        for value, label in [*OrganizationStakeholderTypeChoices.choices, (None, _("provider not recorded"))]
    ]
    rate_row = []
    for by_key in sums:
        recorded = sum(total["recorded"] for total in by_key.values())
        present = sum(total["present"] for total in by_key.values())
        rate_row.append(round(100 * present / recorded, 1) if recorded else 0)
    return [
        Table(_("Activity hours by pillar"), columns, pillar_rows, people=False),
        Table(_("Activity hours by provider's stakeholder type"), columns, type_rows, people=False),
        Table(
            _("Attendance rate (% of recorded attendance marked present)"),
            columns,
            [(_("attendance rate"), rate_row)],
            people=False,
        ),
    ]


def region_report(region, period, compared):
    """Every table of the region report: the period beside the one it is compared with."""
    periods = [period, compared]
    scope = Scope.of_region(region)
    found = counts([scope], periods, by_days=partial(counted_by_days, eu=False))
    counted = [found[(scope.key, p)] for p in periods]
    clubs = dict(Club.objects.filter(region=region).values("status").annotate(n=Count("pk")).values_list("status", "n"))
    meetings = (
        Meeting.objects.filter(network__region=region)
        .values("network__name")
        .annotate(**{f"p{i}": Count("pk", filter=Q(held_on__range=(p.start, p.end))) for i, p in enumerate(periods)})
        .order_by(Polish("network__name"))
    )
    networks = local_networks(Network.objects.filter(region=region))
    regions, _total = health(
        standings(networks, period.end).values(),
        period.end,
        lambda n: str(region),
        members_in=Membership.objects.filter(network__region=region),
    )
    network_health = regions[0] if regions else Health(label=str(region))
    return [
        Table(
            _("Clubs by status"),
            [_("clubs")],
            [(label, [clubs.get(value, 0)]) for value, label in ClubStatusChoices.choices],
            people=False,
        ),
        *people_tables(counted, periods),
        *activity_tables(Q(club__region=region), periods),
        *outcome_tables(counted, periods),
        Table(
            _("Meetings per network"),
            [str(p) for p in periods],
            [(row["network__name"], [row[f"p{i}"] for i in range(len(periods))]) for row in meetings],
            people=False,
        ),
        Table(
            _("Network health (local networks)"),
            [_("figure")],
            [
                (_("local networks"), [network_health.networks]),
                (_("under the mayor's auspices"), [network_health.with_auspices]),
                (_("with type-C partners"), [network_health.with_type_c]),
                (_("both critical conditions met"), [network_health.working]),
                (_("average pillars covered (of 6)"), [network_health.average_pillars]),
                (
                    _("organisations in the region's networks (each once)"),
                    [network_health.organizations],
                ),
            ],
            people=False,
        ),
    ]


def annual_club_report(clubs, year):
    """The annual report to the voivode (art. 18 and its template): per club, summed for all clubs given."""
    period = Period.year(year)
    clubs = list(clubs.select_related("region").order_by(Polish("region__name"), Polish("name")))
    staff = {
        row["club"]: row
        for row in StaffPosition.objects.filter(club__in=clubs, year=year)
        .values("club")
        .annotate(n=Count("pk"), fte=Sum("fte"))
        .order_by()
    }
    activities = {club: total for (club,), total in activity_sums(Q(club__in=clubs), period, ["club"]).items()}
    scopes = [Scope.of_clubs([club]) for club in clubs]
    found = counts(scopes, [period])
    codes = EligibilityCategoryCodeChoices.values
    work_rows, people_rows = [], []
    for club in clubs:
        s, a = staff.get(club.pk, {}), activities.get(club.pk, {})
        work_rows.append((str(club), [s.get("n", 0), s.get("fte") or 0, a.get("activities", 0), a.get("hours", 0)]))
        c = found[(f"C{club.pk}", period)]
        people_rows.append(
            (
                str(club),
                [
                    c["active"],
                    *[c[f"category:{code}"] for code in codes],
                    c["reintegration"],
                    c["employed_after"],
                ],
            )
        )
    settlements = {s.club_id: s for s in AnnualSettlement.objects.filter(club__in=clubs, year=year)}
    money_rows, filed_rows = [], []
    for club in clubs:
        settled = settlements.get(club.pk)
        money_rows.append(
            (
                str(club),
                [settled.subsidy_granted, settled.subsidy_spent, settled.subsidy_returned] if settled else [0, 0, 0],
            )
        )
        submitted = settled.submitted_on if settled else None
        filed_rows.append((str(club), [date_format(submitted, "d.m.Y") if submitted else _("not submitted")]))
    by_basis = {
        row["employment_basis"]: row
        for row in StaffPosition.objects.filter(club__in=clubs, year=year)
        .values("employment_basis")
        .annotate(n=Count("pk"), fte=Sum("fte"))
        .order_by()
    }
    basis_rows = [
        (label, [by_basis.get(basis, {}).get("n", 0), by_basis.get(basis, {}).get("fte") or 0])
        for basis, label in EmploymentBasisChoices.choices
    ]
    total = _("all clubs")
    for rows in (work_rows, people_rows, money_rows, basis_rows):
        rows.append((total, [sum(r[1][i] for r in rows) for i in range(len(rows[0][1]))] if rows else []))
    submitted = sum(1 for settled in settlements.values() if settled.submitted_on)
    filed = _("%(submitted)d of %(clubs)d submitted") % {"submitted": submitted, "clubs": len(clubs)}
    filed_rows.append((total, [filed]))
    return [
        Table(
            _("Staff and activities in %(year)s") % {"year": year},
            [_("staff posts"), _("working time (FTE)"), _("activities"), _("activity hours")],
            work_rows,
            people=False,
        ),
        Table(
            _("Staff by basis of employment in %(year)s") % {"year": year},
            [_("staff posts"), _("working time (FTE)")],
            basis_rows,
            people=False,
            total_row=True,
        ),
        Table(
            _("Participants in %(year)s: by art. 1 category, reintegration effects and employment after leaving")
            % {"year": year},
            [
                _("participants"),
                *[f"{code}. {label}" for code, label in EligibilityCategoryCodeChoices.choices],
                _("achieved reintegration effects"),
                _("took employment after leaving"),
            ],
            people_rows,
            total_row=True,
        ),
        Table(
            _("Settlement of the subsidy for %(year)s (PLN)") % {"year": year},
            [_("granted"), _("spent"), _("returned")],
            money_rows,
            people=False,
            total_row=True,
        ),
        Table(
            _("Annual report for %(year)s submitted to the voivode") % {"year": year},
            [_("submitted on")],
            filed_rows,
            people=False,
        ),
    ]


EU_ROWS = [
    ("joined", gettext_lazy("participants who joined")),
    *[(f"age:{label}", None) for _low, _high, label in ESF_AGE],
    *[(f"isced:{band}", None) for band in ("0–2", "3–4", "5–8")],
    ("unemployed", gettext_lazy("unemployed, incl. long-term")),
    ("long_term_unemployed", gettext_lazy("long-term unemployed")),
    ("inactive", gettext_lazy("economically inactive")),
    ("employed", gettext_lazy("employed")),
    (
        "minority_or_migrant",
        gettext_lazy("of foreign background, third-country nationals or minorities (incl. the Roma)"),
    ),
    ("homeless", gettext_lazy("homeless or excluded from housing")),
    ("disability", gettext_lazy("with disabilities")),
    ("refused", gettext_lazy("refused to answer about their situation at entry")),
    ("on_leaving:seeking", gettext_lazy("seeking work on leaving")),
    ("on_leaving:learning", gettext_lazy("in education or training on leaving")),
    ("on_leaving:employed", gettext_lazy("employed on leaving")),
    ("employed_6_months", gettext_lazy("employed 6 months after leaving")),
]


def eu_row_label(measure, label):
    if measure.startswith("age:"):
        return _("aged %(band)s on entry") % {"band": measure[4:]}
    if measure.startswith("isced:"):
        return _("education ISCED %(band)s") % {"band": measure[6:]}
    return str(label)


def eu_indicators(scope, period):
    """The common output and result indicators of the ESF+ for people who joined in the period, by sex."""
    c = counts([scope], [period], by_days=eu_counted_by_days)[(scope.key, period)]
    sexes = ParticipantSexChoices.values
    rows = []
    for measure, label in EU_ROWS:
        values = [c[f"eu:{sex}:{measure}"] for sex in sexes]
        rows.append((eu_row_label(measure, label), [*values, sum(values)]))
    return [
        Table(
            _("EU common indicators (ESF+)"),
            [*[str(label) for label in ParticipantSexChoices.labels], _("total")],
            rows,
            total_column=True,
        )
    ]


# Lazy: named in the reader's language, not in the one active when the module was imported.
MEASURES = {
    "active_clubs": gettext_lazy("active clubs"),
    "active_people": gettext_lazy("active participants"),
    "completed": pgettext_lazy("people", "completed"),
    "employed": gettext_lazy("employed on leaving"),
    "attendance": gettext_lazy("attendance rate (%)"),
    "working_networks": gettext_lazy("local networks meeting both conditions"),
}
PEOPLE = {"active_people": "active", "completed": "completed", "employed": "employed"}


def first_rows(period, suffix):
    """Counts of people active, completing and leaving into employment in the period: of the enrollment
    summaries that count their person, one row per person, in the country (suffix "") or in each region
    ("_in_region"); or, with no suffix, of distinct people."""
    active = Q(status__in=PARTICIPATING_STATUSES, started_on__lte=period.end) & (
        Q(exit_on__isnull=True) | Q(exit_on__gte=period.start)
    )
    left = Q(exit_on__range=(period.start, period.end))

    def people(condition, name):
        if suffix is None:
            return Count("participant", filter=condition, distinct=True)
        first = Q(**{f"earlier_{name}{suffix}__isnull": True}) | Q(**{f"earlier_{name}{suffix}__lt": period.start})
        return Count("pk", filter=condition & first)

    return {
        "active_people": people(active, "stays_end"),
        "completed": people(left & Q(status=EnrollmentStatusChoices.COMPLETED), "completion"),
        "employed": people(left & Q(outcome_situation__in=EMPLOYED), "employment"),
    }


def national_figures(regions, period, everyone=None):
    """{region pk: {measure: value}} and national totals (people counted once nationally); `everyone` is
    the Scope of all the regions given, if the caller has it."""
    regions = list(regions)
    figures = {region.pk: dict.fromkeys(MEASURES, 0) for region in regions}
    clubs = Club.objects.filter(region__in=regions, status=ClubStatusChoices.ACTIVE)
    for row in clubs.values("region").annotate(n=Count("pk")).order_by():
        figures[row["region"]]["active_clubs"] = row["n"]
    everyone = everyone or Scope.of_regions(regions)
    if stored_kind(period) and everyone.key:
        each = [Scope.of_region(region) for region in regions]
        found = counts([*each, everyone], [period])
        for region, scope in zip(regions, each, strict=True):
            figures[region.pk].update({m: found[(scope.key, period)][name] for m, name in PEOPLE.items()})
        totals = {m: found[(everyone.key, period)][name] for m, name in PEOPLE.items()}
    else:  # any days: the rows that count their person (see `reporting.summaries.earlier`), counted
        for row in everyone.enrollments.values("region").annotate(**first_rows(period, "_in_region")).order_by():
            figures[row["region"]].update({k: v for k, v in row.items() if k != "region"})
        if len(regions) == 1:
            totals = {m: figures[regions[0].pk][m] for m in PEOPLE}
        else:  # the rows that count a person in the country count them once in these regions only in all of them
            totals = everyone.enrollments.aggregate(**first_rows(period, "" if everyone.key == "N" else None))
    attendance = [
        total
        for total in activity_sums(Q(club__region__in=regions), period, ["club__region"]).items()
        if total[1]["recorded"]
    ]
    for (region,), total in attendance:
        figures[region]["attendance"] = round(100 * total["present"] / total["recorded"], 1)
    for region, n in working_networks(Network.objects.filter(region__in=regions), period.end).items():
        figures[region]["working_networks"] = n
    totals["active_clubs"] = sum(f["active_clubs"] for f in figures.values())
    totals["working_networks"] = sum(f["working_networks"] for f in figures.values())
    all_attendance = sum(total["recorded"] for _region, total in attendance)
    totals["attendance"] = (
        round(100 * sum(total["present"] for _region, total in attendance) / all_attendance, 1) if all_attendance else 0
    )
    return figures, totals


def national_table(regions, figures, totals, national=True):
    """The regions side by side with the national total; a region's own dashboard has its one row."""
    rows = [(region.name, [figures[region.pk][m] for m in MEASURES]) for region in regions]
    if national:
        rows.append((_("Poland (each person counted once)"), [totals[m] for m in MEASURES]))
    people = {i for i, measure in enumerate(MEASURES) if measure in PEOPLE}
    title = _("Regions compared") if national else _("The region's figures")
    return Table(title, [str(label) for label in MEASURES.values()], rows, total_row=national, people_columns=people)


def monthly_trend(scope, months):
    """Active participants and new applications in each month, from the stored counts."""
    found = counts([scope], months)
    return Table(
        _("Monthly trend"),
        [_("active participants"), _("new applications")],
        [
            (m.start.strftime("%m.%Y"), [found[(scope.key, m)]["active"], found[(scope.key, m)]["enrolled"]])
            for m in months
        ],
    )
