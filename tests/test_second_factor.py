"""Two-step sign-in: who must give a second factor, and that nothing is reached before it is given."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ksr_portal import roles
from ksr_portal.models import UserScope

from . import factories as f

pytestmark = pytest.mark.django_db
PASSWORD = "Correct-Horse-Battery-9"
KEY = b"0123456789abcdefghij"


@pytest.fixture(autouse=True)
def second_factor(settings):
    settings.TWO_FACTOR = "roles"


def account(role, level="club", club=None, device=True):
    user = f.UserFactory(is_staff=True, password=PASSWORD)
    user.groups.add(roles.role_group(role))
    club = club or f.ClubFactory()
    UserScope.objects.create(
        user=user,
        level=level,
        region=club.region if level != "national" else None,
        club=club if level == "club" else None,
    )
    if device:
        TOTPDevice.objects.create(user=user, name="telefon", key=KEY.hex(), confirmed=True)
    return user


def sign_in(client, user):
    response = client.post(reverse("admin:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def code(offset=0):
    totp = TOTP(KEY)
    totp.time += offset
    return f"{totp.token():06d}"


def test_the_password_alone_reaches_nothing_of_a_coordinators(client):
    enrollment = f.EnrollmentFactory()
    user = account(roles.KIS_COORDINATOR, club=enrollment.club)
    sign_in(client, user)
    person = enrollment.participant.pk
    for url in [
        reverse("admin:index"),
        reverse("participants:worklist"),
        reverse("admin:participants_participant_changelist"),
        reverse("participants:record", args=[person]),
        reverse("participants:record_json", args=[person]),
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("second_factor:verify")), url
    page = client.get(reverse("second_factor:verify"))
    assert page.status_code == 200 and "Weryfikacja dwuetapowa" in page.content.decode()
    assert enrollment.participant.last_name not in page.content.decode()


def test_a_wrong_code_is_refused_in_polish_and_the_right_one_lets_in(client):
    user = account(roles.KIS_COORDINATOR)
    sign_in(client, user)
    verify = reverse("second_factor:verify")
    wrong = client.post(verify, {"code": "000000" if code() != "000000" else "111111", "next": "/klub/"})
    assert wrong.status_code == 200 and "Ten kod jest niepoprawny" in wrong.content.decode()
    assert client.get(reverse("participants:worklist")).status_code == 302
    client.get(verify)  # django-otp slows down after a failure: wait it out
    TOTPDevice.objects.filter(user=user).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    right = client.post(verify, {"code": code(), "next": "/klub/"})
    assert right.status_code == 302 and right["Location"] == "/klub/"
    assert client.get(reverse("participants:worklist")).status_code == 200


def test_next_never_leads_off_the_portal(client):
    sign_in(client, account(roles.KIS_COORDINATOR))
    right = client.post(reverse("second_factor:verify"), {"code": code(), "next": "https://evil.example/"})
    assert right["Location"] == reverse("start")


def test_pairing_an_app_shows_the_key_then_recovery_codes_each_good_once(client):
    user = account(roles.NATIONAL_COORDINATOR, level="national", device=False)
    sign_in(client, user)
    setup = client.get(reverse("second_factor:verify"))
    assert setup.status_code == 200 and "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    totp = TOTP(device.bin_key)
    paired = client.post(reverse("second_factor:verify"), {"code": f"{totp.token():06d}"})
    assert paired.status_code == 200
    codes = paired.context["codes"]
    assert len(codes) == 10 and all(c in paired.content.decode() for c in codes)
    assert TOTPDevice.objects.get(user=user).confirmed
    assert client.get(reverse("admin:index")).status_code == 200
    # A recovery code signs in once instead of the app.
    for attempt in range(2):
        client.post(reverse("admin:logout"))
        sign_in(client, user)
        used = client.post(reverse("second_factor:verify"), {"code": codes[0]})
        assert (used.status_code == 302) == (attempt == 0)


def test_new_recovery_codes_replace_the_old_ones(client):
    user = account(roles.KIS_COORDINATOR)
    sign_in(client, user)
    client.post(reverse("second_factor:verify"), {"code": code()})
    first = client.post(reverse("second_factor:recovery_codes")).context["codes"]
    second = client.post(reverse("second_factor:recovery_codes")).context["codes"]
    stored = set(StaticDevice.objects.get(user=user).token_set.values_list("token", flat=True))
    assert stored == set(second) and not stored & set(first)


@pytest.mark.parametrize(
    "role, level, asked",
    [
        (roles.KIS_COORDINATOR, "club", True),
        (roles.KIS_INSTRUCTOR, "club", True),
        (roles.NATIONAL_COORDINATOR, "national", True),
        (roles.ROPS_STAFF, "region", True),  # issues API keys
        (roles.REGIONAL_ANIMATOR, "region", False),
        (roles.MINISTRY_ANALYST, "national", False),
    ],
)
def test_who_is_asked_for_a_second_factor(client, settings, role, level, asked):
    sign_in(client, account(role, level=level))
    assert (client.get(reverse("admin:index")).status_code == 302) == asked
    settings.TWO_FACTOR = "all"
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_superuser_is_asked_too(client):
    user = f.UserFactory(is_staff=True, is_superuser=True, password=PASSWORD)
    sign_in(client, user)
    assert client.get(reverse("admin:index"))["Location"].startswith(reverse("second_factor:verify"))


def test_the_national_coordinator_resets_a_lost_phone_and_it_is_audited(client):
    national = account(roles.NATIONAL_COORDINATOR, level="national")
    coordinator = account(roles.KIS_COORDINATOR)
    sign_in(client, national)
    client.post(reverse("second_factor:verify"), {"code": code()})
    changelist = reverse("admin:auth_user_changelist")
    client.post(changelist, {"action": "reset_second_factor", "_selected_action": [coordinator.pk, national.pk]})
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    assert TOTPDevice.objects.filter(user=national).exists()  # never one's own
    entry = LogEntry.objects.get(content_type__model="totpdevice", action=LogEntry.Action.DELETE)
    assert entry.actor == national and KEY.hex() not in str(entry.changes)
