"""Every touch of a person's data leaves a trace that nobody can edit or delete from the admin."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from ksr_portal.audit import log_bulk
from participants.models import Participant
from tests import factories

# Each personal-data model with one field to change and its new value.
PERSONAL_DATA = [
    (factories.ParticipantFactory, "last_name", "Zmieniona"),
    (factories.ConsentFactory, "withdrawn_on", datetime.date(2030, 1, 1)),
    (factories.EnrollmentFactory, "referral_contact", "pracownik socjalny"),
    (factories.ActionPlanFactory, "barriers", "brak mieszkania"),
    (factories.GoalFactory, "description", "nowy cel"),
    (factories.ReviewFactory, "progress", "postęp"),
    (factories.SocialContractFactory, "social_worker", "Jan Nowak"),
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
    update = LogEntry.objects.get_for_object(obj).get(action=LogEntry.Action.UPDATE)
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
