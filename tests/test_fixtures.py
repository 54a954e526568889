"""The pilot fixture: the real data of the 2019 KSR pilot, loadable twice, every row valid."""

import datetime
import json
from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command

from clubs.models import Club, Pillar, Service
from networks.models import County, Municipality, Network, Region
from participants.models import EligibilityCategory
from stakeholders.models import Organization

from .factories import REGIONS

pytestmark = pytest.mark.django_db

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "pilot.json"
VOIVODESHIPS = REGIONS  # the 16 voivodeships of DESIGN.md
# Seed 000: 32 pilot clubs in six regions.
PILOT_CLUBS = {"04": 3, "06": 7, "22": 4, "24": 6, "26": 9, "32": 3}
# Seed 000, the Świętokrzyskie list in its order: operator, seat, registered with the voivode.
SWIETOKRZYSKIE = [
    ("Fundacja Możesz Więcej", "2604123", "Bilcza, ul. Jeżynowa 30", "26-026", datetime.date(2019, 6, 4)),
    ("Stowarzyszenie PROREW", "2604172", "ul. Gimnazjalna 1", "26-052", datetime.date(2019, 6, 4)),
    ("Stowarzyszenie Homo Politicus", "2611011", "ul. Radomska 21", "27-200", datetime.date(2019, 6, 5)),
    (
        "Stowarzyszenie Aktywności Lokalnej „Dolina Kacanki”",
        "2612073",
        "Wiązownica-Kolonia 90",
        "28-200",
        datetime.date(2019, 5, 30),
    ),
    ("Fundacja „Nadzieja Rodzinie”", "2604043", "ul. Witosa 4", "26-020", datetime.date(2019, 6, 18)),
    ("Stowarzyszenie „Nadzieja Rodzinie”", "2661011", "ul. Kołłątaja 4", "25-715", datetime.date(2019, 6, 18)),
    ("Fundacja Pestka", "2610053", "Mostki 1 (Wiejski Dom Kultury)", "26-130", datetime.date(2019, 6, 4)),
    ("Fundacja Pestka", "2661011", "ul. Targowa 18 pok. 916", "25-520", datetime.date(2019, 6, 4)),
    ("Fundacja Pestka", "2604062", "Bęczków 193", "26-008", datetime.date(2019, 6, 4)),
]
LOADED_MODELS = [
    "networks.Region",
    "networks.County",
    "networks.Municipality",
    "networks.Network",
    "clubs.Pillar",
    "clubs.Service",
    "stakeholders.Organization",
    "clubs.Club",
    "participants.EligibilityCategory",
]


def load():
    call_command("loaddata", "pilot", verbosity=0)


@pytest.fixture
def pilot():
    load()


def snapshot():
    """Every row of every model the fixture touches, with all its concrete field values and relations."""
    rows = {}
    for label in LOADED_MODELS:
        model = apps.get_model(label)
        rows[label] = sorted(
            (repr(obj.pk), repr([(f.attname, getattr(obj, f.attname)) for f in model._meta.concrete_fields]))
            for obj in model.objects.all()
        )
    rows["club services"] = sorted(Club.services.through.objects.values_list("club_id", "service_id"))
    return rows


def test_the_file_uses_natural_keys_for_reference_data_and_fixed_pks_for_the_rest():
    objects = json.loads(FIXTURE.read_text(encoding="utf-8"))
    by_model = Counter(o["model"] for o in objects)
    assert "clubs.pillar" not in by_model  # created by a migration, only referenced
    assert "participants.eligibilitycategory" not in by_model
    for obj in objects:
        if obj["model"] in {"networks.region", "networks.county", "networks.municipality", "clubs.service"}:
            assert "pk" not in obj, obj
        else:
            assert isinstance(obj.get("pk"), int), obj
    pks = Counter((o["model"], o.get("pk")) for o in objects if "pk" in o)
    assert max(pks.values()) == 1


def test_sixteen_voivodeships_with_their_rops_and_six_in_the_pilot(pilot):
    assert dict(Region.objects.values_list("terc", "name")) == VOIVODESHIPS
    assert set(Region.objects.filter(in_pilot=True).values_list("terc", flat=True)) == set(PILOT_CLUBS)
    assert Region.objects.get(terc="26").rops_name == "Regionalny Ośrodek Polityki Społecznej w Kielcach"
    assert Region.objects.get(terc="14").rops_name == "Mazowieckie Centrum Polityki Społecznej"
    assert all(r.rops_name and r.rops_town for r in Region.objects.all())
    # no invented contacts
    assert not Region.objects.exclude(rops_email="", rops_phone="", rops_address="").exists()


def test_counties_and_municipalities_sample_is_consistent_with_terc(pilot):
    capitals = {"0461011", "0463011", "0663011", "2261011", "2469011", "2661011", "3262011"}
    club_seats = {terc for _, terc, *_ in SWIETOKRZYSKIE}
    assert capitals | club_seats <= set(Municipality.objects.values_list("terc", flat=True))
    for municipality in Municipality.objects.select_related("county", "region"):
        assert municipality.kind == municipality.terc[-1]
        assert municipality.terc.startswith(municipality.county.terc)
        assert municipality.county.region == municipality.region
    assert Municipality.objects.get(terc="2604123").kind == "3"  # Morawica has been a town since 2017
    assert Municipality.objects.get(terc="2604172").name == "Nowiny"  # gmina Sitkówka-Nowiny until 2020
    assert County.objects.get(terc="2661").name == "Kielce"


def test_thirty_two_pilot_clubs_per_region(pilot):
    clubs = Club.objects.filter(is_pilot=True)
    assert clubs.count() == Club.objects.count() == 32
    assert Counter(clubs.values_list("region__terc", flat=True)) == PILOT_CLUBS
    assert set(clubs.values_list("status", flat=True)) == {"active"}
    assert set(clubs.values_list("kind", flat=True)) == {"kis"}
    for club in clubs.select_related("municipality"):
        assert club.municipality.region_id == club.region_id


def test_the_nine_swietokrzyskie_clubs_as_published(pilot):
    clubs = list(Club.objects.filter(region__terc="26").select_related("operator", "municipality").order_by("pk"))
    assert [
        (c.operator.name, c.municipality.terc, c.street_address, c.postal_code, c.registered_on) for c in clubs
    ] == SWIETOKRZYSKIE
    assert {(c.created_on, c.activity_started_on) for c in clubs} == {
        (datetime.date(2019, 5, 1), datetime.date(2019, 6, 1))
    }
    assert Organization.objects.count() == 7
    assert set(Organization.objects.values_list("stakeholder_type", "region__terc")) == {("A", "26")}
    assert not Organization.objects.exclude(nip="", regon="", krs="").exists()  # not invented
    assert Club.objects.filter(operator__name="Fundacja Pestka").count() == 3


def test_the_clubs_the_seeds_do_not_name_are_marked_as_placeholders(pilot):
    unnamed = Club.objects.exclude(region__terc="26")
    assert unnamed.count() == 23
    for club in unnamed:
        assert club.name.startswith("KIS pilotażowy nr ")
        assert club.operator is None
        assert "nie podają nazwy" in club.notes
        assert (club.street_address, club.registered_on, club.registry_number) == ("", None, "")


def test_networks(pilot):
    national = Network.objects.get(kind="national")
    assert national.region is None and national.parent is None
    regional = Network.objects.filter(kind="regional")
    assert set(regional.values_list("region__terc", flat=True)) == set(PILOT_CLUBS)
    assert set(regional.values_list("parent", flat=True)) == {national.pk}
    assert Network.objects.count() == 7


def test_the_wierzbica_catalogue_by_pillar(pilot):
    by_pillar = Counter(Service.objects.values_list("pillar__code", flat=True))
    assert by_pillar == {"social": 9, "vocational": 3}
    assert Service.objects.filter(name="Przygotowanie Indywidualnego Planu Działań", pillar__code="social").exists()
    assert Service.objects.filter(name="Kurs zawodowy: pomoc kuchenna", pillar__code="vocational").exists()
    assert all("Wierzbica" in s.description and s.is_active for s in Service.objects.all())
    # the reference rows of the migrations are untouched
    assert Pillar.objects.count() == 6
    assert EligibilityCategory.objects.exists()


def test_every_loaded_row_is_valid(pilot):
    for label in LOADED_MODELS:
        for obj in apps.get_model(label).objects.all():
            obj.full_clean()


def test_a_second_load_changes_nothing(pilot):
    before = snapshot()
    load()
    assert snapshot() == before
