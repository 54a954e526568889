"""The pilot fixture: the real data of the 2019 KSR pilot, loadable twice, every row valid."""

import datetime
from collections import Counter

import pytest
from django.apps import apps
from django.core.management import call_command

from clubs.models import Club, Service
from networks.models import Network, Region
from stakeholders.models import Organization

pytestmark = pytest.mark.django_db

PILOT_CLUBS = {"04": 3, "06": 7, "22": 4, "24": 6, "26": 9, "32": 3}


@pytest.fixture
def pilot():
    call_command("loaddata", "pilot", verbosity=0)


def test_sixteen_voivodeships_with_their_rops_and_six_in_the_pilot(pilot):
    assert sorted(Region.objects.values_list("terc", flat=True)) == [f"{n:02d}" for n in range(2, 33, 2)]
    assert set(Region.objects.filter(in_pilot=True).values_list("terc", flat=True)) == set(PILOT_CLUBS)
    assert Region.objects.get(terc="26").rops_name == "Regionalny Ośrodek Polityki Społecznej w Kielcach"
    assert not Region.objects.exclude(rops_email="").exists()  # no invented contacts


def test_thirty_two_pilot_clubs_per_region(pilot):
    per_region = Counter(Club.objects.filter(is_pilot=True).values_list("region__terc", flat=True))
    assert per_region == PILOT_CLUBS and sum(per_region.values()) == 32


def test_the_nine_swietokrzyskie_clubs_as_published(pilot):
    clubs = Club.objects.filter(region__terc="26").order_by("pk")
    registered = [c.registered_on.strftime("%d.%m") for c in clubs]
    assert registered == ["04.06", "04.06", "05.06", "30.05", "18.06", "18.06", "04.06", "04.06", "04.06"]
    assert {(c.created_on, c.activity_started_on) for c in clubs} == {
        (datetime.date(2019, 5, 1), datetime.date(2019, 6, 1))
    }
    assert clubs.filter(operator__name="Fundacja Pestka").count() == 3
    assert Organization.objects.count() == 7
    assert clubs.get(street_address="ul. Radomska 21").municipality.terc == "2611011"


def test_networks_and_the_wierzbica_catalogue(pilot):
    assert Network.objects.filter(kind="national").count() == 1
    assert Network.objects.filter(kind="regional", parent__kind="national").count() == 6
    by_pillar = Counter(Service.objects.values_list("pillar__code", flat=True))
    assert by_pillar == {"social": 9, "vocational": 3}


def test_every_loaded_row_is_valid_and_a_second_load_changes_nothing(pilot):
    models = [apps.get_model(label) for label in (
        "networks.Region", "networks.County", "networks.Municipality", "networks.Network",
        "clubs.Service", "stakeholders.Organization", "clubs.Club",
    )]  # fmt: skip
    counts = {model: model.objects.count() for model in models}
    for model in models:
        for obj in model.objects.all():
            obj.full_clean()
    call_command("loaddata", "pilot", verbosity=0)
    assert {model: model.objects.count() for model in models} == counts
