"""Report figures from the summaries equal the figures computed from the base tables; writes keep them so."""

import datetime
import random
import re
import threading
import time
from functools import partial

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Q, Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo.pilot import make_pesel
from ksr_portal import roles
from ksr_portal.imports import PortalCSV
from participants.anonymisation import anonymise
from participants.choices import EnrollmentStatusChoices as S
from participants.models import Attendance, Enrollment
from participants.resources import ParticipantResource
from reporting import figures, quality, summaries
from reporting.counts import Scope, counts, eu_counted_by_days
from reporting.models import (
    ActivityFigures,
    ActivityMonth,
    CountHorizon,
    EnrollmentFigures,
    FollowUpFigures,
    PeriodCount,
)
from reporting.periods import Period, months_back
from reporting.summaries import differences
from stakeholders.registry import merge

from . import direct_figures as direct
from . import factories as f
from .test_demo import pilot  # noqa: F401 (a fixture)
from .test_reporting import dates, user_with

pytestmark = pytest.mark.django_db
D = datetime.date
YEAR = 2026
EDGES = [D(2025, 12, 31), D(2026, 1, 1), D(2026, 3, 31), D(2026, 4, 1), D(2026, 6, 30), D(2026, 7, 1)]
PERIODS = [
    Period(D(2026, 1, 1), D(2026, 1, 31)),  # a month
    Period(D(2026, 4, 1), D(2026, 6, 30)),  # a quarter
    Period.year(YEAR),
    Period(D(2026, 1, 1), D(2026, 5, 17)),  # year to date
    Period(D(2026, 3, 31), D(2026, 4, 1)),  # two days across a quarter's edge
    Period(D(2026, 2, 13), D(2026, 2, 13)),  # one day
]


def day(rng):
    """A day of 2025–2026, often one on the edge of a period."""
    if rng.random() < 0.4:
        return rng.choice(EDGES)
    return D(2025, 6, 1) + datetime.timedelta(days=rng.randrange(560))


def later(rng, after):
    return after + datetime.timedelta(days=rng.choice([0, 1, rng.randrange(2, 200)]))


def random_dataset(seed):
    """Two regions of several clubs; people enrolled twice (also across regions), leaving on period edges,
    transferred, with outcomes, follow-ups and attendance; some of them anonymised."""
    rng = random.Random(seed)
    regions = [f.RegionFactory(terc="26"), f.RegionFactory(terc="24")]
    clubs = [f.ClubFactory(region=rng.choice(regions)) for _i in range(4)]
    categories = [f.EligibilityCategoryFactory(code=code) for code in "1258"]
    services = [f.ServiceFactory() for _i in range(3)]
    enrollments = []
    for _i in range(rng.randrange(12, 22)):
        person = f.ParticipantFactory(sex=rng.choice(["female", "male", "non_binary"]))
        for club in rng.sample(clubs, rng.choice([1, 1, 2])):
            applied = day(rng)
            status = rng.choice([S.CANDIDATE, S.ACTIVE, S.ACTIVE, S.COMPLETED, S.DROPPED_OUT, S.TRANSFERRED])
            started = later(rng, applied) if status != S.CANDIDATE else None
            extra = {}
            if status in (S.COMPLETED, S.DROPPED_OUT, S.TRANSFERRED):
                exit_on = rng.choice([later(rng, started), *[e for e in EDGES if e >= started]])
                reason = "plan_completed" if status == S.COMPLETED else "own_decision"
                extra = {"exit_on": exit_on, "exit_reason": reason}
                if status == S.COMPLETED:
                    extra |= {"certificate_number": f"KIS/{rng.random()}", "certificate_issued_on": exit_on}
            enrollment = f.EnrollmentFactory(
                participant=person, club=club, status=status, applied_on=applied, qualified_on=started and applied,
                started_on=started, education_level=rng.choice(["", "isced_1", "isced_3", "isced_5_8"]),
                labour_market_status=rng.choice(["", "inactive", "unemployed_registered", "employed"]),
                long_term_unemployed=rng.random() < 0.5, homeless=rng.choice(["yes", "no", "refused"]),
                minority_or_migrant=rng.choice(["", "yes", "no", "refused"]),
                disability=rng.choice(["yes", "no"]), eligibility_categories=rng.sample(categories, rng.randrange(3)),
                **extra,
            )  # fmt: skip
            enrollments.append(enrollment)
            if enrollment.exit_on and rng.random() < 0.7:
                outcome = f.OutcomeFactory(
                    enrollment=enrollment,
                    recorded_on=enrollment.exit_on,
                    situation=rng.choice(["employed", "job_seeking", "education", "self_employed"]),
                    social_reintegration_achieved=rng.random() < 0.5,
                    vocational_reintegration_achieved=rng.random() < 0.3,
                )
                for months in rng.sample([3, 6, 12], rng.randrange(3)):
                    f.FollowUpFactory(
                        outcome=outcome,
                        months_after=months,
                        checked_on=enrollment.exit_on + datetime.timedelta(days=30 * months),
                        situation=rng.choice(["employed", "job_seeking"]),
                    )
    for club in clubs:
        for _i in range(rng.randrange(2, 6)):
            activity = f.ActivityFactory(
                club=club, service=rng.choice(services), held_on=day(rng), hours=rng.choice([2, 3])
            )
            present = [e for e in enrollments if e.club_id == club.pk and e.was_active_on(activity.held_on)]
            statuses = {e.pk: rng.choice(["present", "absent", "excused"]) for e in present}
            Attendance.record_sheet(activity, present, statuses)
    for club in clubs:
        first = club == clubs[0]  # a network that works, among others that may
        club.under_mayor_auspices = first or rng.random() < 0.7
        club.save()
        network = f.LocalNetworkFactory(region=club.region, hub_club=club if first or rng.random() < 0.8 else None)
        if first:
            f.MembershipFactory(network=network, organization__stakeholder_type="C", joined_on=D(2020, 1, 1))
        for _i in range(rng.randrange(4)):
            joined = day(rng)
            f.MembershipFactory(
                network=network,
                organization__stakeholder_type=rng.choice("ABC"),
                joined_on=joined,
                left_on=later(rng, joined) if rng.random() < 0.3 else None,
            )
    leavers = [e.participant for e in enrollments if e.exit_on and rng.random() < 0.3]
    anonymise(leavers, D(2027, 1, 1))
    return regions, clubs


def same(tables, expected):
    assert [(str(t.title), [str(c) for c in t.columns], t.rows) for t in tables] == [
        (str(t.title), [str(c) for c in t.columns], t.rows) for t in expected
    ]


@pytest.mark.parametrize("seed", range(8))
def test_every_report_from_the_summaries_equals_the_one_from_the_base_tables(seed):
    regions, clubs = random_dataset(seed)
    assert differences() == []
    working = [figures.national_figures(regions, p)[1]["working_networks"] for p in PERIODS]
    assert 0 < max(working)  # the dataset has working networks to count
    for period in PERIODS:
        for compared in (period.year_earlier(), period.preceding()):
            for region in regions:
                same(figures.region_report(region, period, compared), direct.region_report(region, period, compared))
        assert figures.national_figures(regions, period) == direct.national_figures(regions, period)
        same(
            figures.eu_indicators(Scope.of_regions(regions), period),
            direct.eu_indicators(Enrollment.objects.all(), period),
        )
    for period in (Period(D(2025, 8, 14), D(2026, 2, 27)), Period(D(2026, 3, 31), D(2026, 12, 31))):  # any days
        assert figures.national_figures(regions, period) == direct.national_figures(regions, period)
    for year in (2025, 2026):
        clubs = figures.Club.objects.filter(pk__in=[c.pk for c in clubs])
        work, _basis, people, _money, _filed = figures.annual_club_report(clubs, year)  # the last read no summary
        same([work, people], direct.annual_club_report(clubs, year))
    months = months_back(D(2026, 12, 15), 18)
    same(
        [figures.monthly_trend(Scope.of_regions(regions[:1]), months)],
        [direct.monthly_trend(Enrollment.objects.filter(club__region=regions[0]), months)],
    )


@pytest.mark.parametrize("seed", range(8))
def test_the_stored_counts_equal_the_counts_of_the_summaries_for_every_calendar_period_and_scope(seed):
    """Months, quarters and years, and days from 1 January, for the country, each region and each club."""
    regions, clubs = random_dataset(seed)
    months = months_back(D(2026, 12, 15), 24)
    quarters = [Period(m.start, months[i + 2].end) for i, m in enumerate(months[:-2]) if m.start.month % 3 == 1]
    calendar = [*months, *quarters, Period.year(2025), Period.year(2026), Period.year(2027)]
    calendar += [
        Period(D(year, 1, 1), end)
        for year in (2025, 2026)
        for end in {*EDGES, D(year, 5, 17), D(year, 10, 15)}
        if end.year == year
    ]
    scopes = [Scope.of_regions(regions)]
    scopes += [Scope.of_region(region) for region in regions]
    scopes += [Scope.of_clubs([club]) for club in clubs]
    stored = counts(scopes, calendar)
    for scope in scopes:
        counted = counts([Scope(None, scope.where)], calendar)
        for period in calendar:
            assert +stored[(scope.key, period)] == +counted[(None, period)], (scope.key, period)
            eu = {name: n for name, n in stored[(scope.key, period)].items() if name.startswith("eu:") and n}
            assert eu == +eu_counted_by_days(scope.enrollments, [period])[period], (scope.key, period)
    assert any(stored.values())
    found = []
    for today in [D(2025, 1, 1), *EDGES, D(2026, 9, 30), D(2026, 12, 31), D(2027, 6, 30)]:
        stored = quality.counts(scopes, quality.CHECKS, today)
        for scope in scopes:
            assert stored[scope.key] == quality.counts([Scope(None, scope.where)], quality.CHECKS, today)[None]
        found.append(stored["N"])
    assert len({tuple(n) for n in found}) > 1  # a follow-up falls due on some of these days


def test_the_counts_read_the_same_whatever_month_they_are_brought_forward_to(
    monkeypatch, django_capture_on_commit_callbacks
):
    """Bringing the counts forward changes which rows a report reads, never what it reads; after it no open
    count starts at or before the month, and the first writer of a new month brings them forward."""
    regions, clubs = random_dataset(5)
    months = months_back(D(2027, 3, 15), 27)
    calendar = [*months, Period.year(2025), Period.year(2026), Period.year(2027), Period(D(2026, 4, 1), D(2026, 6, 30))]
    calendar += [Period(D(2026, 1, 1), end) for end in (D(2026, 1, 1), D(2026, 5, 17), D(2026, 12, 31))]
    scopes = [Scope.of_regions(regions), *[Scope.of_region(r) for r in regions], *[Scope.of_clubs([c]) for c in clubs]]

    def brought_to(month):
        monkeypatch.setattr(summaries, "this_month", lambda: month)

    brought_to(D(2024, 1, 1))
    summaries.rebuild_counts()  # before every date: nothing is brought forward
    expected = counts(scopes, calendar)
    assert PeriodCount.objects.filter(open=True, start__lte=D(2026, 12, 1)).exists()
    for month in (D(2025, 9, 1), D(2026, 1, 1), D(2026, 4, 1), D(2027, 2, 1)):
        with transaction.atomic():
            summaries.bring_forward(month)
        assert counts(scopes, calendar) == expected, month
        assert not PeriodCount.objects.filter(open=True, start__lte=month).exists()
        assert differences() == []
    brought_to(D(2027, 4, 1))
    with django_capture_on_commit_callbacks(execute=True):
        enroll_active(clubs[0])  # the first writer of the month, once committed
    assert CountHorizon.objects.get().month == D(2027, 4, 1)
    assert not PeriodCount.objects.filter(open=True, start__lte=D(2027, 4, 1)).exists()
    assert differences() == []
    for scope in scopes:
        counted = counts([Scope(None, scope.where)], calendar)
        stored = counts([scope], calendar)
        assert all(+stored[(scope.key, p)] == +counted[(None, p)] for p in calendar), scope.key


# --- writes ---------------------------------------------------------------------------------------------


def summaries_of(region):
    """Every summary row of a region's clubs and every count of the region and its clubs, as stored."""
    scopes = [f"R{region.pk}", *[f"C{pk}" for pk in region.clubs.values_list("pk", flat=True)]]
    return (
        list(EnrollmentFigures.objects.filter(club__region=region).values()),
        list(FollowUpFigures.objects.filter(enrollment__club__region=region).values()),
        list(ActivityFigures.objects.filter(club__region=region).values()),
        list(PeriodCount.objects.filter(scope__in=scopes).order_by("pk").values()),
    )


def national_counts():
    return list(PeriodCount.objects.filter(scope="N").order_by("pk").values())


def enroll_active(club, **extra):
    return f.EnrollmentFactory(
        club=club, applied_on=D(2026, 1, 2), qualified_on=D(2026, 1, 2), started_on=D(2026, 1, 3), **extra
    )


@pytest.fixture
def two_regions():
    kielce, katowice = f.RegionFactory(terc="26"), f.RegionFactory(terc="24")
    for region in (kielce, katowice):
        club = f.ClubFactory(region=region)
        enrollment = enroll_active(club)
        activity = f.ActivityFactory(club=club, held_on=D(2026, 3, 3))
        Attendance.record_sheet(activity, [enrollment], {enrollment.pk: "present"})
    return kielce, katowice


def active_people(region):
    return figures.national_figures([region], PERIODS[2])[0][region.pk]["active_people"]


def test_a_write_in_one_region_leaves_the_other_regions_summaries_untouched(two_regions):
    kielce, katowice = two_regions
    before = summaries_of(katowice)
    assert before[3]
    club = kielce.clubs.get()
    enrollment = enroll_active(club)
    enrollment.eligibility_categories.add(f.EligibilityCategoryFactory(code="2"))
    activity = f.ActivityFactory(club=club, held_on=D(2026, 3, 10))
    Attendance.record_sheet(activity, [enrollment], {enrollment.pk: "absent"})
    enrollment.drop_out(D(2026, 3, 20), "own_decision")
    f.OutcomeFactory(enrollment=enrollment, recorded_on=D(2026, 3, 20))
    enroll_active(club)
    assert summaries_of(katowice) == before
    assert active_people(kielce) == 3 and active_people(katowice) == 1
    assert differences() == []


def test_a_rolled_back_write_changes_nothing_and_a_write_counts_at_once_inside_its_transaction(two_regions):
    kielce, _katowice = two_regions
    before, national = summaries_of(kielce), national_counts()
    assert before[3] and national
    with pytest.raises(RuntimeError), transaction.atomic():
        enrollment = enroll_active(kielce.clubs.get())
        Attendance.record_sheet(f.ActivityFactory(club=kielce.clubs.get()), [], {})
        assert active_people(kielce) == 2  # counted before the transaction ends: right at commit
        raise RuntimeError
    assert summaries_of(kielce) == before and active_people(kielce) == 1
    assert national_counts() == national
    assert not EnrollmentFigures.objects.filter(pk=enrollment.pk).exists()


def test_a_person_is_counted_once_in_days_however_many_of_their_stays_count(two_regions):
    """Three overlapping stays of one person in two regions, each completed into employment: in any days,
    one row per person and scope counts them (the dashboard's plain counts equal distinct people)."""
    kielce, katowice = two_regions
    person = f.ParticipantFactory()
    stays = [
        (kielce.clubs.get(), D(2026, 1, 5), D(2026, 3, 20)),
        (f.ClubFactory(region=kielce), D(2026, 1, 20), D(2026, 2, 1)),  # ends before the third begins
        (katowice.clubs.get(), D(2026, 2, 10), D(2026, 2, 20)),
    ]
    for club, start, end in stays:
        stay = f.EnrollmentFactory(
            participant=person, club=club, status=S.COMPLETED, applied_on=start, qualified_on=start,
            started_on=start, exit_on=end, exit_reason="plan_completed", certificate_number=f"KIS/{start}",
            certificate_issued_on=end,
        )  # fmt: skip
        f.OutcomeFactory(enrollment=stay, recorded_on=end, situation="employed")
    regions = [kielce, katowice]
    for period in (
        Period(D(2026, 1, 10), D(2026, 2, 15)),
        Period(D(2026, 2, 5), D(2026, 2, 15)),
        Period(D(2026, 2, 11), D(2026, 3, 31)),
    ):
        assert figures.national_figures(regions, period) == direct.national_figures(regions, period)
        for region in regions:  # a region alone: its first row, wherever the person's first stay was
            assert figures.national_figures([region], period) == direct.national_figures([region], period)
    values, totals = figures.national_figures(regions, Period(D(2026, 2, 11), D(2026, 3, 31)))
    assert [values[kielce.pk]["completed"], values[katowice.pk]["completed"], totals["completed"]] == [1, 1, 1]
    assert [values[kielce.pk]["active_people"], totals["active_people"], totals["employed"]] == [2, 3, 1]
    assert differences() == []


def test_the_answer_the_data_quality_counts_read_is_kept_and_checked(two_regions):
    kielce, _katowice = two_regions
    enrollment = kielce.clubs.get().enrollments.get()
    enrollment.minority_or_migrant = "refused"
    enrollment.save()
    assert EnrollmentFigures.objects.get(pk=enrollment.pk).minority_or_migrant == "refused"
    EnrollmentFigures.objects.filter(pk=enrollment.pk).update(minority_or_migrant="")
    assert differences() == [f"enrollment {enrollment.pk}: minority_or_migrant is '', should be 'refused'"]


def test_the_dashboard_reads_no_table_that_grows_per_person_or_day(client, two_regions):
    client.force_login(user_with(roles.MINISTRY_ANALYST, "national"))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("reporting:dashboard"), dates())
    assert page.status_code == 200 and page.context["table"].rows[-1][1][1:3] != [0, 0]
    assert page.context["to_put_right"].rows  # the data-quality counts too
    growing = ["participants_attendance", "participants_enrollment", "participants_participant", "clubs_activity"]
    touched = {name for q in queries for name in re.findall(r'"(\w+)"', q["sql"])}
    assert touched & set(growing) == set()
    assert "reporting_periodcount" in touched


def test_a_calendar_periods_dashboard_reads_people_and_activities_from_their_totals(client, two_regions):
    """Neither the people, nor the activities, nor the records to put right of a month are counted over rows:
    they come from the stored counts and the months' sums."""
    client.force_login(user_with(roles.MINISTRY_ANALYST, "national"))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("reporting:dashboard"), {"od": "2026-03-01", "do": "2026-03-31"})
    regions = {row[0]: row[1] for row in page.context["table"].rows}
    assert [regions[str(region)][1] for region in two_regions] == [1, 1]  # active in March
    assert [regions[str(region)][4] for region in two_regions] == [100.0, 100.0]  # attendance rate
    assert page.context["to_put_right"].rows
    touched = {name for q in queries for name in re.findall(r'"(\w+)"', q["sql"])}
    assert {"reporting_periodcount", "reporting_activitymonth"} <= touched
    assert touched & {"reporting_activityfigures", "reporting_enrollmentfigures", "reporting_followupfigures"} == set()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one writer at a time")
def test_two_sheets_saved_at_once_are_both_counted():
    club = f.ClubFactory()
    first, second = enroll_active(club), enroll_active(club)
    activity = f.ActivityFactory(club=club, held_on=D(2026, 3, 3))
    saved, errors = threading.Event(), []

    def save(enrollment, wait_before_commit):
        try:
            with transaction.atomic():
                Attendance.record_sheet(activity, [enrollment], {enrollment.pk: "present"})
                saved.set()
                time.sleep(wait_before_commit)  # the other sheet is saved meanwhile
        except Exception as error:  # noqa: BLE001 (reported by the test below)
            errors.append(error)
        finally:
            connection.close()

    one = threading.Thread(target=save, args=(first, 0.5))
    one.start()
    saved.wait(10)
    two = threading.Thread(target=save, args=(second, 0))
    two.start()
    one.join()
    two.join()
    assert errors == []
    assert ActivityFigures.objects.get(pk=activity.pk).attendance_recorded == 2
    assert differences() == []


def drop_out_holding(stay, on, barrier, errors):
    """In a thread: end a stay in a transaction that holds the stay's row, meets the other thread at the barrier
    and commits a moment after the refresh, collecting any error."""
    try:
        with transaction.atomic():
            Enrollment.objects.select_for_update().get(pk=stay.pk)
            barrier.wait()
            stay.drop_out(on, "own_decision")
            time.sleep(0.3)  # the other thread's write comes meanwhile
    except Exception as error:  # noqa: BLE001 (reported by the test)
        errors.append(error)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one writer at a time")
def test_two_stays_of_one_person_and_a_stay_of_another_written_at_once_are_each_counted_once():
    """Two clubs end one person's two stays at once, each transition holding its own stay's row, and a third
    person joins meanwhile: neither waits for the other's stay (no deadlock), each write adds its own
    difference to the same counts, and the person, counted over both stays, is not counted twice."""
    first_club, second_club = f.ClubFactory(), f.ClubFactory()
    person = f.ParticipantFactory()
    stays = [enroll_active(first_club, participant=person), enroll_active(second_club, participant=person)]
    both_hold_their_stay, errors = threading.Barrier(2, timeout=10), []
    end = partial(drop_out_holding, barrier=both_hold_their_stay, errors=errors)

    def join():
        try:
            enroll_active(second_club)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=end, args=(stays[0], D(2026, 2, 10))),
        threading.Thread(target=end, args=(stays[1], D(2026, 2, 20))),
        threading.Thread(target=join),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert differences() == []
    year = counts([Scope("N", Q())], [Period.year(YEAR)])[("N", Period.year(YEAR))]
    assert (year["active"], year["dropped_out"]) == (2, 1)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one writer at a time")
def test_two_writers_of_a_new_month_bring_the_counts_forward_once_and_lose_nothing(monkeypatch):
    """Each counts with the month before; the first to commit brings the counts forward once the other, who
    still holds that month, has committed too; nothing is lost or counted twice."""
    stays = [enroll_active(f.ClubFactory()) for _i in range(2)]
    monkeypatch.setattr(summaries, "this_month", lambda: D(2026, 1, 1))
    summaries.rebuild_counts()
    assert PeriodCount.objects.filter(open=True, start__lte=D(2026, 6, 1)).exists()
    monkeypatch.setattr(summaries, "this_month", lambda: D(2026, 6, 1))
    errors = []
    end = partial(drop_out_holding, barrier=threading.Barrier(2, timeout=10), errors=errors)
    threads = [threading.Thread(target=end, args=(stay, D(2026, 3, 10))) for stay in stays]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert CountHorizon.objects.get().month == D(2026, 6, 1)
    assert not PeriodCount.objects.filter(open=True, start__lte=D(2026, 6, 1)).exists()
    assert differences() == []


# --- bulk paths -------------------------------------------------------------------------------------------


def test_an_import_of_participants_is_counted(two_regions):
    kielce, _katowice = two_regions
    club = f.ClubFactory(region=kielce, registry_number="KIS/26/001")
    user = f.UserFactory(is_staff=True, is_superuser=True)
    pesel = make_pesel(D(1980, 5, 17), male=False, serial=11)
    header = "pesel;imie;nazwisko;plec;klub_numer_rejestru;data_zgloszenia;kategorie"
    raw = f"{header}\n{pesel};Anna;Nowa;female;{club.registry_number};02.01.2026;2"
    result = ParticipantResource().import_data(PortalCSV().create_dataset(raw.encode()), user=user)
    assert [e.error for e in result.base_errors] + [r.error for r in result.invalid_rows] == []
    row = EnrollmentFigures.objects.get(club=club)
    assert row.applied_on == D(2026, 1, 2) and row.sex == "female"
    assert differences() == []


def test_deleting_a_stay_an_outcome_a_follow_up_or_an_activity_takes_it_out_of_the_counts(two_regions):
    """The summaries of a deleted row outlive it until its refresh, which subtracts them from the counts."""
    kielce, _katowice = two_regions
    club = kielce.clubs.get()

    def stored():
        return {
            (row.scope, row.kind, row.start, row.open, row.measure): row.n for row in PeriodCount.objects.exclude(n=0)
        }, list(ActivityMonth.objects.order_by("pk").values())

    empty = stored()
    enrollment = enroll_active(club)
    enrollment.drop_out(D(2026, 2, 27), "own_decision")
    outcome = f.OutcomeFactory(enrollment=enrollment, recorded_on=D(2026, 2, 27))
    f.FollowUpFactory(outcome=outcome, months_after=3, checked_on=D(2026, 5, 28))
    f.FollowUpFactory(outcome=outcome, months_after=6, checked_on=D(2026, 8, 28)).delete()
    assert differences() == []
    outcome.delete()
    assert differences() == []
    activity = f.ActivityFactory(club=club, held_on=D(2026, 3, 17))
    staying = club.enrollments.exclude(pk=enrollment.pk).get()
    Attendance.record_sheet(activity, [staying], {staying.pk: "present"})
    assert stored() != empty
    activity.delete()
    enrollment.delete()
    assert differences() == []
    assert stored() == empty


def test_anonymisation_keeps_the_figures(two_regions):
    kielce, _katowice = two_regions
    done = enroll_active(kielce.clubs.get(), status=S.COMPLETED, exit_on=D(2026, 2, 1), exit_reason="plan_completed",
                         certificate_number="KIS/9/2026", certificate_issued_on=D(2026, 2, 1))  # fmt: skip
    report = figures.region_report(kielce, PERIODS[2], PERIODS[2].year_earlier())
    anonymise([done.participant], D(2033, 1, 1))
    same(figures.region_report(kielce, PERIODS[2], PERIODS[2].year_earlier()), report)
    assert differences() == []


def test_a_merge_of_organisations_moves_their_activities_to_the_kept_ones_type(two_regions):
    kielce, _katowice = two_regions
    club = kielce.clubs.get()
    source = f.OrganizationFactory(region=kielce, stakeholder_type="C")
    target = f.OrganizationFactory(region=kielce, stakeholder_type="B")
    activity = f.ActivityFactory(club=club, provider=source, held_on=D(2026, 4, 4))
    assert ActivityFigures.objects.get(pk=activity.pk).provider_type == "C"
    merge(source, target)
    assert ActivityFigures.objects.get(pk=activity.pk).provider_type == "B"
    target.stakeholder_type = "A"
    target.save()
    assert ActivityFigures.objects.get(pk=activity.pk).provider_type == "A"
    assert differences() == []


def test_weekly_copies_of_an_activity_are_counted(two_regions):
    kielce, _katowice = two_regions
    activity = f.ActivityFactory(club=kielce.clubs.get(), held_on=D(2026, 4, 6), hours=2)
    copies = activity.repeat_weekly(D(2026, 4, 27))
    assert ActivityFigures.objects.filter(pk__in=[c.pk for c in copies]).count() == len(copies) == 3
    assert differences() == []


@pytest.mark.usefixtures("pilot")
def test_demo_and_synthetic_data_are_summarised(monkeypatch):
    from demo import synthetic

    monkeypatch.setitem(synthetic.SCALES, "region", synthetic.Scale(1, 6, 3, 12, 40, 50, 90, 400))
    synthetic.generate("region", progress=lambda line: None)
    assert EnrollmentFigures.objects.count() == Enrollment.objects.count() > 40
    recorded = ActivityFigures.objects.aggregate(n=Sum("attendance_recorded"))["n"]
    assert recorded == Attendance.objects.count() > 400
    assert differences() == []


# --- the operator's command ------------------------------------------------------------------------------


def test_rebuild_figures_check_lists_every_difference_and_rebuild_repairs_them(two_regions, capsys):
    kielce, katowice = two_regions
    call_command("rebuild_figures", "--check")
    assert "agree" in capsys.readouterr().out
    changed = EnrollmentFigures.objects.filter(club__region=kielce).get()
    EnrollmentFigures.objects.filter(pk=changed.pk).update(status=S.DROPPED_OUT)
    ActivityFigures.objects.filter(club__region=katowice).delete()
    with pytest.raises(SystemExit) as exit_status:
        call_command("rebuild_figures", "--check")
    out = capsys.readouterr().out.splitlines()
    assert exit_status.value.code == 1
    activity = katowice.clubs.get().activities.get()
    assert out == [
        f"enrollment {changed.pk}: status is 'dropped_out', should be 'active'",
        f"activity {activity.pk}: missing",
    ]
    call_command("rebuild_figures")
    counts = PeriodCount.objects.count()
    assert capsys.readouterr().out.splitlines() == [
        "enrollments: 2 of 2",
        "activities: 2 of 2",
        "people counted: 2 of 2",
        f"Summaries rebuilt: 4 rows, {counts} counts.",
    ]
    assert differences() == []
    # A stored count that drifted is listed and repaired.
    drifted = PeriodCount.objects.filter(scope=f"R{kielce.pk}", kind="month", measure="active").earliest("start")
    PeriodCount.objects.filter(pk=drifted.pk).update(n=7)
    with pytest.raises(SystemExit):
        call_command("rebuild_figures", "--check")
    assert capsys.readouterr().out.splitlines() == [
        f"count R{kielce.pk} month {drifted.start} active: is 7, should be 1"
    ]
    call_command("rebuild_figures")
    assert differences() == []
