"""The admin's lists do not count a whole large table on every page."""

import pytest
from django.db import connection

from clubs.models import Club
from ksr_portal import paginators
from ksr_portal.paginators import LargeTablePaginator

from . import factories as f

pytestmark = pytest.mark.django_db


def test_a_filtered_or_small_list_is_counted_exactly():
    for _i in range(3):
        f.ClubFactory()
    assert LargeTablePaginator(Club.objects.all(), 2).count == 3
    assert LargeTablePaginator(Club.objects.filter(status="closed"), 2).count == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner's estimate is PostgreSQL's")
def test_a_whole_large_table_uses_the_planners_estimate_on_postgresql(monkeypatch):
    f.ClubFactory()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE clubs_club")
    monkeypatch.setattr(paginators, "EXACT_BELOW", 0)
    estimate = LargeTablePaginator(Club.objects.all(), 2).count
    assert estimate >= 0 and LargeTablePaginator(Club.objects.filter(pk__gt=0), 2).count == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the cap applies on PostgreSQL")
def test_a_filtered_list_is_counted_up_to_the_cap_then_estimated(monkeypatch):
    for _i in range(5):
        f.ClubFactory(is_pilot=True)
    f.ClubFactory(is_pilot=False)
    monkeypatch.setattr(paginators, "COUNT_CAP", 3)
    assert LargeTablePaginator(Club.objects.filter(is_pilot=False), 2).count == 1
    assert LargeTablePaginator(Club.objects.filter(is_pilot=True), 2).count >= 4
