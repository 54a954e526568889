"""The idle timeout without a write per page: a page that only reads saves its session at most once a
minute (IdleSessionMiddleware), so that it is not held up while a worker writes a long import."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ksr_portal.middleware import IdleSessionMiddleware

from .factories import UserFactory

PAGE = "/katalog/"
SOON = datetime.timedelta(minutes=5)


def session_writes(client, method, url, **data):
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data)
    assert response.status_code in (200, 302), response.status_code
    return [query["sql"] for query in captured if "django_session" in query["sql"] and "SELECT" not in query["sql"]]


def expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def age_refresh(client, seconds):
    """As if the session had last been saved `seconds` earlier (its expiry is then five minutes away)."""
    session = client.session
    session[IdleSessionMiddleware.REFRESHED] -= seconds
    session.save()
    Session.objects.filter(session_key=session.session_key).update(expire_date=timezone.now() + SOON)


def refreshed(client):
    """Whether the session's idle timeout runs again from now."""
    return expiry(client) > timezone.now() + SOON


@pytest.mark.django_db
def test_a_page_that_only_reads_saves_its_session_at_most_once_a_minute(client):
    client.force_login(UserFactory())
    assert session_writes(client, "get", PAGE) == []  # signing in started the count

    age_refresh(client, IdleSessionMiddleware.REFRESH)
    assert session_writes(client, "get", PAGE)
    assert refreshed(client)
    assert settings.SESSION_COOKIE_AGE == 30 * 60


@pytest.mark.django_db
def test_a_request_that_may_change_something_always_saves_its_session(client):
    client.force_login(UserFactory())
    client.get(PAGE)
    age_refresh(client, 1)
    assert session_writes(client, "post", reverse("set_language"), language="pl", next=PAGE)
    assert refreshed(client)


@pytest.mark.django_db
def test_a_refresh_the_database_cannot_take_now_is_left_to_a_later_page(client, monkeypatch):
    client.force_login(UserFactory())
    client.get(PAGE)
    age_refresh(client, IdleSessionMiddleware.REFRESH)

    def locked(self, must_create=False):
        raise OperationalError("database is locked")

    with monkeypatch.context() as patched:
        patched.setattr(SessionStore, "save", locked)
        response = client.get(PAGE)
    assert response.status_code == 200 and response.wsgi_request.user.is_authenticated
    assert not refreshed(client)  # and still the user's session
    assert session_writes(client, "get", PAGE)  # the next page refreshes it
    assert refreshed(client)
