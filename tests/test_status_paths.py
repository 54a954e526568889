"""For every model with transitions: no path but a declared transition moves its status.

Tried for each status the model knows, by the three paths a status could be written: the admin change
form (as a superuser, who may do anything else), an import where the model has one, and plain `save()`.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.exceptions import ValidationError
from tablib import Dataset

from clubs.resources import ClubResource
from ksr_portal.workflow import StateMachine

from . import factories as f
from .test_rules import post_change

pytestmark = pytest.mark.django_db
MODELS = [model for model in apps.get_models() if issubclass(model, StateMachine)]


def statuses(model):
    return [value for value, _label in model._meta.get_field("status").flatchoices]


def make(model):
    return getattr(f, f"{model.__name__}Factory")()


def test_every_model_with_a_status_field_moves_by_transitions():
    with_status = {
        model
        for model in apps.get_models()
        if any(field.name == "status" and field.choices for field in model._meta.fields)
        and model._meta.app_label in ("participants", "clubs", "networks", "stakeholders")
    }
    # Marks, not stages of a process: presence on an attendance sheet, a goal's progress at a review.
    marks = {apps.get_model("participants", "Attendance"), apps.get_model("participants", "GoalProgress")}
    assert with_status - set(MODELS) == marks
    for model in MODELS:
        assert model.transitions and model.initial_statuses, model


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_save_reaches_no_status_but_through_a_transition(model):
    obj = make(model)
    start = obj.status
    for status in statuses(model):
        if status == start:
            continue
        fresh = model.objects.get(pk=obj.pk)
        fresh.status = status
        with pytest.raises(ValidationError):
            fresh.full_clean()
        with pytest.raises(ValidationError):
            fresh.save()
        assert model.objects.get(pk=obj.pk).status == start
        if status not in model.initial_statuses:
            new = model(**{field.attname: getattr(obj, field.attname) for field in model._meta.concrete_fields})
            new.pk = None
            new.status = status
            with pytest.raises(ValidationError):
                new.save()


@pytest.mark.parametrize("model", [m for m in MODELS if admin.site.is_registered(m)], ids=lambda model: model.__name__)
def test_the_admin_change_form_reaches_no_status(admin_client, model):
    obj = make(model)
    start = obj.status
    for status in statuses(model):
        if status != start:
            post_change(admin_client, obj, {"status": status})
            assert model.objects.get(pk=obj.pk).status == start, status


def test_an_import_reaches_no_status():
    club = f.ClubFactory(registry_number="KIS/26/1", status="active")
    resource = ClubResource()
    exported = resource.export(queryset=type(club).objects.filter(pk=club.pk))
    for status in ("planned", "closed", "contracted"):
        data = Dataset().load(exported.csv.replace(str(club.get_status_display()), status), format="csv")
        result = resource.import_data(data, dry_run=False)
        assert result.has_errors() or result.has_validation_errors(), status
        club.refresh_from_db()
        assert club.status == "active"
