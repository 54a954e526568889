"""Every touch of a person's data leaves a trace that nobody can edit or delete from the admin."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from ksr_portal.admin import AuditTrailAdmin
from ksr_portal.audit import log_bulk
from participants.models import Participant
from tests import factories


def draft_contract():
    """A contract still being drawn up: a signed one changes only by its actions."""
    return factories.SocialContractFactory(status="draft", signed_on=None)


# Each personal-data model with one field to change and its new value.
PERSONAL_DATA = [
    (factories.ParticipantFactory, "last_name", "Zmieniona"),
    (factories.ConsentFactory, "withdrawn_on", datetime.date(2030, 1, 1)),
    (factories.EnrollmentFactory, "referral_contact", "pracownik socjalny"),
    (factories.ActionPlanFactory, "barriers", "brak mieszkania"),
    (factories.GoalFactory, "description", "nowy cel"),
    (factories.ReviewFactory, "progress", "postęp"),
    (draft_contract, "social_worker", "Jan Nowak"),
    (factories.AttendanceFactory, "status", "excused"),
    (factories.OutcomeFactory, "notes", "uwagi"),
    (factories.FollowUpFactory, "notes", "uwagi"),
]


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("osar", "osar@example.org", "Secret-Password-123")


@pytest.mark.django_db
@pytest.mark.parametrize("factory, field, value", PERSONAL_DATA, ids=lambda p: getattr(p, "__name__", ""))
def test_create_update_delete_of_personal_data_is_logged(factory, field, value):
    obj = factory()
    assert LogEntry.objects.get_for_object(obj).filter(action=LogEntry.Action.CREATE).count() == 1

    setattr(obj, field, value)
    obj.save(update_fields=[field])
    update = LogEntry.objects.get_for_object(obj).filter(action=LogEntry.Action.UPDATE).latest("pk")
    assert list(update.changes_dict) == [field]

    model, pk = type(obj), obj.pk
    obj.delete()
    assert LogEntry.objects.filter(
        content_type__model=model._meta.model_name, object_pk=str(pk), action=LogEntry.Action.DELETE
    ).exists()


@pytest.mark.django_db
def test_pesel_is_masked_in_the_log():
    participant = factories.ParticipantFactory()
    entry = LogEntry.objects.get_for_object(participant).get()
    assert participant.pesel not in str(entry.changes)
    assert participant.pesel[-4:] not in str(entry.changes)  # no part of it, neither the birth date nor the serial


@pytest.mark.django_db
def test_admin_write_records_the_actor_and_fields(client, superuser):
    participant = factories.ParticipantFactory(first_name="Anna")
    client.force_login(superuser)
    url = reverse("admin:participants_participant_change", args=[participant.pk])
    data = {
        "first_name": "Anna Maria",
        "last_name": participant.last_name,
        "pesel": participant.pesel,
        "birth_date": participant.birth_date.strftime("%d.%m.%Y"),
        "sex": participant.sex,
        "consents-TOTAL_FORMS": 0,
        "consents-INITIAL_FORMS": 0,
        "enrollments-TOTAL_FORMS": 0,
        "enrollments-INITIAL_FORMS": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    update = LogEntry.objects.get_for_object(participant).get(action=LogEntry.Action.UPDATE)
    assert update.actor == superuser
    assert update.changes_dict["first_name"] == ["Anna", "Anna Maria"]


@pytest.mark.django_db
def test_viewing_a_participant_record_is_logged(client, superuser):
    participant = factories.ParticipantFactory()
    client.force_login(superuser)
    client.get(reverse("admin:participants_participant_change", args=[participant.pk]))
    access = LogEntry.objects.get_for_object(participant).get(action=LogEntry.Action.ACCESS)
    assert access.actor == superuser


@pytest.mark.django_db
def test_the_log_cannot_be_altered_from_the_admin(client, superuser):
    participant = factories.ParticipantFactory()
    entry = LogEntry.objects.get_for_object(participant).get()
    client.force_login(superuser)
    change_url = reverse("admin:auditlog_logentry_change", args=[entry.pk])
    assert client.get(change_url).status_code == 200  # readable
    assert client.post(change_url, {"changes": "{}"}).status_code == 403
    assert client.get(reverse("admin:auditlog_logentry_add")).status_code == 403
    assert client.post(reverse("admin:auditlog_logentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    changelist = reverse("admin:auditlog_logentry_changelist")
    client.post(changelist, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"})
    assert LogEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db
def test_bulk_writes_are_logged_explicitly(superuser):
    people = factories.ParticipantFactory.create_batch(3)
    pks = [p.pk for p in people]
    Participant.objects.filter(pk__in=pks).update(first_name="X")  # no signals fire
    log_bulk(Participant, pks, LogEntry.Action.UPDATE, changes={"first_name": ["…", "X"]}, actor=superuser)
    logged = LogEntry.objects.filter(action=LogEntry.Action.UPDATE, content_type__model="participant")
    assert sorted(int(e.object_pk) for e in logged) == sorted(pks)
    assert all(e.actor == superuser for e in logged)


@pytest.fixture
def national_coordinator():
    from ksr_portal import roles
    from ksr_portal.models import UserScope

    user = factories.UserFactory(is_staff=True)
    user.groups.add(roles.role_group(roles.NATIONAL_COORDINATOR))
    UserScope.objects.create(user=user, level="national")
    return user


@pytest.fixture
def logged_person():
    """A person and their enrollment under an art. 1 category, created and then read (three entries)."""
    participant = factories.ParticipantFactory(first_name="Anna", last_name="Ukryta")
    category = factories.EligibilityCategoryFactory(code="2")
    enrollment = factories.EnrollmentFactory(participant=participant, eligibility_categories=[category])
    log_bulk(Participant, [participant.pk], LogEntry.Action.ACCESS)
    return participant, enrollment, str(category)


@pytest.mark.django_db
def test_the_national_coordinator_audits_who_touched_which_record_without_identities(
    client, national_coordinator, superuser, logged_person
):
    participant, enrollment, category = logged_person
    category_entry = LogEntry.objects.get_for_object(enrollment).filter(changes__icontains="eligibility").get()
    category_detail = reverse("admin:auditlog_logentry_change", args=[category_entry.pk])
    record_url = reverse("admin:participants_participant_change", args=[participant.pk])
    changelist = reverse("admin:auditlog_logentry_changelist")
    entry = LogEntry.objects.get_for_object(participant).filter(action=LogEntry.Action.CREATE).get()
    detail = reverse("admin:auditlog_logentry_change", args=[entry.pk])

    client.force_login(superuser)
    page = client.get(changelist).content.decode()
    assert "Ukryta" in page and record_url in page
    assert "Ukryta" in client.get(detail).content.decode()
    assert category in client.get(category_detail).content.decode()
    assert client.get(changelist, {"q": "Ukryta"}).context["cl"].result_count >= 2

    client.force_login(national_coordinator)
    response = client.get(changelist)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ukryta" not in page and "Anna" not in page and category not in page
    assert record_url not in page
    pseudonyms = {
        e.object_pk: AuditTrailAdmin.resource_url(response.context["cl"].model_admin, e)
        for e in response.context["cl"].result_list
        if e.content_type.model == "participant"
    }
    assert len(set(pseudonyms.values())) == 1  # the same record, the same pseudonym in every entry
    (label,) = set(pseudonyms.values())
    assert label.startswith("uczestnik #") and label != f"uczestnik #{participant.pk}"
    assert label in page
    assert client.get(changelist, {"q": "Ukryta"}).context["cl"].result_count == 0
    assert client.get(changelist, {"q": national_coordinator.username}).status_code == 200

    response = client.get(detail)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ukryta" not in page and "Anna" not in page and record_url not in page
    assert label in page and "nazwisko" in page.lower()  # the changed fields are named, their values are not
    page = client.get(category_detail).content.decode()
    assert category not in page and "Ukryta" not in page
