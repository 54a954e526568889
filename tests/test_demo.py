"""Demo accounts and data: development only, deterministic, valid, idempotent, and scoped like real data."""

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse

from clubs.models import Activity, Club
from demo.pilot import DEMO_ACCOUNTS, DEMO_PASSWORD, ENROLLMENT_MIX, create_demo_accounts, generate_demo_data
from ksr_portal import roles
from participants.models import Attendance, Enrollment, Participant
from stakeholders.models import Organization

from .factories import ClubFactory, NationalNetworkFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilot(settings):
    settings.DEBUG = True
    NationalNetworkFactory()
    swietokrzyskie = RegionFactory(terc="26")
    clubs = [ClubFactory(region=swietokrzyskie, is_pilot=True) for _ in range(2)]
    clubs.append(ClubFactory(region=RegionFactory(terc="24"), is_pilot=True))
    ClubFactory(region=swietokrzyskie, is_pilot=False)  # not a pilot club: left without demo data
    return clubs


@pytest.mark.parametrize("command", ["create_demo_accounts", "generate_synthetic"])
def test_demo_commands_refuse_to_run_without_debug(settings, command):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command(command)


def test_demo_accounts_one_per_role_scoped_to_the_demo_region_and_club(pilot):
    create_demo_accounts()
    create_demo_accounts()  # again: resets, never duplicates
    from django.contrib.auth.models import User

    users = {u.username: u for u in User.objects.select_related("scope")}
    assert set(users) == set(DEMO_ACCOUNTS)
    assert users["admin"].is_superuser
    assert [g.name for g in users["koordynator.kis"].groups.all()] == [roles.role_group_name(roles.KIS_COORDINATOR)]
    assert users["koordynator.kis"].scope.club == pilot[0]
    assert users["instruktor.kis"].scope.club == pilot[0]
    assert users["rops"].scope.region.terc == "26" and users["rops"].scope.club is None
    assert users["analityk"].scope.level == "national"


def test_demo_account_logs_in_with_the_published_password(client, pilot):
    create_demo_accounts()
    response = client.post(reverse("admin:login"), {"username": "koordynator.kis", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def fingerprint():
    return sorted(Participant.objects.values_list("pesel", "last_name")), Attendance.objects.count()


def test_demo_data_is_deterministic_valid_and_generated_once(pilot):
    with transaction.atomic():
        counts = generate_demo_data()
        first = fingerprint()
        transaction.set_rollback(True)
    assert generate_demo_data() == counts
    assert fingerprint() == first
    assert generate_demo_data() is None  # already there: nothing changes
    assert fingerprint() == first

    assert counts["clubs"] == 3
    assert counts["participants"] == 3 * len(ENROLLMENT_MIX)
    assert not Enrollment.objects.filter(club=Club.objects.get(is_pilot=False)).exists()
    assert not Participant.objects.exclude(last_name__startswith="Demo-").exists()
    assert Organization.objects.filter(name__startswith="[DEMO]").count() == counts["organisations"]
    assert Activity.objects.count() == counts["activities"]
    # Bulk-created attendance still obeys the model's rule: only the activity's own club's participants.
    for attendance in Attendance.objects.select_related("activity", "enrollment")[:500]:
        attendance.full_clean()
        assert attendance.enrollment.started_on <= attendance.activity.held_on


def test_demo_coordinator_sees_only_the_demo_clubs_participants(client, pilot):
    create_demo_accounts()
    generate_demo_data()
    client.post(reverse("admin:login"), {"username": "koordynator.kis", "password": DEMO_PASSWORD})
    page = client.get(reverse("admin:participants_participant_changelist"))
    assert page.status_code == 200
    assert page.context["cl"].result_count == len(ENROLLMENT_MIX)
    other_club = Participant.objects.filter(enrollments__club=pilot[1]).first()
    url = reverse("admin:participants_participant_change", args=[other_club.pk])
    assert client.get(url).status_code == 404


def test_synthetic_data_at_a_larger_scale_obeys_every_rule(pilot, monkeypatch):
    from demo import synthetic
    from participants.models import ActionPlan, Enrollment, Outcome, Review, SocialContract

    monkeypatch.setitem(synthetic.SCALES, "region", synthetic.Scale(1, 6, 3, 12, 40, 50, 90, 400))
    synthetic.generate("region", progress=lambda line: None)
    clubs = Club.objects.filter(name__startswith="[SYNT]")
    assert clubs.count() == 3
    people = Participant.objects.filter(last_name__startswith="Synt-")
    assert people.count() == 40 and people.values("pesel").distinct().count() == 40
    for person in people[:10]:
        person.full_clean()
    for enrollment in Enrollment.objects.filter(club__in=clubs).select_related("participant", "club")[:50]:
        enrollment.full_clean()
    assert Activity.objects.filter(club__in=clubs).count() == 90
    attendance = Attendance.objects.filter(activity__club__in=clubs).select_related("activity", "enrollment")
    assert attendance.count() == 400  # the scale's figure, though some people stay too briefly for their share
    for row in attendance:
        assert row.enrollment.club_id == row.activity.club_id
        assert row.enrollment.was_active_on(row.activity.held_on)
    enrollments = Enrollment.objects.filter(club__in=clubs)
    qualified = enrollments.exclude(status="candidate")
    assert ActionPlan.objects.filter(enrollment__in=enrollments).count() == qualified.count() > 0
    assert SocialContract.objects.filter(enrollment__in=enrollments).count() == qualified.count()
    assert Outcome.objects.filter(enrollment__in=enrollments).count() == enrollments.exclude(exit_on=None).count() > 0
    assert Review.objects.filter(plan__enrollment__in=enrollments.filter(status="active")).exists()
    for model, path in [(ActionPlan, "enrollment"), (SocialContract, "enrollment"), (Outcome, "enrollment")]:
        for row in model.objects.filter(**{f"{path}__in": enrollments}):
            row.full_clean()
    for review in Review.objects.filter(plan__enrollment__in=enrollments):
        review.full_clean()
    synthetic.generate("region", progress=lambda line: None)  # again: nothing added
    assert Club.objects.filter(name__startswith="[SYNT]").count() == 3
