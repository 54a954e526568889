"""Model rules: each clean() rule and database constraint accepts a good object and refuses a bad one.

Every bad case is a small function registered with `@refused(...)`: it returns an object that breaks exactly one
rule. Two tests walk the register: full_clean() reports that one error and no other; and, for a database
constraint, saving without validation raises IntegrityError, because the database itself enforces the rule.
"""

import copy
import datetime
import functools
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import CheckConstraint

from clubs.models import AnnualSettlement, Pillar
from ksr_portal.workflow import recording_history
from networks.models import AnimationTeam, Network
from participants.models import EligibilityCategory, Enrollment, Participant
from stakeholders.models import Membership

from . import factories as f

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def region(terc):
    return f.RegionFactory(terc=terc)


def mutate(obj, **changes):
    """The object with some fields changed in memory (not saved)."""
    for name, value in changes.items():
        setattr(obj, name, value)
    return obj


def twin(obj, **changes):
    """An unsaved copy of a saved object: a second row with the same values, to test uniqueness."""
    clone = copy.copy(obj)
    clone.pk = None
    clone._state.adding = True
    return mutate(clone, **changes)


def constraint_of(model, name):
    return next(c for c in model._meta.constraints if c.name == name)


def assert_refused(obj, error_key, constraint=None):
    """full_clean() fails with exactly this error (for a model constraint: its own message).

    A status set by hand here stands for a state the record could be in, so only the rule is checked,
    not that a status changes only through transitions (tests/test_transitions.py)."""
    with pytest.raises(ValidationError) as exc, recording_history():
        obj.full_clean()
    errors = exc.value.message_dict
    assert set(errors) == {error_key}, errors
    if error_key == NON_FIELD_ERRORS:
        assert constraint_of(type(obj), constraint).get_violation_error_message() in errors[NON_FIELD_ERRORS]


def assert_database_refuses(obj, constraint=None):
    """Saving without validation is refused by the database; a named CHECK shows in the error on both engines."""
    with pytest.raises(IntegrityError) as exc, transaction.atomic(), recording_history():
        obj.save()
    if constraint and isinstance(constraint_of(type(obj), constraint), CheckConstraint):
        assert constraint in str(exc.value)


# ---------------------------------------------------------------------------
# Every factory makes a valid object with a readable name
# ---------------------------------------------------------------------------

ALL_FACTORIES = [
    f.RegionFactory,
    f.CountyFactory,
    f.MunicipalityFactory,
    f.NationalNetworkFactory,
    f.RegionalNetworkFactory,
    f.LocalNetworkFactory,
    f.MeetingFactory,
    f.AnimationTeamFactory,
    f.AnimationDeliverableFactory,
    f.OrganizationFactory,
    f.ContactPersonFactory,
    f.MembershipFactory,
    f.ServiceOfferFactory,
    f.PillarFactory,
    f.ServiceFactory,
    f.ClubFactory,
    f.ActivityFactory,
    f.EligibilityCategoryFactory,
    f.ParticipantFactory,
    f.ConsentFactory,
    f.EnrollmentFactory,
    f.ActionPlanFactory,
    f.GoalFactory,
    f.ReviewFactory,
    f.SocialContractFactory,
    f.AttendanceFactory,
    f.OutcomeFactory,
    f.FollowUpFactory,
    f.UserFactory,
]


@pytest.mark.parametrize("factory", ALL_FACTORIES, ids=lambda factory: factory.__name__)
def test_factory_object_is_valid_and_saved(factory):
    obj = factory()
    obj.full_clean()
    assert obj.pk is not None


@pytest.mark.parametrize("factory", ALL_FACTORIES, ids=lambda factory: factory.__name__)
def test_str_is_readable_text(factory):
    text = str(factory())
    assert isinstance(text, str)
    assert text.strip()


def test_factories_make_consistent_places():
    club = f.ClubFactory(region=region("26"))
    assert club.municipality.region == club.region
    assert club.municipality.terc.startswith(club.municipality.county.terc)
    assert club.municipality.county.terc.startswith("26")
    attendance = f.AttendanceFactory()
    assert attendance.enrollment.club == attendance.activity.club


def test_migrations_create_six_pillars_and_eight_categories():
    assert list(Pillar.objects.values_list("code", flat=True)) == [
        "social",
        "vocational",
        "education",
        "culture",
        "health",
        "sport",
    ]
    assert list(EligibilityCategory.objects.values_list("code", flat=True)) == list("12345678")


# ---------------------------------------------------------------------------
# The register of bad cases
# ---------------------------------------------------------------------------

REFUSED = []


def refused(error_key, constraint=None, db=None):
    """Register a bad case: full_clean() reports `error_key`; with a constraint (or db=True) the database refuses too.

    `error_key` is the field that carries the error, or NON_FIELD_ERRORS for a model constraint.
    """

    def register(make):
        in_db = constraint is not None if db is None else db
        REFUSED.append(pytest.param(make, error_key, constraint, in_db, id=make.__name__))
        return make

    return register


# networks ------------------------------------------------------------------


@refused("terc")
def county_terc_outside_its_region():
    return mutate(f.CountyFactory(region=region("26")), region=region("14"))


@refused("kind")
def municipality_kind_not_the_last_terc_digit():
    return mutate(f.MunicipalityFactory(kind="2"), kind="3")


@refused("county")
def municipality_terc_outside_its_county():
    municipality = f.MunicipalityFactory(region=region("26"))
    return mutate(municipality, county=f.CountyFactory(region=municipality.region))


@refused("region")
def municipality_terc_outside_its_region():
    return mutate(f.MunicipalityFactory(region=region("26")), region=region("14"))


@refused("terc")
def region_with_odd_terc():
    return mutate(region("26"), terc="27")


@refused(NON_FIELD_ERRORS, "network_level_fields")
def national_network_with_region():
    return mutate(f.NationalNetworkFactory(), region=region("26"))


@refused(NON_FIELD_ERRORS, "network_level_fields")
def regional_network_without_parent():
    return mutate(f.RegionalNetworkFactory(), parent=None)


@refused(NON_FIELD_ERRORS, "network_level_fields")
def regional_network_without_region():
    return mutate(f.RegionalNetworkFactory(), region=None)


@refused("parent")
def local_network_under_the_national_one():
    return mutate(f.LocalNetworkFactory(), parent=f.NationalNetworkFactory())


@refused("parent")
def local_network_under_another_regions_network():
    return mutate(f.LocalNetworkFactory(region=region("26")), parent=f.RegionalNetworkFactory(region=region("14")))


@refused("parent")
def regional_network_under_a_local_one():
    regional = f.RegionalNetworkFactory(region=region("26"))
    return mutate(regional, parent=f.LocalNetworkFactory(region=region("14")))


@refused(NON_FIELD_ERRORS, "network_one_national")
def second_national_network():
    f.NationalNetworkFactory()
    return Network(kind="national", name="Druga sieć krajowa")


@refused(NON_FIELD_ERRORS, "network_one_regional_per_region")
def second_regional_network_in_a_region():
    return twin(f.RegionalNetworkFactory(), name="Druga sieć regionalna")


@refused(NON_FIELD_ERRORS, "network_hub_only_local")
def hub_club_on_a_regional_network():
    regional = f.RegionalNetworkFactory(region=region("26"))
    return mutate(regional, hub_club=f.ClubFactory(region=regional.region))


@refused("hub_club")
def hub_club_in_another_region():
    return mutate(f.LocalNetworkFactory(region=region("26")), hub_club=f.ClubFactory(region=region("14")))


@refused("region", db=True)
def second_animation_team_in_a_region():
    return twin(f.AnimationTeamFactory(), name="Drugi ZRAR")


@refused(NON_FIELD_ERRORS, "deliverable_delivered_has_date")
def deliverable_submitted_without_date():
    return mutate(f.AnimationDeliverableFactory(), status="submitted", delivered_on=None)


# stakeholders ----------------------------------------------------------------


@refused("nip")
def organization_nip_with_wrong_check_digit():
    return mutate(f.OrganizationFactory(), nip="5260250275")


@refused("postal_code")
def organization_postal_code_without_dash():
    return mutate(f.OrganizationFactory(), postal_code="25520")


@refused("municipality")
def organization_municipality_in_another_region():
    organization = f.OrganizationFactory(region=region("26"))
    return mutate(organization, municipality=f.MunicipalityFactory(region=region("14")))


@refused(NON_FIELD_ERRORS, "organization_unique_nip")
def organization_same_nip_twice():
    return twin(f.OrganizationFactory(nip="5260250274"))


@refused(NON_FIELD_ERRORS, "organization_unique_regon")
def organization_same_regon_twice():
    return twin(f.OrganizationFactory(regon="000331501"), nip="")


@refused(NON_FIELD_ERRORS, "organization_unique_krs")
def organization_same_krs_twice():
    return twin(f.OrganizationFactory(krs="0000012345"), nip="")


@refused(NON_FIELD_ERRORS, "membership_left_after_joined")
def membership_left_before_joined():
    membership = f.MembershipFactory(joined_on=datetime.date(2020, 1, 15))
    return mutate(membership, left_on=datetime.date(2020, 1, 14))


@refused(NON_FIELD_ERRORS, "membership_agreement_dates")
def membership_agreement_expiring_before_signed():
    membership = f.MembershipFactory()
    return mutate(
        membership, agreement_signed_on=datetime.date(2021, 3, 1), agreement_valid_until=datetime.date(2021, 2, 28)
    )


@refused(NON_FIELD_ERRORS, "membership_one_current_per_network")
def membership_current_twice_in_a_network():
    return twin(f.MembershipFactory(), joined_on=datetime.date(2022, 5, 1))


@refused(NON_FIELD_ERRORS, "service_offer_dates")
def service_offer_ending_before_start():
    offer = f.ServiceOfferFactory(valid_from=datetime.date(2024, 1, 1))
    return mutate(offer, valid_until=datetime.date(2023, 12, 31))


@refused("capacity", "service_offer_capacity_positive")
def service_offer_without_places():
    return mutate(f.ServiceOfferFactory(), capacity=0)


# clubs -----------------------------------------------------------------------


@refused("grant_amount", "club_grant_not_negative")
def club_grant_negative():
    return mutate(f.ClubFactory(), grant_amount=Decimal("-0.01"))


@refused("grant_amount")
def pilot_club_grant_above_cap():
    return mutate(f.ClubFactory(is_pilot=True), grant_amount=settings.KSR_PILOT_GRANT_CAP + Decimal("0.01"))


@refused("municipality")
def club_municipality_in_another_region():
    return mutate(f.ClubFactory(region=region("26")), municipality=f.MunicipalityFactory(region=region("14")))


@refused(NON_FIELD_ERRORS, "club_activity_after_creation")
def club_activity_started_before_creation():
    club = f.ClubFactory(created_on=datetime.date(2019, 6, 1))
    return mutate(club, activity_started_on=datetime.date(2019, 5, 31))


@refused(NON_FIELD_ERRORS, "club_registered_after_creation")
def club_registered_before_creation():
    club = f.ClubFactory(created_on=datetime.date(2019, 6, 1))
    return mutate(club, registered_on=datetime.date(2019, 5, 31))


@refused(NON_FIELD_ERRORS, "club_closed_after_creation")
def club_closed_before_creation():
    club = f.ClubFactory(created_on=datetime.date(2019, 6, 1))
    return mutate(club, status="closed", closed_on=datetime.date(2019, 5, 31))


@refused(NON_FIELD_ERRORS, "club_closed_has_date")
def club_closed_without_date():
    return mutate(f.ClubFactory(), status="closed", closed_on=None)


@refused(NON_FIELD_ERRORS, "club_unique_registry_number")
def club_registry_number_twice():
    return twin(f.ClubFactory(registry_number="KIS/26/2019/1"), name="Inny klub")


@refused("postal_code")
def club_postal_code_with_letter():
    return mutate(f.ClubFactory(), postal_code="25-52a")


@refused(NON_FIELD_ERRORS, "service_unique_name_in_pillar")
def service_name_twice_in_a_pillar():
    return twin(f.ServiceFactory(name="Warsztaty kulinarne"))


@refused("hours", "activity_hours_range")
def activity_of_zero_hours():
    return mutate(f.ActivityFactory(), hours=Decimal("0"))


@refused("hours", "activity_hours_range")
def activity_of_twenty_minutes():
    return mutate(f.ActivityFactory(), hours=Decimal("0.3"))


@refused("hours", "activity_hours_range")
def activity_of_thirteen_hours():
    return mutate(f.ActivityFactory(), hours=Decimal("13"))


# participants ------------------------------------------------------------------


@refused("pesel")
def participant_pesel_with_wrong_check_digit():
    return mutate(f.ParticipantFactory(), pesel="44051401358")


@refused("birth_date")
def participant_birth_date_not_matching_pesel():
    participant = f.ParticipantFactory(pesel="44051401359", birth_date=datetime.date(1944, 5, 14), sex="male")
    return mutate(participant, birth_date=datetime.date(1944, 4, 15))


@refused("sex")
def participant_sex_not_matching_pesel():
    participant = f.ParticipantFactory(pesel="44051401359", birth_date=datetime.date(1944, 5, 14), sex="male")
    return mutate(participant, sex="female")


@refused("birth_date")
def participant_without_pesel_or_birth_date():
    return mutate(f.ParticipantFactory(), pesel="", birth_date=None)


@refused("birth_date")
def participant_without_pesel_born_tomorrow():
    return mutate(f.ParticipantFactory(), pesel="", birth_date=datetime.date.today() + DAY)


@refused(NON_FIELD_ERRORS, "participant_unique_pesel")
def participant_same_pesel_twice():
    return twin(f.ParticipantFactory(), first_name="Inna")


@refused(NON_FIELD_ERRORS, "consent_withdrawn_after_given")
def consent_withdrawn_before_given():
    consent = f.ConsentFactory(given_on=datetime.date(2024, 2, 1))
    return mutate(consent, withdrawn_on=datetime.date(2024, 1, 31))


@refused(NON_FIELD_ERRORS, "consent_one_current_per_purpose")
def consent_current_twice_for_a_purpose():
    return twin(f.ConsentFactory(), given_on=datetime.date(2024, 3, 1))


@refused(NON_FIELD_ERRORS, "enrollment_one_open_per_club")
def enrollment_open_twice_in_a_club():
    return twin(f.EnrollmentFactory(), status="candidate", qualified_on=None, started_on=None)


@refused("referred_on", "enrollment_referred_before_applied")
def enrollment_referred_after_application():
    enrollment = f.EnrollmentFactory(applied_on=datetime.date(2024, 2, 1))
    return mutate(enrollment, referred_on=datetime.date(2024, 2, 2))


@refused(NON_FIELD_ERRORS, "enrollment_qualified_after_applied")
def enrollment_qualified_before_application():
    enrollment = f.EnrollmentFactory(applied_on=datetime.date(2024, 2, 1))
    return mutate(enrollment, qualified_on=datetime.date(2024, 1, 31))


@refused(NON_FIELD_ERRORS, "enrollment_started_after_applied")
def enrollment_started_before_application():
    enrollment = f.EnrollmentFactory(applied_on=datetime.date(2024, 2, 1))
    return mutate(enrollment, started_on=datetime.date(2024, 1, 31))


@refused(NON_FIELD_ERRORS, "enrollment_exit_after_applied")
def enrollment_exit_before_application():
    enrollment = f.EnrollmentFactory(completed=True, applied_on=datetime.date(2024, 2, 1))
    return mutate(enrollment, exit_on=datetime.date(2024, 1, 31))


@refused(NON_FIELD_ERRORS, "enrollment_closed_has_exit")
def enrollment_completed_without_exit_date():
    return mutate(f.EnrollmentFactory(completed=True), exit_on=None)


@refused(NON_FIELD_ERRORS, "enrollment_closed_has_exit")
def enrollment_dropped_out_without_reason():
    return mutate(f.EnrollmentFactory(), status="dropped_out", exit_on=datetime.date(2024, 5, 1), exit_reason="")


@refused(NON_FIELD_ERRORS, "enrollment_certificate_only_completed")
def enrollment_certificate_for_a_dropout():
    return mutate(f.EnrollmentFactory(completed=True), status="dropped_out", exit_reason="own_decision")


@refused(NON_FIELD_ERRORS, "enrollment_certificate_only_completed")
def enrollment_certificate_number_for_an_active_one():
    return mutate(f.EnrollmentFactory(), certificate_number="KIS/1/2024")


@refused("long_term_unemployed")
def enrollment_long_term_unemployed_but_employed():
    return mutate(f.EnrollmentFactory(), labour_market_status="employed", long_term_unemployed=True)


@refused("long_term_unemployed")
def enrollment_long_term_unemployed_status_unknown():
    return mutate(f.EnrollmentFactory(), labour_market_status="", long_term_unemployed=True)


@refused("review_interval_months", "action_plan_review_interval_range")
def action_plan_reviewed_every_thirteen_months():
    return mutate(f.ActionPlanFactory(), review_interval_months=13)


@refused("enrollment", db=True)
def action_plan_twice_for_an_enrollment():
    return twin(f.ActionPlanFactory())


@refused(NON_FIELD_ERRORS, "review_next_after_this")
def review_next_on_the_same_day():
    review = f.ReviewFactory(reviewed_on=datetime.date(2024, 5, 12))
    return mutate(review, next_review_on=datetime.date(2024, 5, 12))


@refused(NON_FIELD_ERRORS, "social_contract_dates")
def social_contract_ending_before_start():
    contract = f.SocialContractFactory(valid_from=datetime.date(2024, 2, 10))
    return mutate(contract, valid_until=datetime.date(2024, 2, 9))


@refused(NON_FIELD_ERRORS, "social_contract_signed_has_date")
def social_contract_signed_without_date():
    return mutate(f.SocialContractFactory(), status="signed", signed_on=None)


@refused(NON_FIELD_ERRORS, "social_contract_terminated_has_reason")
def social_contract_terminated_without_reason():
    return mutate(f.SocialContractFactory(), status="terminated", termination_reason="")


@refused(NON_FIELD_ERRORS, "social_contract_unique_number")
def social_contract_number_twice_in_an_enrollment():
    return twin(f.SocialContractFactory())


@refused("enrollment")
def attendance_of_another_clubs_participant():
    return mutate(f.AttendanceFactory(), enrollment=f.EnrollmentFactory())


@refused(NON_FIELD_ERRORS, "attendance_once_per_activity")
def attendance_recorded_twice():
    return twin(f.AttendanceFactory(), status="absent")


@refused("enrollment", db=True)
def outcome_twice_for_an_enrollment():
    return twin(f.OutcomeFactory())


@refused(NON_FIELD_ERRORS, "follow_up_once_per_period")
def follow_up_twice_for_a_period():
    return twin(f.FollowUpFactory(), checked_on=datetime.date(2025, 6, 2))


@pytest.mark.parametrize("make, error_key, constraint, in_db", REFUSED)
def test_full_clean_refuses(make, error_key, constraint, in_db):
    assert_refused(make(), error_key, constraint)


@pytest.mark.parametrize("make, error_key, constraint, in_db", [case for case in REFUSED if case.values[3]])
def test_database_refuses(make, error_key, constraint, in_db):
    assert_database_refuses(make(), constraint)


# ---------------------------------------------------------------------------
# Choice fields: an unknown value fails validation and the database CHECK
# ---------------------------------------------------------------------------

# An enrollment with its exit recorded, so that an unknown status breaks no other rule.
EXITED_ENROLLMENT = functools.partial(f.EnrollmentFactory, exit_on=datetime.date(2024, 5, 1), exit_reason="other")

CHOICE_CONSTRAINTS = [
    # factory, field, a value that fits the column but is not a choice, constraint
    (f.MunicipalityFactory, "kind", "6", "municipality_kind_valid"),
    (f.LocalNetworkFactory, "kind", "district", "network_kind_valid"),
    (f.AnimationDeliverableFactory, "kind", "report", "deliverable_kind_valid"),
    (f.AnimationDeliverableFactory, "status", "lost", "deliverable_status_valid"),
    (f.OrganizationFactory, "stakeholder_type", "D", "organization_stakeholder_type_valid"),
    (f.OrganizationFactory, "legal_form", "party", "organization_legal_form_valid"),
    (f.MembershipFactory, "role", "sponsor", "membership_role_valid"),
    (f.ClubFactory, "kind", "zaz", "club_kind_valid"),
    (f.ClubFactory, "status", "archived", "club_status_valid"),
    (f.ParticipantFactory, "sex", "unknown", "participant_sex_valid"),
    (f.ConsentFactory, "purpose", "marketing", "consent_purpose_valid"),
    (EXITED_ENROLLMENT, "status", "paused", "enrollment_status_valid"),
    (f.GoalFactory, "status", "postponed", "goal_status_valid"),
    (f.SocialContractFactory, "status", "suspended", "social_contract_status_valid"),
    (f.AttendanceFactory, "status", "late", "attendance_status_valid"),
    (f.OutcomeFactory, "situation", "retired", "outcome_situation_valid"),
    (f.FollowUpFactory, "situation", "retired", "follow_up_situation_valid"),
    (f.FollowUpFactory, "months_after", 9, "follow_up_months_valid"),
]


@pytest.mark.parametrize(
    "factory, field, value, constraint", CHOICE_CONSTRAINTS, ids=[row[3] for row in CHOICE_CONSTRAINTS]
)
def test_unknown_choice_is_refused(factory, field, value, constraint):
    obj = mutate(factory(), **{field: value})
    with pytest.raises(ValidationError) as exc, recording_history():
        obj.full_clean()
    assert field in exc.value.message_dict
    assert_database_refuses(obj, constraint)


@pytest.mark.parametrize(
    "model, kwargs, constraint",
    [
        pytest.param(Pillar, {"code": "music", "order": 7}, "pillar_code_one_of_six", id="seventh pillar"),
        pytest.param(EligibilityCategory, {"code": "9"}, "eligibility_category_code_valid", id="art. 1 point 9"),
    ],
)
def test_fixed_catalogues_refuse_new_codes(model, kwargs, constraint):
    assert_refused(model(**kwargs), "code")
    with pytest.raises(IntegrityError) as exc, transaction.atomic():
        model.objects.create(**kwargs)
    assert constraint in str(exc.value)


# ---------------------------------------------------------------------------
# Good cases next to the rules: what the rules must still allow
# ---------------------------------------------------------------------------


def test_birth_date_is_filled_in_from_pesel():
    participant = Participant(first_name="Jan", last_name="Kowalski", pesel="44051401359", sex="male")
    participant.full_clean()
    participant.save()
    assert participant.birth_date == datetime.date(1944, 5, 14)


def test_pesel_of_a_woman_born_in_the_2000s_is_accepted():
    participant = Participant(first_name="Anna", last_name="Nowak", pesel="02211307589", sex="female")
    participant.full_clean()
    assert participant.birth_date == datetime.date(2002, 1, 13)


@pytest.mark.parametrize("pesel", ["44051401359", "02211307589"])
def test_non_binary_person_is_accepted_with_any_pesel(pesel):
    Participant(first_name="Alex", last_name="Wiśniewski", pesel=pesel, sex="non_binary").full_clean()


def test_person_without_pesel_needs_only_a_birth_date():
    first = f.ParticipantFactory(pesel="", birth_date=datetime.date(1980, 1, 1))
    second = Participant(first_name="Ewa", last_name="Zając", birth_date=datetime.date(1975, 7, 7), sex="female")
    second.full_clean()  # two people without a PESEL do not clash
    second.save()
    assert first.pesel == second.pesel == ""


def test_generated_pesel_matches_birth_date_and_sex():
    for participant in f.ParticipantFactory.create_batch(6):
        participant.full_clean()
        assert (int(participant.pesel[9]) % 2 == 1) == (participant.sex == "male")


def test_pilot_club_grant_up_to_the_cap_is_accepted():
    f.ClubFactory(is_pilot=True, grant_amount=settings.KSR_PILOT_GRANT_CAP).full_clean()


def test_grant_cap_applies_to_pilot_clubs_only():
    f.ClubFactory(is_pilot=False, grant_amount=settings.KSR_PILOT_GRANT_CAP * 2).full_clean()


def test_clubs_and_organizations_without_identifiers_do_not_clash():
    f.ClubFactory(registry_number="")
    twin(f.ClubFactory(registry_number=""), name="Drugi klub").full_clean()
    twin(f.OrganizationFactory(nip=""), name="Druga organizacja").full_clean()


def test_hub_club_in_the_networks_region_is_accepted():
    network = f.LocalNetworkFactory(with_hub=True)
    network.full_clean()
    assert network.hub_club.region == network.region


def test_new_enrollment_after_the_first_is_completed_is_accepted():
    first = f.EnrollmentFactory(completed=True)
    again = Enrollment(participant=first.participant, club=first.club, applied_on=datetime.date(2025, 1, 10))
    again.full_clean()
    again.save()
    assert first.participant.enrollments.count() == 2


def test_open_enrollments_in_two_clubs_are_accepted():
    first = f.EnrollmentFactory()
    f.EnrollmentFactory(participant=first.participant).full_clean()


def test_rejoining_a_network_after_leaving_is_accepted():
    first = f.MembershipFactory(left_on=datetime.date(2021, 12, 31))
    again = Membership(organization=first.organization, network=first.network, joined_on=datetime.date(2023, 1, 1))
    again.full_clean()
    again.save()


def test_new_consent_after_withdrawal_is_accepted():
    first = f.ConsentFactory(withdrawn_on=datetime.date(2024, 6, 1))
    twin(first, given_on=datetime.date(2024, 9, 1), withdrawn_on=None).full_clean()


def test_certificate_of_a_completed_enrollment_is_accepted():
    enrollment = f.EnrollmentFactory(completed=True)
    enrollment.full_clean()
    assert enrollment.certificate_issued_on is not None


def test_network_levels_built_by_factories_are_valid():
    local = f.LocalNetworkFactory(region=region("26"))
    for network in (local, local.parent, local.parent.parent):
        network.full_clean()
    assert [local.kind, local.parent.kind, local.parent.parent.kind] == ["local", "regional", "national"]


def test_one_animation_team_per_region_but_many_regions():
    assert f.AnimationTeamFactory(region=region("26")).region != f.AnimationTeamFactory(region=region("14")).region
    assert AnimationTeam.objects.count() == 2


def test_pesel_typed_in_full_width_digits_is_refused():
    f.ParticipantFactory(pesel="44051401359", birth_date=datetime.date(1944, 5, 14), sex="male")
    duplicate = Participant(first_name="Jan", last_name="Kowalski", pesel="４４０５１４０１３５9", sex="male")
    with pytest.raises(ValidationError):
        duplicate.full_clean()


@pytest.mark.parametrize(
    "values, field",
    [
        ({"subsidy_granted": 100, "subsidy_spent": 90, "subsidy_returned": 20}, None),
        ({"subsidy_granted": 100, "subsidy_spent": 80, "subsidy_returned": 20}, "subsidy_returned_on"),
        ({"submitted_on": datetime.date(2025, 12, 31)}, "submitted_on"),
        ({"submitted_on": datetime.date(2999, 1, 1)}, "submitted_on"),
        ({"subsidy_granted": -1}, "subsidy_granted"),
    ],
)
def test_an_annual_settlement_adds_up_and_is_filed_after_its_year(values, field):
    settlement = AnnualSettlement(club=f.ClubFactory(), year=2025, **values)
    with pytest.raises(ValidationError) as refused:
        settlement.full_clean()
    assert field in refused.value.message_dict if field else refused.value.message_dict
    assert not AnnualSettlement.objects.exists()


def test_an_annual_settlement_that_adds_up_is_kept():
    settlement = AnnualSettlement(
        club=f.ClubFactory(),
        year=2025,
        subsidy_granted=100,
        subsidy_spent=80,
        subsidy_returned=20,
        subsidy_returned_on=datetime.date(2026, 1, 15),
        submitted_on=datetime.date(2026, 3, 31),
    )
    settlement.full_clean()
    settlement.save()
    duplicate = AnnualSettlement(club=settlement.club, year=2025)
    with pytest.raises(ValidationError):
        duplicate.full_clean()
