"""The one scoping mechanism, `restrict(user, action)`, and the admin paths built on it."""

import pytest
from django.urls import reverse

from clubs.models import Club
from ksr_portal import roles
from ksr_portal.models import UserScope
from networks.models import Network
from participants.models import Participant
from stakeholders.models import Organization

from . import factories as f

pytestmark = pytest.mark.django_db


def make_user(role, level="national", region=None, club=None, **extra):
    user = f.UserFactory(is_staff=True, **extra)
    if role:
        user.groups.add(roles.role_group(role))
    if level:
        UserScope.objects.create(user=user, level=level, region=region or (club and club.region), club=club)
    return user


@pytest.fixture
def two_regions():
    kielce, katowice = f.RegionFactory(terc="26"), f.RegionFactory(terc="24")
    return {
        "kielce": kielce,
        "katowice": katowice,
        "club_k": f.ClubFactory(region=kielce),
        "club_k2": f.ClubFactory(region=kielce),
        "club_s": f.ClubFactory(region=katowice),
    }


def test_a_user_without_scope_permission_or_activity_gets_nothing(two_regions):
    no_scope = make_user(roles.ROPS_STAFF, level=None)
    no_role = make_user(None, "region", region=two_regions["kielce"])
    inactive = make_user(roles.ROPS_STAFF, "region", region=two_regions["kielce"], is_active=False)
    for user in (no_scope, no_role, inactive):
        assert not Club.objects.restrict(user).exists()


def test_superuser_sees_everything(two_regions):
    root = f.UserFactory(is_superuser=True)
    assert Club.objects.restrict(root).count() == 3


def test_region_scope_keeps_its_region_and_shares_national_rows_for_reading(two_regions):
    national = f.NationalNetworkFactory()
    regional = f.RegionalNetworkFactory(region=two_regions["kielce"], parent=national)
    f.RegionalNetworkFactory(region=two_regions["katowice"], parent=national)
    rops = make_user(roles.ROPS_STAFF, "region", region=two_regions["kielce"])
    assert set(Club.objects.restrict(rops)) == {two_regions["club_k"], two_regions["club_k2"]}
    assert set(Network.objects.restrict(rops)) == {national, regional}
    assert set(Network.objects.restrict(rops, "change")) == {regional}


def test_club_scope_keeps_its_club(two_regions):
    coordinator = make_user(roles.KIS_COORDINATOR, "club", club=two_regions["club_k"])
    assert list(Club.objects.restrict(coordinator)) == [two_regions["club_k"]]
    # Organisations belong to a region, not a club: the coordinator reads its region's partners.
    f.OrganizationFactory(region=two_regions["kielce"])
    assert all(o.region == two_regions["kielce"] for o in Organization.objects.restrict(coordinator))


def test_a_person_with_two_enrollments_in_scope_is_one_row(two_regions):
    club = two_regions["club_k"]
    person = f.ParticipantFactory()
    f.EnrollmentFactory(participant=person, club=club, completed=True)
    f.EnrollmentFactory(participant=person, club=club)
    coordinator = make_user(roles.KIS_COORDINATOR, "club", club=club)
    assert list(Participant.objects.restrict(coordinator)) == [person]
    assert Participant.objects.restrict(coordinator).count() == 1


def test_roles_above_the_club_never_get_a_person(two_regions):
    f.EnrollmentFactory(club=two_regions["club_k"])
    for role, level in [
        (roles.MINISTRY_ANALYST, "national"),
        (roles.NATIONAL_COORDINATOR, "national"),
        (roles.ROPS_STAFF, "region"),
        (roles.REGIONAL_ANIMATOR, "region"),
    ]:
        user = make_user(role, level, region=two_regions["kielce"] if level == "region" else None)
        assert not Participant.objects.restrict(user).exists(), role


def test_admin_choices_and_filters_offer_only_what_is_in_scope(client, two_regions):
    own = f.OrganizationFactory(region=two_regions["kielce"], name="Partner Kielecki")
    f.OrganizationFactory(region=two_regions["katowice"], name="Partner Śląski")
    client.force_login(make_user(roles.ROPS_STAFF, "region", region=two_regions["kielce"]))
    add = client.get(reverse("admin:clubs_club_add"))
    operators = add.context["adminform"].form.fields["operator"].queryset
    assert own in operators and not operators.filter(name="Partner Śląski").exists()
    answer = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "clubs", "model_name": "club", "field_name": "operator", "term": "Partner"},
    )
    assert [r["text"] for r in answer.json()["results"]] == ["Partner Kielecki"]
    listing = client.get(reverse("admin:networks_meeting_changelist"))
    assert "Śląski" not in listing.content.decode()


def test_a_save_that_moves_an_object_out_of_scope_is_refused_and_rolled_back(client, two_regions):
    organization = f.OrganizationFactory(region=two_regions["kielce"], municipality=None, name="Fundacja Przenoszona")
    client.force_login(make_user(roles.ROPS_STAFF, "region", region=two_regions["kielce"]))
    url = reverse("admin:stakeholders_organization_change", args=[organization.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data.update({"name": "Fundacja Przeniesiona", "region": two_regions["katowice"].pk, "pillars": []})
    data.update({f"contacts-{k}": v for k, v in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0}.items()})
    data.update({f"memberships-{k}": v for k, v in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0}.items()})
    response = client.post(url, {k: v for k, v in data.items() if v is not None})
    # Another region is not even among the choices: the form refuses it.
    assert response.status_code == 200 and "region" in response.context["adminform"].form.errors
    organization.refresh_from_db()
    assert organization.region == two_regions["kielce"] and organization.name == "Fundacja Przenoszona"


def test_someone_of_one_region_meets_only_that_region_in_filters_and_choices(client, two_regions):
    client.force_login(make_user(roles.ROPS_STAFF, "region", region=two_regions["kielce"]))
    page = client.get(reverse("admin:stakeholders_organization_add"))
    assert list(page.context["adminform"].form.fields["region"].queryset) == [two_regions["kielce"]]
    changelist = client.get(reverse("admin:clubs_club_changelist")).content.decode()
    assert two_regions["kielce"].name in changelist and two_regions["katowice"].name not in changelist


def test_out_of_scope_object_is_404_in_the_admin(client, two_regions):
    client.force_login(make_user(roles.ROPS_STAFF, "region", region=two_regions["kielce"]))
    other = two_regions["club_s"]
    for action in ("change", "history", "delete"):
        assert client.get(reverse(f"admin:clubs_club_{action}", args=[other.pk])).status_code == 404
