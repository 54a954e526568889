"""The report figures computed directly from the domain's tables, as the portal computed them before it
kept summaries: the reference that the figures from the summaries are checked against.

Each function takes the same scope as its namesake in `reporting.figures`, given on the base tables
(enrollments rather than their summaries).
"""

from collections import defaultdict

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from clubs.choices import ClubStatusChoices
from clubs.models import Activity, Club, Pillar, StaffPosition
from ksr_portal.collation import Polish
from networks.models import Meeting, Network
from participants.choices import (
    AttendanceStatusChoices,
    EligibilityCategoryCodeChoices,
    EnrollmentEducationLevelChoices,
    EnrollmentLabourMarketStatusChoices,
    EnrollmentStatusChoices,
    OutcomeSituationChoices,
    ParticipantSexChoices,
)
from participants.models import PARTICIPATING_STATUSES, Attendance, Enrollment, FollowUp, Outcome
from reporting.counts import EMPLOYED, ESF_AGE, ESF_EDUCATION, UNKNOWN, age_band, age_band_labels
from reporting.coverage import Health, coverage, health, local_networks
from reporting.figures import MEASURES
from reporting.periods import Period
from reporting.tables import Table
from stakeholders.choices import OrganizationStakeholderTypeChoices
from stakeholders.models import Membership


def breakdown(title, periods, entries, key, choices, total_label):
    """People by one characteristic at entry, one column per period, with the total row."""
    rows = []
    for value, label in choices:
        rows.append((label, [sum(1 for row in first.values() if key(row) == value) for first in entries]))
    rows.append((total_label, [len(first) for first in entries]))
    return Table(title, [str(p) for p in periods], rows, total_row=True)


class People:
    """The enrollments of a scope relevant to some periods, read once, answering people questions."""

    FIELDS = [
        "pk",
        "participant_id",
        "participant__sex",
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
    ]

    def __init__(self, enrollments, periods):
        start = min(p.start for p in periods)
        end = max(p.end for p in periods)
        relevant = enrollments.filter(applied_on__lte=end).filter(Q(exit_on__isnull=True) | Q(exit_on__gte=start))
        self.rows = [dict(zip(self.FIELDS, values, strict=True)) for values in relevant.values_list(*self.FIELDS)]
        self.categories = defaultdict(set)
        through = Enrollment.eligibility_categories.through.objects.filter(enrollment__in=relevant.values("pk"))
        for enrollment_id, code in through.values_list("enrollment_id", "eligibilitycategory__code"):
            self.categories[enrollment_id].add(code)

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
            lambda r: r["participant__sex"],
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
    def in_period(prefix, p):
        return Q(**{f"{prefix}__range": (p.start, p.end)})

    outcomes = (
        Outcome.objects.filter(enrollment__in=enrollments)
        .values("situation")
        .annotate(
            **{
                f"p{i}": Count("enrollment__participant", distinct=True, filter=in_period("enrollment__exit_on", p))
                for i, p in enumerate(periods)
            }
        )
    )
    follow_ups = (
        FollowUp.objects.filter(outcome__enrollment__in=enrollments, months_after=6)
        .values("situation")
        .annotate(
            **{
                f"p{i}": Count("outcome__enrollment__participant", distinct=True, filter=in_period("checked_on", p))
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


def activity_tables(activities, attendance, periods):
    def held(p):
        return Q(held_on__range=(p.start, p.end))

    sums = {f"p{i}": Sum("hours", filter=held(p)) for i, p in enumerate(periods)}
    by_pillar = {
        row["service__pillar"]: row for row in activities.values("service__pillar").annotate(**sums).order_by()
    }
    by_type = {
        row["provider__stakeholder_type"]: row
        for row in activities.values("provider__stakeholder_type").annotate(**sums).order_by()
    }
    columns = [str(p) for p in periods]
    pillar_rows = [
        (str(pillar), [by_pillar.get(pillar.pk, {}).get(f"p{i}") or 0 for i in range(len(periods))])
        for pillar in Pillar.objects.order_by("order")
    ]
    type_rows = [
        (label, [by_type.get(value, {}).get(f"p{i}") or 0 for i in range(len(periods))])
        for value, label in [*OrganizationStakeholderTypeChoices.choices, (None, _("provider not recorded"))]
    ]
    rates = attendance.aggregate(
        **{f"all{i}": Count("pk", filter=Q(activity__held_on__range=(p.start, p.end))) for i, p in enumerate(periods)},
        **{
            f"present{i}": Count(
                "pk",
                filter=Q(activity__held_on__range=(p.start, p.end), status=AttendanceStatusChoices.PRESENT),
            )
            for i, p in enumerate(periods)
        },
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
    enrollments = Enrollment.objects.filter(club__region=region)
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
        *activity_tables(
            Activity.objects.filter(club__region=region),
            Attendance.objects.filter(activity__club__region=region),
            periods,
        ),
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
        for row in Activity.objects.filter(club__in=clubs, held_on__range=(period.start, period.end))
        .values("club")
        .annotate(n=Count("pk"), hours=Sum("hours"))
        .order_by()
    }
    enrollments = Enrollment.objects.filter(club__in=clubs)
    people = People(enrollments, [period])
    effects, employed = defaultdict(set), defaultdict(set)
    leavers = Outcome.objects.filter(enrollment__in=enrollments, enrollment__exit_on__range=(period.start, period.end))
    for club, person, social, vocational, situation in leavers.values_list(
        "enrollment__club",
        "enrollment__participant",
        "social_reintegration_achieved",
        "vocational_reintegration_achieved",
        "situation",
    ):
        if social or vocational:
            effects[club].add(person)
        if situation in EMPLOYED:
            employed[club].add(person)
    later = FollowUp.objects.filter(
        outcome__enrollment__in=enrollments, checked_on__range=(period.start, period.end), situation__in=EMPLOYED
    )
    for club, person in later.values_list("outcome__enrollment__club", "outcome__enrollment__participant"):
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
    total = _("all clubs")
    for rows in (work_rows, people_rows):
        rows.append((total, [sum(r[1][i] for r in rows) for i in range(len(rows[0][1]))] if rows else []))
    return [
        Table(
            _("Staff and activities in %(year)s") % {"year": year},
            [_("staff posts"), _("working time (FTE)"), _("activities"), _("activity hours")],
            work_rows,
            people=False,
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
    ]


def eu_indicators(enrollments, period):
    """The common output and result indicators of the ESF+ for people who joined in the period, by sex."""
    people = People(enrollments, [period])
    first, _categories = people.entries(
        period, test=lambda r, p: r["started_on"] and p.start <= r["started_on"] <= p.end
    )
    sexes = ParticipantSexChoices.values
    U = EnrollmentLabourMarketStatusChoices

    def by_sex(test):
        return [sum(1 for row in first.values() if row["participant__sex"] == sex and test(row)) for sex in sexes]

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
        "seeking": Q(situation=OutcomeSituationChoices.JOB_SEEKING),
        "learning": Q(situation=OutcomeSituationChoices.EDUCATION),
        "employed": Q(situation__in=EMPLOYED),
    }
    on_leaving = (
        Outcome.objects.filter(enrollment__in=enrollments, enrollment__exit_on__range=(period.start, period.end))
        .values("enrollment__participant__sex")
        .annotate(**{name: Count("enrollment__participant", distinct=True, filter=q) for name, q in situations.items()})
        .order_by()
    )
    six_months = (
        FollowUp.objects.filter(
            outcome__enrollment__in=enrollments,
            months_after=6,
            checked_on__range=(period.start, period.end),
            situation__in=EMPLOYED,
        )
        .values("outcome__enrollment__participant__sex")
        .annotate(n=Count("outcome__enrollment__participant", distinct=True))
        .order_by()
    )
    leaving = {row["enrollment__participant__sex"]: row for row in on_leaving}
    later = {row["outcome__enrollment__participant__sex"]: row["n"] for row in six_months}
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


def national_figures(regions, period):
    """{region pk: {measure: value}} and national totals (people counted once nationally)."""
    active = Q(enrollments__status__in=PARTICIPATING_STATUSES, enrollments__started_on__lte=period.end) & (
        Q(enrollments__exit_on__isnull=True) | Q(enrollments__exit_on__gte=period.start)
    )
    left = Q(enrollments__exit_on__range=(period.start, period.end))
    figures = {region.pk: dict.fromkeys(MEASURES, 0) for region in regions}
    for row in (
        Club.objects.filter(region__in=regions)
        .values("region")
        .annotate(
            active_clubs=Count("pk", filter=Q(status=ClubStatusChoices.ACTIVE), distinct=True),
            active_people=Count("enrollments__participant", filter=active, distinct=True),
            completed=Count(
                "enrollments__participant",
                filter=left & Q(enrollments__status=EnrollmentStatusChoices.COMPLETED),
                distinct=True,
            ),
            employed=Count(
                "enrollments__participant", filter=left & Q(enrollments__outcome__situation__in=EMPLOYED), distinct=True
            ),
        )
        .order_by()
    ):
        figures[row["region"]].update({k: v for k, v in row.items() if k != "region"})
    attendance = (
        Attendance.objects.filter(
            activity__club__region__in=regions, activity__held_on__range=(period.start, period.end)
        )
        .values("activity__club__region")
        .annotate(all=Count("pk"), present=Count("pk", filter=Q(status=AttendanceStatusChoices.PRESENT)))
        .order_by()
    )
    for row in attendance:
        figures[row["activity__club__region"]]["attendance"] = round(100 * row["present"] / row["all"], 1)
    per_network = coverage(local_networks(Network.objects.filter(region__in=regions)), period.end)
    for item in per_network.values():
        figures[item.network.region_id]["working_networks"] += item.works
    everyone = Enrollment.objects.filter(club__region__in=regions)
    totals = everyone.aggregate(
        active_people=Count(
            "participant",
            distinct=True,
            filter=Q(status__in=PARTICIPATING_STATUSES, started_on__lte=period.end)
            & (Q(exit_on__isnull=True) | Q(exit_on__gte=period.start)),
        ),
        completed=Count(
            "participant",
            distinct=True,
            filter=Q(exit_on__range=(period.start, period.end), status=EnrollmentStatusChoices.COMPLETED),
        ),
        employed=Count(
            "participant",
            distinct=True,
            filter=Q(exit_on__range=(period.start, period.end), outcome__situation__in=EMPLOYED),
        ),
    )
    totals["active_clubs"] = sum(f["active_clubs"] for f in figures.values())
    totals["working_networks"] = sum(f["working_networks"] for f in figures.values())
    all_attendance = sum(r["all"] for r in attendance)
    totals["attendance"] = (
        round(100 * sum(r["present"] for r in attendance) / all_attendance, 1) if all_attendance else 0
    )
    return figures, totals


def monthly_trend(enrollments, months):
    """Active participants and new applications in each month, in one query."""
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
