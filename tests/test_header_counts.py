"""The worklist's counts in the page header of a club's staff: right, in words, and cheap."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ksr_portal import roles
from participants.worklist import absent, contracts_ending, counts, follow_ups_due, reviews_due

from . import factories as f
from .test_case_file import club_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def add_work(club, people):
    """People each with a review due, a contract ending, no attendance, and a left stay awaiting a follow-up."""
    for _i in range(people):
        enrollment = f.EnrollmentFactory(
            club=club, applied_on=TODAY - 200 * DAY, qualified_on=TODAY - 200 * DAY, started_on=TODAY - 200 * DAY
        )
        f.ActionPlanFactory(enrollment=enrollment, drawn_up_on=TODAY - 100 * DAY)
        f.SocialContractFactory(
            enrollment=enrollment, valid_from=TODAY - 200 * DAY, valid_until=TODAY + DAY, signed_on=TODAY - 200 * DAY
        )
        began, ended = TODAY - 400 * DAY, TODAY - 100 * DAY
        left = f.EnrollmentFactory(
            club=club,
            completed=True,
            applied_on=began,
            qualified_on=began,
            started_on=began,
            exit_on=ended,
            certificate_issued_on=ended,
        )
        f.OutcomeFactory(enrollment=left, recorded_on=TODAY - 100 * DAY)


def header_queries(client):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("participants:reminders"))
    assert page.status_code == 200
    return page.content.decode(), len(queries)


def test_the_header_counts_what_the_worklist_lists(client):
    club = f.ClubFactory()
    add_work(club, 2)
    user = club_user(club)
    found = counts(user, TODAY)
    assert found == {
        "reviews": len(reviews_due(user, TODAY)),
        "contracts": contracts_ending(user, TODAY).count(),
        "absent": len(absent(user, TODAY)),
        "follow_ups": len(follow_ups_due(user, TODAY)),
        "transfers": 0,
    }
    assert found["reviews"] == found["contracts"] == found["absent"] == found["follow_ups"] == 2
    client.force_login(user)
    html, _queries = header_queries(client)
    # In words, not a colour: the link's text says how much there is to do.
    assert f'Lista zadań <span class="count">(do zrobienia: {sum(found.values())})</span>' in html


def test_the_header_costs_the_same_queries_however_much_work_there_is(client):
    club = f.ClubFactory()
    add_work(club, 1)
    client.force_login(club_user(club))
    _html, few = header_queries(client)
    add_work(club, 6)
    html, many = header_queries(client)
    assert "(do zrobienia: 28)" in html
    assert many == few


def test_the_header_shows_no_count_to_those_outside_a_club(client):
    club = f.ClubFactory()
    add_work(club, 1)
    client.force_login(club_user(club, roles.KIS_INSTRUCTOR))
    html = client.get(reverse("participants:reminders")).content.decode()
    assert "(do zrobienia: 1)" in html  # the instructor: only the absent person, the list they see
    client.force_login(f.UserFactory())
    assert "do zrobienia" not in client.get(reverse("clubs:directory")).content.decode()
