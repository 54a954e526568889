"""A page links only to what its reader may open: a link that would answer 403 is not shown."""

import pytest
from django.urls import reverse

from ksr_portal import roles
from ksr_portal.models import UserScope

from . import factories as f

pytestmark = pytest.mark.django_db


def staff(role, **scope):
    user = f.UserFactory(is_staff=True)
    user.groups.add(roles.role_group(role))
    UserScope.objects.create(user=user, **scope)
    return user


def test_the_instructor_is_not_offered_registration_or_planning(client):
    club = f.ClubFactory()
    client.force_login(staff(roles.KIS_INSTRUCTOR, level="club", region=club.region, club=club))
    for name in ("home", "participants:worklist"):
        page = client.get(reverse(name)).content.decode()
        assert reverse("participants:register") not in page, name
        assert reverse("admin:clubs_activity_add") not in page, name
    assert client.get(reverse("participants:register")).status_code == 403


def test_the_coordinator_is_offered_both(client):
    club = f.ClubFactory()
    client.force_login(staff(roles.KIS_COORDINATOR, level="club", region=club.region, club=club))
    page = client.get(reverse("participants:worklist")).content.decode()
    assert reverse("participants:register") in page and reverse("admin:clubs_activity_add") in page


def test_a_user_one_may_not_manage_shows_no_password_button(client):
    national = staff(roles.NATIONAL_COORDINATOR, level="national")
    other = staff(roles.NATIONAL_COORDINATOR, level="national")  # only a superuser grants this role
    managed = staff(roles.MINISTRY_ANALYST, level="national")
    client.force_login(national)
    page = client.get(reverse("admin:auth_user_change", args=[other.pk])).content.decode()
    assert "../password/" not in page
    assert client.get(reverse("admin:auth_user_password_change", args=[other.pk])).status_code == 403
    page = client.get(reverse("admin:auth_user_change", args=[managed.pk])).content.decode()
    assert "../password/" in page


def test_a_read_only_record_links_only_to_records_its_reader_may_open(client):
    club = f.ClubFactory()
    operator_page = reverse("admin:stakeholders_organization_change", args=[club.operator.pk])
    club_page = reverse("admin:clubs_club_change", args=[club.pk])
    client.force_login(staff(roles.KIS_INSTRUCTOR, level="club", region=club.region, club=club))
    assert client.get(operator_page).status_code == 404
    page = client.get(club_page).content.decode()
    assert str(club.operator) in page and operator_page not in page
    client.force_login(staff(roles.MINISTRY_ANALYST, level="national"))
    assert client.get(operator_page).status_code == 200
    assert operator_page in client.get(club_page).content.decode()
