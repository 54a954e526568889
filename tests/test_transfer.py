"""A stay's transfer to another club: proposed with the person's consent, accepted or declined by the
receiving club; the plan and contract go along as read-only history, and each club sees only its own."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from participants import models
from participants.choices import EnrollmentExitReasonChoices
from participants.choices import EnrollmentStatusChoices as S
from participants.choices import TransferStatusChoices as T
from participants.models import Enrollment, Transfer
from reporting import figures
from reporting.periods import Period
from reporting.summaries import differences

from . import factories as f
from .test_case_file import club_user

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
GOAL = "Cel-Z-Poprzedniego-Klubu"
NOTE = "Notatka-Klubu-Wysylajacego"


@pytest.fixture
def stay():
    """An active stay with its plan, a review, a signed contract, a case note and a document."""
    began = TODAY - datetime.timedelta(days=60)
    enrollment = f.EnrollmentFactory(applied_on=began, qualified_on=began, started_on=began)
    f.ConsentFactory(participant=enrollment.participant, given_on=enrollment.applied_on)
    plan = f.ActionPlanFactory(enrollment=enrollment, drawn_up_on=enrollment.applied_on)
    f.GoalFactory(plan=plan, description=GOAL)
    f.ReviewFactory(plan=plan, reviewed_on=enrollment.applied_on, progress="Postęp-Z-Przeglądu", next_review_on=TODAY)
    f.SocialContractFactory(
        enrollment=enrollment,
        number="KS/PRZEN/1",
        participant_obligations="Obowiązek-X",
        valid_from=began,
        signed_on=began,
        valid_until=TODAY + datetime.timedelta(days=5),
    )
    f.CaseNoteFactory(enrollment=enrollment, text=NOTE)
    f.CaseDocumentFactory(enrollment=enrollment, received_on=began)
    return enrollment


@pytest.fixture
def receiving(stay):
    return f.ClubFactory(region=stay.club.region, name="Klub Przyjmujący")


def propose(client, stay, to_club, consent=TODAY):
    client.force_login(club_user(stay.club))
    data = {"transfer-to_club": to_club.pk, "transfer-consent_given_on": consent.isoformat() if consent else ""}
    return client.post(reverse("participants:propose_transfer", args=[stay.pk]), data)


def answer(client, transfer, action, **data):
    fields = {"on": TODAY.isoformat()} | data
    return client.post(
        reverse("participants:answer_transfer", args=[transfer.pk, action]),
        {f"{action}-{name}": value for name, value in fields.items()},
    )


def test_the_whole_transfer(client, stay, receiving):
    response = propose(client, stay, receiving)
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    assert transfer.status == T.PROPOSED and transfer.consent_given_on == TODAY
    assert transfer.participant == stay.participant

    # The receiving club finds it on its worklist and on its page, and accepts.
    receiver = club_user(receiving)
    client.force_login(receiver)
    worklist = client.get(reverse("participants:worklist")).content.decode()
    assert reverse("participants:transfer", args=[transfer.pk]) in worklist and str(stay.participant) in worklist
    page = client.get(reverse("participants:transfer", args=[transfer.pk]))
    assert page.status_code == 200 and "Przyjmij przeniesienie" in page.content.decode()
    response = answer(client, transfer, "accept")
    new = Enrollment.objects.get(transferred_from=stay)
    assert response.status_code == 302 and response["Location"] == reverse("participants:case_file", args=[new.pk])

    stay.refresh_from_db()
    transfer.refresh_from_db()
    assert transfer.status == T.ACCEPTED and transfer.answered_by == receiver
    assert stay.status == S.TRANSFERRED and stay.exit_reason == EnrollmentExitReasonChoices.TRANSFERRED
    assert new.club == receiving and new.status == S.QUALIFIED and new.qualified_on == TODAY
    assert set(new.eligibility_categories.all()) == set(stay.eligibility_categories.all())
    assert [c.to_status for c in new.status_changes.all()] == [S.QUALIFIED]
    assert stay.status_changes.get().to_status == S.TRANSFERRED
    assert LogEntry.objects.filter(content_type__model="transfer", object_pk=str(transfer.pk)).count() >= 2

    # The new stay's case file shows the previous plan and contract as history, not the notes or documents.
    html = client.get(reverse("participants:case_file", args=[new.pk])).content.decode()
    assert GOAL in html and "Postęp-Z-Przeglądu" in html and "KS/PRZEN/1" in html and "Obowiązek-X" in html
    assert NOTE not in html and "dokumenty" not in html.split("previous-stay")[1].split("</section>")[0]
    # Read-only: the previous stay itself, its plan and contract cannot be changed or opened to edit.
    assert client.get(reverse("participants:case_file", args=[stay.pk])).status_code == 404
    plan, contract = stay.action_plan, stay.social_contracts.get()
    assert client.get(reverse("participants:plan_paper", args=[plan.pk])).status_code == 200
    client.post(reverse("admin:participants_actionplan_change", args=[plan.pk]), {"barriers": "Zmiana"})
    assert "Zmiana" not in type(plan).objects.get(pk=plan.pk).barriers
    settle = reverse("admin:participants_socialcontract_transition", args=[contract.pk, "settle"])
    assert client.post(settle, {"on": TODAY.isoformat(), "assessment": "x"}).status_code in (403, 404)
    contract.refresh_from_db()
    assert contract.status == "signed"
    # A previous contract is history, not work: it is not on the receiver's worklist.
    worklist = client.get(reverse("participants:worklist")).content.decode()
    assert "KS/PRZEN/1" not in worklist

    # The sending club keeps its finished stay and sees nothing of the new one.
    client.force_login(club_user(stay.club))
    old = client.get(reverse("participants:case_file", args=[stay.pk]))
    assert old.status_code == 200 and NOTE in old.content.decode()
    assert reverse("participants:case_file", args=[new.pk]) not in old.content.decode()
    assert client.get(reverse("participants:case_file", args=[new.pk])).status_code == 404
    page = client.get(reverse("participants:transfer", args=[transfer.pk])).content.decode()
    assert reverse("participants:case_file", args=[new.pk]) not in page
    changelist = client.get(reverse("admin:participants_enrollment_changelist")).content.decode()
    assert reverse("admin:participants_enrollment_change", args=[new.pk]) not in changelist


def test_a_declined_transfer_tells_the_sender_why_and_changes_no_stay(client, stay, receiving):
    propose(client, stay, receiving)
    transfer = Transfer.objects.get()
    client.force_login(club_user(receiving))
    refused = answer(client, transfer, "decline", reason="")
    assert refused.status_code == 200 and "To pole jest wymagane" in refused.content.decode()
    with pytest.raises(ValidationError, match="Podaj, dlaczego"):
        transfer.decline(TODAY, "  ")
    assert answer(client, transfer, "decline", reason="Brak wolnych miejsc").status_code == 302
    transfer.refresh_from_db()
    stay.refresh_from_db()
    assert transfer.status == T.DECLINED and stay.status == S.ACTIVE
    assert not Enrollment.objects.filter(transferred_from=stay).exists()
    client.force_login(club_user(stay.club))
    case_file = client.get(reverse("participants:case_file", args=[stay.pk])).content.decode()
    assert "Brak wolnych miejsc" in case_file
    # Declined, the stay may be proposed elsewhere.
    assert "transfer-to_club" in case_file


def test_a_third_club_sees_nothing_of_the_transfer(client, stay, receiving):
    propose(client, stay, receiving)
    transfer = Transfer.objects.get()
    third = club_user(f.ClubFactory(region=stay.club.region))
    client.force_login(third)
    assert client.get(reverse("participants:transfer", args=[transfer.pk])).status_code == 404
    for action in ("accept", "decline", "withdraw"):
        assert answer(client, transfer, action, reason="x").status_code == 404
    worklist = client.get(reverse("participants:worklist")).content.decode()
    assert str(stay.participant) not in worklist
    assert reverse("participants:transfer", args=[transfer.pk]) not in worklist
    assert Transfer.objects.restrict(third).count() == 0
    transfer.refresh_from_db()
    assert transfer.status == T.PROPOSED
    # Nor may the sending club answer in the receiver's name, nor the receiver withdraw.
    client.force_login(club_user(stay.club))
    assert answer(client, transfer, "accept").status_code == 404
    client.force_login(club_user(receiving))
    assert answer(client, transfer, "withdraw").status_code == 404


def test_after_acceptance_a_third_club_sees_no_history(client, stay, receiving):
    transfer = f.TransferFactory(enrollment=stay, to_club=receiving, proposed_on=TODAY, consent_given_on=TODAY)
    new = transfer.accept(TODAY)
    third = club_user(f.ClubFactory(region=stay.club.region))
    for model in ("ActionPlan", "Goal", "Review", "SocialContract", "HouseholdMember", "Transfer", "Enrollment"):
        assert not getattr(models, model).objects.restrict(third).exists(), model
    receiver = club_user(receiving)
    assert models.CaseNote.objects.restrict(receiver).count() == 0
    assert models.CaseDocument.objects.restrict(receiver).count() == 0
    assert list(models.Enrollment.objects.restrict(receiver)) == [new]
    assert not models.ActionPlan.objects.restrict(receiver, "change").exists()
    assert models.ActionPlan.objects.restrict(receiver).get() == stay.action_plan


def test_consent_is_required_and_checked(client, stay, receiving):
    response = propose(client, stay, receiving, consent=None)
    assert response.status_code == 200 and "To pole jest wymagane" in response.content.decode()
    response = propose(client, stay, receiving, consent=TODAY + datetime.timedelta(days=1))
    assert response.status_code == 200 and not Transfer.objects.exists()
    with pytest.raises(ValidationError):
        Transfer.propose(stay, receiving, TODAY, None)
    assert not Transfer.objects.exists()


def test_the_same_person_cannot_have_two_open_proposals(client, stay, receiving):
    propose(client, stay, receiving)
    other_stay = f.EnrollmentFactory(participant=stay.participant)
    with pytest.raises(ValidationError) as excinfo:
        Transfer.propose(other_stay, receiving, TODAY, TODAY)
    assert "czeka już na odpowiedź" in " ".join(excinfo.value.messages)
    # The case file offers no second proposal while one waits.
    page = client.get(reverse("participants:case_file", args=[stay.pk])).content.decode()
    assert "transfer-to_club" not in page
    assert Transfer.objects.count() == 1


def test_a_stay_cannot_be_transferred_to_its_own_club_nor_from_a_candidate(stay):
    with pytest.raises(ValidationError):
        Transfer.propose(stay, stay.club, TODAY, TODAY)
    candidate = f.EnrollmentFactory(status=S.CANDIDATE, qualified_on=None, started_on=None)
    with pytest.raises(ValidationError):
        Transfer.propose(candidate, f.ClubFactory(), TODAY, TODAY)
    assert not Transfer.objects.exists()


def test_a_stay_ends_as_transferred_only_by_an_accepted_proposal(stay):
    with pytest.raises(ValidationError):
        stay.transfer(TODAY)
    stay.refresh_from_db()
    assert stay.status == S.ACTIVE


def test_an_acceptance_refused_by_a_rule_changes_nothing(stay, receiving):
    f.EnrollmentFactory(participant=stay.participant, club=receiving, status=S.CANDIDATE, qualified_on=None)
    transfer = f.TransferFactory(enrollment=stay, to_club=receiving, proposed_on=TODAY, consent_given_on=TODAY)
    with pytest.raises(ValidationError):
        transfer.accept(TODAY)
    transfer.refresh_from_db()
    stay.refresh_from_db()
    assert transfer.status == T.PROPOSED and stay.status == S.ACTIVE
    assert not Enrollment.objects.filter(transferred_from=stay).exists()


def test_a_transfer_keeps_the_figures_right(stay, receiving):
    region = stay.club.region

    def active_people():
        return figures.national_figures([region], Period.year(TODAY.year))[0][region.pk]["active_people"]

    assert active_people() == 1
    transfer = f.TransferFactory(enrollment=stay, to_club=receiving, proposed_on=TODAY, consent_given_on=TODAY)
    new = transfer.accept(TODAY)
    assert differences() == []
    assert active_people() == 1  # one person, whose stay goes on elsewhere
    f.SocialContractFactory(enrollment=new, signed_on=TODAY, valid_from=TODAY, valid_until=TODAY)
    new.activate(TODAY)
    assert differences() == []
    assert active_people() == 1


def test_of_two_answers_at_once_the_later_sees_the_first(stay, receiving):
    transfer = Transfer.propose(stay, receiving, TODAY, TODAY)
    sender_view = Transfer.objects.get(pk=transfer.pk)  # the sending club's page, opened before the answer
    transfer.accept(TODAY)
    with pytest.raises(ValidationError):
        sender_view.withdraw(TODAY)
    transfer.refresh_from_db()
    assert transfer.status == T.ACCEPTED and Enrollment.objects.filter(transferred_from=stay).exists()


def test_a_transferred_stay_offers_no_outcome_and_a_closed_step_writes_nothing(client, stay, receiving):
    from participants.forms import OutcomeForm

    Transfer.propose(stay, receiving, TODAY, TODAY).accept(TODAY)
    stay.refresh_from_db()
    assert stay.status == S.TRANSFERRED and not OutcomeForm.offered(stay)
    client.force_login(club_user(stay.club))
    posted = client.post(
        reverse("participants:case_file_step", args=[stay.pk, "outcome"]),
        {"outcome-recorded_on": TODAY.isoformat(), "outcome-situation": "employed"},
    )
    assert posted.status_code == 200 and "Ten krok nie jest już dostępny" in posted.content.decode()
    assert not models.Outcome.objects.filter(enrollment=stay).exists()


def test_anonymisation_removes_what_a_club_wrote_declining(stay, receiving):
    from participants.anonymisation import anonymise

    Transfer.propose(stay, receiving, TODAY, TODAY).decline(TODAY, "Pan Kowalski pije")
    stay.complete(TODAY, reason=EnrollmentExitReasonChoices.EMPLOYMENT, certificate_number="Z/1")
    anonymise([stay.participant], TODAY)
    assert Transfer.objects.get().decline_reason == "—"
