"""Inline rows are held to the scope as the model's own admin holds them, on every inline of the workbench."""

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from ksr_portal import roles
from ksr_portal.admin import ScopedInlineFormSet
from ksr_portal.models import UserScope
from ksr_portal.scoping import permits
from stakeholders.models import Membership, Organization

from . import factories as f
from .test_scope_matrix import USERS, world  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def make_user(role, level, region=None, club=None):
    user = f.UserFactory(is_staff=True)
    user.groups.add(roles.role_group(role))
    UserScope.objects.create(user=user, level=level, region=region or (club and club.region), club=club)
    return user


def form_data(response):
    """What the admin page's form would post as it stands: the main form and each inline's rows."""
    data = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(name): value for name, value in management.initial.items()})
        forms += formset.forms
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data


def set_rows(data, prefix, rows, initial=0):
    data[f"{prefix}-TOTAL_FORMS"] = str(initial + len(rows))
    for index, row in enumerate(rows, start=initial):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})


@pytest.fixture
def kielce():
    region = f.RegionFactory(terc="26")
    national = f.NationalNetworkFactory()
    regional = f.RegionalNetworkFactory(region=region, parent=national)
    return {"region": region, "national": national, "regional": regional}


def organization_post(client, kielce, network, name="Fundacja Nowa"):
    url = reverse("admin:stakeholders_organization_add")
    data = form_data(client.get(url))
    data.update(
        {
            "name": name,
            "legal_form": "foundation",
            "stakeholder_type": "C",
            "region": str(kielce["region"].pk),
            "town": "Kielce",
            "postal_code": "25-001",
        }
    )
    set_rows(data, "memberships", [{"network": str(network.pk), "role": "member", "joined_on": "2024-01-01"}])
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE="pl")


def test_rops_cannot_put_an_organisation_into_the_national_network_through_the_inline(client, kielce):
    client.force_login(make_user(roles.ROPS_STAFF, "region", region=kielce["region"]))
    response = organization_post(client, kielce, kielce["national"])
    assert response.status_code == 200
    assert "Ten wiersz zapisałby dane poza twoim zakresem." in response.content.decode()
    assert not Organization.objects.filter(name="Fundacja Nowa").exists()
    assert not Membership.objects.filter(network=kielce["national"]).exists()
    # The membership's own add page refuses the same row.
    organization = f.OrganizationFactory(region=kielce["region"])
    url = reverse("admin:stakeholders_membership_add")
    row = {"network": kielce["national"].pk, "organization": organization.pk, "role": "member"}
    assert client.post(url, {**row, "joined_on": "2024-01-01"}).status_code == 403
    assert not Membership.objects.filter(network=kielce["national"]).exists()


def test_rops_adds_an_organisation_with_a_membership_of_its_regional_network(client, kielce):
    client.force_login(make_user(roles.ROPS_STAFF, "region", region=kielce["region"]))
    response = organization_post(client, kielce, kielce["regional"])
    assert response.status_code == 302, response.context and response.context["errors"]
    assert Membership.objects.get(organization__name="Fundacja Nowa").network == kielce["regional"]


def test_rops_cannot_change_or_delete_a_national_membership_shown_on_its_organisation(client, kielce):
    organization = f.OrganizationFactory(region=kielce["region"], municipality=None, name="Fundacja Stara")
    membership = f.MembershipFactory(network=kielce["national"], organization=organization)
    client.force_login(make_user(roles.ROPS_STAFF, "region", region=kielce["region"]))
    url = reverse("admin:stakeholders_organization_change", args=[organization.pk])
    data = form_data(client.get(url))
    changed = {**data, "memberships-0-role": "observer"}
    refused = client.post(url, changed, HTTP_ACCEPT_LANGUAGE="pl")
    assert "Ten wiersz zapisałby dane poza twoim zakresem." in refused.content.decode()
    deleted = {**data, "memberships-0-DELETE": "on"}
    assert "Nie możesz usunąć „" in client.post(url, deleted, HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    membership.refresh_from_db()
    assert membership.role != "observer"


def test_every_inline_of_the_workbench_checks_its_rows_against_the_scope():
    request = RequestFactory().get("/")
    request.user = f.UserFactory(is_superuser=True)
    for model_admin in admin.site._registry.values():
        for inline in model_admin.get_inline_instances(request):
            # Models without a region (national data such as a user's scope) are left to permissions.
            if getattr(inline.model, "scope_paths", None) and inline.model.scope_paths.region:
                formset = inline.get_formset(request)
                assert issubclass(formset, ScopedInlineFormSet), (type(model_admin).__name__, type(inline).__name__)
                assert formset.user is request.user


@pytest.mark.parametrize("label", list(USERS))
def test_the_rule_in_memory_is_the_rule_of_the_database(world, label):  # noqa: F811
    """`permits()` judges an unsaved row as `restrict()` judges a stored one, for every model and role."""
    user = world.users[label]
    for model in admin.site._registry:
        if not hasattr(model.objects, "restrict"):
            continue
        for obj in model._base_manager.order_by("pk")[:40]:
            for action in ("view", "add", "change", "delete"):
                stored = model.objects.restrict(user, action).filter(pk=obj.pk).exists()
                assert permits(user, obj, action) == stored, (model.__name__, obj.pk, action)
