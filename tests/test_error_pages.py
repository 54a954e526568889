"""Errors are answered with the portal's own pages, in the reader's language, never Django's bare English."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import include, path
from django.utils import translation


def forbidden(request):
    raise PermissionDenied


def bad(request):
    raise SuspiciousOperation("test")


def broken(request):
    raise RuntimeError("test")


urlpatterns = [
    path("zabronione/", forbidden),
    path("zle/", bad),
    path("awaria/", broken),
    path("", include("ksr_portal.urls")),
]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/nie-ma-takiej-strony/", 404, "Nie znaleziono strony"),
        ("/zabronione/", 403, "Brak dostępu"),
        ("/zle/", 400, "Nieprawidłowe żądanie"),
    ],
)
def test_error_pages_are_the_portals_own_in_polish(client, url, status, heading):
    response = client.get(url)
    assert response.status_code == status
    page = response.content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert 'lang="pl"' in page
    assert "Przejdź do strony głównej" in page


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_server_error_page_is_polish_and_reveals_nothing(client):
    client.raise_request_exception = False
    response = client.get("/awaria/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "<h1>Błąd serwera</h1>" in page
    assert "RuntimeError" not in page and "Traceback" not in page


@pytest.mark.django_db
@override_settings(CSRF_COOKIE_SECURE=False)
def test_expired_form_is_explained(client):
    client.handler.enforce_csrf_checks = True
    response = client.post("/i18n/setlang/", {"language": "en"})
    assert response.status_code == 403
    assert "Formularz wygasł" in response.content.decode()


def test_error_pages_follow_the_language():
    with translation.override("en"):
        assert "Page not found" in render_to_string("404.html")
        assert "Server error" in render_to_string("500.html")
