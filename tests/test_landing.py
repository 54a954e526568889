"""Each role lands on its work after signing in, is offered only links that open, and the workbench
has the accessibility statement and the language switch; the statement follows the ministry's template."""

import re

import pytest
from django.urls import reverse

from ksr_portal import roles
from ksr_portal.models import UserScope

from . import factories as f

pytestmark = pytest.mark.django_db
PASSWORD = "Correct-Horse-Battery-9"


def account(role, level, club):
    user = f.UserFactory(is_staff=True, password=PASSWORD)
    user.groups.add(roles.role_group(role))
    UserScope.objects.create(
        user=user,
        level=level,
        region=club.region if level != "national" else None,
        club=club if level == "club" else None,
    )
    return user


@pytest.mark.parametrize(
    "role, level, landing",
    [
        (roles.KIS_COORDINATOR, "club", "participants:worklist"),
        (roles.KIS_INSTRUCTOR, "club", "participants:worklist"),
        (roles.ROPS_STAFF, "region", "reporting:region"),
        (roles.REGIONAL_ANIMATOR, "region", "reporting:region"),
        (roles.MINISTRY_ANALYST, "national", "reporting:dashboard"),
        (roles.NATIONAL_COORDINATOR, "national", "reporting:dashboard"),
    ],
)
def test_each_role_lands_on_its_work_after_signing_in(client, role, level, landing):
    club = f.ClubFactory()
    user = account(role, level, club)
    login = client.get(reverse("admin:login"))
    assert login.context["next"] == reverse("start")
    signed_in = client.post(
        reverse("admin:login"), {"username": user.username, "password": PASSWORD, "next": "/start/"}
    )
    assert signed_in["Location"] == reverse("start")
    expected = reverse(landing, args=[club.region.terc]) if landing == "reporting:region" else reverse(landing)
    assert client.get(reverse("start"))["Location"] == expected
    assert client.get(expected).status_code == 200


def test_a_sign_in_that_names_no_page_leads_to_the_roles_work(client):
    user = account(roles.KIS_COORDINATOR, "club", f.ClubFactory())
    signed_in = client.post(reverse("admin:login"), {"username": user.username, "password": PASSWORD})
    assert signed_in["Location"] == reverse("start")


def test_a_superuser_lands_on_the_workbench(client):
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))
    assert client.get(reverse("start"))["Location"] == reverse("admin:index")


def test_the_instructor_is_offered_neither_registration_nor_planning(client):
    club = f.ClubFactory()
    client.force_login(account(roles.KIS_INSTRUCTOR, "club", club))
    page = client.get(reverse("participants:worklist")).content.decode()
    assert reverse("participants:register") not in page and reverse("admin:clubs_activity_add") not in page
    assert client.get(reverse("participants:register")).status_code == 403
    client.force_login(account(roles.KIS_COORDINATOR, "club", club))
    page = client.get(reverse("participants:worklist")).content.decode()
    assert reverse("participants:register") in page and reverse("admin:clubs_activity_add") in page


def test_rops_is_not_offered_edit_links_on_the_national_network(client):
    national = f.NationalNetworkFactory()
    regional = f.RegionalNetworkFactory(parent=national)
    client.force_login(account(roles.ROPS_STAFF, "region", f.ClubFactory(region=regional.region)))
    page = client.get(reverse("reporting:network_detail", args=[national.pk])).content.decode()
    assert reverse("admin:networks_network_change", args=[national.pk]) not in page
    assert f"?network={national.pk}" not in page
    own = client.get(reverse("reporting:network_detail", args=[regional.pk])).content.decode()
    assert reverse("admin:networks_network_change", args=[regional.pk]) in own


def test_the_workbench_links_the_accessibility_statement_and_switches_language(client):
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:index")).content.decode()
    assert reverse("accessibility") in page and reverse("set_language") in page


def test_the_accessibility_statement_follows_the_ministrys_template(client, settings):
    settings.KSR_OPERATOR = "Ministerstwo Rodziny, Pracy i Polityki Społecznej"
    settings.KSR_ACCESSIBILITY_EMAIL = "dostepnosc@ksr.gov.pl"
    page = client.get(reverse("accessibility")).content.decode()
    ids = set(re.findall(r'id="(a11y-[a-z-]+)"', page))
    assert ids >= {
        "a11y-wstep", "a11y-podmiot", "a11y-url", "a11y-data-publikacja", "a11y-data-aktualizacja", "a11y-status",
        "a11y-data-sporzadzenie", "a11y-kontakt", "a11y-osoba", "a11y-email", "a11y-telefon", "a11y-procedura",
        "a11y-architektura",
    }  # fmt: skip
    assert "Ministerstwo Rodziny, Pracy i Polityki Społecznej" in page and "dostepnosc@ksr.gov.pl" in page
    assert "Rzecznika Praw Obywatelskich" in page and "7 dni" in page and "Treści niedostępne" in page
