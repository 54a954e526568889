"""Demonstration accounts and data for a development machine (`make run`); never for production.

Everything made here is recognisable: organisations are named "[DEMO] …", participants' surnames
start with "Demo-", every account shares one published password. The data are deterministic (a
fixed seed and fixed dates), valid under every model rule (each object passes `full_clean()`), and
built around the pilot clubs of the `pilot` fixture.
"""

import datetime
import random
from decimal import Decimal

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from stdnum.pl import nip, pesel

from clubs.choices import ClubStatusChoices, EmploymentBasisChoices, PillarCodeChoices
from clubs.models import Activity, AnnualSettlement, Club, Pillar, Service, StaffPosition
from ksr_portal import roles
from ksr_portal.audit import log_bulk
from ksr_portal.changes import bulk_written
from ksr_portal.models import UserScope, UserScopeLevelChoices
from ksr_portal.workflow import recording_history
from networks.choices import MeetingKindChoices, NetworkKindChoices
from networks.models import Meeting, Network, Region
from participants.choices import (
    AttendanceStatusChoices,
    ConsentPurposeChoices,
    EnrollmentBenefitExclusionChoices,
    EnrollmentEducationLevelChoices,
    EnrollmentExitReasonChoices,
    EnrollmentLabourMarketStatusChoices,
    EnrollmentStatusChoices,
    OutcomeSituationChoices,
    ParticipantSexChoices,
    SocialContractStatusChoices,
    YesNoRefusedChoices,
)
from participants.models import (
    ActionPlan,
    Attendance,
    Consent,
    EligibilityCategory,
    Enrollment,
    EnrollmentStatusChange,
    FollowUp,
    Goal,
    Outcome,
    Participant,
    Review,
    SocialContract,
    add_months,
)
from stakeholders.choices import (
    MembershipRoleChoices,
    OrganizationLegalFormChoices,
    OrganizationStakeholderTypeChoices,
)
from stakeholders.models import Membership, Organization, ServiceOffer

DEMO_PASSWORD = "Demo-KSR-2026!"
# Every demo account's authenticator app holds this published key (base32
# JNJVELLEMVWW6LJSGAZDMLKUJ5KFAIJB, "KSR-demo-2026-TOTP!!"); `manage.py demo_code` prints its code.
DEMO_TOTP_KEY = b"KSR-demo-2026-TOTP!!".hex()
DEMO_REGION = "26"  # świętokrzyskie: the pilot region whose clubs the seeds name
DEMO_PREFIX = "[DEMO]"
# The demo's "today": fixed, so the data come out the same whenever they are generated.
DEMO_TODAY = datetime.date(2026, 11, 2)

# username: (role or None for the superuser, scope level)
DEMO_ACCOUNTS = {
    "admin": (None, UserScopeLevelChoices.NATIONAL),
    "koordynator.krajowy": (roles.NATIONAL_COORDINATOR, UserScopeLevelChoices.NATIONAL),
    "analityk": (roles.MINISTRY_ANALYST, UserScopeLevelChoices.NATIONAL),
    "rops": (roles.ROPS_STAFF, UserScopeLevelChoices.REGION),
    "animator": (roles.REGIONAL_ANIMATOR, UserScopeLevelChoices.REGION),
    "koordynator.kis": (roles.KIS_COORDINATOR, UserScopeLevelChoices.CLUB),
    "instruktor.kis": (roles.KIS_INSTRUCTOR, UserScopeLevelChoices.CLUB),
}

# PESEL adds this to the month to encode the century of birth.
PESEL_MONTH_OFFSET = {18: 80, 19: 0, 20: 20, 21: 40, 22: 60}


def make_pesel(born, male, serial=0):
    """A valid PESEL for this birth date and sex; different serials (0–4999) give different numbers."""
    month = born.month + PESEL_MONTH_OFFSET[born.year // 100]
    sex_digit = 2 * (serial // 1000 % 5) + (1 if male else 0)
    body = f"{born:%y}{month:02d}{born:%d}{serial % 1000:03d}{sex_digit}"
    return body + pesel.calc_check_digit(body)


def make_nip(n):
    """The n-th valid NIP of a series; a base whose check digit would be 10 is skipped for its neighbour."""
    for base in (f"{526000000 + 2 * n:09d}", f"{526000000 + 2 * n + 1:09d}"):
        check = nip.checksum(base + "0")  # the weighted sum mod 11 of the first nine digits
        if check < 10:
            return f"{base}{check}"
    raise AssertionError("two neighbouring bases cannot both have check digit 10")


def require_debug():
    if not settings.DEBUG:
        raise CommandError("Demo accounts and data are for development only: run with DEBUG=1.")


def demo_club():
    """The club the demo club accounts work in: the first active pilot club of the demo region."""
    club = Club.objects.filter(region__terc=DEMO_REGION, status=ClubStatusChoices.ACTIVE).order_by("pk").first()
    if club is None:
        raise CommandError("No active club in the demo region: load the pilot fixture first (loaddata pilot).")
    return club


@transaction.atomic
def create_demo_accounts():
    """Create or reset the demo accounts; returns (username, role group or '', scope) rows."""
    require_debug()
    club = demo_club()
    region = Region.objects.get(terc=DEMO_REGION)
    rows = []
    for username, (role, level) in DEMO_ACCOUNTS.items():
        user, _created = get_user_model().objects.get_or_create(username=username)
        user.is_staff = True
        user.is_active = True
        user.is_superuser = role is None
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.groups.set([roles.role_group(role)] if role else [])
        TOTPDevice.objects.update_or_create(
            user=user, defaults={"name": "Demo", "key": DEMO_TOTP_KEY, "confirmed": True, "last_t": -1}
        )
        scope = UserScope(
            user=user,
            level=level,
            region=region if level != UserScopeLevelChoices.NATIONAL else None,
            club=club if level == UserScopeLevelChoices.CLUB else None,
        )
        scope.full_clean(exclude=["user"])
        UserScope.objects.update_or_create(
            user=user, defaults={"level": scope.level, "region": scope.region, "club": scope.club}
        )
        rows.append((username, roles.role_group_name(role) if role else "superuser", str(scope)))
    return rows


FIRST_NAMES = {
    ParticipantSexChoices.FEMALE: ["Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Zofia"],
    ParticipantSexChoices.MALE: ["Jan", "Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Marek", "Stanisław"],
}
SURNAMES = {
    ParticipantSexChoices.FEMALE: ["Demo-Nowak", "Demo-Kowalska", "Demo-Wiśniewska", "Demo-Wójcik", "Demo-Kamińska"],
    ParticipantSexChoices.MALE: ["Demo-Nowak", "Demo-Kowalski", "Demo-Wiśniewski", "Demo-Wójcik", "Demo-Kamiński"],
}
# A service the demo adds to the catalogue for each pillar that has none (the Wierzbica list of the
# pilot fixture covers only the social and vocational pillars).
DEMO_SERVICES = {
    PillarCodeChoices.SOCIAL: "Trening umiejętności społecznych",
    PillarCodeChoices.VOCATIONAL: "Doradztwo zawodowe",
    PillarCodeChoices.EDUCATION: "Kurs komputerowy dla początkujących",
    PillarCodeChoices.CULTURE: "Warsztaty teatralne",
    PillarCodeChoices.HEALTH: "Profilaktyka uzależnień: spotkania grupowe",
    PillarCodeChoices.SPORT: "Zajęcia ruchowe i nordic walking",
}
# name pattern, legal form, type, pillars served
PARTNERS = [
    ("Ośrodek Pomocy Społecznej w {town}", "local_government", "B", ["social"]),
    ("Powiatowy Urząd Pracy w {town}", "public_institution", "B", ["vocational"]),
    ("Biblioteka Publiczna w {town}", "public_institution", "C", ["culture", "education"]),
    ("Klub Sportowy „Start” {town}", "association", "C", ["sport"]),
    ("Przychodnia Zdrowia w {town}", "public_institution", "C", ["health"]),
    ("Zakład Usług Komunalnych w {town}", "company", "C", ["vocational"]),
]
ATTENDANCE_STATUSES = [AttendanceStatusChoices.PRESENT, AttendanceStatusChoices.ABSENT, AttendanceStatusChoices.EXCUSED]
# status of each of a club's demo enrollments
ENROLLMENT_MIX = [
    EnrollmentStatusChoices.CANDIDATE,
    EnrollmentStatusChoices.CANDIDATE,
    EnrollmentStatusChoices.QUALIFIED,
    *[EnrollmentStatusChoices.ACTIVE] * 5,
    *[EnrollmentStatusChoices.COMPLETED] * 3,
    EnrollmentStatusChoices.DROPPED_OUT,
]


def _save(obj, **m2m):
    obj.full_clean()
    obj.save()
    for field, values in m2m.items():
        getattr(obj, field).set(values)
    return obj


# A club's posts as the annual report lists them (no names kept).
DEMO_STAFF = [
    ("kierownik klubu", EmploymentBasisChoices.EMPLOYMENT_CONTRACT, Decimal("1.00")),
    ("instruktor zawodu", EmploymentBasisChoices.CIVIL_LAW_CONTRACT, Decimal("0.50")),
    ("psycholog", EmploymentBasisChoices.CIVIL_LAW_CONTRACT, Decimal("0.25")),
    ("pracownik socjalny", EmploymentBasisChoices.SECONDMENT, Decimal("0.50")),
    ("wolontariusz", EmploymentBasisChoices.VOLUNTEER, Decimal("0.20")),
]


class DemoData:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.pillars = {p.code: p for p in Pillar.objects.all()}
        self.categories = list(EligibilityCategory.objects.order_by("code"))
        self.national = Network.objects.filter(kind=NetworkKindChoices.NATIONAL).first()
        self.serial = 0
        self.services = self._services()

    def _services(self):
        for code, name in DEMO_SERVICES.items():
            if not Service.objects.filter(pillar__code=code, is_active=True).exists():
                _save(Service(pillar=self.pillars[code], name=name, description="Usługa z danych demonstracyjnych."))
        by_pillar = {}
        for service in Service.objects.filter(is_active=True).select_related("pillar").order_by("pk"):
            by_pillar.setdefault(service.pillar.code, []).append(service)
        return by_pillar

    def day(self, start, end):
        return start + datetime.timedelta(days=self.rng.randrange((end - start).days + 1))

    def generate(self, clubs):
        counts = {"clubs": 0, "organisations": 0, "participants": 0, "activities": 0, "attendance": 0}
        for club in clubs:
            partners = self.network(club, counts)
            enrollments = self.participants(club, counts)
            self.activities(club, partners, enrollments, counts)
            self.staff_and_settlements(club, counts)
            counts["clubs"] += 1
        return counts

    def staff_and_settlements(self, club, counts):
        """The club's staff posts this year and last, the subsidy of both, and last year's report filed
        (or not: a few clubs are late, so the region's list of submissions has gaps)."""
        today = timezone.localdate()
        this_year = today.year
        for year in (this_year - 1, this_year):
            for position, basis, fte in DEMO_STAFF:
                _save(StaffPosition(club=club, year=year, position=position, employment_basis=basis, fte=fte))
            granted = Decimal(self.rng.randrange(80, 160) * 1000)
            settled = year < this_year
            spent = (granted * Decimal(self.rng.randrange(88, 100)) / 100).quantize(Decimal("0.01"))
            filed = datetime.date(year + 1, 3, 20 + counts["clubs"] % 10)
            if not settled or counts["clubs"] % 3 == 2 or filed > today:
                filed = None
            _save(
                AnnualSettlement(
                    club=club,
                    year=year,
                    subsidy_granted=granted,
                    subsidy_granted_on=datetime.date(year, 1, 15),
                    subsidy_spent=spent if settled else (granted * Decimal("0.8")).quantize(Decimal("0.01")),
                    subsidy_returned=granted - spent if settled else 0,
                    subsidy_returned_on=datetime.date(year + 1, 1, 25) if settled and granted > spent else None,
                    submitted_on=filed,
                )
            )

    def regional_network(self, region):
        network = Network.objects.filter(kind=NetworkKindChoices.REGIONAL, region=region).first()
        if network is None:
            network = _save(
                Network(
                    kind=NetworkKindChoices.REGIONAL,
                    name=f"Regionalna Sieć Reintegracji – województwo {region.name}",
                    region=region,
                    parent=self.national,
                )
            )
        return network

    def network(self, club, counts):
        town = club.municipality.name
        network = _save(
            Network(
                kind=NetworkKindChoices.LOCAL,
                name=f"{DEMO_PREFIX} Lokalna Sieć Reintegracji – {club.name}",
                region=club.region,
                parent=self.regional_network(club.region),
                hub_club=club,
                established_on=datetime.date(2019, 10, 1),
            )
        )
        joined = datetime.date(2019, 10, 15)
        if club.operator_id:
            _save(
                Membership(
                    organization=club.operator, network=network, role=MembershipRoleChoices.HUB, joined_on=joined
                )
            )
        partners = []
        for i, (pattern, legal_form, kind, pillar_codes) in enumerate(PARTNERS):
            # Some networks lack some type-C partners, so the coverage matrix has gaps to show.
            if kind == OrganizationStakeholderTypeChoices.C and self.rng.random() < 0.35:
                continue
            organization = _save(
                Organization(
                    name=f"{DEMO_PREFIX} {pattern.format(town=town)}",
                    legal_form=OrganizationLegalFormChoices(legal_form),
                    stakeholder_type=kind,
                    nip=make_nip(1_000_000 + club.pk * 10 + i),  # a series of its own, apart from tests
                    region=club.region,
                    municipality=club.municipality,
                    town=town,
                ),
                pillars=[self.pillars[c] for c in pillar_codes],
            )
            signed = self.day(joined, datetime.date(2024, 12, 31))
            _save(
                Membership(
                    organization=organization,
                    network=network,
                    role=MembershipRoleChoices.MEMBER,
                    joined_on=signed,
                    agreement_signed_on=signed,
                    agreement_valid_until=signed + datetime.timedelta(days=3 * 365),
                ),
                agreement_pillars=[self.pillars[c] for c in pillar_codes],
            )
            if kind == OrganizationStakeholderTypeChoices.C:
                _save(
                    ServiceOffer(
                        organization=organization,
                        network=network,
                        service=self.services[pillar_codes[0]][0],
                        capacity=self.rng.choice([5, 10, 15]),
                        valid_from=signed,
                    )
                )
            partners.append(organization)
            counts["organisations"] += 1
        for held_on, kind, topic in [
            (joined, MeetingKindChoices.FOUNDING, "Zawiązanie lokalnej sieci reintegracji"),
            (datetime.date(2025, 3, 12), MeetingKindChoices.WORKING, "Oferta usług partnerów typu C"),
            (datetime.date(2026, 5, 20), MeetingKindChoices.WORKING, "Przegląd ścieżek uczestników"),
        ]:
            attending = [club.operator] if club.operator_id else []
            _save(
                Meeting(network=network, held_on=held_on, kind=kind, topic=topic),
                attending_organizations=attending + self.rng.sample(partners, k=min(3, len(partners))),
            )
        return partners

    def participants(self, club, counts):
        enrollments = []
        for status in ENROLLMENT_MIX:
            sex = self.rng.choice([ParticipantSexChoices.FEMALE, ParticipantSexChoices.MALE])
            born = self.day(datetime.date(1962, 1, 1), datetime.date(2004, 12, 31))
            self.serial += 1
            participant = _save(
                Participant(
                    first_name=self.rng.choice(FIRST_NAMES[sex]),
                    last_name=self.rng.choice(SURNAMES[sex]),
                    pesel=make_pesel(born, male=sex == ParticipantSexChoices.MALE, serial=self.serial),
                    birth_date=born,
                    sex=sex,
                    municipality=club.municipality,
                )
            )
            enrollments.append(self.enrollment(club, participant, status))
            counts["participants"] += 1
        return enrollments

    def enrollment(self, club, participant, status):
        S = EnrollmentStatusChoices
        open_ = status in (S.CANDIDATE, S.QUALIFIED, S.ACTIVE)
        if open_:
            applied = self.day(datetime.date(2025, 9, 1), DEMO_TODAY - datetime.timedelta(days=20))
        else:
            applied = self.day(datetime.date(2024, 9, 1), datetime.date(2025, 6, 30))
        labour = self.rng.choice(EnrollmentLabourMarketStatusChoices.values)
        enrollment = Enrollment(
            participant=participant,
            club=club,
            status=status,
            referred_on=applied - datetime.timedelta(days=7),
            applied_on=applied,
            benefit_exclusion=EnrollmentBenefitExclusionChoices.NONE,
            education_level=self.rng.choice(EnrollmentEducationLevelChoices.values[:4]),
            labour_market_status=labour,
            long_term_unemployed=labour == EnrollmentLabourMarketStatusChoices.UNEMPLOYED_REGISTERED,
            minority_or_migrant=YesNoRefusedChoices.NO,
            homeless=self.rng.choice([YesNoRefusedChoices.NO, YesNoRefusedChoices.YES]),
            disability=self.rng.choice([YesNoRefusedChoices.NO, YesNoRefusedChoices.REFUSED]),
        )
        if status != S.CANDIDATE:
            enrollment.qualified_on = applied + datetime.timedelta(days=5)
        if status not in (S.CANDIDATE, S.QUALIFIED):
            enrollment.started_on = applied + datetime.timedelta(days=10)
        if not open_:
            enrollment.exit_on = enrollment.started_on + datetime.timedelta(days=self.rng.randrange(120, 300))
            if status == S.COMPLETED:
                enrollment.exit_reason = self.rng.choice(
                    [EnrollmentExitReasonChoices.PLAN_COMPLETED, EnrollmentExitReasonChoices.EMPLOYMENT]
                )
                enrollment.certificate_number = f"DEMO/{club.pk}/{self.serial}/{enrollment.exit_on.year}"
                enrollment.certificate_issued_on = enrollment.exit_on
            else:
                enrollment.exit_reason = EnrollmentExitReasonChoices.OWN_DECISION
        categories = self.rng.sample(self.categories, k=self.rng.choice([1, 1, 2])) if self.categories else []
        enrollment.categories_to_save = categories
        _save(enrollment, eligibility_categories=categories)
        steps = [(S.CANDIDATE, S.QUALIFIED, enrollment.qualified_on), (S.QUALIFIED, S.ACTIVE, enrollment.started_on)]
        if not open_:
            steps.append((S.ACTIVE, status, enrollment.exit_on))
        changes = EnrollmentStatusChange.objects.bulk_create(
            EnrollmentStatusChange(enrollment=enrollment, from_status=a, to_status=b, changed_on=on)
            for a, b, on in steps
            if on
        )
        log_bulk(EnrollmentStatusChange, [c.pk for c in changes], LogEntry.Action.CREATE)
        _save(Consent(participant=participant, purpose=ConsentPurposeChoices.PROCESSING, given_on=applied))
        if enrollment.started_on:
            self.plan_and_contract(enrollment)
        if status == S.COMPLETED:
            self.outcome(enrollment)
        return enrollment

    def plan_and_contract(self, enrollment):
        started = enrollment.started_on
        plan = _save(
            ActionPlan(
                enrollment=enrollment,
                drawn_up_on=started,
                resources="Motywacja do zmiany, wsparcie rodziny.",
                barriers="Długotrwała bierność zawodowa, brak aktualnych kwalifikacji.",
            )
        )
        third = self.rng.choice([PillarCodeChoices.CULTURE, PillarCodeChoices.HEALTH, PillarCodeChoices.SPORT])
        for code, description in [
            (PillarCodeChoices.SOCIAL, "Odbudowa umiejętności społecznych i regularnej aktywności."),
            (PillarCodeChoices.VOCATIONAL, "Przygotowanie do podjęcia zatrudnienia."),
            (third, "Udział w zajęciach partnera lokalnej sieci."),
        ]:
            _save(
                Goal(
                    plan=plan,
                    pillar=self.pillars[code],
                    description=description,
                    target_date=started + datetime.timedelta(days=180),
                ),
                planned_services=self.services.get(code, [])[:1],
            )
        if started + datetime.timedelta(days=90) <= (enrollment.exit_on or DEMO_TODAY):
            reviewed = started + datetime.timedelta(days=90)
            _save(
                Review(
                    plan=plan,
                    reviewed_on=reviewed,
                    progress="Regularny udział w zajęciach, postępy w celach społecznych.",
                    next_review_on=reviewed + datetime.timedelta(days=90),
                )
            )
        _save(
            SocialContract(
                enrollment=enrollment,
                number=f"DEMO/KS/{enrollment.pk}/{started.year}",
                social_worker="pracownik socjalny OPS",
                valid_from=started,
                valid_until=started + datetime.timedelta(days=365),
                status=SocialContractStatusChoices.SIGNED
                if enrollment.status == EnrollmentStatusChoices.ACTIVE
                else SocialContractStatusChoices.COMPLETED,
                signed_on=started,
            )
        )

    def outcome(self, enrollment):
        employed = enrollment.exit_reason == EnrollmentExitReasonChoices.EMPLOYMENT
        outcome = _save(
            Outcome(
                enrollment=enrollment,
                recorded_on=enrollment.exit_on,
                situation=OutcomeSituationChoices.EMPLOYED if employed else OutcomeSituationChoices.JOB_SEEKING,
                social_reintegration_achieved=True,
                vocational_reintegration_achieved=employed,
            )
        )
        checked = add_months(enrollment.exit_on, 6)
        if checked <= DEMO_TODAY:
            _save(
                FollowUp(
                    outcome=outcome,
                    months_after=6,
                    checked_on=checked,
                    situation=self.rng.choice([OutcomeSituationChoices.EMPLOYED, OutcomeSituationChoices.JOB_SEEKING]),
                )
            )

    def activities(self, club, partners, enrollments, counts):
        """Two activities a week over the last year, attended by those active at the time."""
        providers = [club.operator] if club.operator_id else []
        providers += [p for p in partners if p.stakeholder_type == OrganizationStakeholderTypeChoices.C]
        providers = providers or partners
        attendance = []
        week = datetime.date(2025, 11, 3)
        while week < DEMO_TODAY:
            for weekday, start in ((1, datetime.time(10)), (3, datetime.time(12))):
                held_on = week + datetime.timedelta(days=weekday)
                code = self.rng.choice(list(self.services))
                service = self.rng.choice(self.services[code])
                activity = _save(
                    Activity(
                        club=club,
                        service=service,
                        provider=self.rng.choice(providers),
                        title=service.name,
                        held_on=held_on,
                        start_time=start,
                        hours=self.rng.choice([2, 3, 4]),
                        location="siedziba klubu",
                    )
                )
                counts["activities"] += 1
                for enrollment in enrollments:
                    if enrollment.started_on and enrollment.started_on <= held_on <= (enrollment.exit_on or DEMO_TODAY):
                        status = self.rng.choices(
                            [
                                AttendanceStatusChoices.PRESENT,
                                AttendanceStatusChoices.ABSENT,
                                AttendanceStatusChoices.EXCUSED,
                            ],
                            weights=[8, 1, 1],
                        )[0]
                        attendance.append(Attendance(activity=activity, enrollment=enrollment, status=status))
            week += datetime.timedelta(days=7)
        created = Attendance.objects.bulk_create(attendance)
        log_bulk(Attendance, [a.pk for a in created], LogEntry.Action.CREATE)
        bulk_written(Activity, {a.activity_id for a in created})
        counts["attendance"] += len(attendance)


@transaction.atomic
def generate_demo_data(seed=2026):
    """Demo networks, partners, participants and activities for every active pilot club; once only."""
    require_debug()
    if Organization.objects.filter(name__startswith=DEMO_PREFIX).exists():
        return None
    clubs = Club.objects.filter(is_pilot=True, status=ClubStatusChoices.ACTIVE).select_related(
        "region", "municipality", "operator"
    )
    clubs = [c for c in clubs.order_by("pk") if c.municipality_id]
    if not clubs:
        raise CommandError("No active pilot club: load the pilot fixture first (loaddata pilot).")
    # The demo people's stays are written as they stand, not walked through each transition.
    with recording_history():
        return DemoData(seed).generate(clubs)
