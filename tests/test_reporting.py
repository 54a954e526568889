"""Reports: figures on a hand-built dataset, small-cell suppression, exports equal to pages, query budgets."""

import csv
import datetime
import io
import random
from decimal import Decimal
from fractions import Fraction

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from openpyxl import load_workbook

from ksr_portal import roles
from ksr_portal.models import UserScope
from participants.choices import EligibilityCategoryCodeChoices, EnrollmentStatusChoices
from reporting import figures
from reporting.counts import Scope
from reporting.periods import Period
from reporting.tables import Table, legend, suppress

from . import factories as f

pytestmark = pytest.mark.django_db
PERIOD = Period(datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
D = datetime.date


# --- suppression ---------------------------------------------------------------------------------------


def hidden_cells(table):
    return sorted(table.hidden)


def test_primary_and_complementary_suppression_on_a_table_designed_to_leak():
    # A 3 hidden alone could be recovered from its row total (13 - 10) or column total (11 - 8).
    table = Table(
        "leak",
        ["x", "y", "total"],
        [("a", [3, 10, 13]), ("b", [8, 12, 20]), ("total", [11, 22, 33])],
        total_row=True,
        total_column=True,
    )
    suppress(table, threshold=4)
    assert hidden_cells(table) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    # Every line has no hidden cell or at least two: nothing can be solved from the totals.
    for r in range(3):
        assert sum((r, c) in table.hidden for c in range(3)) in (0, 2)
    for c in range(3):
        assert sum((r, c) in table.hidden for r in range(3)) in (0, 2)
    # The 10 hidden beside the 3 is not "<5": every hidden cell prints as the symbol, explained once.
    assert [str(cell) for cell in table.display_rows()[0][1]] == ["Δ", "Δ", "13"]
    assert legend([table]).startswith("Δ")
    assert legend([Table("none hidden", ["n"], [("a", [30])])]) == ""


def rank(equations):
    rows = [[Fraction(x) for x in row] for row in equations]
    found = 0
    for c in range(len(rows[0]) if rows else 0):
        pivot = next((r for r in range(found, len(rows)) if rows[r][c]), None)
        if pivot is None:
            continue
        rows[found], rows[pivot] = rows[pivot], rows[found]
        for r in range(found + 1, len(rows)):
            factor = rows[r][c] / rows[found][c]
            rows[r] = [a - factor * b for a, b in zip(rows[r], rows[found], strict=True)]
        found += 1
    return found


def recoverable(table, threshold):
    """The small counts hidden in `table` that a reader can work out by adding and subtracting what it shows.

    Every total of a row or column is an equation in the hidden cells of its line; a hidden cell can be
    worked out exactly when its unit vector lies in the span of those equations (appending it leaves the
    rank as it was)."""
    grid = [values for _label, values in table.rows]
    last_row, last_column = len(grid) - 1, len(grid[0]) - 1
    unknown = sorted(table.hidden)
    lines = []
    if table.total_row:
        lines += [([(r, c) for r in range(last_row)], (last_row, c)) for c in range(len(grid[0]))]
    if table.total_column:
        lines += [([(r, c) for c in range(last_column)], (r, last_column)) for r in range(len(grid))]
    equations = [[1 if cell in parts else -1 if cell == total else 0 for cell in unknown] for parts, total in lines]
    equations = [row for row in equations if any(row)]
    base = rank(equations)
    return [
        cell
        for i, cell in enumerate(unknown)
        if 0 < grid[cell[0]][cell[1]] <= threshold
        and rank([*equations, [int(j == i) for j in range(len(unknown))]]) == base
    ]


def with_both_totals(inner):
    rows = [(f"r{i}", [*values, sum(values)]) for i, values in enumerate(inner)]
    sums = [sum(values[c] for values in inner) for c in range(len(inner[0]))]
    rows.append(("total", [*sums, sum(sums)]))
    return Table("leak", [f"c{c}" for c in range(len(sums) + 1)], rows, total_row=True, total_column=True)


def test_a_chain_of_hidden_cells_between_the_totals_cannot_be_solved():
    inner = [[2, 5, 1, 0, 6], [15, 15, 3, 2, 10], [15, 8, 2, 5, 15], [6, 10, 15, 30, 2]]
    # Two hidden cells in every line is not enough here: with these hidden, row 0 and the columns
    # crossing it give the 1 of row 0 away (the rows' and columns' equations fix it alone).
    two_per_line = with_both_totals(inner)
    two_per_line.hidden = {(0, 0), (0, 2), (0, 4), (1, 2), (1, 3), (2, 2), (2, 3), (3, 0), (3, 4)}
    assert recoverable(two_per_line, 4) == [(0, 2)]
    table = suppress(with_both_totals(inner), threshold=4)
    assert recoverable(table, 4) == []
    assert {(0, 0), (0, 2), (1, 2), (1, 3), (2, 2), (3, 4)} <= table.hidden  # every count of 1 to 4
    for line in [[(r, c) for r in range(5)] for c in range(6)] + [[(r, c) for c in range(6)] for r in range(5)]:
        assert sum(cell in table.hidden for cell in line) != 1


def test_no_table_with_totals_both_ways_gives_a_small_count_away():
    rng = random.Random(19)
    counts = [0, 1, 2, 3, 4, 5, 6, 8, 10, 15, 30]
    for _i in range(800):
        width = rng.randint(2, 5)
        inner = [[rng.choice(counts) for _c in range(width)] for _r in range(rng.randint(2, 5))]
        table = suppress(with_both_totals(inner), threshold=4)
        assert recoverable(table, 4) == [], inner


def test_zeros_and_large_counts_stay_and_a_small_total_is_hidden_too():
    table = Table("t", ["n"], [("a", [0]), ("b", [2]), ("c", [30]), ("all", [32])], total_row=True)
    suppress(table, threshold=4)
    assert hidden_cells(table) == [(1, 0), (2, 0)]  # 2, and 30 so that 32 - 30 does not give it away
    small = Table("t", ["n"], [("a", [0]), ("b", [3]), ("all", [3])], total_row=True)
    suppress(small, threshold=4)
    assert hidden_cells(small) == [(1, 0), (2, 0)]


def test_the_threshold_comes_from_settings(settings):
    settings.KSR_SMALL_CELL_THRESHOLD = 9
    table = suppress(Table("t", ["n"], [("a", [7]), ("b", [12])]))
    assert table.hidden == {(0, 0)} and table.cell(1, 0) == 12


def test_tables_of_things_not_people_are_never_suppressed():
    table = suppress(Table("hours", ["h"], [("a", [2])], people=False))
    assert table.cell(0, 0) == 2


# --- a hand-built region ------------------------------------------------------------------------------------


def enroll(person, club, applied, started=None, exit_on=None, status=None, **extra):
    status = status or (EnrollmentStatusChoices.ACTIVE if started else EnrollmentStatusChoices.CANDIDATE)
    closed = {}
    if exit_on:
        closed = {"exit_on": exit_on, "exit_reason": "plan_completed" if status == "completed" else "own_decision"}
    return f.EnrollmentFactory(
        participant=person, club=club, applied_on=applied, qualified_on=started and applied, started_on=started,
        status=status, **closed, **extra,
    )  # fmt: skip


@pytest.fixture
def region():
    kielce = f.RegionFactory(terc="26")
    one, two = f.ClubFactory(region=kielce), f.ClubFactory(region=kielce)
    cat2, cat5 = f.EligibilityCategoryFactory(code="2"), f.EligibilityCategoryFactory(code="5")
    anna = f.ParticipantFactory(sex="female", birth_date=D(1995, 3, 1))
    enroll(anna, one, D(2026, 1, 10), D(2026, 1, 20), education_level="isced_3",
           labour_market_status="unemployed_registered", eligibility_categories=[cat5])  # fmt: skip
    jan = f.ParticipantFactory(sex="male", birth_date=D(1975, 5, 5))  # in both clubs: one person
    enroll(jan, one, D(2025, 10, 1), D(2025, 10, 10), education_level="isced_2",
           labour_market_status="inactive", eligibility_categories=[cat2, cat5])  # fmt: skip
    enroll(jan, two, D(2026, 2, 1), D(2026, 2, 5), education_level="isced_2", labour_market_status="inactive",
           eligibility_categories=[cat2])  # fmt: skip
    ewa = f.ParticipantFactory(sex="female", birth_date=D(1980, 1, 1))
    done = enroll(ewa, two, D(2025, 9, 1), D(2025, 9, 10), D(2026, 3, 31), "completed", education_level="isced_1",
                  labour_market_status="unemployed_registered", eligibility_categories=[cat2],
                  certificate_number="KIS/1/2026", certificate_issued_on=D(2026, 3, 31))  # fmt: skip
    f.OutcomeFactory(enrollment=done, recorded_on=D(2026, 3, 31), situation="employed")
    piotr = f.ParticipantFactory(sex="male", birth_date=D(1990, 7, 7))
    enroll(piotr, one, D(2026, 2, 1), D(2026, 2, 10), D(2026, 4, 15), "dropped_out", education_level="isced_3",
           labour_market_status="unemployed_unregistered", eligibility_categories=[cat5])  # fmt: skip
    enroll(f.ParticipantFactory(sex="female"), one, D(2026, 5, 5))  # a candidate: enrolled, never active
    enroll(f.ParticipantFactory(), f.ClubFactory(region=f.RegionFactory(terc="24")), D(2026, 1, 5), D(2026, 1, 6))
    activity = f.ActivityFactory(club=one, held_on=D(2026, 3, 3), hours=3, service__pillar__code="social")
    f.AttendanceFactory(activity=activity, enrollment=anna.enrollments.get(), status="present")
    f.AttendanceFactory(activity=activity, enrollment=jan.enrollments.get(club=one), status="absent")
    return kielce


def table_named(tables, start):
    return next(t for t in tables if t.title.startswith(start))


def column(table, index=0):
    return {label: values[index] for label, values in table.rows}


def test_region_report_figures_written_out_by_hand(region):
    tables = figures.region_report(region, PERIOD, PERIOD.preceding())
    headline = column(tables[1])
    # enrolled: Anna, Piotr, the candidate, and Jan (his second club) = 4; active: Anna, Jan, Ewa, Piotr = 4
    assert list(headline.values()) == [4, 4, 1, 1]
    assert [values[0] for _label, values in tables[2].rows] == [2, 2, 0, 4]  # women, men, non-binary, all
    by_age = column(tables[3])
    # Age on entry: Anna 30, Jan 50 (earliest enrollment), Ewa 45, Piotr 35.
    assert [by_age["25–34"], by_age["35–44"], by_age["45–54"]] == [1, 1, 2]
    education = dict(
        zip([v for v, _l in figures.EnrollmentEducationLevelChoices.choices], tables[4].rows, strict=False)
    )
    assert education["isced_3"][1][0] == 2 and education["isced_2"][1][0] == 1 and education["isced_1"][1][0] == 1
    categories = [values[0] for _label, values in tables[6].rows]
    assert categories == [0, 2, 0, 0, 3, 0, 0, 0]  # cat. 2: Jan, Ewa; cat. 5: Anna, Jan, Piotr
    assert [values[0] for _label, values in tables[7].rows] == [3, 0, 0, 0, 0, 0]  # hours by pillar
    rate = tables[9].rows[0][1][0]
    assert rate == 50.0
    leaving = tables[10]
    assert leaving.rows[0][1][0] == 1 and leaving.rows[-1][1][0] == 1  # Ewa, employed
    # The preceding period (2025-07-04 to 2025-12-31): Jan and Ewa active, both applied then.
    assert [values[1] for _label, values in tables[1].rows] == [2, 2, 0, 0]


def test_a_period_is_compared_with_the_same_dates_a_year_earlier():
    assert PERIOD.year_earlier() == Period(D(2025, 1, 1), D(2025, 6, 30))
    assert Period(D(2024, 2, 1), D(2024, 2, 29)).year_earlier() == Period(D(2023, 2, 1), D(2023, 2, 28))
    assert PERIOD.preceding() == Period(D(2025, 7, 4), D(2025, 12, 31))


def test_region_report_compares_with_a_year_earlier_unless_asked(client, region):
    client.force_login(user_with(roles.ROPS_STAFF, "region", region))
    url = reverse("reporting:region", args=["26"])
    page = client.get(url, dates())
    assert page.context["compared"] == PERIOD.year_earlier()
    assert page.context["tables"][1].columns[1] == str(PERIOD.year_earlier())
    preceding = client.get(url, dates() | {"porownanie": "poprzedni"})
    assert preceding.context["compared"] == PERIOD.preceding()
    assert preceding.context["tables"][1].columns[1] == str(PERIOD.preceding())
    refused = client.get(url, dates() | {"porownanie": "coś"})
    assert refused.status_code == 400 and refused.context["compared"] == PERIOD.year_earlier()


def test_eu_indicators_by_sex(region):
    table = figures.eu_indicators(Scope.of_region(region), PERIOD)[0]
    rows = {label: values for label, values in table.rows}
    joined = table.rows[0][1]
    assert joined == [1, 2, 0, 3]  # joined in the period: Anna; Jan (second club), Piotr
    assert table.rows[-2][1] == [1, 0, 0, 1]  # employed on leaving: Ewa
    assert len(rows) == len(table.rows)


def test_annual_club_report_per_club_and_summed(region):
    f.StaffPositionFactory(club=region.clubs.first(), year=2026, fte=1)
    f.StaffPositionFactory(club=region.clubs.first(), year=2026, fte="0.5", employment_basis="volunteer")
    first, second = region.clubs.order_by("name")
    f.AnnualSettlementFactory(
        club=first,
        year=2026,
        subsidy_granted=100000,
        subsidy_spent=92500,
        subsidy_returned=7500,
        subsidy_returned_on=datetime.date(2027, 1, 20),
        submitted_on=datetime.date(2027, 3, 30),
    )
    work, basis, people, money, filed = figures.annual_club_report(region.clubs.all(), 2026)
    assert work.rows[0][1][:2] == [2, 1.5] and work.rows[-1][1][0] == 2
    assert dict(basis.rows) == {
        "umowa o pracę": [1, 1],
        "umowa cywilnoprawna": [0, 0],
        "oddelegowanie przez podmiot prowadzący": [0, 0],
        "wolontariusz": [1, Decimal("0.5")],
        "wszystkie kluby": [2, Decimal("1.5")],
    }
    participants = [values[0] for _label, values in people.rows]
    assert participants == [3, 2, 5]  # club one: Anna, Jan, Piotr; club two: Jan, Ewa; summed per club
    assert people.rows[1][1][-1] == 1  # Ewa took employment after leaving club two
    assert people.columns[1:9] == [f"{code}. {label}" for code, label in EligibilityCategoryCodeChoices.choices]
    assert money.rows == [
        (str(first), [100000, 92500, 7500]),
        (str(second), [0, 0, 0]),
        ("wszystkie kluby", [100000, 92500, 7500]),
    ]
    assert filed.rows == [
        (str(first), ["30.03.2027"]),
        (str(second), ["nie złożono"]),
        ("wszystkie kluby", ["złożono 1 z 2"]),
    ]


# --- pages, exports, access ------------------------------------------------------------------------------


def user_with(role, level, region=None, club=None):
    user = f.UserFactory(is_staff=True)
    user.groups.add(roles.role_group(role))
    UserScope.objects.create(user=user, level=level, region=region, club=club)
    return user


def number(text):
    try:
        return float(str(text))
    except ValueError:
        return text


def dates():
    return {"od": PERIOD.start.isoformat(), "do": PERIOD.end.isoformat()}


def test_the_region_report_beside_its_year_earlier_gives_no_small_count_away(client, region, settings):
    club = region.clubs.first()
    for _i in range(12):  # active in both periods: the totals are large, the men's cells small
        enroll(f.ParticipantFactory(sex="female", birth_date=D(1985, 1, 1)), club, D(2024, 11, 1), D(2024, 12, 1),
               education_level="isced_3", labour_market_status="inactive")  # fmt: skip
    client.force_login(user_with(roles.ROPS_STAFF, "region", region))
    page = client.get(reverse("reporting:region", args=["26"]), dates())
    tables = [t for t in page.context["tables"] if t.people]
    assert page.context["compared"] == PERIOD.year_earlier() and any(t.hidden for t in tables)
    for table in tables:
        assert recoverable(table, settings.KSR_SMALL_CELL_THRESHOLD) == [], table.title
    # A total printed in one breakdown is printed in every other: none can be subtracted from another's.
    totals = [(t.rows[-1][0], [t.cell(len(t.rows) - 1, c) for c in range(2)]) for t in tables if t.total_row]
    active = [cells for label, cells in totals if label == "wszyscy aktywni uczestnicy"]
    assert len(active) == 4 and all(cells == active[0] for cells in active)
    assert active[0] == [16, 12]  # 12 + Anna, Jan, Ewa, Piotr; a year earlier (January to June 2025) the 12


def test_page_and_exports_show_the_same_suppressed_figures(client, region):
    client.force_login(user_with(roles.ROPS_STAFF, "region", region))
    url = reverse("reporting:region", args=["26"])
    page = client.get(url, dates())
    assert page.status_code == 200
    shown = [[label, *[str(c) for c in cells]] for t in page.context["tables"] for label, cells in t.display_rows()]
    assert any("Δ" in row for row in shown)  # the small counts are hidden from ROPS staff
    assert page.context["legend"].startswith("Δ") and page.context["legend"] in page.content.decode()
    exported_csv = client.get(url, dates() | {"format": "csv"})
    rows = list(csv.reader(io.StringIO(exported_csv.content.decode("utf-8-sig")), delimiter=";"))
    data = [row for row in rows if len(row) > 1 and row[0]]
    assert data == shown
    assert rows[-1] == [page.context["legend"]]  # the file explains its symbol too
    exported = client.get(url, dates() | {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(exported.content)).active
    xlsx = [
        [str(c) for c in row if c is not None]
        for row in sheet.iter_rows(values_only=True)
        if len(row) > 1 and row[0] and row[1] is not None
    ]
    assert [[number(cell) for cell in row] for row in xlsx] == [[number(cell) for cell in row] for row in shown]
    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, changes__has_key="export")
    assert entries.count() == 2


def test_club_staff_see_their_own_figures_unsuppressed(client, region):
    club = region.clubs.first()
    client.force_login(user_with(roles.KIS_COORDINATOR, "club", region, club))
    page = client.get(reverse("reporting:annual"), {"rok": 2026})
    people = page.context["tables"][2]
    assert people.hidden == set() and [v[0] for _l, v in people.rows] == [3, 3]


def test_a_region_report_out_of_scope_is_404(client, region):
    client.force_login(user_with(roles.ROPS_STAFF, "region", f.RegionFactory(terc="24")))
    assert client.get(reverse("reporting:region", args=["26"])).status_code == 404
    client.force_login(user_with(roles.KIS_COORDINATOR, "club", region, region.clubs.first()))
    assert client.get(reverse("reporting:dashboard")).status_code == 404


def test_a_regions_dashboard_speaks_of_its_region(client, region):
    client.force_login(user_with(roles.ROPS_STAFF, "region", region))
    page = client.get(reverse("reporting:dashboard"), dates())
    assert page.context["title"].startswith("Pulpit województwa: świętokrzyskie")
    assert [label for label, _values in page.context["table"].rows] == ["świętokrzyskie"]
    assert "Polska" not in page.content.decode() and "krajowy" not in page.context["title"]
    client.force_login(user_with(roles.MINISTRY_ANALYST, "national"))
    national = client.get(reverse("reporting:dashboard"), dates())
    assert national.context["title"].startswith("Pulpit krajowy")
    assert national.context["table"].rows[-1][0].startswith("Polska")


def test_dashboard_for_the_ministry_compares_all_regions_in_bounded_queries(
    client, region, django_assert_max_num_queries
):
    for terc in figures_regions():
        f.RegionFactory(terc=terc)
    client.force_login(user_with(roles.MINISTRY_ANALYST, "national"))
    with django_assert_max_num_queries(20):
        page = client.get(reverse("reporting:dashboard"), dates())
    assert len(page.context["tiles"]) == 16 and all(t["readable"] for t in page.context["tiles"])
    assert "<svg" in page.content.decode()
    kielce = next(t for t in page.context["tiles"] if t["terc"] == "26")
    assert str(kielce["value"]) == "Δ"  # four people: suppressed for the ministry
    assert page.context["legend"]
    table = page.context["table"]
    row = [label for label, _values in table.rows].index("świętokrzyskie")
    assert table.cell(row, 0) == 2  # clubs are not people: never suppressed
    for _i in range(10):
        f.EnrollmentFactory(
            club=region.clubs.first(), applied_on=D(2026, 1, 2), qualified_on=D(2026, 1, 2), started_on=D(2026, 1, 3)
        )
    with django_assert_max_num_queries(20):
        client.get(reverse("reporting:dashboard"), dates())


def test_region_report_runs_in_bounded_queries(client, region, django_assert_max_num_queries):
    client.force_login(user_with(roles.ROPS_STAFF, "region", region))
    with django_assert_max_num_queries(30):
        client.get(reverse("reporting:region", args=["26"]), dates())
    for _i in range(10):
        f.EnrollmentFactory(
            club=region.clubs.first(), applied_on=D(2026, 1, 2), qualified_on=D(2026, 1, 2), started_on=D(2026, 1, 3)
        )
        f.MeetingFactory(network=f.LocalNetworkFactory(region=region), held_on=D(2026, 2, 2))
    with django_assert_max_num_queries(30):
        client.get(reverse("reporting:region", args=["26"]), dates())


def figures_regions():
    return [f"{n:02d}" for n in range(2, 33, 2)]


@pytest.mark.parametrize("language", ["pl", "en"])
def test_a_tables_rows_print_as_the_template_language_would_print_them(language):
    """`Table.body` prints a report's rows in Python: localised figures, escaped labels, hidden cells, the total."""
    from django.template import Context, Template
    from django.utils import translation

    table = Table(
        "T",
        ["a", "b", "c"],
        [("<b>Łódź & co</b>", [3, Decimal("2.5"), 97.5]), ("x", [1, Decimal("4.0"), 1234567]), ("all", [4, 6, 0])],
        total_row=True,
    )
    suppress(table, threshold=3)
    assert table.hidden
    loop = Template(
        "{% for label, cells in table.display_rows %}"
        '<tr{% if forloop.last and table.total_row %} class="total"{% endif %}><th scope="row">{{ label }}</th>'
        "{% for cell in cells %}<td>{{ cell }}</td>{% endfor %}</tr>{% if not forloop.last %}\n{% endif %}"
        "{% endfor %}"
    )
    with translation.override(language):
        assert table.body() == loop.render(Context({"table": table}))
        assert "&lt;b&gt;Łódź &amp; co&lt;/b&gt;" in table.body()
