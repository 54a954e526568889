"""Roles are groups kept in step with ksr_portal/roles.py; user management cannot escalate privileges."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from ksr_portal import roles
from ksr_portal.models import UserScope

from . import factories as f
from .factories import UserFactory

pytestmark = pytest.mark.django_db

# Data minimisation: these roles must hold no permission on anything that names a person.
NO_IDENTITIES = [roles.MINISTRY_ANALYST, roles.NATIONAL_COORDINATOR, roles.ROPS_STAFF, roles.REGIONAL_ANIMATOR]


def permission_labels(group):
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_migrate_creates_every_role_group_with_exactly_its_permissions():
    for role, (name, grants) in roles.ROLES.items():
        expected = set()
        for label, actions in grants.items():
            app_label, model_name = label.split(".")
            expected |= {f"{app_label}.{action}_{model_name}" for action in actions}
        assert permission_labels(Group.objects.get(name=name)) == expected, role


def test_sync_repairs_a_group_whose_permissions_were_changed_by_hand():
    group = roles.role_group(roles.MINISTRY_ANALYST)
    group.permissions.clear()
    roles.sync_role_groups()
    assert "clubs.view_club" in permission_labels(group)
    assert not any(label.endswith("_participant") for label in permission_labels(group))


@pytest.mark.parametrize("role", NO_IDENTITIES)
def test_roles_above_the_club_hold_no_permission_on_personal_data(role):
    personal = {
        label
        for label in permission_labels(roles.role_group(role))
        if label.startswith("participants.") and not label.endswith("_eligibilitycategory")
    }
    assert personal == set()


def test_the_analyst_can_only_read():
    labels = permission_labels(roles.role_group(roles.MINISTRY_ANALYST))
    assert labels and all(".view_" in label for label in labels)


def test_nobody_but_the_superuser_deletes_a_person():
    for role in roles.ROLES:
        assert "participants.delete_participant" not in permission_labels(roles.role_group(role))


@pytest.fixture
def national_coordinator(client):
    user = UserFactory(is_staff=True)
    user.groups.add(roles.role_group(roles.NATIONAL_COORDINATOR))
    UserScope.objects.create(user=user, level="national")
    client.force_login(user)
    return user


def test_national_coordinator_manages_accounts_but_never_sees_a_superuser(client, national_coordinator):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    colleague = UserFactory(is_staff=True)
    changelist = client.get(reverse("admin:auth_user_changelist"))
    assert changelist.status_code == 200
    assert colleague.username in changelist.content.decode()
    assert superuser.username not in changelist.content.decode()
    assert client.get(reverse("admin:auth_user_change", args=[superuser.pk])).status_code == 404


def test_national_coordinator_cannot_grant_superuser_status(client, national_coordinator):
    colleague = UserFactory(is_staff=True)
    page = client.get(reverse("admin:auth_user_change", args=[colleague.pk]))
    form = page.context["adminform"].form
    assert "is_superuser" not in form.fields
    assert "user_permissions" not in form.fields
    assert "groups" in form.fields


def user_form(user, groups, level="", region=None, club=None):
    """The user change form as the workbench posts it: the account, its roles and its scope inline."""
    scope = UserScope.objects.filter(user=user).first()
    return {
        "username": user.username,
        "email": user.email,
        "is_active": "on",
        "is_staff": "on",
        "groups": [roles.role_group(role).pk for role in groups],
        "date_joined_0": "2026-01-05",
        "date_joined_1": "08:00:00",
        "scope-TOTAL_FORMS": "1",
        "scope-INITIAL_FORMS": "1" if scope else "0",
        "scope-MIN_NUM_FORMS": "0",
        "scope-MAX_NUM_FORMS": "1",
        "scope-0-id": scope.pk if scope else "",
        "scope-0-user": user.pk,
        "scope-0-level": level,
        "scope-0-region": region.pk if region else "",
        "scope-0-club": club.pk if club else "",
    }


def change(client, user, data):
    return client.post(reverse("admin:auth_user_change", args=[user.pk]), data)


def test_the_national_coordinator_never_changes_their_own_roles(client, national_coordinator):
    roles_now = set(national_coordinator.groups.all())
    data = user_form(national_coordinator, [roles.NATIONAL_COORDINATOR, roles.KIS_COORDINATOR], "national")
    assert change(client, national_coordinator, data).status_code == 403
    page = client.get(reverse("admin:auth_user_change", args=[national_coordinator.pk]))
    assert page.status_code == 200 and "groups" not in page.context["adminform"].form.fields  # read-only
    national_coordinator.refresh_from_db()
    assert set(national_coordinator.groups.all()) == roles_now


def test_a_role_that_reads_identities_is_granted_for_one_club_only(client, national_coordinator):
    colleague = UserFactory(is_staff=True)
    club = f.ClubFactory()
    refused = change(client, colleague, user_form(colleague, [roles.KIS_COORDINATOR], "national"))
    assert refused.status_code == 200
    assert "tylko jeden klub" in refused.content.decode()
    assert not colleague.groups.exists() and not UserScope.objects.filter(user=colleague).exists()
    region = change(client, colleague, user_form(colleague, [roles.KIS_INSTRUCTOR], "region", region=club.region))
    assert region.status_code == 200 and not colleague.groups.exists()
    granted = change(client, colleague, user_form(colleague, [roles.KIS_COORDINATOR], "club", club.region, club))
    assert granted.status_code == 302
    assert UserScope.objects.get(user=colleague).club == club
    assert roles.roles_of(colleague.groups.all()) == {roles.KIS_COORDINATOR}


def test_the_scope_rule_holds_in_the_model_too(national_coordinator):
    from django.core.exceptions import ValidationError

    colleague = UserFactory(is_staff=True)
    colleague.groups.add(roles.role_group(roles.KIS_INSTRUCTOR))
    with pytest.raises(ValidationError):
        UserScope(user=colleague, level="national").full_clean()


def test_only_a_superuser_makes_a_national_coordinator(client, national_coordinator):
    colleague = UserFactory(is_staff=True)
    refused = change(client, colleague, user_form(colleague, [roles.NATIONAL_COORDINATOR], "national"))
    assert refused.status_code == 200 and not colleague.groups.exists()
    other = UserFactory(is_staff=True)
    other.groups.add(roles.role_group(roles.NATIONAL_COORDINATOR))
    # Nor may one national coordinator change another's account or set their password.
    assert change(client, other, user_form(other, [], "")).status_code == 403
    password = {"password1": "Zupelnie-Nowe-Haslo-7", "password2": "Zupelnie-Nowe-Haslo-7"}
    assert client.post(reverse("admin:auth_user_password_change", args=[other.pk]), password).status_code == 403
    assert roles.roles_of(other.groups.all()) == {roles.NATIONAL_COORDINATOR}


def test_grants_revocations_and_passwords_set_by_another_are_in_the_audit_trail(client, national_coordinator):
    from auditlog.models import LogEntry

    colleague = UserFactory(is_staff=True)
    region = f.RegionFactory()
    assert change(client, colleague, user_form(colleague, [roles.ROPS_STAFF], "region", region)).status_code == 302
    assert change(client, colleague, user_form(colleague, [], "region", region)).status_code == 302
    password = {"password1": "Zupelnie-Nowe-Haslo-7", "password2": "Zupelnie-Nowe-Haslo-7"}
    assert client.post(reverse("admin:auth_user_password_change", args=[colleague.pk]), password).status_code == 302
    entries = LogEntry.objects.get_for_object(colleague).filter(actor=national_coordinator).order_by("pk")
    group_changes = [entry.changes_dict["groups"] for entry in entries if "groups" in entry.changes_dict]
    rops = roles.role_group_name(roles.ROPS_STAFF)
    assert group_changes == [
        {"type": "m2m", "operation": "add", "objects": [rops]},
        {"type": "m2m", "operation": "delete", "objects": [rops]},
    ]
    (password_entry,) = [entry for entry in entries if "password" in entry.changes_dict]
    assert colleague.password[-10:] not in str(password_entry.changes_dict)  # masked
    scope = LogEntry.objects.get_for_object(UserScope.objects.get(user=colleague)).get()
    assert scope.actor == national_coordinator and scope.action == LogEntry.Action.CREATE


def test_the_kis_coordinator_makes_referrals_out_from_the_enrollment(client):
    from participants.models import Referral

    enrollment = f.EnrollmentFactory()
    partner = f.OrganizationFactory(region=enrollment.club.region)
    service = f.ServiceFactory()
    user = UserFactory(is_staff=True)
    user.groups.add(roles.role_group(roles.KIS_COORDINATOR))
    UserScope.objects.create(user=user, level="club", club=enrollment.club, region=enrollment.club.region)
    client.force_login(user)
    page = client.get(reverse("admin:participants_enrollment_change", args=[enrollment.pk]))
    assert page.status_code == 200 and any(
        formset.formset.prefix == "referrals" and formset.has_add_permission
        for formset in page.context["inline_admin_formsets"]
    )
    assert client.get(reverse("admin:participants_referral_changelist")).status_code == 200
    added = client.post(
        reverse("admin:participants_referral_add"),
        {"enrollment": enrollment.pk, "organization": partner.pk, "service": service.pk, "sent_on": "2026-03-02"},
    )
    assert added.status_code == 302
    assert Referral.objects.get().organization == partner
