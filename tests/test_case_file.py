"""The case file of a stay: its page, case notes and documents, each only within the club's scope."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ksr_portal import roles
from ksr_portal.models import UserScope
from participants.anonymisation import anonymise
from participants.choices import EnrollmentStatusChoices
from participants.models import CaseDocument, CaseNote
from participants.subject import as_json, subject_record

from . import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
NOTE = "Wizyta-Domowa-Tajna"


def club_user(club, role=roles.KIS_COORDINATOR):
    user = f.UserFactory(is_staff=True)
    user.groups.add(roles.role_group(role))
    UserScope.objects.create(user=user, level="club", club=club, region=club.region)
    return user


def scoped_user(role, level, region=None):
    user = f.UserFactory(is_staff=True)
    user.groups.add(roles.role_group(role))
    UserScope.objects.create(user=user, level=level, region=region)
    return user


def note_data(**fields):
    fields = {"written_on": TODAY.isoformat(), "kind": "phone", "text": "Telefon"} | fields
    return {f"note-{name}": value for name, value in fields.items()}


def document_data(**fields):
    fields = {"kind": "signed_contract", "received_on": TODAY.isoformat()} | fields
    return {f"document-{name}": value for name, value in fields.items()}


@pytest.fixture
def stay():
    enrollment = f.EnrollmentFactory()
    f.CaseNoteFactory(enrollment=enrollment, text=NOTE)
    f.CaseDocumentFactory(enrollment=enrollment)
    return enrollment


def outsiders(stay):
    """Everyone who may not see the stay's notes and documents: another club (the same person enrolled
    there too), ROPS of the club's region, the ministry's analyst and the club's own instructor."""
    other_club = f.ClubFactory(region=stay.club.region)
    f.EnrollmentFactory(participant=stay.participant, club=other_club)
    return {
        "other club": club_user(other_club),
        "rops": scoped_user(roles.ROPS_STAFF, "region", stay.club.region),
        "analyst": scoped_user(roles.MINISTRY_ANALYST, "national"),
        "instructor": club_user(stay.club, roles.KIS_INSTRUCTOR),
    }


# --- scope ------------------------------------------------------------------------------------------------


def test_the_coordinator_reads_the_case_file_with_notes_and_documents_and_the_read_is_logged(client, stay):
    coordinator = club_user(stay.club)
    client.force_login(coordinator)
    page = client.get(reverse("participants:case_file", args=[stay.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    document = stay.documents.get()
    assert NOTE in html and reverse("participants:document", args=[document.pk]) in html
    note = stay.case_notes.get()
    assert LogEntry.objects.filter(
        content_type__model="casenote", object_pk=str(note.pk), action=LogEntry.Action.ACCESS, actor=coordinator
    ).exists()


def test_notes_and_documents_are_out_of_everyone_elses_reach(client, stay):
    document = stay.documents.get()
    note = stay.case_notes.get()
    for label, user in outsiders(stay).items():
        client.force_login(user)
        case_file = client.get(reverse("participants:case_file", args=[stay.pk]))
        if label == "instructor":  # the club's instructor sees the stay, not its case
            assert case_file.status_code == 200 and NOTE not in case_file.content.decode(), label
            assert reverse("participants:document", args=[document.pk]) not in case_file.content.decode()
        else:
            assert case_file.status_code == 404, label
        assert client.get(reverse("participants:document", args=[document.pk])).status_code == 404, label
        for name in ("casenote", "casedocument"):
            obj = note if name == "casenote" else document
            assert client.get(reverse(f"admin:participants_{name}_change", args=[obj.pk])).status_code in (403, 404)
            changelist = client.get(reverse(f"admin:participants_{name}_changelist"))
            assert NOTE not in changelist.content.decode() and str(stay.participant) not in changelist.content.decode()
        record = client.get(reverse("participants:record_json", args=[stay.participant.pk]))
        assert NOTE not in record.content.decode(), label
        posted = client.post(
            reverse("participants:add_case_note", args=[stay.pk]),
            note_data(text="Obca notatka"),
        )
        assert posted.status_code in (403, 404), label
    assert not CaseNote.objects.filter(text="Obca notatka").exists()


def test_a_document_is_served_only_as_an_unsniffed_download(client, stay):
    document = stay.documents.get()
    client.force_login(club_user(stay.club))
    response = client.get(reverse("participants:document", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.7 scan"
    assert LogEntry.objects.filter(
        content_type__model="casedocument", object_pk=str(document.pk), action=LogEntry.Action.ACCESS
    ).exists()


# --- writing notes and documents ----------------------------------------------------------------------------


def test_a_note_is_written_from_the_case_file_by_its_author(client, stay):
    coordinator = club_user(stay.club)
    client.force_login(coordinator)
    response = client.post(
        reverse("participants:add_case_note", args=[stay.pk]),
        note_data(kind="home_visit", duration_minutes="60", text="Wizyta w domu"),
    )
    assert response.status_code == 302
    note = CaseNote.objects.get(text="Wizyta w domu")
    assert (note.enrollment, note.author, note.duration_minutes) == (stay, coordinator, 60)
    assert LogEntry.objects.get_for_object(note).filter(action=LogEntry.Action.CREATE).exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"written_on": (TODAY + datetime.timedelta(days=1)).isoformat()}, "przyszłości"),
        ({"written_on": "2020-01-01"}, "przed zgłoszeniem"),
        ({"duration_minutes": "0"}, "większa lub równa 1"),
        ({"kind": "gossip"}, "Wybierz poprawną wartość"),
        ({"text": ""}, "To pole jest wymagane"),
    ],
)
def test_a_bad_note_is_refused_in_polish_and_nothing_is_written(client, stay, data, message):
    client.force_login(club_user(stay.club))
    response = client.post(reverse("participants:add_case_note", args=[stay.pk]), note_data(**data))
    assert response.status_code == 200 and message in response.content.decode()
    assert stay.case_notes.count() == 1


@pytest.mark.parametrize(
    "name, content, accepted",
    [
        ("kontrakt.pdf", b"%PDF-1.7 scan", True),
        ("skierowanie.JPG", b"\xff\xd8\xff\xe0 jpeg", True),
        ("zgoda.png", b"\x89PNG\r\n\x1a\n png", True),
        ("kontrakt.pdf", b"MZ\x90\x00 program", False),
        ("zgoda.png", b"%PDF-1.7 not a png", False),
        ("kontrakt.docx", b"PK\x03\x04 word", False),
        ("kontrakt", b"%PDF-1.7", False),
    ],
)
def test_uploads_are_checked_by_type_and_content(client, stay, name, content, accepted):
    client.force_login(club_user(stay.club))
    response = client.post(
        reverse("participants:add_case_document", args=[stay.pk]),
        document_data(kind="ops_referral", file=SimpleUploadedFile(name, content)),
    )
    assert stay.documents.filter(kind="ops_referral").exists() == accepted
    if accepted:
        stored = stay.documents.get(kind="ops_referral").file.name
        assert response.status_code == 302 and name.split(".")[0] not in stored  # the server names the file
    else:
        html = response.content.decode()
        assert response.status_code == 200 and ("Załącz plik PDF, JPG lub PNG." in html or "nie odpowiada" in html)


def test_an_upload_over_the_configured_limit_is_refused(client, stay, settings):
    settings.KSR_MAX_DOCUMENT_MB = 1
    client.force_login(club_user(stay.club))
    big = SimpleUploadedFile("kontrakt.pdf", b"%PDF-" + b"0" * (1024 * 1024))
    response = client.post(
        reverse("participants:add_case_document", args=[stay.pk]),
        document_data(file=big),
    )
    assert response.status_code == 200 and "za duży" in response.content.decode()
    assert stay.documents.count() == 1


# --- exports and anonymisation -------------------------------------------------------------------------------


def test_notes_are_in_the_data_subjects_own_record_and_in_no_spreadsheet(client, stay):
    coordinator = club_user(stay.club)
    record = as_json(subject_record(stay.participant, coordinator))
    assert record["enrollments"][0]["case_notes"][0]["text"] == NOTE
    assert record["enrollments"][0]["documents"][0]["kind"]
    client.force_login(coordinator)
    export = client.post(reverse("admin:participants_enrollment_export"), {"format": 0, "resource": 0})
    assert export.status_code == 200 and NOTE not in export.content.decode(errors="replace")


def test_anonymisation_blanks_the_notes_and_removes_the_documents(stay, django_capture_on_commit_callbacks):
    f.CaseNoteFactory(enrollment=stay)
    document = stay.documents.get()
    storage, name = document.file.storage, document.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        anonymise([stay.participant], TODAY)
    assert list(CaseNote.objects.filter(enrollment=stay).values_list("text", flat=True)) == ["", ""]
    assert not CaseDocument.objects.filter(enrollment=stay).exists()
    assert not storage.exists(name)
    trail = [
        str(entry.changes) + entry.object_repr for entry in LogEntry.objects.filter(content_type__model="casenote")
    ]
    assert not any(NOTE in entry for entry in trail)


# --- the page -------------------------------------------------------------------------------------------------


def test_the_case_file_says_what_blocks_the_next_step(client):
    stay = f.EnrollmentFactory(status=EnrollmentStatusChoices.QUALIFIED, started_on=None)
    client.force_login(club_user(stay.club))
    html = client.get(reverse("participants:case_file", args=[stay.pk])).content.decode()
    assert "Rozpoczęcie udziału wymaga podpisanego kontraktu socjalnego." in html
    assert reverse("admin:participants_enrollment_transition", args=[stay.pk, "activate"]) in html
    f.SocialContractFactory(enrollment=stay)
    html = client.get(reverse("participants:case_file", args=[stay.pk])).content.decode()
    assert "Rozpoczęcie udziału wymaga" not in html


def test_the_case_file_reads_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    stay = f.EnrollmentFactory()
    client.force_login(club_user(stay.club))
    url = reverse("participants:case_file", args=[stay.pk])
    client.get(url)  # the session and the content types are cached from here on

    def grow():
        plan = getattr(stay, "action_plan", None) or f.ActionPlanFactory(enrollment=stay)
        goal = f.GoalFactory(plan=plan)
        f.ReviewFactory(plan=plan)
        f.SocialContractFactory(enrollment=stay)
        f.CaseNoteFactory(enrollment=stay, pillar=goal.pillar)
        f.CaseDocumentFactory(enrollment=stay)
        f.AttendanceFactory(enrollment=stay, activity__club=stay.club, activity__held_on=datetime.date(2024, 3, 1))

    grow()
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    for _i in range(5):
        grow()
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url)
    assert page.status_code == 200


def test_a_transition_started_from_the_case_file_returns_to_it(client):
    stay = f.EnrollmentFactory(status=EnrollmentStatusChoices.QUALIFIED, started_on=None)
    f.SocialContractFactory(enrollment=stay)
    client.force_login(club_user(stay.club))
    case_file = reverse("participants:case_file", args=[stay.pk])
    activate = reverse("admin:participants_enrollment_transition", args=[stay.pk, "activate"])
    response = client.post(f"{activate}?next={case_file}", {"on": TODAY.isoformat()})
    assert response.status_code == 302 and response["Location"] == case_file
    stay.refresh_from_db()
    assert stay.status == EnrollmentStatusChoices.ACTIVE
    # Only back into the portal: another site's address leads to the workbench's page instead.
    drop_out = reverse("admin:participants_enrollment_transition", args=[stay.pk, "drop_out"])
    response = client.post(f"{drop_out}?next=https://example.com/", {"on": TODAY.isoformat(), "reason": "moved"})
    assert response["Location"] == reverse("admin:participants_enrollment_change", args=[stay.pk])


def test_a_deleted_document_takes_its_file_along(client, stay, django_capture_on_commit_callbacks):
    document = stay.documents.get()
    storage, name = document.file.storage, document.file.name
    client.force_login(club_user(stay.club))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:participants_casedocument_delete", args=[document.pk]), {"post": "yes"})
    assert response.status_code == 302 and not CaseDocument.objects.exists()
    assert not storage.exists(name)


# --- the steps of a stay, taken on its case file -----------------------------------------------------------


def step(client, stay, name, **fields):
    data = {f"{name}-{key}": value for key, value in fields.items()}
    return client.post(reverse("participants:case_file_step", args=[stay.pk, name]), data)


def test_a_whole_stay_is_taken_from_its_case_file_by_the_models_rules(client):
    stay = f.EnrollmentFactory(
        status=EnrollmentStatusChoices.CANDIDATE, applied_on=TODAY - 30 * DAY, qualified_on=None, started_on=None
    )
    f.ConsentFactory(participant=stay.participant, given_on=TODAY - 30 * DAY)
    client.force_login(club_user(stay.club))
    category = f.EligibilityCategoryFactory(code="5")
    # Qualifying without the art. 1 check is refused with the model's reason, and nothing changes.
    refused = step(client, stay, "qualify", eligibility_categories=category.pk, on=TODAY.isoformat())
    assert refused.status_code == 200 and "art. 1 ust. 3" in refused.content.decode()
    stay.refresh_from_db()
    assert stay.status == EnrollmentStatusChoices.CANDIDATE and not stay.eligibility_categories.exists()
    answer = step(
        client, stay, "qualify", eligibility_categories=category.pk, benefit_exclusion="none", on=TODAY.isoformat()
    )
    assert answer.status_code == 302
    contract = {"number": "KS/7", "valid_from": TODAY.isoformat(), "valid_until": (TODAY + 90 * DAY).isoformat()}
    assert step(client, stay, "contract", **contract, signed_on=TODAY.isoformat()).status_code == 302
    stay.refresh_from_db()
    assert stay.status == EnrollmentStatusChoices.QUALIFIED and stay.social_contracts.get().status == "signed"
    stay.activate(TODAY)
    pillar = f.PillarFactory()
    half = step(client, stay, "plan", drawn_up_on=TODAY.isoformat(), pillar_0=pillar.pk)
    assert half.status_code == 200 and "Cel wymaga" in half.content.decode()
    plan = {"drawn_up_on": TODAY.isoformat(), "pillar_0": pillar.pk, "goal_0": "Praca"}
    assert step(client, stay, "plan", **plan).status_code == 302
    assert stay.action_plan.goals.get().description == "Praca"
    activity = f.ActivityFactory(club=stay.club, held_on=TODAY)
    assert step(client, stay, "attendance", activity=activity.pk, status="present").status_code == 302
    assert activity.attendances.get().enrollment == stay
    other_club_activity = f.ActivityFactory(held_on=TODAY)
    assert step(client, stay, "attendance", activity=other_club_activity.pk, status="present").status_code == 200
    stay.complete(TODAY, "employment")
    assert step(client, stay, "outcome", recorded_on=TODAY.isoformat(), situation="employed").status_code == 302
    stay.refresh_from_db()
    assert stay.outcome.situation == "employed"


def test_a_step_of_another_clubs_stay_is_not_found(client):
    stay = f.EnrollmentFactory(
        status=EnrollmentStatusChoices.CANDIDATE, qualified_on=None, started_on=None, benefit_exclusion=""
    )
    client.force_login(club_user(f.ClubFactory(region=stay.club.region)))
    assert step(client, stay, "qualify", benefit_exclusion="none", on=TODAY.isoformat()).status_code == 404
    client.force_login(club_user(stay.club, roles.KIS_INSTRUCTOR))
    assert step(client, stay, "attendance", activity=1, status="present").status_code == 403
    stay.refresh_from_db()
    assert stay.benefit_exclusion == "" and stay.status == EnrollmentStatusChoices.CANDIDATE
