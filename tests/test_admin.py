"""Every page of the admin workbench opens for a superuser: changelist, add, change, history and delete.

The test walks the admin registry, so a model added to the admin is covered without new code; it only
needs a factory named after the model in tests/factories.py.
"""

import datetime

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from ksr_portal import roles
from ksr_portal.admin import AuditedModelFilter, YearListFilter
from ksr_portal.audit import log_bulk
from ksr_portal.models import UserScope
from participants.models import Attendance, Enrollment
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


@pytest.fixture
def enrollments():
    kielce = factories.ClubFactory(name="KIS Kielce")
    radom = factories.ClubFactory(name="KIS Radom")

    def enroll(first_name, last_name, club, applied_on=datetime.date(2024, 2, 1)):
        person = factories.ParticipantFactory(first_name=first_name, last_name=last_name)
        return factories.EnrollmentFactory(
            participant=person, club=club, applied_on=applied_on, started_on=applied_on, qualified_on=applied_on
        )

    return {
        "anna": enroll("Anna", "Nowakowska", kielce),
        "ewa": enroll("Ewa", "Nowakowska", radom, datetime.date(2026, 3, 1)),
        "jan": enroll("Jan", "Zieliński", kielce, datetime.date(2019, 5, 1)),
    }


def found(client, model, **params):
    return set(client.get(admin_url(model, "changelist"), params).context["cl"].result_list)


@pytest.mark.django_db
def test_search_reaches_related_tables_and_every_word_must_match(superuser_client, enrollments):
    anna, ewa, jan = enrollments["anna"], enrollments["ewa"], enrollments["jan"]
    assert found(superuser_client, Enrollment, q="nowakow") == {anna, ewa}
    assert found(superuser_client, Enrollment, q="radom") == {ewa}
    assert found(superuser_client, Enrollment, q="Nowakowska Kielce") == {anna}
    assert found(superuser_client, Enrollment, q='"KIS Kielce" Zieliński') == {jan}
    assert found(superuser_client, Enrollment, q=ewa.participant.pesel) == {ewa}
    assert found(superuser_client, Enrollment, q=ewa.participant.pesel[:6]) == set()  # a PESEL is matched whole
    cooking = factories.AttendanceFactory(enrollment=anna, activity__club=anna.club, activity__title="Kuchnia")
    training = factories.AttendanceFactory(enrollment=jan, activity__club=jan.club, activity__title="Trening pracy")
    assert found(superuser_client, Attendance, q="kuchn") == {cooking}
    assert found(superuser_client, Attendance, q="zielińsk") == {training}


@pytest.mark.django_db
def test_enrollments_are_filtered_by_the_years_of_the_users_own_list(client, enrollments):
    kielce = enrollments["anna"].club
    user = factories.UserFactory(is_staff=True)
    user.groups.add(roles.role_group(roles.KIS_COORDINATOR))
    UserScope.objects.create(user=user, level="club", club=kielce, region=kielce.region)
    client.force_login(user)
    page = client.get(admin_url(Enrollment, "changelist"))
    years = next(spec for spec in page.context["cl"].filter_specs if isinstance(spec, YearListFilter))
    # Radom's enrollment of 2026 is out of this coordinator's scope and leaves no trace among the years.
    assert [choice["display"] for choice in years.choices(page.context["cl"])] == [
        "Wszystkie",
        *(str(year) for year in range(2024, 2018, -1)),
    ]
    assert found(client, Enrollment, applied_on__year="2019") == {enrollments["jan"]}


def test_no_admin_list_reads_every_row_for_its_years():
    """Django's date hierarchy reads the distinct years of the whole list; the year filter reads two dates."""
    assert [model for model, model_admin in admin.site._registry.items() if model_admin.date_hierarchy] == []
    dated = {
        "Activity": "held_on",
        "Enrollment": "applied_on",
        "Meeting": "held_on",
        "Review": "reviewed_on",
        "LogEntry": "timestamp",
    }
    for model, model_admin in admin.site._registry.items():
        if model.__name__ in dated:
            assert (dated[model.__name__], YearListFilter) in model_admin.list_filter


@pytest.mark.django_db
def test_activities_are_filtered_by_year(superuser_client):
    old = factories.ActivityFactory(held_on=datetime.date(2024, 5, 6))
    factories.ActivityFactory(held_on=datetime.date(2026, 5, 6))
    assert found(superuser_client, old._meta.model, held_on__year="2024") == {old}
    page = superuser_client.get(admin_url(old._meta.model, "changelist"))
    years = next(spec for spec in page.context["cl"].filter_specs if isinstance(spec, YearListFilter))
    assert [choice["display"] for choice in years.choices(page.context["cl"])] == ["Wszystkie", "2026", "2025", "2024"]


@pytest.mark.django_db
def test_the_audit_trail_is_filtered_by_kind_of_record_and_year(superuser_client):
    person = factories.ParticipantFactory()
    enrollment = factories.EnrollmentFactory(participant=person)
    page = superuser_client.get(admin_url(LogEntry, "changelist"))
    kinds = next(spec for spec in page.context["cl"].filter_specs if isinstance(spec, AuditedModelFilter))
    labels = [choice["display"] for choice in kinds.choices(page.context["cl"])]
    assert str(Attendance._meta.verbose_name) in labels  # audited, though nothing of the kind is logged yet
    participant_type = ContentType.objects.get_for_model(person)
    entries = found(superuser_client, LogEntry, resource_type=participant_type.pk)
    assert entries and {entry.object_id for entry in entries} == {person.pk}
    this_year = found(superuser_client, LogEntry, timestamp__year=str(enrollment.created_at.year))
    assert {entry.object_id for entry in this_year} >= {person.pk, enrollment.pk}
    assert found(superuser_client, LogEntry, timestamp__year="2001") == set()
    region = factories.RegionFactory()
    log_bulk(type(region), [region.pk], LogEntry.Action.ACCESS, {"export": "raport.csv"})  # a report's export
    page = superuser_client.get(admin_url(LogEntry, "changelist"))
    kinds = next(spec for spec in page.context["cl"].filter_specs if isinstance(spec, AuditedModelFilter))
    assert str(region._meta.verbose_name) in [choice["display"] for choice in kinds.choices(page.context["cl"])]
    region_type = ContentType.objects.get_for_model(region)
    assert {entry.object_id for entry in found(superuser_client, LogEntry, resource_type=region_type.pk)} == {region.pk}


@pytest.mark.django_db
def test_admin_lists_never_count_facets(superuser_client, enrollments):
    page = superuser_client.get(admin_url(Enrollment, "changelist"), {"_facets": "True"})
    assert page.status_code == 200 and not page.context["cl"].add_facets
