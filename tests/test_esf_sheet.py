"""The ESF+ participant sheet: every value of a hand-built club written out, the columns of the documented
layout, only for readers who see people whole, and never a person out of scope."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from demo.pilot import make_pesel
from ksr_portal import roles
from reporting import esf

from . import factories as f
from .test_reporting import user_with

pytestmark = pytest.mark.django_db
D = datetime.date
PERIOD = {"od": "2026-01-01", "do": "2026-06-30"}
URL = reverse("reporting:esf_participants")
DOC = Path(settings.BASE_DIR) / "docs" / "esf-participant-sheet.md"


def documented_headers():
    """The headers of the documented layout, in its order: the second cell of each numbered row."""
    rows = [line.split("|") for line in DOC.read_text(encoding="utf-8").splitlines()]
    return [cells[2].strip() for cells in rows if len(cells) > 2 and re.fullmatch(r" \d+ ", cells[1])]


def stay(person, club, applied, started, exit_on=None, status="active", **extra):
    closed = {}
    if exit_on:
        closed = {"exit_on": exit_on, "exit_reason": "plan_completed" if status == "completed" else "own_decision"}
    return f.EnrollmentFactory(
        participant=person, club=club, applied_on=applied, qualified_on=applied, started_on=started,
        status=status, **closed, **extra,
    )  # fmt: skip


@pytest.fixture
def club():
    """Anna (completed, employed, a 6-month follow-up), Bogdan (no PESEL, nothing recorded, still taking
    part) and Ewa (two stays in the club, and a third in another club); people outside the sheet around them."""
    kielce = f.RegionFactory(terc="26")
    alfa = f.ClubFactory(region=kielce, name="KIS Alfa", grant_agreement_number="FESW.09.04-IZ.00-0001/25")
    beta = f.ClubFactory(region=kielce, name="KIS Beta")
    bodzentyn = f.MunicipalityFactory(region=kielce, name="Bodzentyn", degurba="3", county__name="kielecki")
    born = D(1990, 3, 15)
    anna = f.ParticipantFactory(
        first_name="Anna", last_name="Nowak", sex="female", birth_date=born,
        pesel=make_pesel(born, male=False, serial=7), municipality=bodzentyn,
    )  # fmt: skip
    done = stay(anna, alfa, D(2026, 1, 10), D(2026, 1, 20), D(2026, 5, 29), "completed",
                education_level="isced_3", labour_market_status="unemployed_registered", long_term_unemployed=True,
                disability="yes", minority_or_migrant="refused", homeless="no", other_disadvantage="no")  # fmt: skip
    outcome = f.OutcomeFactory(enrollment=done, recorded_on=D(2026, 5, 29), qualification_gained=True)
    f.FollowUpFactory(outcome=outcome, months_after=6, checked_on=D(2026, 12, 1), situation="self_employed")
    bogdan = f.ParticipantFactory(first_name="Bogdan", last_name="Kowalski", sex="male", pesel="",
                                  birth_date=D(1970, 7, 1))  # fmt: skip
    stay(bogdan, alfa, D(2026, 2, 1), D(2026, 2, 2))
    ewa = f.ParticipantFactory(first_name="Ewa", last_name="Wiśniewska", sex="female", birth_date=D(1960, 1, 1))
    stay(ewa, alfa, D(2025, 11, 1), D(2025, 11, 10), D(2026, 1, 15), "dropped_out", education_level="isced_1",
         labour_market_status="inactive", disability="no", minority_or_migrant="no", homeless="yes")  # fmt: skip
    again = stay(ewa, alfa, D(2026, 3, 1), D(2026, 3, 5), D(2026, 6, 20), "completed", education_level="isced_2",
                 labour_market_status="inactive", disability="no", minority_or_migrant="no", homeless="no")  # fmt: skip
    f.OutcomeFactory(enrollment=again, recorded_on=D(2026, 6, 20), situation="job_seeking")
    stay(ewa, beta, D(2026, 4, 1), D(2026, 4, 1))
    gone = f.ParticipantFactory(last_name="Zieliński")  # left before the period
    stay(gone, alfa, D(2025, 1, 10), D(2025, 1, 20), D(2025, 12, 20), "completed")
    f.EnrollmentFactory(participant=f.ParticipantFactory(last_name="Kandydat"), club=alfa, applied_on=D(2026, 2, 1),
                        status="candidate", qualified_on=None, started_on=None)  # fmt: skip
    elsewhere = f.ParticipantFactory(last_name="Śląski")
    stay(elsewhere, f.ClubFactory(region=f.RegionFactory(terc="24")), D(2026, 1, 5), D(2026, 1, 6))
    return alfa, {"anna": anna, "bogdan": bogdan, "ewa": ewa, "gone": gone, "elsewhere": elsewhere}


NOT_HELD = "brak danych"
GRANT = "FESW.09.04-IZ.00-0001/25"
EXPECTED = {
    "anna": [
        GRANT, "KIS Alfa", "Polska", "indywidualny", "", "Anna", "Nowak", None, "nie", "kobieta", 35,
        "ISCED 3: ponadgimnazjalne", "świętokrzyskie", "kielecki", "Bodzentyn", NOT_HELD, NOT_HELD,
        "3 – obszary wiejskie", NOT_HELD, NOT_HELD, "2026-01-20", "2026-05-29",
        "osoba bezrobotna zarejestrowana w urzędzie pracy", "tak", "tak", "odmowa podania informacji", "nie", "nie",
        "tak", "zatrudnienie na otwartym rynku pracy", "nie", "nie", "tak", "tak", "samozatrudnienie", "tak",
    ],
    "bogdan": [
        GRANT, "KIS Alfa", "", "indywidualny", "", "Bogdan", "Kowalski", "", "tak", "mężczyzna", 55,
        "", "", "", "", NOT_HELD, NOT_HELD, "", NOT_HELD, NOT_HELD, "2026-02-02", "", "", "", "", "", "", "",
        "", "", "", "", "", "", "", "",
    ],
    # The earliest stay gives the entry (ISCED 1, homeless), the latest the leaving.
    "ewa": [
        GRANT, "KIS Alfa", "", "indywidualny", "", "Ewa", "Wiśniewska", None, "nie", "kobieta", 65,
        "ISCED 1: podstawowe", "", "", "", NOT_HELD, NOT_HELD, "", NOT_HELD, NOT_HELD, "2025-11-10", "2026-06-20",
        "osoba bierna zawodowo", "nie", "nie", "nie", "tak", "", "tak", "poszukiwanie pracy", "tak", "nie", "nie",
        "nie", "", "",
    ],
}  # fmt: skip


def expected(people, name):
    row = list(EXPECTED[name])
    if row[7] is None:
        row[7] = people[name].pesel
    return row


def coordinator(club):
    return user_with(roles.KIS_COORDINATOR, "club", club.region, club)


def test_every_value_of_the_sheet_written_out(client, club):
    alfa, people = club
    client.force_login(coordinator(alfa))
    page = client.get(URL, PERIOD)
    assert page.status_code == 200
    assert page.context["headers"] == documented_headers()
    # Sorted by last name in Polish order: Kowalski, Nowak, Wiśniewska; Ewa's two stays are one row.
    assert page.context["rows"] == [expected(people, name) for name in ("bogdan", "anna", "ewa")]
    text = page.content.decode()
    for name in ("Zieliński", "Kandydat", "Śląski", "KIS Beta"):
        assert name not in text
    # The indicators of the same people, not suppressed for the club: Anna and Ewa, Bogdan joined; Anna
    # refused one answer; on leaving Anna was employed and Ewa sought work; no 6-month check in the period.
    indicators = {label: values for label, values in page.context["tables"][0].rows}
    assert indicators["uczestnicy, którzy przystąpili"] == [2, 1, 0, 3]
    assert indicators["odmowa podania informacji o sytuacji w chwili przystąpienia"] == [1, 0, 0, 1]
    assert indicators["osoby obcego pochodzenia, z państw trzecich lub należące do mniejszości (w tym Romowie)"] == [
        0, 0, 0, 0
    ]  # fmt: skip
    assert indicators["poszukujący pracy po zakończeniu udziału"] == [1, 0, 0, 1]
    assert indicators["kształcący się lub szkolący po zakończeniu udziału"] == [0, 0, 0, 0]
    assert indicators["pracujący po zakończeniu udziału"] == [1, 0, 0, 1]
    assert indicators["pracujący 6 miesięcy po zakończeniu udziału"] == [0, 0, 0, 0]


def test_the_exports_have_the_documented_columns_and_the_pages_rows(client, club):
    alfa, people = club
    client.force_login(coordinator(alfa))
    headers = documented_headers()
    assert len(headers) == 36 and headers == esf.HEADERS
    rows = client.get(URL, PERIOD).context["rows"]
    sheet = load_workbook(io.BytesIO(client.get(URL, PERIOD | {"format": "xlsx"}).content)).active
    lines = [[cell if cell is not None else "" for cell in line] for line in sheet.iter_rows(values_only=True)]
    assert lines[0] == headers
    assert lines[1:] == [[cell if cell is not None else "" for cell in row] for row in rows]
    assert isinstance(lines[2][7], str) and len(lines[2][7]) == 11  # a PESEL stays text, leading zeros and all
    text = client.get(URL, PERIOD | {"format": "csv"}).content.decode("utf-8-sig")
    parsed = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert parsed[0] == headers
    assert parsed[1:] == [[str(cell) for cell in row] for row in rows]


def test_reading_and_exporting_the_sheet_are_in_the_audit_trail(client, club):
    alfa, people = club
    user = coordinator(alfa)
    client.force_login(user)
    shown = {str(people[name].pk) for name in ("anna", "bogdan", "ewa")}
    entries = LogEntry.objects.filter(content_type__model="participant", action=LogEntry.Action.ACCESS, actor=user)
    client.get(URL, PERIOD)
    assert set(entries.values_list("object_pk", flat=True)) == shown
    client.get(URL, PERIOD | {"format": "xlsx"})
    exported = entries.filter(changes__export="uczestnicy-efs.xlsx")
    assert sorted(exported.values_list("object_pk", flat=True)) == sorted(shown)


@pytest.mark.parametrize(
    "role,level",
    [
        (roles.KIS_INSTRUCTOR, "club"),
        (roles.ROPS_STAFF, "region"),
        (roles.REGIONAL_ANIMATOR, "region"),
        (roles.NATIONAL_COORDINATOR, "national"),
        (roles.MINISTRY_ANALYST, "national"),
    ],
)
def test_readers_who_may_not_see_identities_get_404_and_no_link(client, club, role, level):
    alfa, _people = club
    user = user_with(role, level, alfa.region if level != "national" else None, alfa if level == "club" else None)
    client.force_login(user)
    assert client.get(URL, PERIOD).status_code == 404
    assert client.get(URL, PERIOD | {"format": "xlsx"}).status_code == 404
    assert client.get(URL, PERIOD | {"format": "csv"}).status_code == 404
    pages = [reverse("participants:worklist")] if level == "club" else [reverse("reporting:eu")]
    if level != "club":
        pages.append(reverse("reporting:dashboard"))
    for page in pages:
        response = client.get(page, PERIOD)
        assert response.status_code == 200 and URL not in response.content.decode(), page
    assert not LogEntry.objects.filter(content_type__model="participant", actor=user).exists()


def test_the_others_read_the_same_people_as_suppressed_counts(client, club):
    alfa, _people = club
    client.force_login(user_with(roles.ROPS_STAFF, "region", alfa.region))
    table = client.get(reverse("reporting:eu"), PERIOD).context["tables"][0]
    assert table.hidden and str(table.display_rows()[0][1][0]) == "Δ"


def test_the_coordinator_finds_the_sheet_from_the_worklist(client, club):
    alfa, _people = club
    client.force_login(coordinator(alfa))
    assert URL in client.get(reverse("participants:worklist")).content.decode()


def test_a_person_in_two_clubs_is_a_row_in_each_and_only_there(client, club):
    alfa, people = club
    beta = people["ewa"].enrollments.get(club__name="KIS Beta").club
    client.force_login(coordinator(beta))
    rows = client.get(URL, PERIOD).context["rows"]
    assert [(row[1], row[6]) for row in rows] == [("KIS Beta", "Wiśniewska")]
    superuser = f.UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)
    rows = client.get(URL, PERIOD).context["rows"]
    assert sorted((row[1], row[6]) for row in rows) == sorted([
        ("KIS Alfa", "Kowalski"), ("KIS Alfa", "Nowak"), ("KIS Alfa", "Wiśniewska"), ("KIS Beta", "Wiśniewska"),
        (str(people["elsewhere"].enrollments.get().club), "Śląski"),
    ])  # fmt: skip
    assert URL in client.get(reverse("reporting:eu"), PERIOD).content.decode()


def test_the_sheet_runs_in_queries_that_do_not_grow_with_the_people(client, club):
    alfa, _people = club
    client.force_login(coordinator(alfa))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            rows = client.get(URL, PERIOD).context["rows"]
        return len(rows), len(captured)

    three, before = queries()
    for _i in range(5):
        person = f.ParticipantFactory(municipality=f.MunicipalityFactory(region=alfa.region))
        f.OutcomeFactory(enrollment=stay(person, alfa, D(2026, 1, 2), D(2026, 1, 3), D(2026, 2, 3), "completed"))
    eight, after = queries()
    assert (three, eight) == (3, 8) and after == before <= 22  # 7 of them the header's worklist counts
