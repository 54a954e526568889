"""What an import tells its user about a bad file: rows as the spreadsheet numbers them, the file's columns,
the value and the reason, in Polish; grouped when thousands of rows are bad, with a file of the errors."""

import base64
import datetime
import io
import logging

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from clubs.resources import ActivityResource, ClubResource
from demo.pilot import make_nip, make_pesel
from ksr_portal.imports import FAULT, PortalCSV, PortalXLSX, error_file, problems, report
from networks.resources import MeetingResource
from participants.models import Enrollment, Participant
from participants.resources import AttendanceResource, ParticipantResource
from stakeholders.resources import MembershipResource, OrganizationResource

from . import factories as f
from .test_imports import PESEL_A, PESEL_B, TWO_PEOPLE, club, coordinator, errors_of, participants_csv, rops, run

pytestmark = pytest.mark.django_db
__all__ = ["club"]  # the fixture, used by name
# Words of django-import-export's own page that must not reach a Polish user.
LIBRARY_WORDS = ["Some rows failed", "No valid data", "Line number", "Numer linii", "Traceback", "Non field", "Błędy"]


def xlsx(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


BAD_DATE = "to nie jest data: wpisz ją jako DD.MM.RRRR."


def test_rows_are_numbered_as_the_spreadsheet_shows_them_in_csv(club):
    # A blank line, a line of empty cells and a cell holding a line break each take one row of the sheet.
    header = "pesel;imie;nazwisko;plec;klub_numer_rejestru;data_zgloszenia"
    raw = (
        f"{header}\n\n{PESEL_A};Łucja;Żółkiewska;K;KIS/26/001;17.02.2026\n;;;;;\n"
        f'{PESEL_B};"Jan\nMaria";Kowal;M;KIS/26/001;jutro\n'
    ).encode()
    assert errors_of(run(ParticipantResource, raw, coordinator(club))) == [
        f"Wiersz 5: kolumna „data_zgloszenia”, wartość „jutro”: {BAD_DATE}"
    ]


def test_rows_are_numbered_as_the_spreadsheet_shows_them_in_xlsx(club):
    header = ["pesel", "imie", "nazwisko", "plec", "klub_numer_rejestru", "data_zgloszenia"]
    good = [PESEL_A, "Łucja", "Żółkiewska", "K", "KIS/26/001", datetime.date(2026, 2, 17)]
    bad = [PESEL_B, "Jan", "Kowal", "M", "KIS/26/001", "31.02.2026"]
    raw = xlsx([header, good, [None] * 6, [], bad])
    assert errors_of(run(ParticipantResource, raw, coordinator(club), PortalXLSX)) == [
        f"Wiersz 5: kolumna „data_zgloszenia”, wartość „31.02.2026”: {BAD_DATE}"
    ]
    assert not Participant.objects.exists()


PERSON = "pesel;imie;nazwisko;plec;data_urodzenia;gmina_terc;klub_numer_rejestru;data_zgloszenia;inna_osoba"


@pytest.mark.parametrize(
    "cells, message",
    [
        (
            f"{PESEL_A};Łucja;Żółkiewska;X;;;KIS/26/001;17.02.2026;",
            "kolumna „plec”, wartość „X”: to nie jest żadna z dozwolonych wartości: female (kobieta), "
            "male (mężczyzna), non_binary (osoba niebinarna).",
        ),
        (
            f"{PESEL_A};Łucja;Żółkiewska;K;17/05/80;;KIS/26/001;17.02.2026;",
            f"kolumna „data_urodzenia”, wartość „17/05/80”: {BAD_DATE}",
        ),
        (
            f"{PESEL_A};Łucja;Żółkiewska;K;;9999999;KIS/26/001;17.02.2026;",
            "kolumna „gmina_terc”, wartość „9999999”: w twoim zakresie nie ma takiego obiektu (gmina).",
        ),
        (f"{PESEL_A};;Żółkiewska;K;;;KIS/26/001;17.02.2026;", "kolumna „imie” (pusta): To pole nie może być puste."),
        (
            f"{PESEL_A};Łucja;Żółkiewska;M;;;KIS/26/001;17.02.2026;",
            "kolumna „plec”, wartość „M”: Płeć nie zgadza się z numerem PESEL (jego dziesiątą cyfrą).",
        ),
        (
            f"{PESEL_A};Łucja;Żółkiewska;K;;;KIS/26/001;17.02.2026;może",
            "kolumna „inna_osoba”, wartość „może”: wpisz „tak” albo „nie”.",
        ),
        (
            ";Łucja;Żółkiewska;K;;;KIS/26/001;17.02.2026;",
            "kolumna „pesel” (pusta): osobę bez numeru PESEL rejestruje się na stronie rejestracji.",
        ),
        (
            f"{PESEL_A};Łucja;Żółkiewska;K;;;KIS/24/009;17.02.2026;",
            "kolumna „klub_numer_rejestru”, wartość „KIS/24/009”: w twoim zakresie nie ma takiego obiektu (klub).",
        ),
    ],
)
def test_each_bad_cell_of_a_participant_row_is_named_by_column_value_and_reason(club, cells, message):
    f.ClubFactory(registry_number="KIS/24/009", region=f.RegionFactory(terc="24"))
    result = run(ParticipantResource, f"{PERSON}\n{cells}\n".encode(), coordinator(club))
    assert errors_of(result) == [f"Wiersz 2: {message}"]
    assert not result.error_rows  # a message for the user, not a fault


def rows_of(text):
    return text.encode("utf-8")


@pytest.mark.parametrize(
    "resource_class, text, message",
    [
        (
            ActivityResource,
            "klub_numer_rejestru;filar;usluga;realizator_nip;tytul;data;liczba_godzin\n"
            "KIS/26/001;social;Warsztaty;{nip};Gotujemy;5 marca;2\n",
            f"kolumna „data”, wartość „5 marca”: {BAD_DATE}",
        ),
        (
            ActivityResource,
            "klub_numer_rejestru;filar;usluga;realizator_nip;tytul;data;liczba_godzin\n"
            "KIS/26/001;social;Warsztaty;{nip};Gotujemy;05.03.2026;dwie\n",
            "kolumna „liczba_godzin”, wartość „dwie”: to nie jest liczba.",
        ),
        (
            ActivityResource,
            "klub_numer_rejestru;filar;usluga;realizator_nip;tytul;data;liczba_godzin\n"
            "KIS/26/001;social;Szydełko;{nip};Gotujemy;05.03.2026;2\n",
            "kolumna „usluga”, wartość „Szydełko”: w twoim zakresie nie ma takiego obiektu (usługa z katalogu).",
        ),
        (
            MeetingResource,
            "siec;data;rodzaj;temat\nLSR Testowa;w marcu;working;Oferta\n",
            f"kolumna „data”, wartość „w marcu”: {BAD_DATE}",
        ),
        (
            AttendanceResource,
            f"klub_numer_rejestru;data;tytul;pesel;obecnosc\nKIS/26/001;wczoraj;Gotujemy;{PESEL_A};obecny\n",
            f"kolumna „data”, wartość „wczoraj”: {BAD_DATE}",
        ),
        (
            AttendanceResource,
            f"klub_numer_rejestru;data;tytul;pesel;obecnosc\nKIS/26/001;05.03.2026;Gotujemy;{PESEL_A};obecny\n",
            f"kolumna „pesel”, wartość „{PESEL_A}”: nikt o tym numerze PESEL nie był w tym dniu aktywnie zapisany "
            "do klubu.",
        ),
        (
            OrganizationResource,
            "nazwa;typ;forma_prawna;wojewodztwo_terc;filary\nFundacja;Z;foundation;26;culture\n",
            "kolumna „typ”, wartość „Z”: to nie jest żadna z dozwolonych wartości: A (A: reintegracja jest głównym "
            "celem statutowym), B (B: reintegracja jest jednym z celów), C (C: świadczy usługi, z których mogą "
            "korzystać uczestnicy).",
        ),
        (
            OrganizationResource,
            "nazwa;typ;forma_prawna;wojewodztwo_terc;filary\nFundacja;C;foundation;26;culture,taniec\n",
            "kolumna „filary”, wartość „culture,taniec”: nieznane kody: taniec.",
        ),
        (
            ClubResource,
            "numer_rejestru;nazwa;wojewodztwo_terc;gmina_terc;patronat\nKIS/26/077;KIS;26;{terc};chyba\n",
            "kolumna „patronat”, wartość „chyba”: wpisz „tak” albo „nie”.",
        ),
        (
            MembershipResource,
            "organizacja_nip;siec;rola;data_przystapienia\n{nip};LSR Obca;member;02.03.2026\n",
            "kolumna „siec”, wartość „LSR Obca”: w twoim zakresie nie ma takiego obiektu (sieć).",
        ),
    ],
)
def test_each_resource_names_the_column_value_and_reason(club, resource_class, text, message):
    f.LocalNetworkFactory(region=club.region, name="LSR Testowa")
    f.LocalNetworkFactory(region=f.RegionFactory(terc="24"), name="LSR Obca")
    f.ServiceFactory(name="Warsztaty", pillar__code="social")
    f.ActivityFactory(club=club, title="Gotujemy", held_on=datetime.date(2026, 3, 5))
    user = coordinator(club) if resource_class in (ActivityResource, AttendanceResource) else rops(club.region)
    nip = f.OrganizationFactory(region=club.region, nip=make_nip(4243)).nip
    result = run(resource_class, text.format(terc=club.municipality.terc, nip=nip).encode(), user)
    assert errors_of(result) == [f"Wiersz 2: {message}"]
    assert not result.error_rows


def test_a_fault_of_the_portal_is_logged_and_named_as_such_never_shown(club, monkeypatch, caplog):
    def broken(self, *args, **kwargs):
        raise AttributeError("'ParticipantResource' object has no attribute '/srv/ksr/secret.py'")

    monkeypatch.setattr(ParticipantResource, "get_instance", broken)
    with caplog.at_level(logging.ERROR, logger="ksr_portal.imports"):
        result = run(ParticipantResource, participants_csv(TWO_PEOPLE), coordinator(club))
    assert errors_of(result) == [f"Wiersz 2: {FAULT}", f"Wiersz 3: {FAULT}"]
    assert "secret.py" in caplog.text and not Participant.objects.exists()


def import_page(client, raw, name="uczestnicy.csv", file_format=0):
    upload = io.BytesIO(raw)
    upload.name = name
    return client.post(
        reverse("admin:participants_enrollment_import"), {"import_file": upload, "format": file_format}, follow=True
    )


def test_a_file_of_only_a_header_is_refused_in_polish(client, club):
    client.force_login(coordinator(club))
    page = import_page(client, participants_csv([]))
    assert "W pliku nie ma wierszy do importu." in page.content.decode()
    assert not any(word in page.content.decode() for word in LIBRARY_WORDS)


def test_a_file_of_5000_bad_rows_is_reported_by_reason_with_its_first_rows_and_an_error_file(client, club):
    rows = [TWO_PEOPLE[0].replace("17.02.2026", "wczoraj")] * 2 + [
        f"{make_pesel(datetime.date(1990, 1, 1), male=True, serial=n)};Jan;Kowal;M;;KIS/26/001;{n % 28 + 1}.13.2026;;5"
        for n in range(5000)
    ]
    client.force_login(coordinator(club))
    page = import_page(client, participants_csv(rows))
    body = page.content.decode()
    assert page.status_code == 200 and not any(word in body for word in LIBRARY_WORDS)
    assert "5002 wiersze zawierają błędy." in body
    assert f"Kolumna „data_zgloszenia”: {BAD_DATE}" in body and "(5001 wierszy)" in body
    assert "Kolumna „pesel”: powtarza wcześniejszy wiersz" in body and "(1 wiersz)" in body
    assert "I jeszcze 4981 wierszy, wymienionych w pliku z błędami." in body
    assert body.count("<tr>") < 100  # the first rows of each reason, not 10,000 rows
    link = body.split('href="data:text/csv;base64,')[1].split('"')[0]
    errors = PortalCSV().create_dataset(base64.b64decode(link))
    assert errors.headers[-1] == "bledy" and len(errors) == 5002
    assert errors["bledy"][0] == f"kolumna „data_zgloszenia”, wartość „wczoraj”: {BAD_DATE}"
    assert not Enrollment.objects.exists()


def test_the_report_groups_by_column_and_reason_most_frequent_first(club):
    late = [TWO_PEOPLE[1].replace(PESEL_B, make_pesel(datetime.date(1972, 1, 30), True, n)) for n in range(3)]
    rows = [TWO_PEOPLE[0].replace(";kobieta;", ";X;"), *(row.replace("2026-02-18", "18/02/26") for row in late)]
    rows += [TWO_PEOPLE[0]] * 2  # a repeated row is reported as such alone
    found = report(run(ParticipantResource, participants_csv(rows), coordinator(club)), shown=2)
    assert [(group.column, group.count, group.hidden) for group in found.groups][:2] == [
        ("data_zgloszenia", 3, 1),
        ("pesel", 2, 0),
    ]
    assert [problem.line for problem in found.groups[0].shown] == [3, 4] and found.rows == 6


def test_the_error_file_of_an_xlsx_upload_is_an_xlsx_and_imports_again_once_corrected(club):
    header = ["pesel", "imie", "nazwisko", "plec", "klub_numer_rejestru", "data_zgloszenia"]
    user = coordinator(club)
    raw = xlsx(
        [
            header,
            [PESEL_A, "Łucja", "Żółkiewska", "K", None, "jutro"],
            [PESEL_B, "Jan", "Kowal", "M", None, "18.02.2026"],
        ]
    )
    result = run(ParticipantResource, raw, user, PortalXLSX)
    sheet = load_workbook(io.BytesIO(error_file(result))).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == [*header, "bledy"]
    assert rows[1][-1] == f"kolumna „data_zgloszenia”, wartość „jutro”: {BAD_DATE}" and rows[2][-1] in ("", None)
    sheet.cell(row=2, column=6, value="17.02.2026")
    corrected = io.BytesIO()
    sheet.parent.save(corrected)
    again = run(ParticipantResource, corrected.getvalue(), user, PortalXLSX)
    assert list(problems(again)) == [] and Participant.objects.count() == 2


def test_an_error_file_too_large_for_a_link_is_not_offered_and_the_page_says_so(client, club, monkeypatch):
    monkeypatch.setattr("ksr_portal.templatetags.imports.DATA_URL_LIMIT", 100)
    client.force_login(coordinator(club))
    body = import_page(client, participants_csv([TWO_PEOPLE[0].replace("17.02.2026", "wczoraj")])).content.decode()
    assert "data:text/csv" not in body and "zbyt duży" in body
    assert f"Kolumna „data_zgloszenia”: {BAD_DATE}" in body


def test_the_import_pages_speak_of_the_files_columns_and_rows_in_polish(client, club):
    client.force_login(coordinator(club))
    form = client.get(reverse("admin:participants_enrollment_import")).content.decode()
    assert "Plik może mieć następujące kolumny:" in form and "pesel, imie, nazwisko" in form
    preview = import_page(client, participants_csv(TWO_PEOPLE)).content.decode()
    assert "Plik doda 2, zmieni 0 i pozostawi bez zmian 0. Poniżej jego pierwsze wiersze" in preview
    assert "przykładowe" not in preview and "Zaktualizuj" not in preview


def test_a_pesel_a_spreadsheet_keeps_as_a_number_keeps_its_leading_zero(club):
    born = make_pesel(datetime.date(2001, 3, 4), male=False)  # 0123…: Excel drops the zero of a number
    header = ["pesel", "imie", "nazwisko", "plec", "data_zgloszenia"]
    raw = xlsx([header, [int(born), "Łucja", "Żółkiewska", "K", "17.02.2026"]])
    result = run(ParticipantResource, raw, coordinator(club), PortalXLSX)
    assert list(problems(result)) == [] and Participant.objects.get().pesel == born
