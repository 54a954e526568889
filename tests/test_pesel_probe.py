"""No preview or message of an import tells a user whether a PESEL belongs to someone outside their club:
such a row previews exactly as a new person's, with the file's values; stored values are shown beside the
file's only for a person already enrolled in the user's own club."""

import datetime
import io
import re

import pytest
from django.urls import reverse

from demo.pilot import make_pesel
from participants.resources import ParticipantResource

from . import factories as f
from .test_imports import club, coordinator, errors_of, run

pytestmark = pytest.mark.django_db
__all__ = ["club"]  # the fixture, used by name
BORN = datetime.date(1980, 5, 17)
UNKNOWN = make_pesel(BORN, male=False, serial=21)
ELSEWHERE = make_pesel(BORN, male=False, serial=22)
HEADER = "pesel;imie;nazwisko;plec;gmina_terc;klub_numer_rejestru;data_zgloszenia;wyksztalcenie"


def row(pesel, applied="17.02.2026"):
    return f"{HEADER}\n{pesel};Łucja;Żółkiewska;K;;KIS/26/001;{applied};isced_2\n".encode()


def preview_table(client, raw):
    upload = io.BytesIO(raw)
    upload.name = "uczestnicy.csv"
    page = client.post(
        reverse("admin:participants_enrollment_import"), {"import_file": upload, "format": 0}, follow=True
    )
    (table,) = re.findall(r'<table class="import-preview">.*?</table>', page.content.decode(), re.S)
    return table


@pytest.fixture(params=["same identity", "another surname"])
def someone_elsewhere(request, club):
    """A person of the PESEL ELSEWHERE, enrolled only in another club of the same region."""
    person = f.ParticipantFactory(
        pesel=ELSEWHERE,
        first_name="Łucja",
        last_name="Żółkiewska" if request.param == "same identity" else "Prawdziwa",
        sex="female",
        birth_date=BORN,
        municipality=f.MunicipalityFactory(region=club.region),
    )
    f.EnrollmentFactory(participant=person, club=f.ClubFactory(registry_number="KIS/26/002", region=club.region))
    return person


def test_a_pesel_of_someone_elsewhere_previews_exactly_as_an_unknown_one(client, club, someone_elsewhere):
    client.force_login(coordinator(club))
    unknown = preview_table(client, row(UNKNOWN))
    elsewhere = preview_table(client, row(ELSEWHERE))
    assert "Nowy" in unknown and UNKNOWN in unknown
    assert elsewhere.replace(ELSEWHERE, UNKNOWN) == unknown
    assert someone_elsewhere.municipality.terc not in elsewhere


def test_a_bad_row_of_a_pesel_of_someone_elsewhere_is_told_exactly_as_an_unknown_ones(club, someone_elsewhere):
    user = coordinator(club)
    unknown = errors_of(run(ParticipantResource, row(UNKNOWN, applied="31.02.2026"), user, dry_run=True))
    elsewhere = errors_of(run(ParticipantResource, row(ELSEWHERE, applied="31.02.2026"), user, dry_run=True))
    assert unknown and [message.replace(ELSEWHERE, UNKNOWN) for message in elsewhere] == unknown


def test_stored_values_are_shown_beside_the_files_for_a_person_enrolled_in_the_own_club(client, club):
    person = f.ParticipantFactory(pesel=ELSEWHERE, first_name="Łucja", last_name="Żółkiewska", sex="female")
    f.EnrollmentFactory(participant=person, club=club, education_level="isced_1")
    client.force_login(coordinator(club))
    table = preview_table(client, row(ELSEWHERE, applied="01.02.2024"))
    assert '<tr class="update">' in table and "Zmiana" in table and "Zaktualizuj" not in table
    # What is stored, struck out, beside what the file holds.
    assert re.search(r"<span>isced_</span><del[^>]*>1</del><ins[^>]*>2</ins>", table)
