"""The door holds: lockout after repeated failures, security headers, production settings pass check --deploy."""

import ipaddress
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from whitenoise.middleware import WhiteNoiseMiddleware

from ksr_portal import roles
from ksr_portal.models import UserScope

from . import factories as f

BASE_DIR = Path(__file__).resolve().parent.parent
PASSWORD = "Correct-Horse-Battery-9"


@pytest.fixture
def staff_user(django_user_model):
    return django_user_model.objects.create_user("koordynator", password=PASSWORD, is_staff=True)


def login(client, password, address="10.0.0.7", username="koordynator", **headers):
    return client.post(
        reverse("admin:login"), {"username": username, "password": password}, REMOTE_ADDR=address, **headers
    )


@pytest.mark.django_db
def test_account_is_locked_after_repeated_failures(client, staff_user):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "wrong-password").status_code == 200  # the form again, with an error
    locked = login(client, "wrong-password")
    assert locked.status_code == 429
    # Even the right password is refused while the lockout lasts.
    assert login(client, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_lockout_page_is_the_portals_own_in_polish(client, staff_user):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        locked = login(client, "wrong-password")
    page = locked.content.decode()
    assert locked.status_code == 429 and "Konto zablokowane" in page and "30 minut" in page
    assert 'class="site-header"' in page


@pytest.mark.django_db
def test_a_locked_account_stays_locked_from_another_address(client, staff_user):
    for number in range(settings.AXES_FAILURE_LIMIT):
        login(client, "wrong-password", address=f"10.0.1.{number}")  # a guesser moving between addresses
    assert login(client, PASSWORD, address="192.0.2.50").status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_an_address_guessing_many_accounts_is_locked(client, django_user_model):
    for number in range(settings.AXES_FAILURE_LIMIT):
        login(client, "wrong-password", username=f"osoba{number}", address="198.51.100.9")
    other = django_user_model.objects.create_user("inna", password=PASSWORD, is_staff=True)
    assert login(client, PASSWORD, username=other.username, address="198.51.100.9").status_code == 429
    assert login(client, PASSWORD, username=other.username, address="198.51.100.10").status_code == 302


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_client_counts_on_its_own(client, staff_user, django_user_model, settings):
    settings.TRUSTED_PROXY_NETWORKS = [ipaddress.ip_network("10.9.0.0/16")]
    for number in range(settings.AXES_FAILURE_LIMIT):  # one client guesses several accounts through the proxy
        login(client, "x", username=f"osoba{number}", address="10.9.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    # ...which locks that client, not everyone else behind the same proxy.
    assert login(client, PASSWORD, address="10.9.0.1", HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 302


def test_the_client_address_is_taken_from_x_forwarded_for_only_behind_a_trusted_proxy(rf, settings):
    from ksr_portal.signin import client_ip

    settings.TRUSTED_PROXY_NETWORKS = [ipaddress.ip_network("10.9.0.0/16")]
    spoofed = "203.0.113.66, 203.0.113.5"
    assert client_ip(rf.get("/", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=spoofed)) == "192.0.2.1"
    assert client_ip(rf.get("/", REMOTE_ADDR="10.9.0.1", HTTP_X_FORWARDED_FOR=spoofed)) == "203.0.113.5"
    chained = "203.0.113.5, 10.9.3.3"  # two proxies of ours: the client is the last address before them
    assert client_ip(rf.get("/", REMOTE_ADDR="10.9.0.1", HTTP_X_FORWARDED_FOR=chained)) == "203.0.113.5"
    assert client_ip(rf.get("/", REMOTE_ADDR="10.9.0.1", HTTP_X_FORWARDED_FOR="garbage")) == "10.9.0.1"
    assert client_ip(rf.get("/", REMOTE_ADDR="10.9.0.1")) == "10.9.0.1"


@pytest.mark.django_db
def test_wrong_old_passwords_on_the_password_change_page_lock_and_end_the_session(client, staff_user):
    client.force_login(staff_user)
    url = reverse("admin:password_change")
    wrong = {"old_password": "guess", "new_password1": "Nowe-Haslo-Bardzo-9", "new_password2": "Nowe-Haslo-Bardzo-9"}
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(url, wrong, REMOTE_ADDR="10.0.0.7").status_code == 200
    assert client.post(url, wrong, REMOTE_ADDR="10.0.0.7").status_code == 429
    assert "_auth_user_id" not in client.session
    assert login(client, PASSWORD, address="192.0.2.50").status_code == 429  # and the account is locked


@pytest.mark.django_db
def test_correct_login_before_the_limit_succeeds(client, staff_user):
    login(client, "wrong-password")
    response = login(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff_user.pk)


@pytest.mark.django_db
def test_weak_passwords_are_refused(staff_user):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ["krotkie", "1234567890123", "password1234", "koordynator1"]:
        with pytest.raises(ValidationError):
            validate_password(weak, staff_user)


@pytest.mark.django_db
def test_pages_carry_security_headers(client):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert "no-store" not in response.get("Cache-Control", "")  # nobody signed in: nothing personal


@pytest.mark.django_db
def test_responses_to_a_signed_in_user_are_never_stored(client):
    enrollment = f.EnrollmentFactory(completed=True)
    club, person = enrollment.club, enrollment.participant
    user = f.UserFactory(is_staff=True)
    user.groups.add(roles.role_group(roles.KIS_COORDINATOR))
    UserScope.objects.create(user=user, level="club", club=club, region=club.region)
    client.force_login(user)
    pages = [
        reverse("participants:worklist"),
        reverse("participants:timeline", args=[person.pk]),
        reverse("participants:record", args=[person.pk]),
        reverse("participants:record_json", args=[person.pk]),
        reverse("participants:certificate", args=[enrollment.pk]),
        reverse("participants:case_file", args=[enrollment.pk]),
        reverse("reporting:annual") + "?format=csv",
        reverse("admin:participants_participant_changelist"),
        reverse("clubs:directory"),  # a public page too, once someone is signed in
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        cache_control = response["Cache-Control"]
        assert "no-store" in cache_control and "private" in cache_control, page
        assert "microphone=()" in response["Permissions-Policy"], page


@pytest.mark.django_db
def test_language_cookie_is_as_guarded_as_the_session_cookie(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert settings.SESSION_COOKIE_SECURE and cookie["secure"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def bare_environment(**extra):
    return {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/"), **extra}


def test_migrations_check_runs_without_any_setting():
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=BASE_DIR,
        env=bare_environment(),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_app_server_starts_without_a_secret_key():
    result = subprocess.run(
        [sys.executable, "-c", "import ksr_portal.wsgi"],
        cwd=BASE_DIR,
        env=bare_environment(ALLOWED_HOSTS="ksr.example.gov.pl"),
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_settings_pass_check_deploy():
    env = {
        key: value
        for key, value in os.environ.items()
        # Production's own environment: none of the test run's settings (the browser tests allow
        # synchronous database calls beside Playwright's event loop, which production never does).
        if key not in {"DEBUG", "SECRET_KEY", "SECURE_SSL_REDIRECT", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DEBUG="0",
        SECRET_KEY="k7#Qz!v2Lr9@wX4$eN8^pT1&bY6*uH3(jM5)sD0_fG-aC+iO=lK~",
        ALLOWED_HOSTS="ksr.example.gov.pl",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_static_files_carry_the_permissions_policy_too(settings):
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    static = WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))
    response = static(RequestFactory().get("/static/ksr_portal/portal.css"))
    assert response.status_code == 200
    assert "camera=()" in response["Permissions-Policy"]
