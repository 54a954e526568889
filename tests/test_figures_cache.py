"""Report figures come from the cache until a committed write changes the data under them."""

import datetime
from contextlib import contextmanager

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from demo.pilot import make_pesel
from ksr_portal import roles
from ksr_portal.imports import PortalCSV
from participants.models import Attendance
from participants.resources import ParticipantResource
from reporting.models import FiguresVersion

from . import factories as f
from .test_reporting import dates, user_with

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def figures_cache(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "figures"}}
    cache.clear()


@pytest.fixture
def committed():
    """A block that ends as a commit of everything written so far: on-commit callbacks run, then are gone."""

    @contextmanager
    def block():
        yield
        callbacks = connection.run_on_commit[:]
        connection.run_on_commit.clear()
        for _savepoints, callback, _robust in callbacks:
            callback()

    return block


@pytest.fixture
def kielce():
    region = f.RegionFactory(terc="26")
    f.ClubFactory(region=region)
    return region


def token():
    return FiguresVersion.objects.filter(pk=1).values_list("token", flat=True).first()


def active_people(client):
    """The region report's count of active participants, and the queries the page took."""
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("reporting:region", args=["26"]), dates())
    headline = dict(page.context["tables"][1].rows)
    return headline[next(label for label in headline if label.startswith("aktyw"))][0], len(queries)


def enroll_active(club):
    day = D(2026, 1, 2)
    return f.EnrollmentFactory(club=club, applied_on=day, qualified_on=day, started_on=day)


def test_figures_are_read_from_the_cache_until_a_committed_save(client, kielce, committed):
    client.force_login(user_with(roles.NATIONAL_COORDINATOR, "national"))
    club = kielce.clubs.get()
    with committed():
        enroll_active(club)
    first, computed = active_people(client)
    again, from_cache = active_people(client)
    assert first == again == 1
    assert from_cache < computed - 5  # the figures' own queries are gone
    with committed():
        enroll_active(club)
    assert active_people(client)[0] == 2


def test_a_write_renews_the_token_once_per_transaction_and_only_when_it_commits(
    kielce, committed, django_capture_on_commit_callbacks
):
    club = kielce.clubs.get()
    with committed():
        pass
    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            enroll_active(club)
            f.OrganizationFactory()
    assert len(callbacks) == 1
    connection.run_on_commit.clear()
    with django_capture_on_commit_callbacks() as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            enroll_active(club)
            raise RuntimeError
    assert callbacks == []
    with django_capture_on_commit_callbacks() as callbacks:
        enroll_active(club)  # after a rolled-back block, the next write still renews
    assert len(callbacks) == 1


def test_a_change_of_a_many_to_many_relation_renews_the_token(kielce, committed):
    enrollment = enroll_active(kielce.clubs.get())
    with committed():
        pass
    before = token()
    with committed():
        enrollment.eligibility_categories.add(f.EligibilityCategoryFactory(code="2"))
    assert token() != before


def test_dashboard_after_an_attendance_sheet_shows_the_new_rate(client, kielce, committed):
    club = kielce.clubs.get()
    with committed():
        enrollment = enroll_active(club)
        activity = f.ActivityFactory(club=club, held_on=D(2026, 3, 3))
        Attendance.record_sheet(activity, [enrollment], {enrollment.pk: "absent"})
    client.force_login(user_with(roles.NATIONAL_COORDINATOR, "national"))
    url = reverse("reporting:dashboard")

    def rate():
        page = client.get(url, dates() | {"miara": "attendance"})
        return next(tile["value"] for tile in page.context["tiles"] if tile["terc"] == "26")

    assert rate() == 0.0
    with committed():
        Attendance.record_sheet(activity, [enrollment], {enrollment.pk: "present"})
    assert rate() == 100.0


def test_a_participant_import_renews_the_token(kielce, committed):
    with committed():
        club = f.ClubFactory(region=kielce, registry_number="KIS/26/001")
        user = f.UserFactory(is_staff=True, is_superuser=True)
    before = token()
    pesel = make_pesel(D(1980, 5, 17), male=False, serial=11)
    header = "pesel;imie;nazwisko;plec;klub_numer_rejestru;data_zgloszenia"
    raw = f"{header}\n{pesel};Anna;Nowa;female;{club.registry_number};02.01.2026"
    with committed():
        result = ParticipantResource().import_data(PortalCSV().create_dataset(raw.encode()), user=user)
    assert [e.error for e in result.base_errors] + [r.error for r in result.invalid_rows] == []
    assert token() != before
