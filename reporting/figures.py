"""The figures of the reports, each an aggregate over the scope asked for, in a fixed number of queries.

Every figure of people, activities and attendance is read from the summaries of `reporting.models`
(kept by `reporting.summaries`), never from the domain's enrollment or attendance tables. People are
counted once however many clubs they attended: counts are of distinct participants, and a person's
characteristics at entry are taken from their earliest enrollment that counts.
"""

from collections import defaultdict

from django.db.models import Count, F, Q, Sum
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

from .coverage import Health, coverage, health, local_networks, working_networks
from .models import ActivityFigures, EnrollmentFigures, FollowUpFigures
from .periods import Period
from .tables import Table

AGE_BANDS = [(18, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 150)]
EMPLOYED = [
    OutcomeSituationChoices.EMPLOYED,
    OutcomeSituationChoices.SELF_EMPLOYED,
    OutcomeSituationChoices.SOCIAL_COOPERATIVE,
]
UNKNOWN = "unknown"


def age_band(age):
    for low, high in AGE_BANDS:
        if age is not None and low <= age <= high:
            return f"{low}–{high}" if high < 150 else f"{low}+"
    return UNKNOWN


def age_band_labels():
    return [f"{low}–{high}" if high < 150 else f"{low}+" for low, high in AGE_BANDS]


class People:
    """The enrollment summaries of a scope relevant to some periods, read once, answering people questions."""

    FIELDS = [
        "pk",
        "participant_id",
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
        "club_id",
        "categories",
    ]

    def __init__(self, enrollments, periods):
        start = min(p.start for p in periods)
        end = max(p.end for p in periods)
        relevant = enrollments.filter(applied_on__lte=end).filter(Q(exit_on__isnull=True) | Q(exit_on__gte=start))
        self.rows = [dict(zip(self.FIELDS, values, strict=True)) for values in relevant.values_list(*self.FIELDS)]
        self.categories = {row["pk"]: set(row["categories"]) for row in self.rows}

    @staticmethod
    def active_in(row, period):
        return (
            row["status"] in PARTICIPATING_STATUSES
            and row["started_on"] is not None
            and row["started_on"] <= period.end
            and (row["exit_on"] is None or row["exit_on"] >= period.start)
        )

    def who(self, period, test):
        return {row["participant_id"] for row in self.rows if test(row, period)}

    def enrolled(self, period):
        return self.who(period, lambda r, p: p.start <= r["applied_on"] <= p.end)

    def active(self, period):
        return self.who(period, self.active_in)

    def started(self, period):
        return self.who(period, lambda r, p: r["started_on"] is not None and p.start <= r["started_on"] <= p.end)

    def left(self, period, status):
        return self.who(
            period, lambda r, p: r["status"] == status and r["exit_on"] and p.start <= r["exit_on"] <= p.end
        )

    def entries(self, period, test=None):
        """{person: their earliest enrollment counted in the period} and {person: all their categories}."""
        test = test or self.active_in
        first, categories = {}, defaultdict(set)
        for row in sorted(self.rows, key=lambda r: (r["started_on"] or r["applied_on"], r["pk"])):
            if test(row, period):
                first.setdefault(row["participant_id"], row)
                categories[row["participant_id"]] |= self.categories[row["pk"]]
        return first, categories


def breakdown(title, periods, entries, key, choices, total_label):
    """People by one characteristic at entry, one column per period, with the total row."""
    rows = []
    for value, label in choices:
        rows.append((label, [sum(1 for row in first.values() if key(row) == value) for first in entries]))
    rows.append((total_label, [len(first) for first in entries]))
    return Table(title, [str(p) for p in periods], rows, total_row=True)


def people_tables(people, periods):
    """The people part of a report: headline counts and breakdowns of those active, per period."""
    headline = Table(
        _("Participants (each person counted once)"),
        [str(p) for p in periods],
        [
            (_("enrolled (applied in the period)"), [len(people.enrolled(p)) for p in periods]),
            (pgettext("people", "active"), [len(people.active(p)) for p in periods]),
            (
                pgettext("people", "completed"),
                [len(people.left(p, EnrollmentStatusChoices.COMPLETED)) for p in periods],
            ),
            (
                pgettext("people", "dropped out"),
                [len(people.left(p, EnrollmentStatusChoices.DROPPED_OUT)) for p in periods],
            ),
        ],
    )
    entries = [people.entries(p) for p in periods]
    firsts = [first for first, _categories in entries]
    unknown = (UNKNOWN, _("not recorded"))
    active = _("all active participants")
    return [
        headline,
        breakdown(
            _("Active participants by sex"),
            periods,
            firsts,
            lambda r: r["sex"],
            ParticipantSexChoices.choices,
            active,
        ),
        breakdown(
            _("Active participants by age on entry"),
            periods,
            firsts,
            lambda r: age_band(r["age_on_entry"]),
            [(b, b) for b in age_band_labels()] + [unknown],
            active,
        ),
        breakdown(
            _("Active participants by education level (ISCED)"),
            periods,
            firsts,
            lambda r: r["education_level"] or UNKNOWN,
            EnrollmentEducationLevelChoices.choices + [unknown],
            active,
        ),
        breakdown(
            _("Active participants by labour-market status at entry"),
            periods,
            firsts,
            lambda r: r["labour_market_status"] or UNKNOWN,
            EnrollmentLabourMarketStatusChoices.choices + [unknown],
            active,
        ),
        Table(
            _("Active participants by eligibility category (art. 1 ust. 2); a person may be in several"),
            [str(p) for p in periods],
            [
                (f"{code}. {label}", [sum(code in cats for cats in categories.values()) for _f, categories in entries])
                for code, label in EligibilityCategoryCodeChoices.choices
            ],
        ),
    ]


def outcome_tables(enrollments, periods):
    def in_period(name, p):
        return Q(**{f"{name}__range": (p.start, p.end)})

    outcomes = (
        enrollments.exclude(outcome_situation="")
        .values(situation=F("outcome_situation"))
        .annotate(
            **{
                f"p{i}": Count("participant", distinct=True, filter=in_period("exit_on", p))
                for i, p in enumerate(periods)
            }
        )
    )
    follow_ups = (
        FollowUpFigures.objects.filter(enrollment__in=enrollments, months_after=6)
        .values("situation")
        .annotate(
            **{
                f"p{i}": Count("enrollment__participant", distinct=True, filter=in_period("checked_on", p))
                for i, p in enumerate(periods)
            }
        )
    )
    tables = []
    for title, data in [
        (_("Situation on leaving"), outcomes),
        (_("Situation 6 months after leaving"), follow_ups),
    ]:
        by_situation = {row["situation"]: [row[f"p{i}"] for i in range(len(periods))] for row in data.order_by()}
        rows = [
            (label, by_situation.get(value, [0] * len(periods))) for value, label in OutcomeSituationChoices.choices
        ]
        rows.append((_("all who left"), [sum(r[1][i] for r in rows) for i in range(len(periods))]))
        tables.append(Table(title, [str(p) for p in periods], rows, total_row=True))
    return tables


def activity_tables(activities, periods):
    """Hours and attendance from the activities' summaries (ActivityFigures) of a scope."""

    def held(p):
        return Q(held_on__range=(p.start, p.end))

    sums = {f"p{i}": Sum("hours", filter=held(p)) for i, p in enumerate(periods)}
    by_pillar = {row["pillar"]: row for row in activities.values("pillar").annotate(**sums).order_by()}
    by_type = {row["provider_type"]: row for row in activities.values("provider_type").annotate(**sums).order_by()}
    columns = [str(p) for p in periods]
    pillar_rows = [
        (str(pillar), [by_pillar.get(pillar.pk, {}).get(f"p{i}") or 0 for i in range(len(periods))])
        for pillar in Pillar.objects.order_by("order")
    ]
    type_rows = [
        (label, [by_type.get(value, {}).get(f"p{i}") or 0 for i in range(len(periods))])
        for value, label in [*OrganizationStakeholderTypeChoices.choices, (None, _("provider not recorded"))]
    ]
    rates = activities.aggregate(
        **{f"all{i}": Sum("attendance_recorded", filter=held(p)) for i, p in enumerate(periods)},
        **{f"present{i}": Sum("attendance_present", filter=held(p)) for i, p in enumerate(periods)},
    )
    rate_row = [
        round(100 * rates[f"present{i}"] / rates[f"all{i}"], 1) if rates[f"all{i}"] else 0 for i in range(len(periods))
    ]
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
    enrollments = EnrollmentFigures.objects.filter(club__region=region)
    clubs = dict(Club.objects.filter(region=region).values("status").annotate(n=Count("pk")).values_list("status", "n"))
    meetings = (
        Meeting.objects.filter(network__region=region)
        .values("network__name")
        .annotate(**{f"p{i}": Count("pk", filter=Q(held_on__range=(p.start, p.end))) for i, p in enumerate(periods)})
        .order_by(Polish("network__name"))
    )
    networks = local_networks(Network.objects.filter(region=region))
    per_network = coverage(networks, period.end)
    regions, _total = health(
        per_network.values(),
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
        *people_tables(People(enrollments, periods), periods),
        *activity_tables(ActivityFigures.objects.filter(club__region=region), periods),
        *outcome_tables(enrollments, periods),
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
    activities = {
        row["club"]: row
        for row in ActivityFigures.objects.filter(club__in=clubs, held_on__range=(period.start, period.end))
        .values("club")
        .annotate(n=Count("pk"), hours=Sum("hours"))
        .order_by()
    }
    enrollments = EnrollmentFigures.objects.filter(club__in=clubs)
    people = People(enrollments, [period])
    effects, employed = defaultdict(set), defaultdict(set)
    leavers = enrollments.filter(exit_on__range=(period.start, period.end)).exclude(outcome_situation="")
    for club, person, achieved, situation in leavers.values_list(
        "club", "participant", "reintegration_achieved", "outcome_situation"
    ):
        if achieved:
            effects[club].add(person)
        if situation in EMPLOYED:
            employed[club].add(person)
    later = FollowUpFigures.objects.filter(
        enrollment__in=enrollments, checked_on__range=(period.start, period.end), situation__in=EMPLOYED
    )
    for club, person in later.values_list("enrollment__club", "enrollment__participant"):
        employed[club].add(person)
    per_club = defaultdict(lambda: (set(), defaultdict(set)))
    for row in people.rows:
        if people.active_in(row, period):
            persons, categories = per_club[row["club_id"]]
            persons.add(row["participant_id"])
            for code in people.categories[row["pk"]]:
                categories[code].add(row["participant_id"])
    codes = EligibilityCategoryCodeChoices.values
    work_rows, people_rows = [], []
    for club in clubs:
        s, a = staff.get(club.pk, {}), activities.get(club.pk, {})
        work_rows.append((str(club), [s.get("n", 0), s.get("fte") or 0, a.get("n", 0), a.get("hours") or 0]))
        persons, categories = per_club[club.pk]
        people_rows.append(
            (
                str(club),
                [
                    len(persons),
                    *[len(categories[code]) for code in codes],
                    len(effects[club.pk]),
                    len(employed[club.pk]),
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


ESF_AGE = [(0, 17, "<18"), (18, 29, "18–29"), (30, 54, "30–54"), (55, 150, "55+")]
ESF_EDUCATION = {
    "isced_0": "0–2",
    "isced_1": "0–2",
    "isced_2": "0–2",
    "isced_3": "3–4",
    "isced_4": "3–4",
    "isced_5_8": "5–8",
}


def eu_indicators(enrollments, period):
    """The common output and result indicators of the ESF+ for people who joined in the period, by sex."""
    people = People(enrollments, [period])
    first, _categories = people.entries(
        period, test=lambda r, p: r["started_on"] and p.start <= r["started_on"] <= p.end
    )
    sexes = ParticipantSexChoices.values
    U = EnrollmentLabourMarketStatusChoices

    def by_sex(test):
        return [sum(1 for row in first.values() if row["sex"] == sex and test(row)) for sex in sexes]

    rows = [(_("participants who joined"), by_sex(lambda r: True))]
    for low, high, label in ESF_AGE:
        rows.append(
            (
                _("aged %(band)s on entry") % {"band": label},
                by_sex(lambda r, lo=low, hi=high: r["age_on_entry"] is not None and lo <= r["age_on_entry"] <= hi),
            )
        )
    for band in ("0–2", "3–4", "5–8"):
        rows.append(
            (
                _("education ISCED %(band)s") % {"band": band},
                by_sex(lambda r, b=band: ESF_EDUCATION.get(r["education_level"]) == b),
            )
        )
    rows += [
        (
            _("unemployed, incl. long-term"),
            by_sex(lambda r: r["labour_market_status"] in (U.UNEMPLOYED_REGISTERED, U.UNEMPLOYED_UNREGISTERED)),
        ),
        (_("long-term unemployed"), by_sex(lambda r: r["long_term_unemployed"])),
        (_("economically inactive"), by_sex(lambda r: r["labour_market_status"] == U.INACTIVE)),
        (_("employed"), by_sex(lambda r: r["labour_market_status"] == U.EMPLOYED)),
        (
            _("of foreign background, third-country nationals or minorities (incl. the Roma)"),
            by_sex(lambda r: r["minority_or_migrant"] == "yes"),
        ),
        (_("homeless or excluded from housing"), by_sex(lambda r: r["homeless"] == "yes")),
        (_("with disabilities"), by_sex(lambda r: r["disability"] == "yes")),
        (
            _("refused to answer about their situation at entry"),
            by_sex(lambda r: "refused" in (r["minority_or_migrant"], r["homeless"], r["disability"])),
        ),
    ]
    situations = {
        "seeking": Q(outcome_situation=OutcomeSituationChoices.JOB_SEEKING),
        "learning": Q(outcome_situation=OutcomeSituationChoices.EDUCATION),
        "employed": Q(outcome_situation__in=EMPLOYED),
    }
    on_leaving = (
        enrollments.filter(exit_on__range=(period.start, period.end))
        .values("sex")
        .annotate(**{name: Count("participant", distinct=True, filter=q) for name, q in situations.items()})
        .order_by()
    )
    six_months = (
        FollowUpFigures.objects.filter(
            enrollment__in=enrollments,
            months_after=6,
            checked_on__range=(period.start, period.end),
            situation__in=EMPLOYED,
        )
        .values("enrollment__sex")
        .annotate(n=Count("enrollment__participant", distinct=True))
        .order_by()
    )
    leaving = {row["sex"]: row for row in on_leaving}
    later = {row["enrollment__sex"]: row["n"] for row in six_months}
    rows += [
        (_("seeking work on leaving"), [leaving.get(sex, {}).get("seeking", 0) for sex in sexes]),
        (_("in education or training on leaving"), [leaving.get(sex, {}).get("learning", 0) for sex in sexes]),
        (_("employed on leaving"), [leaving.get(sex, {}).get("employed", 0) for sex in sexes]),
        (_("employed 6 months after leaving"), [later.get(sex, 0) for sex in sexes]),
    ]
    rows = [(label, [*values, sum(values)]) for label, values in rows]
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
PEOPLE_MEASURES = {"active_people", "completed", "employed"}


def national_figures(regions, period):
    """{region pk: {measure: value}} and national totals (people counted once nationally)."""
    active = Q(status__in=PARTICIPATING_STATUSES, started_on__lte=period.end) & (
        Q(exit_on__isnull=True) | Q(exit_on__gte=period.start)
    )
    left = Q(exit_on__range=(period.start, period.end))
    people = {
        "active_people": Count("participant", filter=active, distinct=True),
        "completed": Count("participant", filter=left & Q(status=EnrollmentStatusChoices.COMPLETED), distinct=True),
        "employed": Count("participant", filter=left & Q(outcome_situation__in=EMPLOYED), distinct=True),
    }
    figures = {region.pk: dict.fromkeys(MEASURES, 0) for region in regions}
    clubs = Club.objects.filter(region__in=regions, status=ClubStatusChoices.ACTIVE)
    for row in clubs.values("region").annotate(n=Count("pk")).order_by():
        figures[row["region"]]["active_clubs"] = row["n"]
    everyone = EnrollmentFigures.objects.filter(club__region__in=regions)
    for row in everyone.values("club__region").annotate(**people).order_by():
        figures[row["club__region"]].update({k: v for k, v in row.items() if k != "club__region"})
    attendance = (
        ActivityFigures.objects.filter(
            club__region__in=regions, held_on__range=(period.start, period.end), attendance_recorded__gt=0
        )
        .values("club__region")
        .annotate(all=Sum("attendance_recorded"), present=Sum("attendance_present"))
        .order_by()
    )
    for row in attendance:
        figures[row["club__region"]]["attendance"] = round(100 * row["present"] / row["all"], 1)
    for region, n in working_networks(Network.objects.filter(region__in=regions), period.end).items():
        figures[region]["working_networks"] = n
    totals = everyone.aggregate(**people)
    totals["active_clubs"] = sum(f["active_clubs"] for f in figures.values())
    totals["working_networks"] = sum(f["working_networks"] for f in figures.values())
    all_attendance = sum(r["all"] for r in attendance)
    totals["attendance"] = (
        round(100 * sum(r["present"] for r in attendance) / all_attendance, 1) if all_attendance else 0
    )
    return figures, totals


def national_table(regions, figures, totals, national=True):
    """The regions side by side with the national total; a region's own dashboard has its one row."""
    rows = [(region.name, [figures[region.pk][m] for m in MEASURES]) for region in regions]
    if national:
        rows.append((_("Poland (each person counted once)"), [totals[m] for m in MEASURES]))
    people = {i for i, measure in enumerate(MEASURES) if measure in PEOPLE_MEASURES}
    title = _("Regions compared") if national else _("The region's figures")
    return Table(title, [str(label) for label in MEASURES.values()], rows, total_row=national, people_columns=people)


def monthly_trend(enrollments, months):
    """Active participants and new applications in each month (from EnrollmentFigures), in one query."""
    figures = enrollments.aggregate(
        **{
            f"active{i}": Count(
                "participant",
                distinct=True,
                filter=Q(status__in=PARTICIPATING_STATUSES, started_on__lte=m.end)
                & (Q(exit_on__isnull=True) | Q(exit_on__gte=m.start)),
            )
            for i, m in enumerate(months)
        },
        **{
            f"new{i}": Count("participant", distinct=True, filter=Q(applied_on__range=(m.start, m.end)))
            for i, m in enumerate(months)
        },
    )
    return Table(
        _("Monthly trend"),
        [_("active participants"), _("new applications")],
        [(m.start.strftime("%m.%Y"), [figures[f"active{i}"], figures[f"new{i}"]]) for i, m in enumerate(months)],
    )
