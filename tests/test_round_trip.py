"""Every export of every resource on the workbench re-imports unchanged as no changes, and a changed cell
changes exactly that value, in CSV and in XLSX: the files carry what is needed to match their rows."""

import datetime

import pytest
import tablib
from django.contrib import admin
from django.forms.models import model_to_dict

from ksr_portal.admin import PortalImportExportMixin
from ksr_portal.imports import PortalCSV, PortalXLSX, problems
from tests.test_imports import coordinator, rops

from . import factories as f

pytestmark = pytest.mark.django_db

RESOURCES = sorted(
    {
        resource_class
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, PortalImportExportMixin)
        for resource_class in model_admin.resource_classes
    },
    key=lambda resource_class: resource_class.__name__,
)


def stored(resource_class):
    """Each row of the resource's model as its fields hold it, many-to-many ones included."""
    model = resource_class._meta.model
    return {obj.pk: model_to_dict(obj) for obj in model._base_manager.order_by("pk")}


@pytest.fixture
def world():
    """Rows of every kind in one club of one region, as the pilot has them: clubs without a registry number,
    a membership that ended and the same organisation's open one, a member without a NIP, a finished stay
    and a stay of the same person."""
    region = f.RegionFactory(terc="26")
    club = f.ClubFactory(region=region)
    second = f.ClubFactory(region=region, registry_number="KIS/26/002")
    f.ClubFactory(region=region, operator=club.operator)  # a second club without a number
    network = f.LocalNetworkFactory(region=region, name="LSR Kielce")
    f.MembershipFactory(network=network, organization=club.operator, joined_on=datetime.date(2024, 3, 1))
    f.MembershipFactory(network=network, organization=club.operator, left_on=datetime.date(2023, 5, 1))
    f.MembershipFactory(network=network, organization=f.OrganizationFactory(region=region, nip="", name="Biblioteka"))
    f.MeetingFactory(network=network, topic="Oferta partnerów")
    person = f.ParticipantFactory()
    f.EnrollmentFactory(club=club, participant=person, completed=True)
    dates = {"applied_on": datetime.date(2025, 1, 2), "qualified_on": datetime.date(2025, 1, 3)}
    stay = f.EnrollmentFactory(club=club, participant=person, started_on=datetime.date(2025, 1, 5), **dates)
    activity = f.ActivityFactory(club=club, held_on=datetime.date(2025, 3, 5), service__pillar__code="social")
    f.ActivityFactory(club=second, held_on=datetime.date(2025, 3, 5), service=activity.service)
    f.AttendanceFactory(activity=activity, enrollment=stay)
    return {"club": club, "region": region}


def user_for(resource_class, world):
    club_level = {"ParticipantResource", "AttendanceResource", "ActivityResource"}
    if resource_class.__name__ in club_level:
        return coordinator(world["club"])
    return rops(world["region"])


def round_trip(resource_class, user, file_format, change=None):
    model = resource_class._meta.model
    exported = resource_class().export(queryset=model.objects.restrict(user).order_by("pk"))
    if change:
        change(exported)
    raw = file_format().export_data(exported)
    dataset = file_format().create_dataset(raw.encode("utf-8") if isinstance(raw, str) else raw)
    result = resource_class().import_data(dataset, user=user, use_transactions=True)
    assert [str(problem) for problem in problems(result)] == []
    return exported, result


@pytest.mark.parametrize("file_format", [PortalCSV, PortalXLSX])
@pytest.mark.parametrize("resource_class", RESOURCES, ids=lambda resource_class: resource_class.__name__)
def test_an_export_reimports_as_no_changes(world, resource_class, file_format):
    user = user_for(resource_class, world)
    before = stored(resource_class)
    exported, result = round_trip(resource_class, user, file_format)
    assert len(exported) > 0
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 0, len(exported))
    assert stored(resource_class) == before


# Per resource: a column, a new value in the file's words, the field it sets and the value stored.
CHANGES = {
    "ActivityResource": ("miejsce", "Świetlica", "location", "Świetlica"),
    "AttendanceResource": ("obecnosc", "nieobecna", "status", "absent"),
    "ClubResource": ("telefon", "41 300 00 00", "phone", "41 300 00 00"),
    "MeetingResource": ("protokol", "Ustalono ofertę.", "minutes", "Ustalono ofertę."),
    "MembershipResource": ("porozumienie_zawarte", "01.04.2024", "agreement_signed_on", datetime.date(2024, 4, 1)),
    "OrganizationResource": ("www", "https://biblioteka.example.pl", "website", "https://biblioteka.example.pl"),
    "ParticipantResource": ("wyksztalcenie", "isced_3", "education_level", "isced_3"),
}


@pytest.mark.parametrize("file_format", [PortalCSV, PortalXLSX])
@pytest.mark.parametrize("resource_class", RESOURCES, ids=lambda resource_class: resource_class.__name__)
def test_a_changed_cell_changes_exactly_that_value(world, resource_class, file_format):
    column, cell, field, value = CHANGES[resource_class.__name__]
    user = user_for(resource_class, world)
    before = stored(resource_class)

    def change(exported):
        row = list(exported[0])
        row[exported.headers.index(column)] = cell
        del exported[0]
        exported.insert(0, row)

    exported, result = round_trip(resource_class, user, file_format, change)
    assert (result.totals["new"], result.totals["update"], result.totals["skip"]) == (0, 1, len(exported) - 1)
    after = stored(resource_class)
    (changed,) = [pk for pk in before if after[pk] != before[pk]]
    assert after[changed] == before[changed] | {field: value}


ODD_CELLS = ["", "x" * 300, "31.02.2026", "-1", "=1+1", "tak, nie", "0" * 11]


@pytest.mark.parametrize("resource_class", RESOURCES, ids=lambda resource_class: resource_class.__name__)
def test_any_cell_of_an_exported_file_changed_to_anything_gets_a_message_never_a_fault(world, resource_class):
    """Every column of every resource, given values of the wrong kind: what is wrong is told of the row that
    holds it, and no fault is left to a traceback."""
    user = user_for(resource_class, world)
    model = resource_class._meta.model
    exported = resource_class().export(queryset=model.objects.restrict(user).order_by("pk"))
    for column in exported.headers:
        for cell in ODD_CELLS:
            changed = tablib.Dataset(*exported, headers=exported.headers)
            row = list(changed[0])
            row[changed.headers.index(column)] = cell
            del changed[0]
            changed.insert(0, row)
            result = resource_class().import_data(changed, user=user, dry_run=True, use_transactions=True)
            found = list(problems(result))
            assert not result.error_rows and not result.base_errors, (column, cell, [str(p) for p in found])
            assert all(problem.line == 2 for problem in found), (column, cell, [str(p) for p in found])
