"""The enrollment's state machine: every allowed and refused transition, in the model and the admin."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from ksr_portal import roles
from ksr_portal.models import UserScope
from participants.choices import (
    EnrollmentBenefitExclusionChoices,
    EnrollmentExitReasonChoices,
    EnrollmentStatusChoices,
    SocialContractStatusChoices,
)
from participants.models import ENROLLMENT_TRANSITIONS

from .factories import (
    ConsentFactory,
    EligibilityCategoryFactory,
    EnrollmentFactory,
    SocialContractFactory,
    TransferFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
S = EnrollmentStatusChoices
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def candidate(**kwargs):
    return EnrollmentFactory(
        status=S.CANDIDATE,
        applied_on=TODAY - 30 * DAY,
        qualified_on=None,
        started_on=None,
        benefit_exclusion=EnrollmentBenefitExclusionChoices.NONE,
        **kwargs,
    )


def ready_to_qualify():
    enrollment = candidate(eligibility_categories=[EligibilityCategoryFactory(code="5")])
    ConsentFactory(participant=enrollment.participant, given_on=TODAY - 30 * DAY)
    return enrollment


def active():
    enrollment = ready_to_qualify()
    enrollment.qualify(TODAY - 20 * DAY)
    SocialContractFactory(
        enrollment=enrollment, valid_from=TODAY - 10 * DAY, valid_until=TODAY + 300 * DAY, signed_on=TODAY - 10 * DAY
    )
    enrollment.activate(TODAY - 10 * DAY)
    return enrollment


def messages_of(excinfo):
    return " ".join(excinfo.value.messages)


def test_the_whole_path_is_recorded_with_who_and_when():
    user = UserFactory()
    enrollment = ready_to_qualify()
    enrollment.qualify(TODAY - 20 * DAY, by=user)
    SocialContractFactory(enrollment=enrollment)
    enrollment.activate(TODAY - 10 * DAY, by=user)
    enrollment.complete(TODAY, EnrollmentExitReasonChoices.PLAN_COMPLETED, by=user, certificate_number="KIS/1/2026")
    enrollment.refresh_from_db()
    assert enrollment.status == S.COMPLETED
    assert (enrollment.qualified_on, enrollment.started_on, enrollment.exit_on) == (
        TODAY - 20 * DAY,
        TODAY - 10 * DAY,
        TODAY,
    )
    assert enrollment.certificate_issued_on == TODAY
    steps = [(c.from_status, c.to_status, c.changed_by) for c in enrollment.status_changes.all()]
    assert steps == [(S.CANDIDATE, S.QUALIFIED, user), (S.QUALIFIED, S.ACTIVE, user), (S.ACTIVE, S.COMPLETED, user)]


@pytest.mark.parametrize(
    "setup, message",
    [
        ("no_category", "co najmniej jednej kategorii"),
        ("excluded", "wyłączona na podstawie art. 1 ust. 3"),
        ("unchecked", "Odnotuj sprawdzenie świadczeń"),
        ("no_consent", "zgody osoby"),
        ("withdrawn_consent", "zgody osoby"),
    ],
)
def test_qualifying_refuses_without_its_conditions(setup, message):
    enrollment = ready_to_qualify()
    if setup == "no_category":
        enrollment.eligibility_categories.clear()
    elif setup == "excluded":
        enrollment.benefit_exclusion = EnrollmentBenefitExclusionChoices.UNEMPLOYMENT_BENEFIT
    elif setup == "unchecked":
        enrollment.benefit_exclusion = ""
    elif setup == "no_consent":
        enrollment.participant.consents.all().delete()
    else:
        enrollment.participant.consents.update(withdrawn_on=TODAY - 5 * DAY)
    with pytest.raises(ValidationError) as excinfo:
        enrollment.qualify(TODAY)
    assert message in messages_of(excinfo)
    enrollment.refresh_from_db()
    assert enrollment.status == S.CANDIDATE and not enrollment.status_changes.exists()


def test_activating_needs_a_signed_contract():
    enrollment = ready_to_qualify()
    enrollment.qualify(TODAY - DAY)
    SocialContractFactory(enrollment=enrollment, status=SocialContractStatusChoices.DRAFT, signed_on=None)
    with pytest.raises(ValidationError) as excinfo:
        enrollment.activate(TODAY)
    assert "podpisanego kontraktu socjalnego" in messages_of(excinfo)
    assert enrollment.status == S.QUALIFIED


@pytest.mark.parametrize("transition", ["complete", "drop_out"])
def test_leaving_needs_date_and_reason(transition):
    enrollment = active()
    with pytest.raises(ValidationError) as excinfo:
        getattr(enrollment, transition)(None, "")
    assert "datę" in messages_of(excinfo) and "przyczyny" in messages_of(excinfo)
    enrollment.refresh_from_db()
    assert enrollment.status == S.ACTIVE and enrollment.exit_on is None


def test_dates_in_the_future_or_before_application_are_refused():
    enrollment = ready_to_qualify()
    with pytest.raises(ValidationError) as excinfo:
        enrollment.qualify(TODAY + DAY)
    assert "przyszłości" in messages_of(excinfo)
    with pytest.raises(ValidationError):
        enrollment.qualify(enrollment.applied_on - DAY)
    enrollment.refresh_from_db()
    assert enrollment.status == S.CANDIDATE and enrollment.qualified_on is None


ALLOWED = {
    S.CANDIDATE: {"qualify", "drop_out"},
    S.QUALIFIED: {"activate", "drop_out", "transfer"},
    S.ACTIVE: {"complete", "drop_out", "transfer"},
    S.COMPLETED: set(),
    S.DROPPED_OUT: set(),
    S.TRANSFERRED: set(),
}


@pytest.mark.parametrize("status", list(ALLOWED))
def test_only_the_allowed_transitions_leave_each_status(status):
    enrollment = EnrollmentFactory.build(status=status)
    assert set(enrollment.available_transitions()) == ALLOWED[status]


@pytest.mark.parametrize(
    "status, transition",
    [(status, name) for status in ALLOWED for name in ENROLLMENT_TRANSITIONS if name not in ALLOWED[status]],
)
def test_a_refused_transition_says_why_and_changes_nothing(status, transition):
    enrollment = active()
    if status != S.ACTIVE:
        closed = {} if status in (S.CANDIDATE, S.QUALIFIED) else {"exit_on": TODAY, "exit_reason": "other"}
        enrollment.__class__.objects.filter(pk=enrollment.pk).update(status=status, **closed)
        enrollment.refresh_from_db()
    arguments = {"on": TODAY}
    if transition in ("complete", "drop_out"):
        arguments["reason"] = EnrollmentExitReasonChoices.OTHER
    with pytest.raises(ValidationError) as excinfo:
        getattr(enrollment, transition)(**arguments)
    assert "nie może" in messages_of(excinfo)
    enrollment.refresh_from_db()
    assert enrollment.status == status


def test_transfer_records_the_reason_itself():
    enrollment = active()
    TransferFactory(enrollment=enrollment, proposed_on=TODAY, consent_given_on=TODAY).accept(TODAY)
    enrollment.refresh_from_db()
    assert enrollment.exit_reason == EnrollmentExitReasonChoices.TRANSFERRED and enrollment.status == S.TRANSFERRED


# --- in the admin --------------------------------------------------------------------------------


@pytest.fixture
def coordinator_client(client):
    def login(club):
        user = UserFactory(is_staff=True)
        user.groups.add(roles.role_group(roles.KIS_COORDINATOR))
        UserScope.objects.create(user=user, level="club", club=club, region=club.region)
        client.force_login(user)
        return user

    return login


def test_buttons_offer_the_allowed_transitions_and_the_form_applies_one(client, coordinator_client):
    enrollment = ready_to_qualify()
    user = coordinator_client(enrollment.club)
    page = client.get(reverse("admin:participants_enrollment_change", args=[enrollment.pk]))
    qualify_url = reverse("admin:participants_enrollment_transition", args=[enrollment.pk, "qualify"])
    assert qualify_url in page.content.decode()
    assert reverse("admin:participants_enrollment_transition", args=[enrollment.pk, "complete"]) not in (
        page.content.decode()
    )
    response = client.post(qualify_url, {"on": TODAY.isoformat()})
    assert response.status_code == 302
    enrollment.refresh_from_db()
    assert enrollment.status == S.QUALIFIED
    assert enrollment.status_changes.get().changed_by == user


def test_a_refused_transition_in_the_admin_shows_the_reason(client, coordinator_client):
    enrollment = candidate()  # no category, no consent
    coordinator_client(enrollment.club)
    url = reverse("admin:participants_enrollment_transition", args=[enrollment.pk, "qualify"])
    response = client.post(url, {"on": TODAY.isoformat()})
    assert response.status_code == 200
    assert "co najmniej jednej kategorii" in response.content.decode()
    enrollment.refresh_from_db()
    assert enrollment.status == S.CANDIDATE


def test_status_cannot_be_edited_directly_in_the_admin(client, coordinator_client):
    enrollment = candidate()
    coordinator_client(enrollment.club)
    page = client.get(reverse("admin:participants_enrollment_change", args=[enrollment.pk]))
    assert "status" not in page.context["adminform"].form.fields


def test_another_clubs_enrollment_cannot_be_moved(client, coordinator_client):
    enrollment = ready_to_qualify()
    coordinator_client(EnrollmentFactory().club)
    url = reverse("admin:participants_enrollment_transition", args=[enrollment.pk, "qualify"])
    assert client.post(url, {"on": TODAY.isoformat()}).status_code == 404
    enrollment.refresh_from_db()
    assert enrollment.status == S.CANDIDATE


# --- the social contract ----------------------------------------------------------------------------

C = SocialContractStatusChoices


def draft():
    return SocialContractFactory(
        status=C.DRAFT, signed_on=None, valid_from=TODAY - 10 * DAY, valid_until=TODAY + 100 * DAY
    )


def test_contract_is_signed_extended_and_settled():
    contract = draft()
    contract.sign(TODAY - 5 * DAY)
    contract.extend(TODAY, until=TODAY + 200 * DAY)
    contract.settle(TODAY, assessment="Zobowiązania wykonane")
    contract.refresh_from_db()
    assert (contract.status, contract.signed_on, contract.valid_until) == (
        C.COMPLETED,
        TODAY - 5 * DAY,
        TODAY + 200 * DAY,
    )
    assert contract.fulfilment_assessment == "Zobowiązania wykonane"


@pytest.mark.parametrize(
    "action, arguments, message",
    [
        ("extend", {"until": TODAY + 50 * DAY}, "po obecnym końcu"),
        ("settle", {"assessment": ""}, "wykonania"),
        ("terminate", {"reason": ""}, "przyczyny"),
    ],
)
def test_contract_transitions_refuse_without_their_conditions(action, arguments, message):
    contract = draft()
    contract.sign(TODAY)
    with pytest.raises(ValidationError) as excinfo:
        getattr(contract, action)(TODAY, **arguments)
    assert message in messages_of(excinfo)
    contract.refresh_from_db()
    assert contract.status == C.SIGNED and contract.valid_until == TODAY + 100 * DAY


def test_a_settled_contract_cannot_be_terminated_nor_a_draft_settled():
    contract = draft()
    with pytest.raises(ValidationError):
        contract.settle(TODAY, assessment="x")
    contract.sign(TODAY)
    contract.settle(TODAY, assessment="x")
    with pytest.raises(ValidationError) as excinfo:
        contract.terminate(TODAY, reason="y")
    assert "nie może" in messages_of(excinfo)


def test_contract_is_signed_from_the_admin(client, coordinator_client):
    contract = draft()
    coordinator_client(contract.enrollment.club)
    url = reverse("admin:participants_socialcontract_transition", args=[contract.pk, "sign"])
    assert url in client.get(reverse("admin:participants_socialcontract_change", args=[contract.pk])).content.decode()
    assert client.post(url, {"on": TODAY.isoformat()}).status_code == 302
    contract.refresh_from_db()
    assert contract.status == C.SIGNED and contract.signed_on == TODAY
