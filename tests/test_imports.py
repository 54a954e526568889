"""Spreadsheet import and export: real files, previewed, atomic, scoped, safe to open in a spreadsheet."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags
from openpyxl import Workbook, load_workbook

from clubs.models import Club
from clubs.resources import ActivityResource, ClubResource
from demo.pilot import make_nip, make_pesel
from ksr_portal import roles
from ksr_portal.imports import PortalCSV, PortalXLSX, ScopedForeignKeyWidget, problems
from ksr_portal.models import UserScope
from networks.resources import MeetingResource
from participants.models import Attendance, EligibilityCategory, Enrollment, Participant
from participants.resources import AttendanceResource, ParticipantResource
from stakeholders.models import Membership, Organization
from stakeholders.resources import MembershipResource, OrganizationResource

from . import factories as f

pytestmark = pytest.mark.django_db
PESEL_A = make_pesel(datetime.date(1980, 5, 17), male=False, serial=11)
PESEL_B = make_pesel(datetime.date(1972, 1, 30), male=True, serial=12)
HEADER = "pesel;imie;nazwisko;plec;data_urodzenia;klub_numer_rejestru;data_zgloszenia;wyksztalcenie;kategorie"


@pytest.fixture
def club():
    return f.ClubFactory(registry_number="KIS/26/001", region=f.RegionFactory(terc="26"))


def coordinator(club):
    user = f.UserFactory(is_staff=True)
    user.groups.add(roles.role_group(roles.KIS_COORDINATOR))
    UserScope.objects.create(user=user, level="club", club=club, region=club.region)
    return user


def rops(region):
    user = f.UserFactory(is_staff=True)
    user.groups.add(roles.role_group(roles.ROPS_STAFF))
    UserScope.objects.create(user=user, level="region", region=region)
    return user


def participants_csv(rows, encoding="utf-8-sig", separator=";"):
    text = "\n".join([HEADER, *rows]).replace(";", separator)
    return text.encode(encoding)


def run(resource_class, raw, user, file_format=PortalCSV, dry_run=False):
    dataset = file_format().create_dataset(raw)
    return resource_class().import_data(dataset, dry_run=dry_run, user=user, use_transactions=True)


def errors_of(result):
    return [str(problem) for problem in problems(result)]


TWO_PEOPLE = [
    f"{PESEL_A};Łucja;Żółkiewska;kobieta;;KIS/26/001;17.02.2026;isced_2;5",
    f"{PESEL_B};Jan;Kowal;male;30.01.1972;KIS/26/001;2026-02-18;ISCED 3: ponadgimnazjalne;2,5",
]


@pytest.mark.parametrize(
    "encoding, separator",
    [("utf-8-sig", ";"), ("utf-8", ","), ("cp1250", ";"), ("cp1250", ",")],
)
def test_participants_from_csv_in_either_encoding_and_separator(club, encoding, separator):
    rows = [row.replace("2,5", "2 5") if separator == "," else row for row in TWO_PEOPLE]
    raw = participants_csv(rows, encoding, separator)
    if separator == ",":
        raw = raw.replace(b"2 5", b'"2,5"')
    result = run(ParticipantResource, raw, coordinator(club))
    assert errors_of(result) == []
    assert result.totals["new"] == 2
    person = Participant.objects.get(pesel=PESEL_A)
    assert (person.last_name, person.birth_date) == ("Żółkiewska", datetime.date(1980, 5, 17))
    enrollment = Enrollment.objects.get(participant__pesel=PESEL_B)
    assert enrollment.status == "candidate" and enrollment.applied_on == datetime.date(2026, 2, 18)
    assert enrollment.education_level == "isced_3"
    assert sorted(enrollment.eligibility_categories.values_list("code", flat=True)) == ["2", "5"]


def test_a_dry_run_writes_nothing_and_a_second_import_duplicates_nothing(club):
    user = coordinator(club)
    preview = run(ParticipantResource, participants_csv(TWO_PEOPLE), user, dry_run=True)
    assert [row.import_type for row in preview.rows] == ["new", "new"]
    assert not Participant.objects.exists()
    run(ParticipantResource, participants_csv(TWO_PEOPLE), user)
    again = run(ParticipantResource, participants_csv(TWO_PEOPLE), user)
    assert errors_of(again) == []
    assert {row.import_type for row in again.rows} <= {"skip", "update"}
    assert Participant.objects.count() == 2 and Enrollment.objects.count() == 2


def test_a_known_pesel_enrolls_the_same_person_in_another_club(club):
    other = f.ClubFactory(registry_number="KIS/26/002", region=club.region)
    known = f.ParticipantFactory(
        pesel=PESEL_A, first_name="Łucja", last_name="Żółkiewska", sex="female", birth_date=datetime.date(1980, 5, 17)
    )
    f.EnrollmentFactory(participant=known, club=other)
    result = run(ParticipantResource, participants_csv(TWO_PEOPLE[:1]), coordinator(club))
    assert errors_of(result) == []
    assert Participant.objects.count() == 1 and known.enrollments.count() == 2


def test_a_known_pesel_under_another_surname_is_imported_as_an_unknown_one(club):
    known = f.ParticipantFactory(
        pesel=PESEL_A, first_name="Łucja", last_name="Prawdziwa", sex="female", birth_date=datetime.date(1980, 5, 17)
    )
    f.EnrollmentFactory(participant=known, club=f.ClubFactory(registry_number="KIS/26/002", region=club.region))
    unknown = make_pesel(datetime.date(1980, 5, 17), male=False, serial=14)
    rows = [TWO_PEOPLE[0], TWO_PEOPLE[0].replace(PESEL_A, unknown)]
    preview = run(ParticipantResource, participants_csv(rows), coordinator(club), dry_run=True)
    assert errors_of(preview) == []
    assert [row.import_type for row in preview.rows] == ["new", "new"]
    assert [shown(row)[1:3] for row in preview.rows] == [["Łucja", "Żółkiewska"]] * 2
    result = run(ParticipantResource, participants_csv(rows), coordinator(club))
    assert errors_of(result) == [] and result.totals["new"] == 2
    guessed = Participant.objects.get(pesel=PESEL_A, identity_pending=True)
    assert guessed.last_name == "Żółkiewska" and not known.enrollments.filter(club=club).exists()


def shown(row):
    """The values the preview shows of a row."""
    return [strip_tags(value) for value in row.diff]


def test_the_preview_shows_the_files_values_not_the_stored_ones(club):
    municipality = f.MunicipalityFactory(region=club.region)
    known = f.ParticipantFactory(
        pesel=PESEL_A,
        first_name="Łucja",
        last_name="Żółkiewska",
        sex="female",
        birth_date=datetime.date(1980, 5, 17),
        municipality=municipality,
    )
    f.EnrollmentFactory(participant=known, club=f.ClubFactory(registry_number="KIS/26/002", region=club.region))
    header = "pesel;imie;nazwisko;plec;gmina_terc;klub_numer_rejestru;data_zgloszenia"
    raw = f"{header}\n{PESEL_A};LUCJA;zolkiewska;K;;KIS/26/001;17.02.2026\n".encode()
    preview = run(ParticipantResource, raw, coordinator(club), dry_run=True)
    assert errors_of(preview) == []
    (row,) = preview.rows
    assert shown(row)[:6] == [PESEL_A, "LUCJA", "zolkiewska", "female", "17.05.1980", ""]
    assert "Łucja" not in "".join(shown(row)) and municipality.terc not in "".join(shown(row))
    run(ParticipantResource, raw, coordinator(club))
    assert known.enrollments.filter(club=club).exists() and Participant.objects.count() == 1


def test_participants_from_xlsx(club):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    sheet.append([PESEL_A, "Łucja", "Żółkiewska", "kobieta", None, "KIS/26/001", datetime.date(2026, 2, 17), "", "5"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = run(ParticipantResource, buffer.getvalue(), coordinator(club), PortalXLSX)
    assert errors_of(result) == []
    assert Enrollment.objects.get().applied_on == datetime.date(2026, 2, 17)


def test_a_file_with_one_bad_row_changes_nothing_and_the_error_names_row_column_value(club):
    bad = f"{PESEL_B[:-1]}0;Adam;Błędny;male;;KIS/26/001;31.02.2026;;5"
    result = run(ParticipantResource, participants_csv([*TWO_PEOPLE, bad]), coordinator(club))
    assert result.has_errors() or result.has_validation_errors()
    assert errors_of(result) == [
        f"Wiersz 4: kolumna „pesel”, wartość „{PESEL_B[:-1]}0”: PESEL {PESEL_B[:-1]}0 ma błędną cyfrę kontrolną: "
        "sprawdź, czy nie pomylono cyfry.",
        "Wiersz 4: kolumna „data_zgloszenia”, wartość „31.02.2026”: to nie jest data: wpisz ją jako DD.MM.RRRR.",
    ]
    assert not Participant.objects.exists() and not Enrollment.objects.exists()


def test_sex_as_on_polish_forms_and_an_unknown_one_listed_with_labels(club):
    rows = [row.replace(";kobieta;", ";K;").replace(";male;", ";m;") for row in TWO_PEOPLE]
    assert errors_of(run(ParticipantResource, participants_csv(rows), coordinator(club))) == []
    assert dict(Participant.objects.values_list("pesel", "sex")) == {PESEL_A: "female", PESEL_B: "male"}
    new_pesel = make_pesel(datetime.date(1990, 3, 3), male=False, serial=13)
    unknown = TWO_PEOPLE[0].replace(PESEL_A, new_pesel).replace(";kobieta;", ";X;")
    messages = " ".join(errors_of(run(ParticipantResource, participants_csv([unknown]), coordinator(club))))
    assert messages == (
        "Wiersz 2: kolumna „plec”, wartość „X”: to nie jest żadna z dozwolonych wartości: female (kobieta), "
        "male (mężczyzna), non_binary (osoba niebinarna)."
    )


def test_a_pesel_with_a_wrong_check_digit_is_reported(club):
    wrong = PESEL_B[:-1] + str((int(PESEL_B[-1]) + 1) % 10)
    row = f"{wrong};Adam;Błędny;male;;KIS/26/001;17.02.2026;;5"
    result = run(ParticipantResource, participants_csv([row]), coordinator(club))
    assert "cyfrę kontrolną" in " ".join(errors_of(result))
    assert not Participant.objects.exists()


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"", "pusty"),
        (b"nazwa;typ;wojewodztwo_terc\nFundacja;A;26\n", "brakuje kolumn"),
        ((HEADER + "\n").encode(), "nie ma wierszy"),
        (participants_csv([TWO_PEOPLE[0], TWO_PEOPLE[0]]), "Wiersz 3: kolumna „pesel”"),
        (participants_csv([TWO_PEOPLE[0]]).replace(b"kategorie", b"kolor_oczu"), "Nieznane kolumny"),
        ("pesel;imie\n1;2\n".encode("utf-16"), "UTF-8"),
    ],
)
def test_wrong_files_get_a_clear_answer_and_change_nothing(club, raw, message):
    try:
        result = run(ParticipantResource, raw, coordinator(club))
    except ValueError as error:
        assert message in str(error)
    else:
        assert message in " ".join(errors_of(result))
    assert not Participant.objects.exists()


def test_import_is_confined_to_the_users_club(club):
    f.ClubFactory(registry_number="KIS/24/009", region=f.RegionFactory(terc="24"))
    row = f"{PESEL_A};Łucja;Żółkiewska;kobieta;;KIS/24/009;17.02.2026;;5"
    result = run(ParticipantResource, participants_csv([row]), coordinator(club))
    assert "KIS/24/009" in " ".join(errors_of(result)) and "zakresie" in " ".join(errors_of(result))
    assert not Participant.objects.exists()


def test_a_large_file_is_written_in_batches_by_the_same_rules(club, monkeypatch):
    """New people and enrollments are inserted a batch at a time, with what a single save would do."""
    monkeypatch.setattr(ParticipantResource._meta, "batch_size", 2)
    other = f.ClubFactory(registry_number="KIS/26/002", region=club.region)
    user = f.UserFactory(is_staff=True, is_superuser=True)
    rows = [*TWO_PEOPLE, TWO_PEOPLE[0].replace("KIS/26/001", "KIS/26/002")]
    rows += [
        f"{make_pesel(datetime.date(1990, 3, n), male=True, serial=20 + n)};Piotr;Nowy-{n};male;;KIS/26/001;"
        f"01.03.2026;;{n}"
        for n in range(1, 5)
    ]
    result = run(ParticipantResource, participants_csv(rows), user)
    assert errors_of(result) == [] and result.totals["new"] == 7
    # The person of the first row is enrolled in both clubs, one record.
    person = Participant.objects.get(pesel=PESEL_A)
    assert sorted(person.enrollments.values_list("club", flat=True)) == sorted([club.pk, other.pk])
    assert Participant.objects.count() == 6 and Enrollment.objects.count() == 7
    enrollment = Enrollment.objects.get(participant__pesel=PESEL_B)
    assert enrollment.age_on_entry == 54
    assert sorted(enrollment.eligibility_categories.values_list("code", flat=True)) == ["2", "5"]
    assert list(Enrollment.objects.get(participant__last_name="Nowy-3").eligibility_categories.all()) == [
        EligibilityCategory.objects.get(code="3")
    ]
    created = LogEntry.objects.filter(action=LogEntry.Action.CREATE, actor=user)
    assert created.filter(content_type__model="participant").count() == 6
    assert created.filter(content_type__model="enrollment").count() == 7


def test_the_number_of_queries_grows_with_the_batches_not_with_the_rows(club):
    user = coordinator(club)

    def queries(count):
        rows = [
            f"{make_pesel(datetime.date(1960 + n % 40, 1 + n % 12, 1 + n % 28), male=True, serial=n)};Jan;Nowy-{n};"
            f"male;;KIS/26/001;01.03.2026;isced_3;2,5"
            for n in range(count)
        ]
        with CaptureQueriesContext(connection) as captured:
            result = run(ParticipantResource, participants_csv(rows), user, dry_run=True)
        assert errors_of(result) == [] and result.totals["new"] == count
        return len(captured)

    # 190 rows more add no query on PostgreSQL; SQLite takes fewer parameters per statement, so it
    # splits the inserts of each batch into a few statements more.
    assert queries(200) <= queries(10) + 20


def test_a_referral_dated_after_the_application_is_refused(club):
    header = "pesel;imie;nazwisko;plec;klub_numer_rejestru;data_zgloszenia;data_skierowania"
    raw = f"{header}\n{PESEL_A};Łucja;Żółkiewska;kobieta;KIS/26/001;17.02.2026;18.02.2026".encode()
    result = run(ParticipantResource, raw, coordinator(club))
    assert errors_of(result) == [
        "Wiersz 2: kolumna „data_skierowania”, wartość „18.02.2026”: Skierowanie nie może mieć daty późniejszej "
        "niż zgłoszenie."
    ]
    assert not Participant.objects.exists() and not Enrollment.objects.exists()


def test_an_empty_club_cell_is_reported_in_its_row_to_someone_of_no_one_club(club):
    rows = [TWO_PEOPLE[0], TWO_PEOPLE[1].replace("KIS/26/001", "")]
    result = run(ParticipantResource, participants_csv(rows), f.UserFactory(is_staff=True, is_superuser=True))
    (message,) = errors_of(result)
    assert message.startswith("Wiersz 3: kolumna „klub_numer_rejestru” (pusta): ")
    assert not Participant.objects.exists() and not Enrollment.objects.exists()


def test_a_coordinators_file_may_leave_the_club_out_but_not_name_another(club):
    unnumbered = f.ClubFactory(registry_number="", region=club.region)
    header = HEADER.replace(";klub_numer_rejestru", "")
    rows = [row.replace(";KIS/26/001", "") for row in TWO_PEOPLE]
    result = run(ParticipantResource, "\n".join([header, *rows]).encode(), coordinator(unnumbered))
    assert errors_of(result) == []
    assert set(Enrollment.objects.values_list("club", flat=True)) == {unnumbered.pk}
    other = run(ParticipantResource, participants_csv(TWO_PEOPLE), coordinator(unnumbered))
    assert "KIS/26/001" in " ".join(errors_of(other))  # a file naming another club is refused


@pytest.mark.parametrize("garbled", ["Ĺ»ĂłĹ‚kiewska", "Ĺ\ufffducja", "Å»Ã³Å‚kiewska"])
def test_a_file_of_garbled_letters_is_refused_and_changes_nothing(club, garbled):
    row = TWO_PEOPLE[0].replace("Żółkiewska", garbled)
    with pytest.raises(ValueError, match="Żółkiewska"):
        run(ParticipantResource, participants_csv([row]), coordinator(club))
    assert not Participant.objects.exists()


def test_a_batch_that_would_write_outside_the_scope_is_refused(club, monkeypatch):
    """Behind the scoped lookups, each written batch is checked against the user's scope once more."""
    f.ClubFactory(registry_number="KIS/24/009", region=f.RegionFactory(terc="24"))
    monkeypatch.setattr(ScopedForeignKeyWidget, "get_queryset", lambda self, *args, **kwargs: self.model.objects.all())
    row = f"{PESEL_A};Łucja;Żółkiewska;kobieta;;KIS/24/009;17.02.2026;;5"
    result = run(ParticipantResource, participants_csv([row]), coordinator(club))
    assert "poza twoim zakresem" in " ".join(errors_of(result))
    assert not Participant.objects.exists() and not Enrollment.objects.exists()


def load(resource_class, text, user, variant):
    """Import semicolon-separated `text` as the file the variant names."""
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    if variant == "xlsx":
        workbook = Workbook()
        for row in rows:
            workbook.active.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        return run(resource_class, buffer.getvalue(), user, PortalXLSX)
    if variant == "csv-utf8-comma":
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        return run(resource_class, buffer.getvalue().encode(), user)
    return run(resource_class, text.encode("cp1250"), user)


@pytest.mark.parametrize("variant", ["csv-cp1250-semicolon", "csv-utf8-comma", "xlsx"])
def test_organisations_clubs_memberships_activities_attendance_and_meetings(club, variant):
    region = club.region
    user = rops(region)
    municipality = club.municipality
    nip = make_nip(4242)
    organisations = (
        "nazwa;typ;forma_prawna;nip;wojewodztwo_terc;gmina_terc;filary\n"
        f"Gminny Ośrodek Kultury;C;public_institution;{nip};26;{municipality.terc};culture,education\n"
    )
    assert errors_of(load(OrganizationResource, organisations, user, variant)) == []
    organization = Organization.objects.get(nip=nip)
    assert sorted(organization.pillars.values_list("code", flat=True)) == ["culture", "education"]
    assert errors_of(load(OrganizationResource, organisations, user, variant)) == []  # matched on NIP, no duplicate
    assert Organization.objects.filter(name="Gminny Ośrodek Kultury").count() == 1

    clubs = (
        "numer_rejestru;nazwa;wojewodztwo_terc;gmina_terc;prowadzacy_nip;kwota_dotacji;patronat;data_utworzenia\n"
        f"KIS/26/003;KIS Nowy;26;{municipality.terc};{nip};60 600,00;tak;01.05.2019\n"
    )
    assert errors_of(load(ClubResource, clubs, user, variant)) == []
    new_club = Club.objects.get(registry_number="KIS/26/003")
    assert new_club.grant_amount == Decimal("60600.00") and new_club.under_mayor_auspices
    assert new_club.created_on == datetime.date(2019, 5, 1)

    network = f.LocalNetworkFactory(region=region, name="LSR Testowa")
    memberships = f"organizacja_nip;siec;rola;data_przystapienia\n{nip};LSR Testowa;member;02.03.2026\n"
    assert errors_of(load(MembershipResource, memberships, user, variant)) == []
    assert Membership.objects.get(network=network).organization == organization

    meetings = "siec;data;rodzaj;temat\nLSR Testowa;10.03.2026;working;Oferta partnerów\n"
    assert errors_of(load(MeetingResource, meetings, user, variant)) == []
    assert network.meetings.get().topic == "Oferta partnerów"

    coordinator_user = coordinator(club)
    service = f.ServiceFactory(name="Warsztaty kulinarne", pillar__code="social")
    activities = (
        "klub_numer_rejestru;filar;usluga;realizator_nip;tytul;data;liczba_godzin\n"
        f"KIS/26/001;social;{service.name};{nip};Gotujemy razem;05.03.2026;2,5\n"
    )
    assert errors_of(load(ActivityResource, activities, coordinator_user, variant)) == []
    activity = club.activities.get(title="Gotujemy razem")
    assert activity.hours == Decimal("2.5") and activity.provider == organization

    enrollment = f.EnrollmentFactory(
        club=club, participant__pesel=PESEL_A, applied_on=datetime.date(2026, 1, 2),
        qualified_on=datetime.date(2026, 1, 3), started_on=datetime.date(2026, 1, 5),
    )  # fmt: skip
    attendance = (
        f"klub_numer_rejestru;data;tytul;pesel;obecnosc\nKIS/26/001;05.03.2026;Gotujemy razem;{PESEL_A};obecny\n"
    )
    assert errors_of(load(AttendanceResource, attendance, coordinator_user, variant)) == []
    assert Attendance.objects.get(enrollment=enrollment).status == "present"
    late = attendance.replace("05.03.2026", "05.12.2025")
    f.ActivityFactory(club=club, title="Gotujemy razem", held_on=datetime.date(2025, 12, 5))
    assert "aktywnie" in " ".join(errors_of(load(AttendanceResource, late, coordinator_user, variant)))


# --- exports ------------------------------------------------------------------------------------------------


def test_export_holds_only_the_scope_neutralises_formulae_and_is_logged(client, club):
    mine = f.EnrollmentFactory(club=club, participant__last_name='=HYPERLINK("http://zle.example")')
    f.EnrollmentFactory(club=f.ClubFactory(registry_number="KIS/24/010"), participant__last_name="Obca")
    user = coordinator(club)
    client.force_login(user)
    url = reverse("admin:participants_enrollment_export")
    page = client.get(url)
    assert page.status_code == 200
    csv_index = 0
    response = client.post(url, {"format": csv_index, "resource": 0, **export_fields(page)})
    body = response.content.decode("utf-8-sig")
    assert mine.participant.pesel in body and "Obca" not in body
    assert "'=HYPERLINK" in body and ";=HYPERLINK" not in body
    assert LogEntry.objects.filter(actor=user, changes__export="spreadsheet").exists()
    xlsx = client.post(url, {"format": 1, "resource": 0, **export_fields(page)})
    cells = [c for row in load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True) for c in row]
    assert '\'=HYPERLINK("http://zle.example")' in cells


def export_fields(page):
    form = page.context["form"]
    return {name: "on" for name in form.fields if name not in ("format", "resource", "export_items")}


def test_an_exported_file_of_stays_reimports_as_no_changes_and_a_changed_cell_changes_that_value(club):
    person = f.ParticipantFactory()
    finished = f.EnrollmentFactory(club=club, participant=person, completed=True)
    f.EnrollmentFactory(club=club, participant=person)  # the same person back in the club
    user = coordinator(club)
    for file_format in (PortalCSV, PortalXLSX):
        exported = ParticipantResource().export(queryset=Enrollment.objects.restrict(user).order_by("pk"))
        raw = file_format().export_data(exported)
        raw = raw.encode("utf-8") if isinstance(raw, str) else raw
        again = run(ParticipantResource, raw, user, file_format=file_format, dry_run=False)
        assert errors_of(again) == [] and again.totals["new"] == 0 and again.totals["skip"] == len(exported)
    assert Enrollment.objects.count() == len(exported)
    text = PortalCSV().export_data(ParticipantResource().export(queryset=Enrollment.objects.filter(pk=finished.pk)))
    changed = text.replace(finished.applied_on.strftime("%d.%m.%Y"), "03.01.2024")
    result = run(ParticipantResource, changed.encode("utf-8"), user)
    assert errors_of(result) == [] and result.totals["update"] == 1
    finished.refresh_from_db()
    assert finished.applied_on == datetime.date(2024, 1, 3) and finished.status == "completed"


def test_a_stay_key_of_another_club_or_person_is_refused(club):
    other = f.EnrollmentFactory(club=f.ClubFactory(region=club.region))
    own = f.EnrollmentFactory(club=club)
    user = coordinator(club)
    text = PortalCSV().export_data(ParticipantResource().export(queryset=Enrollment.objects.filter(pk=own.pk)))
    for stay in (other.pk, 999999):
        tampered = text.replace(f";{own.pk}\r\n", f";{stay}\r\n").replace(f";{own.pk}\n", f";{stay}\n")
        result = run(ParticipantResource, tampered.encode("utf-8"), user)
        assert any("id_pobytu" in message for message in errors_of(result)), errors_of(result)
    assert Enrollment.objects.count() == 2
