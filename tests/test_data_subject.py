"""The data subject's rights: a coordinator's export of one person, consent withdrawal, anonymisation."""

import datetime
import json
from collections import Counter

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from ksr_portal import roles
from ksr_portal.models import UserScope
from participants.anonymisation import retention_cutoff
from participants.models import Attendance, Consent, Enrollment, Goal, Participant, SocialContract

from .factories import (
    ActionPlanFactory,
    AttendanceFactory,
    ClubFactory,
    ConsentFactory,
    EligibilityCategoryFactory,
    EnrollmentFactory,
    GoalFactory,
    OutcomeFactory,
    ParticipantFactory,
    SocialContractFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def club_user(club, role=roles.KIS_COORDINATOR):
    user = UserFactory(is_staff=True)
    user.groups.add(roles.role_group(role))
    UserScope.objects.create(user=user, level="club", club=club, region=club.region)
    return user


@pytest.fixture
def shared_person():
    """A person enrolled in two clubs, with a contract in each."""
    person = ParticipantFactory(last_name="Wzorcowa")
    own, other = ClubFactory(), ClubFactory()
    own_enrollment = EnrollmentFactory(participant=person, club=own)
    other_enrollment = EnrollmentFactory(participant=person, club=other, referral_contact="Inna-Referentka")
    SocialContractFactory(enrollment=own_enrollment, number="KS/OWN/1")
    SocialContractFactory(enrollment=other_enrollment, number="KS/OTHER/1")
    GoalFactory(plan=ActionPlanFactory(enrollment=own_enrollment), description="Cel własnego klubu")
    AttendanceFactory(enrollment=own_enrollment, activity__club=own)
    ConsentFactory(participant=person)
    return person, own, other


def test_coordinator_downloads_everything_held_in_their_club_and_nothing_of_another(client, shared_person):
    person, own, _other = shared_person
    client.force_login(club_user(own))
    response = client.get(reverse("participants:record_json", args=[person.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["participant"]["last_name"] == "Wzorcowa"
    assert data["participant"]["pesel"] == person.pesel
    assert [e["enrollment"]["club"] for e in data["enrollments"]] == [str(own)]
    enrollment = data["enrollments"][0]
    assert [c["number"] for c in enrollment["social_contracts"]] == ["KS/OWN/1"]
    assert [g["description"] for g in enrollment["goals"]] == ["Cel własnego klubu"]
    assert len(enrollment["attendance"]) == 1
    assert len(data["consents"]) == 1
    assert "KS/OTHER/1" not in response.content.decode()
    assert "Inna-Referentka" not in response.content.decode()


def test_printable_page_shows_the_same_record(client, shared_person):
    person, own, _other = shared_person
    client.force_login(club_user(own))
    page = client.get(reverse("participants:record", args=[person.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Wzorcowa" in html and "KS/OWN/1" in html and "Cel własnego klubu" in html
    assert "KS/OTHER/1" not in html and "Inna-Referentka" not in html


def test_export_and_page_view_are_in_the_audit_trail(client, shared_person):
    person, own, _other = shared_person
    user = club_user(own)
    client.force_login(user)
    client.get(reverse("participants:record", args=[person.pk]))
    client.get(reverse("participants:record_json", args=[person.pk]))
    entries = LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.ACCESS)
    assert entries.count() == 2
    assert set(entries.values_list("actor", flat=True)) == {user.pk}
    assert entries.filter(changes={"export": "json"}).exists()


@pytest.mark.parametrize("role", [roles.KIS_COORDINATOR, roles.ROPS_STAFF])
def test_a_person_outside_the_users_reach_is_404(client, shared_person, role):
    person, _own, _other = shared_person
    stranger = ClubFactory()
    user = club_user(stranger, role)
    client.force_login(user)
    for name in ["record", "record_json"]:
        assert client.get(reverse(f"participants:{name}", args=[person.pk])).status_code == 404
    assert not LogEntry.objects.filter(actor=user).exists()


def test_anonymous_visitor_is_sent_to_log_in(client, shared_person):
    person, _own, _other = shared_person
    response = client.get(reverse("participants:record_json", args=[person.pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_coordinator_records_withdrawal_of_consent(client, shared_person):
    person, own, _other = shared_person
    consent = person.consents.get()
    client.force_login(club_user(own))
    url = reverse("participants:withdraw_consent", args=[person.pk, consent.pk])
    today = timezone.localdate()
    response = client.post(url, {"withdrawn_on": today.isoformat()}, follow=True)
    assert "Zarejestrowano wycofanie zgody." in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_on == today
    again = client.post(url, {"withdrawn_on": today.isoformat()}, follow=True)
    assert any(m.level_tag == "error" for m in again.context["messages"])


def test_instructor_cannot_withdraw_consent(client, shared_person):
    person, own, _other = shared_person
    consent = person.consents.get()
    client.force_login(club_user(own, roles.KIS_INSTRUCTOR))
    url = reverse("participants:withdraw_consent", args=[person.pk, consent.pk])
    assert client.post(url, {"withdrawn_on": timezone.localdate().isoformat()}).status_code == 404
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_withdrawal_rules_hold_in_the_model():
    consent = ConsentFactory(given_on=datetime.date(2024, 2, 1))
    with pytest.raises(ValidationError):
        consent.withdraw(timezone.localdate() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        consent.withdraw(datetime.date(2024, 1, 1))  # before it was given
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


# --- anonymisation -----------------------------------------------------------------------------


def aggregates():
    """What reports count; anonymisation must leave every figure as it was."""
    enrollments = Enrollment.objects.select_related("participant")
    return {
        "by_sex": Counter(e.participant.sex for e in enrollments),
        "by_age": Counter(e.age_on_entry for e in enrollments),
        "by_birth_year": Counter(e.participant.birth_date.year for e in enrollments),
        "by_status": Counter(enrollments.values_list("status", flat=True)),
        "by_category": Counter(Enrollment.eligibility_categories.through.objects.values_list("eligibilitycategory_id")),
        "by_municipality": Counter(Participant.objects.values_list("municipality", flat=True)),
        "attendance": Attendance.objects.count(),
        "contracts": SocialContract.objects.count(),
        "goals": Goal.objects.count(),
        "consents": Consent.objects.count(),
    }


@pytest.fixture
def leavers(settings):
    settings.KSR_RETENTION_YEARS_AFTER_EXIT = 5
    today = timezone.localdate()
    long_ago = retention_cutoff(today, 5) - datetime.timedelta(days=1)
    recent = today - datetime.timedelta(days=30)
    people = {}
    for name, exit_on in [("Dawnowyjściowa", long_ago), ("Niedawna", recent)]:
        enrollment = EnrollmentFactory(
            participant__last_name=name,
            completed=True,
            applied_on=exit_on - datetime.timedelta(days=300),
            qualified_on=exit_on - datetime.timedelta(days=290),
            started_on=exit_on - datetime.timedelta(days=280),
            exit_on=exit_on,
            certificate_issued_on=exit_on,
            referral_contact="Referentka Kowalska",
            eligibility_categories=[EligibilityCategoryFactory(code="5")],
        )
        SocialContractFactory(
            enrollment=enrollment, social_worker="Pani Socjalna", situation_assessment="Opis sytuacji"
        )
        GoalFactory(plan=ActionPlanFactory(enrollment=enrollment, barriers="Bariery osobiste"))
        OutcomeFactory(enrollment=enrollment, notes="Notatka o osobie")
        AttendanceFactory(enrollment=enrollment, activity__club=enrollment.club)
        ConsentFactory(participant=enrollment.participant)
        people[name] = enrollment.participant
    # Still in a club: never anonymised, however old a previous exit.
    active = EnrollmentFactory(participant__last_name="Wciążaktywna")
    EnrollmentFactory(
        participant=active.participant,
        completed=True,
        exit_on=long_ago,
        certificate_issued_on=long_ago,
        applied_on=long_ago - datetime.timedelta(days=100),
        qualified_on=long_ago - datetime.timedelta(days=90),
        started_on=long_ago - datetime.timedelta(days=80),
    )
    people["Wciążaktywna"] = active.participant
    return people


def test_dry_run_lists_who_would_be_anonymised_and_changes_nothing(leavers, capsys):
    before = list(Participant.objects.values_list("last_name", "pesel"))
    call_command("anonymise_participants", "--dry-run")
    out = capsys.readouterr().out
    assert f"#{leavers['Dawnowyjściowa'].pk}," in out
    assert f"#{leavers['Niedawna'].pk}," not in out and f"#{leavers['Wciążaktywna'].pk}," not in out
    assert "1 participants would be anonymised" in out
    assert "Dawnowyjściowa" not in out  # the listing names nobody
    assert list(Participant.objects.values_list("last_name", "pesel")) == before


def test_anonymisation_removes_identity_everywhere_and_keeps_every_aggregate(leavers):
    before = aggregates()
    old = leavers["Dawnowyjściowa"]
    born = old.birth_date
    call_command("anonymise_participants")
    old.refresh_from_db()
    assert old.anonymised_on == timezone.localdate()
    assert old.pesel == "" and "Dawnowyjściowa" not in str(old)
    assert old.birth_date == datetime.date(born.year, 1, 1)
    contract = SocialContract.objects.get(enrollment__participant=old)
    assert contract.social_worker == "" and contract.situation_assessment == ""
    assert Enrollment.objects.get(participant=old).referral_contact == ""
    assert aggregates() == before
    # Others stay as they were.
    for name in ["Niedawna", "Wciążaktywna"]:
        assert Participant.objects.filter(last_name=name, anonymised_on__isnull=True).exists()
    # The audit trail keeps who did what and when, but no longer the person's name or values...
    trail = [f"{e.content_type.model} {e.object_repr} {json.dumps(e.changes)}" for e in LogEntry.objects.all()]
    for secret in ["Dawnowyjściowa", "Pani Socjalna Dawnowyjściowa", "Bariery Dawnowyjściowa"]:
        assert [entry[:80] for entry in trail if secret in entry] == []
    assert any("Niedawna" in entry for entry in trail)
    # ...and records the anonymisation itself.
    assert LogEntry.objects.get_for_object(old).filter(changes__has_key="anonymised_on").exists()
    # Running again finds nobody new.
    call_command("anonymise_participants")
    assert Participant.objects.filter(anonymised_on__isnull=False).count() == 1


# --- what each role sees of a person -----------------------------------------------------------------

CASE_TEXTS = ["Cel-Tajny", "Przegląd-Tajny", "Bariera-Tajna", "KS/TAJNY/1", "Kontakt-Tajny", "Zatrudnienie-Tajne"]


@pytest.fixture
def whole_case():
    """A person with a plan, goal, review, contract, referral, outcome and follow-up in one club."""
    from .factories import FollowUpFactory, ReferralFactory, ReviewFactory

    enrollment = EnrollmentFactory(completed=True)
    plan = ActionPlanFactory(enrollment=enrollment, barriers="Bariera-Tajna")
    GoalFactory(plan=plan, description="Cel-Tajny")
    ReviewFactory(plan=plan, progress="Przegląd-Tajny")
    SocialContractFactory(enrollment=enrollment, number="KS/TAJNY/1")
    ReferralFactory(enrollment=enrollment, answer="Kontakt-Tajny", answered_on=datetime.date(2024, 3, 5))
    outcome = OutcomeFactory(enrollment=enrollment)
    FollowUpFactory(outcome=outcome, notes="Zatrudnienie-Tajne")
    AttendanceFactory(enrollment=enrollment, activity__club=enrollment.club)
    ConsentFactory(participant=enrollment.participant)
    return enrollment


@pytest.mark.parametrize(("role", "sees_case"), [(roles.KIS_COORDINATOR, True), (roles.KIS_INSTRUCTOR, False)])
@pytest.mark.parametrize("page", ["record", "record_json", "timeline"])
def test_only_a_role_that_may_view_the_case_reads_it_on_the_persons_pages(client, whole_case, role, sees_case, page):
    client.force_login(club_user(whole_case.club, role))
    response = client.get(reverse(f"participants:{page}", args=[whole_case.participant_id]))
    assert response.status_code == 200
    text = response.content.decode()
    assert whole_case.participant.last_name in text  # both see the name and the enrollment
    # The timeline names the steps rather than every field of them.
    secrets = CASE_TEXTS[:2] + CASE_TEXTS[3:5] if page == "timeline" else CASE_TEXTS
    for secret in secrets:
        assert (secret in text) is sees_case, secret
    if page == "timeline":
        kinds = {event.kind for event in response.context["events"]}
        case_kinds = {
            "Indywidualny Plan Działań",
            "Kontrakt socjalny",
            "Zgoda",
            "Efekt",
            "Monitoring po zakończeniu",
        }
        assert (case_kinds & kinds == case_kinds) is sees_case, kinds


def test_of_a_person_the_instructor_sees_the_name_and_no_pesel_birth_date_or_categories(client):
    enrollment = EnrollmentFactory(participant__first_name="Imię-Widoczne", referral_contact="Referent-Ukryty")
    person = enrollment.participant
    AttendanceFactory(enrollment=enrollment, activity__club=enrollment.club)
    category = str(enrollment.eligibility_categories.get())
    birth = [person.birth_date.isoformat(), person.birth_date.strftime("%d.%m.%Y")]
    secrets = [person.pesel, *birth, "Referent-Ukryty", category]
    pages = [
        reverse("participants:record", args=[person.pk]),
        reverse("participants:record_json", args=[person.pk]),
        reverse("participants:timeline", args=[person.pk]),
        reverse("participants:case_file", args=[enrollment.pk]),
        reverse("admin:participants_participant_change", args=[person.pk]),
        reverse("admin:participants_participant_changelist"),
        reverse("admin:participants_enrollment_change", args=[enrollment.pk]),
        reverse("admin:participants_enrollment_changelist"),
    ]
    client.force_login(club_user(enrollment.club))
    record = client.get(pages[0]).content.decode()
    assert all(secret in record for secret in [person.pesel, birth[1], "Referent-Ukryty", category])  # the coordinator
    client.force_login(club_user(enrollment.club, roles.KIS_INSTRUCTOR))
    for url in pages:
        response = client.get(url)
        text = response.content.decode() if url != pages[1] else json.dumps(response.json(), ensure_ascii=False)
        assert response.status_code == 200 and person.last_name in text, url
        assert [secret for secret in secrets if secret in text] == [], url
    # Nor can they search by what they may not see, or take it away in a file.
    changelist = reverse("admin:participants_participant_changelist")
    assert person.last_name not in client.get(changelist, {"q": person.pesel}).content.decode()
    assert client.get(reverse("admin:participants_enrollment_export")).status_code == 403
    assert client.get(reverse("admin:participants_attendance_export")).status_code == 403
