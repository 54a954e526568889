"""Synthetic data at the size of a region or the whole country, for measuring the portal.

The pilot scale is the demo data of `demo.pilot` (every object validated one by one). The
region and national scales add invented clubs, partners and participants around them with bulk
inserts, consistent with the model's rules by construction: valid PESEL numbers, dates in order,
statuses with their dates, attendance only of people active in the club on the activity's day, a
plan and a social contract for everyone qualified, a review of every active plan, an outcome of every exit.
Everything invented is marked ("[SYNT]" names, "Synt-" surnames) and the same seed gives the same data.
"""

import bisect
import datetime
import random
import time
from dataclasses import dataclass

from django.db import connection, transaction

from clubs.choices import ClubStatusChoices
from clubs.models import Activity, Club, Pillar, Service
from ksr_portal.changes import bulk_written
from networks.choices import NetworkKindChoices
from networks.models import County, Municipality, Network, Region
from participants.choices import (
    EnrollmentExitReasonChoices,
    EnrollmentStatusChoices,
    OutcomeSituationChoices,
    SocialContractStatusChoices,
)
from participants.models import (
    ActionPlan,
    Attendance,
    EligibilityCategory,
    Enrollment,
    Outcome,
    Participant,
    Review,
    SocialContract,
)
from stakeholders.models import Membership, Organization

from .pilot import DEMO_TODAY, generate_demo_data, make_nip, make_pesel, require_debug


@dataclass(frozen=True)
class Scale:
    regions: int
    municipalities: int
    clubs: int
    organizations: int
    participants: int
    enrollments: int
    activities: int
    attendance: int


SCALES = {
    "region": Scale(1, 160, 25, 1_250, 15_600, 18_750, 62_500, 312_500),
    "national": Scale(16, 2_500, 400, 20_000, 250_000, 300_000, 1_000_000, 5_000_000),
}
BATCH = 20_000
S = EnrollmentStatusChoices
C = SocialContractStatusChoices


def chunks(items, size=BATCH):
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def spread(total, room):
    """`total` shared out as evenly as each one's `room` allows."""
    shares = dict.fromkeys(room, 0)
    left, open_ = total, [key for key in room if room[key]]
    while left and open_:
        each = max(1, left // len(open_))
        for key in open_:
            given = min(each, room[key] - shares[key], left)
            shares[key] += given
            left -= given
        open_ = [key for key in open_ if shares[key] < room[key]]
    return shares


class Synthetic:
    def __init__(self, scale, seed, progress):
        self.scale, self.rng, self.progress = SCALES[scale], random.Random(seed), progress
        self.start = time.monotonic()

    def say(self, what, count):
        self.progress(f"{time.monotonic() - self.start:7.1f} s  {what}: {count:,}")

    def insert(self, model, objects, what):
        total = 0
        for batch in chunks(objects):
            model.objects.bulk_create(batch, batch_size=2_000)
            total += len(batch)
        self.say(what, total)

    def day(self, start, end):
        return start + datetime.timedelta(days=self.rng.randrange(max((end - start).days, 1)))

    def generate(self):
        s = self.scale
        regions = list(
            Region.objects.order_by("terc")[: s.regions] if s.regions > 1 else Region.objects.filter(terc="26")
        )
        national = Network.objects.filter(kind=NetworkKindChoices.NATIONAL).first()
        # Places: synthetic counties (codes 70–99 are not used by GUS) and municipalities.
        counties, municipalities = [], []
        per_region = s.municipalities // len(regions)
        for region in regions:
            for c in range(per_region // 20 + 1):
                counties.append(County(terc=f"{region.terc}{70 + c:02d}", name=f"[SYNT] powiat {c + 1}", region=region))
        self.insert(County, counties, "counties")
        by_region = {}
        for county in counties:
            by_region.setdefault(county.region_id, []).append(county)
        for region in regions:
            for m in range(per_region):
                county = by_region[region.pk][m // 20]
                kind = self.rng.choice("123")
                municipalities.append(
                    Municipality(
                        terc=f"{county.terc}{m % 20 + 1:02d}{kind}",
                        name=f"[SYNT] gmina {region.terc}-{m + 1}",
                        kind=kind,
                        county=county,
                        region=region,
                        degurba=self.rng.choice("123"),
                    )
                )
        self.insert(Municipality, municipalities, "municipalities")
        places = {}
        for municipality in Municipality.objects.filter(name__startswith="[SYNT]").only("pk", "region_id"):
            places.setdefault(municipality.region_id, []).append(municipality.pk)
        # Partners and clubs.
        organizations = [
            Organization(
                name=f"[SYNT] Organizacja {n + 1}",
                legal_form=self.rng.choice(["association", "foundation", "public_institution", "local_government"]),
                stakeholder_type=self.rng.choice("AABBCCC"),
                nip=make_nip(2_000_000 + n),
                region=regions[n % len(regions)],
                municipality_id=self.rng.choice(places[regions[n % len(regions)].pk]),
            )
            for n in range(s.organizations)
        ]
        self.insert(Organization, organizations, "organisations")
        operators = {}
        for pk, region_id in Organization.objects.filter(name__startswith="[SYNT]").values_list("pk", "region_id"):
            operators.setdefault(region_id, []).append(pk)
        clubs = [
            Club(
                name=f"[SYNT] Klub Integracji Społecznej nr {n + 1}",
                kind=self.rng.choice(["kis", "kis", "cis"]),
                region=regions[n % len(regions)],
                municipality_id=self.rng.choice(places[regions[n % len(regions)].pk]),
                operator_id=self.rng.choice(operators[regions[n % len(regions)].pk]),
                registry_number=f"SYNT/{n + 1:04d}",
                created_on=datetime.date(2018, 1, 1),
                activity_started_on=datetime.date(2018, 3, 1),
                status=ClubStatusChoices.ACTIVE,
                under_mayor_auspices=self.rng.random() < 0.6,
            )
            for n in range(s.clubs)
        ]
        self.insert(Club, clubs, "clubs")
        clubs = list(Club.objects.filter(name__startswith="[SYNT]").only("pk", "region_id", "operator_id"))
        regional = {n.region_id: n for n in Network.objects.filter(kind=NetworkKindChoices.REGIONAL)}
        missing = [r for r in regions if r.pk not in regional]
        for region in missing:
            regional[region.pk] = Network.objects.create(
                kind=NetworkKindChoices.REGIONAL, name=f"[SYNT] RSR {region.name}", region=region, parent=national
            )
        self.insert(
            Network,
            (
                Network(
                    kind=NetworkKindChoices.LOCAL,
                    name=f"[SYNT] LSR {club.pk}",
                    region_id=club.region_id,
                    parent=regional[club.region_id],
                    hub_club=club,
                )
                for club in clubs
            ),
            "local networks",
        )
        lsrs = list(Network.objects.filter(name__startswith="[SYNT] LSR").values_list("pk", "region_id"))
        self.insert(
            Membership,
            (
                Membership(network_id=lsr, organization_id=org, joined_on=datetime.date(2019, 1, 1))
                for lsr, region_id in lsrs
                for org in self.rng.sample(operators[region_id], k=min(8, len(operators[region_id])))
            ),
            "memberships",
        )
        self.people(clubs, places)

    def people(self, clubs, places):
        s = self.scale
        serials = {}
        born_from, born_to = datetime.date(1960, 1, 1), datetime.date(2005, 12, 31)

        def person(n):
            born = self.day(born_from, born_to)
            male = self.rng.random() < 0.55
            serial = serials[born] = serials.get(born, -1) + 1
            return Participant(
                first_name=self.rng.choice(["Anna", "Maria", "Ewa", "Jan", "Piotr", "Adam", "Zofia", "Marek"]),
                last_name=f"Synt-{n % 5000:04d}",
                pesel=make_pesel(born, male, serial=serial + 1000),
                birth_date=born,
                sex="male" if male else "female",
                municipality_id=self.rng.choice(places[self.rng.choice(list(places))]),
            )

        self.insert(Participant, (person(n) for n in range(s.participants)), "participants")
        people = list(Participant.objects.filter(last_name__startswith="Synt-").values_list("pk", "birth_date"))
        start, end = datetime.date(2021, 1, 1), DEMO_TODAY
        windows = {}  # enrollment key -> (club, started, exit)

        def enrollment(n):
            person_pk, born = people[n % len(people)]
            # A person's later enrollments land in other clubs: one open enrollment per person and club.
            club = clubs[((n % len(people)) * 7 + (n // len(people)) * 13) % len(clubs)]
            applied = self.day(start, end - datetime.timedelta(days=30))
            started = applied + datetime.timedelta(days=10)
            roll = self.rng.random()
            status, exit_on, reason = S.ACTIVE, None, ""
            if started > end:
                status, started = S.CANDIDATE, None
            elif roll < 0.55:
                exit_on = min(started + datetime.timedelta(days=self.rng.randrange(90, 360)), end)
                status, reason = (
                    (S.COMPLETED, EnrollmentExitReasonChoices.PLAN_COMPLETED)
                    if roll < 0.4
                    else (S.DROPPED_OUT, EnrollmentExitReasonChoices.OWN_DECISION)
                )
            elif roll < 0.62:
                status, started = S.CANDIDATE, None
            windows[n] = (club.pk, started, exit_on or end) if started else None
            age = applied.year - born.year - ((applied.month, applied.day) < (born.month, born.day))
            return Enrollment(
                participant_id=person_pk,
                club_id=club.pk,
                status=status,
                applied_on=applied,
                qualified_on=applied + datetime.timedelta(days=5) if status != S.CANDIDATE else None,
                started_on=started,
                exit_on=exit_on,
                exit_reason=reason,
                age_on_entry=age,
                benefit_exclusion="none",
                education_level=self.rng.choice(["isced_1", "isced_2", "isced_3", "isced_4"]),
                labour_market_status=self.rng.choice(["unemployed_registered", "inactive", "unemployed_unregistered"]),
            )

        # One open enrollment per person and club: the second enrollments go to other clubs.
        self.insert(Enrollment, (enrollment(n) for n in range(s.enrollments)), "enrollments")
        enrollment_pks = list(
            Enrollment.objects.filter(participant__last_name__startswith="Synt-")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        # A qualified person has an art. 1 category; the long-term unemployed (point 5) are the most.
        categories = list(EligibilityCategory.objects.values_list("pk", flat=True))
        qualified = Enrollment.objects.filter(participant__last_name__startswith="Synt-", qualified_on__isnull=False)
        through = Enrollment.eligibility_categories.through
        self.insert(
            through,
            (
                through(enrollment_id=pk, eligibilitycategory_id=self.rng.choice(categories))
                for pk in qualified.order_by("pk").values_list("pk", flat=True).iterator()
            ),
            "art. 1 categories",
        )
        services = list(Service.objects.values_list("pk", flat=True)) or [
            Service.objects.create(pillar=Pillar.objects.first(), name="[SYNT] usługa").pk
        ]
        per_club = s.activities // len(clubs)
        span = (end - start).days

        def activity(n):
            club = clubs[n // per_club % len(clubs)]
            return Activity(
                club_id=club.pk,
                service_id=self.rng.choice(services),
                provider_id=club.operator_id,
                title=f"[SYNT] zajęcia {n % 50}",
                held_on=start + datetime.timedelta(days=(n % per_club) * span // per_club),
                hours=self.rng.choice([2, 3, 4]),
            )

        self.insert(Activity, (activity(n) for n in range(per_club * len(clubs))), "activities")
        by_club = {}
        for pk, club_id, held_on in (
            Activity.objects.filter(title__startswith="[SYNT]")
            .order_by("held_on")
            .values_list("pk", "club_id", "held_on")
        ):
            dates, pks = by_club.setdefault(club_id, ([], []))
            dates.append(held_on)
            pks.append(pk)
        stays = {}  # an enrollment: its club's activities, the first and past the last one of its stay
        for n, pk in enumerate(enrollment_pks):
            if windows.get(n):
                club_id, started, until = windows[n]
                dates, pks = by_club.get(club_id, ([], []))
                stays[pk] = (pks, bisect.bisect_left(dates, started), bisect.bisect_right(dates, until))
        shares = spread(s.attendance, {pk: high - low for pk, (_pks, low, high) in stays.items()})

        def attendance():
            for pk, (pks, low, high) in stays.items():
                for index in self.rng.sample(range(low, high), k=shares[pk]):
                    status = "present" if self.rng.random() < 0.8 else self.rng.choice(["absent", "excused"])
                    yield Attendance(activity_id=pks[index], enrollment_id=pk, status=status)

        self.insert(Attendance, attendance(), "attendance")
        self.plans_and_contracts(end)

    def plans_and_contracts(self, end):
        """Each qualified person's plan and social contract, a review of each plan, an outcome of each exit."""
        enrollments = list(
            Enrollment.objects.filter(participant__last_name__startswith="Synt-")
            .exclude(status=S.CANDIDATE)
            .order_by("pk")
            .values_list("pk", "status", "qualified_on", "started_on", "exit_on")
        )
        plans = (ActionPlan(enrollment_id=pk, drawn_up_on=qualified) for pk, _s, qualified, _st, _ex in enrollments)
        self.insert(ActionPlan, plans, "action plans")
        contract_status = {S.ACTIVE: C.SIGNED, S.COMPLETED: C.COMPLETED, S.DROPPED_OUT: C.TERMINATED}

        def contract(pk, status, started, exit_on):
            return SocialContract(
                enrollment_id=pk,
                number=f"SYNT/{pk}",
                valid_from=started,
                valid_until=started + datetime.timedelta(days=self.rng.choice([90, 180, 365])),
                status=contract_status[status],
                signed_on=started,
                termination_reason="[SYNT] rezygnacja" if status == S.DROPPED_OUT else "",
            )

        contracts = (contract(pk, status, started, exit_on) for pk, status, _q, started, exit_on in enrollments)
        self.insert(SocialContract, contracts, "social contracts")
        active_plans = ActionPlan.objects.filter(
            enrollment__participant__last_name__startswith="Synt-", enrollment__status=S.ACTIVE
        ).values_list("pk", "drawn_up_on")

        def review(pk, drawn_up_on):
            reviewed_on = min(drawn_up_on + datetime.timedelta(days=91), end)
            return Review(
                plan_id=pk,
                reviewed_on=reviewed_on,
                progress="[SYNT] postępy zgodne z planem",
                next_review_on=reviewed_on + datetime.timedelta(days=self.rng.randrange(1, 120)),
            )

        self.insert(Review, (review(pk, drawn_up_on) for pk, drawn_up_on in active_plans.iterator()), "reviews")
        situations = OutcomeSituationChoices.values
        outcomes = (
            Outcome(
                enrollment_id=pk,
                recorded_on=exit_on,
                situation=self.rng.choice(situations),
                social_reintegration_achieved=self.rng.random() < 0.6,
                vocational_reintegration_achieved=self.rng.random() < 0.3,
            )
            for pk, status, _q, _s, exit_on in enrollments
            if exit_on
        )
        self.insert(Outcome, outcomes, "outcomes")


def generate(scale, seed=2026, progress=print):
    """Demo data (pilot scale), then for region or national scale the bulk data around it."""
    require_debug()
    counts = generate_demo_data(seed)
    if scale != "pilot":
        if Club.objects.filter(name__startswith="[SYNT]").exists():
            progress("Synthetic data already present; nothing added.")
        else:
            with transaction.atomic():
                Synthetic(scale, seed, progress).generate()
                bulk_written(Participant)
            # Fresh statistics, or the planner guesses from an empty database after a bulk load.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    return counts
