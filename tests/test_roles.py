"""Roles are groups kept in step with ksr_portal/roles.py; user management cannot escalate privileges."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from ksr_portal import roles
from ksr_portal.models import UserScope

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
