"""Names sort in Polish alphabetical order on every database, not in byte order (ł, ś, ż last)."""

import pytest

from clubs.models import Club
from ksr_portal.collation import Polish, sort_key
from networks.models import Region
from reporting.views import readable_regions
from stakeholders.models import Organization

from . import factories as f

POLISH_ORDER = [
    "Agora",
    "Ąkacja",
    "Lublin",
    "Łaska",
    "Łódź",
    "Małe Ognisko",
    "Mazury",
    "Sopot",
    "Śląsk",
    "Zorza",
    "Żak",
]


def test_the_polish_alphabet_decides():
    assert sorted(POLISH_ORDER[::-1], key=sort_key) == POLISH_ORDER
    assert sorted(["mazowieckie", "małopolskie", "łódzkie", "lubelskie", "śląskie", "świętokrzyskie", "zachodnie"],
                  key=sort_key) == ["lubelskie", "łódzkie", "małopolskie", "mazowieckie", "śląskie", "świętokrzyskie",
                                    "zachodnie"]  # fmt: skip
    assert sorted(["Żak", "Zorza", "Ząb", "zoo"], key=sort_key) == ["Ząb", "zoo", "Zorza", "Żak"]


@pytest.mark.django_db
def test_the_database_sorts_names_in_polish_order():
    for name in reversed(POLISH_ORDER):
        f.OrganizationFactory(name=name)
    assert list(Organization.objects.values_list("name", flat=True)) == POLISH_ORDER
    region = f.RegionFactory(terc="26")
    for name in reversed(POLISH_ORDER):
        f.ClubFactory(name=name, region=region)
    assert list(Club.objects.filter(region=region).values_list("name", flat=True)) == POLISH_ORDER
    assert (
        list(
            Organization.objects.filter(name__in=POLISH_ORDER)
            .order_by(Polish("name").desc())
            .values_list("name", flat=True)
        )
        == POLISH_ORDER[::-1]
    )


@pytest.mark.django_db
def test_reports_list_regions_in_polish_order(admin_user):
    for terc in ("14", "12", "10", "24", "06"):  # mazowieckie, małopolskie, łódzkie, śląskie, lubelskie
        f.RegionFactory(terc=terc)
    names = [region.name for region in readable_regions(admin_user)]
    assert names == ["lubelskie", "łódzkie", "małopolskie", "mazowieckie", "śląskie"]
    assert Region.objects.count() == 5
