"""Open data: the directory of clubs and the networks' partners as files anyone may reuse, with no personal data."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils.translation import override

from clubs.choices import ClubKindChoices
from clubs.opendata import DATASETS

from . import factories as f


@pytest.fixture
def directory():
    region = f.RegionFactory(terc="26")
    club = f.ClubFactory(region=region, name="KIS „Nowy Start”", manager_name="Anna Kierownik", email="kis@example.pl")
    club.services.set([f.ServiceFactory(name="Żywienie"), f.ServiceFactory(name="Arteterapia")])
    f.ClubFactory(region=region, name="KIS Zamknięty", status="planned")
    f.ParticipantFactory(last_name="Uczestniczka")
    membership = f.MembershipFactory(organization__name="Fundacja Ratunek", network__region=region)
    f.ContactPersonFactory(organization=membership.organization, name="Jan Kontaktowy")
    f.MembershipFactory(organization__name="Dawny Partner", left_on=datetime.date(2021, 1, 1))
    return club, membership


def download(client, slug, file_format):
    response = client.get(reverse("clubs:open_data_file", args=[slug, file_format]))
    assert response.status_code == 200
    return response


@pytest.mark.django_db
@pytest.mark.parametrize("slug", list(DATASETS))
def test_files_have_the_documented_columns_csv_and_json_alike(client, directory, slug):
    columns = [column.name for column in DATASETS[slug].columns]
    rows = list(csv.reader(io.StringIO(download(client, slug, "csv").content.decode("utf-8"))))
    assert rows[0] == columns
    records = json.loads(download(client, slug, "json").content)
    assert records and all(list(record) == columns for record in records)
    assert len(rows) - 1 == len(records)
    dictionary = client.get(reverse("clubs:open_data_dictionary", args=[slug]))
    described = list(csv.reader(io.StringIO(dictionary.content.decode("utf-8"))))
    assert described[0] == ["kolumna", "typ", "opis"]
    assert [row[0] for row in described[1:]] == columns and all(row[2] for row in described[1:])


@pytest.mark.django_db
def test_only_active_clubs_and_current_partners_and_nothing_about_a_person(client, directory):
    club, membership = directory
    clubs = json.loads(download(client, "kluby", "json").content)
    assert [record["nazwa"] for record in clubs] == ["KIS „Nowy Start”"]
    assert clubs[0]["wojewodztwo"] == "świętokrzyskie" and clubs[0]["email"] == "kis@example.pl"
    assert clubs[0]["uslugi"] == ["Arteterapia", "Żywienie"]
    partners = json.loads(download(client, "partnerzy", "json").content)
    names = [record["nazwa"] for record in partners]
    assert "Fundacja Ratunek" in names and "Dawny Partner" not in names
    assert membership.network.name in next(r for r in partners if r["nazwa"] == "Fundacja Ratunek")["sieci"]
    everything = b"".join(download(client, slug, fmt).content for slug in DATASETS for fmt in ("csv", "json"))
    for personal in ("Anna Kierownik", "Uczestniczka", "Jan Kontaktowy"):
        assert personal.encode() not in everything


@pytest.mark.django_db
def test_values_are_polish_whatever_the_interface_language(client, directory):
    client.cookies["django_language"] = "en"
    record = json.loads(download(client, "kluby", "json").content)[0]
    with override("pl"):
        assert record["rodzaj"] == str(ClubKindChoices.KIS.label)
    with override("en"):
        assert record["rodzaj"] != str(ClubKindChoices.KIS.label)
    page = client.get(reverse("clubs:open_data"))
    assert "Open data" in page.content.decode()


@pytest.mark.django_db
def test_open_data_need_no_sign_in_and_state_their_licence(client, directory):
    page = client.get(reverse("clubs:open_data"))
    text = page.content.decode()
    assert page.status_code == 200 and "CC BY 4.0" in text and "Słownik danych" in text
    assert reverse("clubs:open_data_file", args=["kluby", "csv"]) in text
    assert client.get("/otwarte-dane/nieznane.csv").status_code == 404
    assert client.get("/otwarte-dane/kluby.xml").status_code == 404
    assert "public" in download(client, "kluby", "csv")["Cache-Control"]


@pytest.mark.django_db
def test_files_take_the_same_queries_whatever_their_length(client, directory, django_assert_max_num_queries):
    for _i in range(15):
        f.ClubFactory()
        f.MembershipFactory()
    with django_assert_max_num_queries(4):
        download(client, "kluby", "json")
    with django_assert_max_num_queries(4):
        download(client, "partnerzy", "json")
