"""Every page of the admin workbench opens for a superuser: changelist, add, change, history and delete.

The test walks the admin registry, so a model added to the admin is covered without new code; it only
needs a factory named after the model in tests/factories.py.
"""

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from tests import factories

AXES_REQUEST = {"user_agent": "test", "http_accept": "*/*", "path_info": "/admin/login/"}
REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
FACTORY_OVERRIDES = {
    "Network": factories.LocalNetworkFactory,
    "Group": lambda: Group.objects.create(name="testers"),
    "LogEntry": lambda: LogEntry.objects.get_for_object(factories.ParticipantFactory()).get(),
    "AccessAttempt": lambda: AccessAttempt.objects.create(
        username="someone", ip_address="127.0.0.1", failures_since_start=1, **AXES_REQUEST
    ),
    "AccessFailureLog": lambda: AccessFailureLog.objects.create(
        username="someone", ip_address="127.0.0.1", **AXES_REQUEST
    ),
}


def make_object(model):
    factory = FACTORY_OVERRIDES.get(model.__name__) or getattr(factories, f"{model.__name__}Factory", None)
    if factory is not None:
        return factory()
    return model.objects.first()  # closed lists created by migrations (pillars, eligibility categories)


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "Secret-Password-123")
    client.force_login(user)
    return client


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_every_admin_page_opens(superuser_client, model):
    obj = make_object(model)
    assert obj is not None, f"no factory and no rows for {model._meta.label}"
    model_admin = admin.site._registry[model]

    changelist = superuser_client.get(admin_url(model, "changelist"))
    assert changelist.status_code == 200

    add = superuser_client.get(admin_url(model, "add"))
    assert add.status_code == (200 if model_admin.has_add_permission(add.wsgi_request) else 403)

    assert superuser_client.get(admin_url(model, "change", obj.pk)).status_code == 200
    assert superuser_client.get(admin_url(model, "history", obj.pk)).status_code == 200
    delete = superuser_client.get(admin_url(model, "delete", obj.pk))
    assert delete.status_code == (200 if model_admin.has_delete_permission(delete.wsgi_request, obj) else 403)


@pytest.mark.django_db
def test_changelist_search_and_filters_work(superuser_client):
    participant = factories.ParticipantFactory(last_name="Wiśniewska")
    factories.ParticipantFactory(last_name="Zielińska")
    url = admin_url(participant._meta.model, "changelist")
    found = superuser_client.get(url, {"q": "Wiśniew"}).content.decode()
    assert "Wiśniewska" in found and "Zielińska" not in found
    by_pesel = superuser_client.get(url, {"q": participant.pesel}).content.decode()
    assert "Wiśniewska" in by_pesel and "Zielińska" not in by_pesel
