"""factory-boy factories for every model, building valid, mutually consistent objects.

Regions, pillars and eligibility categories are fixed lists: their factories get the existing row
(or create one of the 16 real regions) instead of inventing new ones. PESEL and NIP numbers are
generated with correct check digits, and places are consistent: a municipality's TERC code starts
with its county's and region's, a club's municipality lies in the club's region, and an attendance
belongs to an enrollment in the activity's club.
"""

import datetime

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory

from api.models import ApiKey, InboundReferral
from clubs.choices import ClubStatusChoices, PillarCodeChoices
from clubs.models import Activity, AnnualSettlement, Club, Pillar, Service, StaffPosition
from demo.pilot import make_nip, make_pesel
from ksr_portal import roles
from ksr_portal.models import ExportJob, ImportJob
from ksr_portal.workflow import recording_history
from networks.choices import (
    DeliverableKindChoices,
    MeetingKindChoices,
    MunicipalityKindChoices,
    NetworkKindChoices,
)
from networks.models import AnimationDeliverable, AnimationTeam, County, Meeting, Municipality, Network, Region
from participants.choices import (
    CaseDocumentKindChoices,
    CaseNoteKindChoices,
    ConsentPurposeChoices,
    EnrollmentBenefitExclusionChoices,
    EnrollmentExitReasonChoices,
    EnrollmentStatusChoices,
    OutcomeSituationChoices,
    ParticipantSexChoices,
    SocialContractStatusChoices,
)
from participants.models import (
    ActionPlan,
    Attendance,
    CaseDocument,
    CaseNote,
    Consent,
    EligibilityCategory,
    Enrollment,
    FollowUp,
    Goal,
    HouseholdMember,
    Outcome,
    Participant,
    Referral,
    Review,
    SocialContract,
    Transfer,
)
from stakeholders.choices import OrganizationLegalFormChoices, OrganizationStakeholderTypeChoices
from stakeholders.models import ContactPerson, Membership, Organization, ServiceOffer

REGIONS = {
    "02": "dolnośląskie",
    "04": "kujawsko-pomorskie",
    "06": "lubelskie",
    "08": "lubuskie",
    "10": "łódzkie",
    "12": "małopolskie",
    "14": "mazowieckie",
    "16": "opolskie",
    "18": "podkarpackie",
    "20": "podlaskie",
    "22": "pomorskie",
    "24": "śląskie",
    "26": "świętokrzyskie",
    "28": "warmińsko-mazurskie",
    "30": "wielkopolskie",
    "32": "zachodniopomorskie",
}


def m2m(field):
    """A post-generation hook that sets a many-to-many field when the caller passes a list."""

    def hook(obj, create, extracted, **kwargs):
        if create and extracted:
            getattr(obj, field).set(extracted)

    return factory.PostGeneration(hook)


class ModelFactory(DjangoModelFactory):
    """Base of the factories: many-to-many hooks save their own rows, no second save of the object."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # A factory makes a record as it stands: a test needs an active enrollment without its history.
        with recording_history():
            return super()._create(model_class, *args, **kwargs)


# ---------------------------------------------------------------------------
# networks
# ---------------------------------------------------------------------------


class RegionFactory(ModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("terc",)

    terc = factory.Sequence(lambda n: list(REGIONS)[n % len(REGIONS)])
    name = factory.LazyAttribute(lambda o: REGIONS[o.terc])
    rops_name = factory.LazyAttribute(lambda o: f"Regionalny Ośrodek Polityki Społecznej ({o.name})")
    rops_town = "Kielce"


class CountyFactory(ModelFactory):
    class Meta:
        model = County

    region = factory.SubFactory(RegionFactory)
    # 01–69: the synthetic data generator makes counties 70–99 beside what a test made.
    terc = factory.LazyAttributeSequence(lambda o, n: f"{o.region.terc}{n % 69 + 1:02d}")
    name = factory.Sequence(lambda n: f"powiat {n}")


class MunicipalityFactory(ModelFactory):
    class Meta:
        model = Municipality

    region = factory.SubFactory(RegionFactory)
    county = factory.SubFactory(CountyFactory, region=factory.SelfAttribute("..region"))
    kind = MunicipalityKindChoices.RURAL
    terc = factory.LazyAttributeSequence(lambda o, n: f"{o.county.terc}{n % 99 + 1:02d}{o.kind}")
    name = factory.Sequence(lambda n: f"Gmina {n}")


class NationalNetworkFactory(ModelFactory):
    class Meta:
        model = Network
        django_get_or_create = ("kind",)

    kind = NetworkKindChoices.NATIONAL
    name = "Krajowa Sieć Reintegracji"


class RegionalNetworkFactory(ModelFactory):
    class Meta:
        model = Network
        django_get_or_create = ("kind", "region")

    kind = NetworkKindChoices.REGIONAL
    region = factory.SubFactory(RegionFactory)
    parent = factory.SubFactory(NationalNetworkFactory)
    name = factory.LazyAttribute(lambda o: f"Regionalna Sieć Reintegracji ({o.region.name})")


class LocalNetworkFactory(ModelFactory):
    class Meta:
        model = Network

    kind = NetworkKindChoices.LOCAL
    region = factory.SubFactory(RegionFactory)
    parent = factory.SubFactory(RegionalNetworkFactory, region=factory.SelfAttribute("..region"))
    name = factory.Sequence(lambda n: f"Lokalna Sieć Reintegracji nr {n}")
    established_on = datetime.date(2019, 9, 1)

    class Params:
        with_hub = factory.Trait(
            hub_club=factory.SubFactory("tests.factories.ClubFactory", region=factory.SelfAttribute("..region"))
        )


NetworkFactory = LocalNetworkFactory


class MeetingFactory(ModelFactory):
    class Meta:
        model = Meeting

    network = factory.SubFactory(LocalNetworkFactory)
    held_on = datetime.date(2024, 3, 12)
    kind = MeetingKindChoices.WORKING
    topic = "Oferta usług partnerów typu C"
    attending_organizations = m2m("attending_organizations")


class AnimationTeamFactory(ModelFactory):
    class Meta:
        model = AnimationTeam

    region = factory.SubFactory(RegionFactory)
    name = factory.LazyAttribute(lambda o: f"ZRAR {o.region.name}")


class AnimationDeliverableFactory(ModelFactory):
    class Meta:
        model = AnimationDeliverable

    team = factory.SubFactory(AnimationTeamFactory)
    kind = DeliverableKindChoices.ANIMATION_PLAN
    title = "Plan animacji lokalnych sieci reintegracji"
    due_on = datetime.date(2024, 6, 30)


# ---------------------------------------------------------------------------
# stakeholders
# ---------------------------------------------------------------------------


class OrganizationFactory(ModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Stowarzyszenie Pomocy nr {n}")
    legal_form = OrganizationLegalFormChoices.ASSOCIATION
    stakeholder_type = OrganizationStakeholderTypeChoices.A
    nip = factory.Sequence(make_nip)
    region = factory.SubFactory(RegionFactory)
    municipality = factory.SubFactory(MunicipalityFactory, region=factory.SelfAttribute("..region"))
    postal_code = "25-520"
    town = "Kielce"
    pillars = m2m("pillars")


class ContactPersonFactory(ModelFactory):
    class Meta:
        model = ContactPerson

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Faker("name", locale="pl_PL")
    position = "koordynator"


class MembershipFactory(ModelFactory):
    class Meta:
        model = Membership

    network = factory.SubFactory(LocalNetworkFactory)
    organization = factory.SubFactory(OrganizationFactory, region=factory.SelfAttribute("..network.region"))
    joined_on = datetime.date(2020, 1, 15)


class ServiceOfferFactory(ModelFactory):
    class Meta:
        model = ServiceOffer

    network = factory.SubFactory(LocalNetworkFactory)
    organization = factory.SubFactory(OrganizationFactory, region=factory.SelfAttribute("..network.region"))
    service = factory.SubFactory("tests.factories.ServiceFactory")
    capacity = 10
    valid_from = datetime.date(2024, 1, 1)


# ---------------------------------------------------------------------------
# clubs
# ---------------------------------------------------------------------------


class PillarFactory(ModelFactory):
    """Gets one of the six pillars the migration created (or makes it again, in the catalogue's
    order, after a committing test flushed them)."""

    class Meta:
        model = Pillar
        django_get_or_create = ("code",)

    code = factory.Iterator(PillarCodeChoices.values)
    order = factory.LazyAttribute(lambda pillar: PillarCodeChoices.values.index(pillar.code) + 1)


class ServiceFactory(ModelFactory):
    class Meta:
        model = Service

    pillar = factory.SubFactory(PillarFactory)
    name = factory.Sequence(lambda n: f"Warsztaty nr {n}")


class ClubFactory(ModelFactory):
    class Meta:
        model = Club

    name = factory.Sequence(lambda n: f"Klub Integracji Społecznej nr {n:04d}")  # sorts as made
    region = factory.SubFactory(RegionFactory)
    operator = factory.SubFactory(OrganizationFactory, region=factory.SelfAttribute("..region"))
    municipality = factory.SubFactory(MunicipalityFactory, region=factory.SelfAttribute("..region"))
    postal_code = "25-520"
    town = "Kielce"
    created_on = datetime.date(2019, 6, 1)
    activity_started_on = datetime.date(2019, 9, 1)
    status = ClubStatusChoices.ACTIVE
    services = m2m("services")


class StaffPositionFactory(ModelFactory):
    class Meta:
        model = StaffPosition

    club = factory.SubFactory(ClubFactory)
    year = 2025
    position = "instruktor"
    employment_basis = "employment_contract"
    fte = 1


class AnnualSettlementFactory(ModelFactory):
    class Meta:
        model = AnnualSettlement

    club = factory.SubFactory(ClubFactory)
    year = 2025


class ActivityFactory(ModelFactory):
    class Meta:
        model = Activity

    club = factory.SubFactory(ClubFactory)
    service = factory.SubFactory(ServiceFactory)
    provider = factory.SelfAttribute("club.operator")
    title = "Warsztaty kulinarne"
    held_on = datetime.date(2024, 4, 10)
    hours = 3


# ---------------------------------------------------------------------------
# participants
# ---------------------------------------------------------------------------


class EligibilityCategoryFactory(ModelFactory):
    """Gets one of the eight art. 1 categories the migration created."""

    class Meta:
        model = EligibilityCategory
        django_get_or_create = ("code",)

    code = factory.Iterator("12345678")


class ParticipantFactory(ModelFactory):
    class Meta:
        model = Participant

    first_name = factory.Faker("first_name", locale="pl_PL")
    last_name = factory.Faker("last_name", locale="pl_PL")
    sex = factory.Iterator([ParticipantSexChoices.FEMALE, ParticipantSexChoices.MALE])
    birth_date = factory.Faker("date_of_birth", minimum_age=18, maximum_age=75)
    pesel = factory.LazyAttributeSequence(
        lambda o, n: make_pesel(o.birth_date, male=o.sex == ParticipantSexChoices.MALE, serial=n)
    )


class ConsentFactory(ModelFactory):
    class Meta:
        model = Consent

    participant = factory.SubFactory(ParticipantFactory)
    purpose = ConsentPurposeChoices.PROCESSING
    given_on = datetime.date(2024, 2, 1)


class EnrollmentFactory(ModelFactory):
    class Meta:
        model = Enrollment

    participant = factory.SubFactory(ParticipantFactory)
    club = factory.SubFactory(ClubFactory)
    status = EnrollmentStatusChoices.ACTIVE
    applied_on = datetime.date(2024, 2, 1)
    qualified_on = datetime.date(2024, 2, 5)
    started_on = datetime.date(2024, 2, 10)
    benefit_exclusion = EnrollmentBenefitExclusionChoices.NONE

    @factory.post_generation
    def eligibility_categories(obj, create, extracted, **kwargs):
        """A qualified person has an art. 1 category: the long-term unemployed, unless the test gives others."""
        if create and extracted is None and obj.qualified_on:
            extracted = [EligibilityCategoryFactory(code="5")]
        if create and extracted:
            obj.eligibility_categories.set(extracted)

    class Params:
        completed = factory.Trait(
            status=EnrollmentStatusChoices.COMPLETED,
            exit_on=datetime.date(2024, 11, 29),
            exit_reason=EnrollmentExitReasonChoices.PLAN_COMPLETED,
            certificate_number=factory.Sequence(lambda n: f"KIS/{n}/2024"),
            certificate_issued_on=datetime.date(2024, 11, 29),
        )


class ReferralFactory(ModelFactory):
    class Meta:
        model = Referral

    enrollment = factory.SubFactory(EnrollmentFactory)
    organization = factory.SubFactory(OrganizationFactory, region=factory.SelfAttribute("..enrollment.club.region"))
    service = factory.SubFactory(ServiceFactory)
    sent_on = datetime.date(2024, 3, 1)


class ActionPlanFactory(ModelFactory):
    class Meta:
        model = ActionPlan

    enrollment = factory.SubFactory(EnrollmentFactory)
    drawn_up_on = datetime.date(2024, 2, 12)


class GoalFactory(ModelFactory):
    class Meta:
        model = Goal

    plan = factory.SubFactory(ActionPlanFactory)
    pillar = factory.SubFactory(PillarFactory)
    description = "Odbudowa nawyku regularnej aktywności"
    planned_services = m2m("planned_services")


class ReviewFactory(ModelFactory):
    class Meta:
        model = Review

    plan = factory.SubFactory(ActionPlanFactory)
    reviewed_on = datetime.date(2024, 5, 12)
    progress = "Regularny udział w zajęciach"
    next_review_on = datetime.date(2024, 8, 12)


class SocialContractFactory(ModelFactory):
    class Meta:
        model = SocialContract

    enrollment = factory.SubFactory(EnrollmentFactory)
    number = factory.Sequence(lambda n: f"KS/{n}/2024")
    valid_from = datetime.date(2024, 2, 10)
    valid_until = datetime.date(2024, 11, 30)
    status = SocialContractStatusChoices.SIGNED
    signed_on = datetime.date(2024, 2, 10)


class HouseholdMemberFactory(ModelFactory):
    class Meta:
        model = HouseholdMember

    contract = factory.SubFactory(SocialContractFactory)
    name = factory.Faker("name", locale="pl_PL")
    relationship = "syn"


class AttendanceFactory(ModelFactory):
    class Meta:
        model = Attendance

    activity = factory.SubFactory(ActivityFactory)
    enrollment = factory.SubFactory(EnrollmentFactory, club=factory.SelfAttribute("..activity.club"))


class OutcomeFactory(ModelFactory):
    class Meta:
        model = Outcome

    enrollment = factory.SubFactory(EnrollmentFactory, completed=True)
    recorded_on = datetime.date(2024, 11, 29)
    situation = OutcomeSituationChoices.EMPLOYED
    vocational_reintegration_achieved = True


class FollowUpFactory(ModelFactory):
    class Meta:
        model = FollowUp

    outcome = factory.SubFactory(OutcomeFactory)
    months_after = 6
    checked_on = datetime.date(2025, 5, 29)
    situation = OutcomeSituationChoices.EMPLOYED


class CaseNoteFactory(ModelFactory):
    class Meta:
        model = CaseNote

    enrollment = factory.SubFactory(EnrollmentFactory)
    written_on = datetime.date(2024, 3, 4)
    kind = CaseNoteKindChoices.COUNSELLING
    duration_minutes = 45
    text = "Rozmowa o planie dnia i powrocie do pracy"


class CaseDocumentFactory(ModelFactory):
    class Meta:
        model = CaseDocument

    enrollment = factory.SubFactory(EnrollmentFactory)
    kind = CaseDocumentKindChoices.SIGNED_CONTRACT
    received_on = datetime.date(2024, 2, 10)
    file = factory.django.FileField(filename="kontrakt.pdf", data=b"%PDF-1.7 scan")


class TransferFactory(ModelFactory):
    """A proposal from an active stay to a club of the same region, with the person's consent."""

    class Meta:
        model = Transfer

    enrollment = factory.SubFactory(EnrollmentFactory)
    participant = factory.SelfAttribute("enrollment.participant")
    to_club = factory.SubFactory(ClubFactory, region=factory.SelfAttribute("..enrollment.club.region"))
    proposed_on = datetime.date(2024, 6, 3)
    consent_given_on = datetime.date(2024, 6, 1)


# ---------------------------------------------------------------------------
# accounts
# ---------------------------------------------------------------------------


class UserFactory(ModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("test-password")


class ImportJobFactory(ModelFactory):
    """An upload of a participants' file, its file kept under a name the server made."""

    class Meta:
        model = ImportJob

    owner = factory.SubFactory(UserFactory)
    model = "participants.enrollment"
    resource = "participants.resources.ParticipantResource"
    file_format = "csv"
    file = factory.django.FileField(data=b"pesel;imie\n", filename="ignored.csv")
    file_name = "uczestnicy.csv"
    language = "pl"


class ExportJobFactory(ModelFactory):
    """A large export of stays, waiting for the worker."""

    class Meta:
        model = ExportJob

    owner = factory.SubFactory(UserFactory)
    model = "participants.enrollment"
    resource = "participants.resources.ParticipantResource"
    file_format = "csv"
    file_name = "zapisy.csv"


# ---------------------------------------------------------------------------
# api
# ---------------------------------------------------------------------------


class ApiKeyFactory(ModelFactory):
    """A key issued as the workbench issues it (a referrer's for its region, unless told otherwise); the
    key's text, shown once, is left on the object as `text`."""

    class Meta:
        model = ApiKey

    organization = factory.SubFactory(OrganizationFactory, stakeholder_type="B")
    role = roles.REFERRER
    level = "region"
    region = factory.SelfAttribute("organization.region")
    club = None
    expires_on = datetime.date(2099, 12, 31)
    issued_by = factory.SubFactory(UserFactory, is_superuser=True, is_staff=True)

    @classmethod
    def _create(cls, model_class, *, issued_by, **kwargs):
        key, text = model_class.issue(by=issued_by, **kwargs)
        key.text = text
        return key


class InboundReferralFactory(ModelFactory):
    class Meta:
        model = InboundReferral

    client = factory.SubFactory(ApiKeyFactory)
    referrer = factory.SelfAttribute("client.organization")
    reference = factory.Sequence(lambda n: f"OPS/{n}/2026")
    club = factory.SubFactory(ClubFactory, region=factory.SelfAttribute("..client.organization.region"))
    first_name = factory.Faker("first_name", locale="pl_PL")
    last_name = factory.Faker("last_name", locale="pl_PL")
    pesel = factory.Sequence(lambda n: make_pesel(datetime.date(1980, 5, 17), male=False, serial=n))
    contact = "pracownik socjalny, tel. 41 000 00 00"
    reason = "Długotrwale bezrobotna, potrzebuje wsparcia."
