"""Every page of the admin workbench opens for a superuser: changelists, add pages, change pages."""

import pytest
from django.contrib import admin
from django.urls import reverse

REGISTERED = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.org", "Secret-Password-123")
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("model", [model for model, _ in REGISTERED], ids=lambda m: m._meta.label)
def test_changelist_and_add_pages_open(superuser_client, model):
    opts = model._meta
    changelist = superuser_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    assert changelist.status_code == 200
    add = superuser_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
    assert add.status_code == (403 if not admin.site._registry[model].has_add_permission(add.wsgi_request) else 200)
