"""The participant's journey pages: registration without duplicates, attendance sheet, certificate,
worklist, timeline, and plan revisions."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from clubs.models import Activity, Pillar
from demo.pilot import make_pesel
from ksr_portal import roles
from ksr_portal.models import UserScope
from participants.choices import AttendanceStatusChoices, EnrollmentStatusChoices, GoalStatusChoices
from participants.journey import hours_by_pillar
from participants.models import Attendance, Enrollment, Goal, GoalProgress, Participant

from . import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
PRESENT, ABSENT, EXCUSED = (
    AttendanceStatusChoices.PRESENT,
    AttendanceStatusChoices.ABSENT,
    AttendanceStatusChoices.EXCUSED,
)


def staff(club, role=roles.KIS_COORDINATOR):
    user = f.UserFactory(is_staff=True)
    user.groups.add(roles.role_group(role))
    UserScope.objects.create(user=user, level="club", club=club, region=club.region)
    return user


def active_enrollment(club, started=TODAY - 60 * DAY, **kwargs):
    return f.EnrollmentFactory(
        club=club, applied_on=started - 10 * DAY, qualified_on=started - 5 * DAY, started_on=started, **kwargs
    )


# --- registration ---------------------------------------------------------------------------------


@pytest.fixture
def club():
    return f.ClubFactory()


def registration(**overrides):
    data = {
        "pesel": "",
        "first_name": "Jan",
        "last_name": "Rejestrowany",
        "birth_date": "1980-05-17",
        "sex": "male",
        "applied_on": TODAY.isoformat(),
        "consent_given_on": TODAY.isoformat(),
    }
    return data | overrides


def test_a_new_person_is_registered_and_enrolled_as_candidate_with_consent(client, club):
    client.force_login(staff(club))
    pesel = make_pesel(datetime.date(1980, 5, 17), male=True, serial=7)
    response = client.post(reverse("participants:register"), registration(pesel=pesel, birth_date=""))
    person = Participant.objects.get(pesel=pesel)
    enrollment = person.enrollments.get()
    # Registration leads to the new stay's case file, which says what comes next.
    assert response.status_code == 302 and response["Location"] == reverse(
        "participants:case_file", args=[enrollment.pk]
    )
    assert (enrollment.club, enrollment.status) == (club, EnrollmentStatusChoices.CANDIDATE)
    assert person.birth_date == datetime.date(1980, 5, 17)  # from the PESEL
    assert person.consents.count() == 1


def test_a_known_pesel_enrolls_the_same_person_and_shows_nothing_of_the_other_club(client, club):
    other = active_enrollment(f.ClubFactory(), referral_contact="Tajny-Kontakt")
    person = other.participant
    client.force_login(staff(club))
    typed = registration(pesel=person.pesel, first_name=person.first_name, last_name=person.last_name, birth_date="")
    response = client.post(reverse("participants:register"), typed | {"sex": person.sex})
    assert response.status_code == 302
    assert Participant.objects.filter(pesel=person.pesel).count() == 1
    assert set(person.enrollments.values_list("club", flat=True)) == {other.club_id, club.pk}
    timeline = client.get(response["Location"]).content.decode()
    assert str(club) in timeline and str(other.club) not in timeline and "Tajny-Kontakt" not in timeline


def test_a_known_pesel_under_another_surname_is_answered_as_an_unknown_one(client, club):
    known = f.ConsentFactory(
        participant=f.EnrollmentFactory(participant__last_name="Prawdziwa").participant
    ).participant
    unknown_pesel = make_pesel(known.birth_date, male=known.sex == "male", serial=known.pk + 500)
    client.force_login(staff(club))
    answers = []
    for pesel in (known.pesel, unknown_pesel):
        typed = registration(pesel=pesel, first_name=known.first_name, last_name="Inna", birth_date="")
        response = client.post(reverse("participants:register"), typed | {"sex": known.sex}, follow=True)
        person = response.context["participant"]
        answers.append((response.status_code, [str(m) for m in response.context["messages"]], person))
    (status, messages, guessed), (unknown_status, unknown_messages, new) = answers
    assert (
        (status, messages)
        == (unknown_status, unknown_messages)
        == (200, ["Osobę zarejestrowano i zapisano jako kandydata."])
    )
    assert guessed != known and (guessed.pesel, guessed.last_name) == (known.pesel, "Inna")
    assert not known.enrollments.filter(club=club).exists()
    for person in (guessed, new):
        page = client.get(reverse("participants:record", args=[person.pk])).content.decode()
        assert person.pesel in page and "Inna" in page and "Prawdziwa" not in page
        assert person.consents.count() == 1  # only the club's own
    guessed.refresh_from_db()
    assert guessed.identity_pending and not known.identity_pending


def test_the_workbench_sends_a_coordinator_adding_a_person_to_the_registration_page(client, club):
    client.force_login(staff(club))
    response = client.get(reverse("admin:participants_participant_add"))
    assert response.status_code == 302 and response["Location"] == reverse("participants:register")
    assert client.post(reverse("admin:participants_participant_add"), {"pesel": "x"}).status_code == 302
    assert not Participant.objects.exists()


def test_an_edit_to_a_known_pesel_is_answered_as_one_to_an_unknown_pesel(client, club):
    known = f.EnrollmentFactory(participant__last_name="Prawdziwa").participant
    answers = []
    for pesel in (known.pesel, make_pesel(known.birth_date, male=known.sex == "male", serial=known.pk + 500)):
        own = f.EnrollmentFactory(club=club, participant__birth_date=known.birth_date, participant__sex=known.sex)
        person = own.participant
        client.force_login(staff(club))
        data = {
            "first_name": person.first_name,
            "last_name": person.last_name,
            "pesel": pesel,
            "birth_date": known.birth_date.isoformat(),
            "sex": person.sex,
            "municipality": person.municipality_id or "",
            "consents-TOTAL_FORMS": "0",
            "consents-INITIAL_FORMS": "0",
            "enrollments-TOTAL_FORMS": "1",
            "enrollments-INITIAL_FORMS": "1",
            "enrollments-0-id": own.pk,
            "enrollments-0-participant": person.pk,
        }
        response = client.post(reverse("admin:participants_participant_change", args=[person.pk]), data)
        answers.append(response.status_code)
        person.refresh_from_db()
        assert person.pesel == pesel
    assert answers == [302, 302]
    # The record whose PESEL another holds waits for identity confirmation; the other is untouched.
    assert Participant.objects.get(pesel=known.pesel, last_name="Prawdziwa").identity_pending is False
    assert Participant.objects.filter(pesel=known.pesel, identity_pending=True).count() == 1


def test_a_known_pesel_with_the_stored_identity_in_other_letters_enrolls_the_person(client, club):
    known = f.EnrollmentFactory(participant__first_name="Łucja", participant__last_name="Żółkiewska-Nowak").participant
    client.force_login(staff(club))
    typed = registration(pesel=known.pesel, first_name=" LUCJA", last_name="zolkiewska-nowak ", birth_date="")
    response = client.post(reverse("participants:register"), typed | {"sex": known.sex})
    assert response.status_code == 302
    assert known.enrollments.filter(club=club).exists() and Participant.objects.count() == 1


def test_a_second_open_enrollment_in_the_same_club_is_refused(client, club):
    enrollment = active_enrollment(club)
    person = enrollment.participant
    client.force_login(staff(club))
    typed = registration(pesel=person.pesel, first_name=person.first_name, last_name=person.last_name, birth_date="")
    response = client.post(reverse("participants:register"), typed | {"sex": person.sex})
    assert response.status_code == 200
    assert "już zapisana" in response.content.decode()
    assert Enrollment.objects.filter(club=club).count() == 1


def test_without_pesel_a_namesake_warns_before_saving_then_the_choice_decides(client, club):
    namesake = f.ParticipantFactory(
        pesel="", first_name="Anna", last_name="Bezpesel", birth_date=datetime.date(1975, 1, 2)
    )
    f.EnrollmentFactory(participant=namesake)
    client.force_login(staff(club))
    data = registration(first_name="anna", last_name="BEZPESEL", birth_date="1975-01-02", sex="female")
    warned = client.post(reverse("participants:register"), data)
    assert warned.status_code == 200
    assert "duplicate_decision" in warned.context["form"].fields
    assert Participant.objects.filter(last_name__iexact="bezpesel").count() == 1
    assert not Enrollment.objects.filter(club=club).exists()

    same = client.post(reverse("participants:register"), data | {"duplicate_decision": "same"})
    assert same.status_code == 302
    assert Enrollment.objects.get(club=club).participant == namesake

    Enrollment.objects.filter(club=club).delete()
    different = client.post(reverse("participants:register"), data | {"duplicate_decision": "different"})
    assert different.status_code == 302
    assert Participant.objects.filter(last_name__iexact="bezpesel").count() == 2


def test_registration_is_only_for_club_staff(client, club):
    rops = f.UserFactory(is_staff=True)
    rops.groups.add(roles.role_group(roles.ROPS_STAFF))
    UserScope.objects.create(user=rops, level="region", region=club.region)
    client.force_login(rops)
    assert client.get(reverse("participants:register")).status_code == 404


# --- attendance -------------------------------------------------------------------------------------


@pytest.fixture
def group(club):
    activity = f.ActivityFactory(club=club, held_on=TODAY - DAY)
    members = [active_enrollment(club) for _ in range(30)]
    return activity, members


def test_a_group_of_thirty_is_recorded_on_one_screen_in_few_queries(client, club, group, django_assert_max_num_queries):
    activity, members = group
    user = staff(club, roles.KIS_INSTRUCTOR)
    client.force_login(user)
    url = reverse("participants:attendance", args=[activity.pk])
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert len(page.context["rows"]) == 30
    data = {f"status-{e.pk}": PRESENT for e in members} | {f"status-{members[0].pk}": ABSENT}
    with django_assert_max_num_queries(22):  # 2 of them keep the month's sums of the club's activities
        response = client.post(url, data)
    assert response.status_code == 302
    assert Attendance.objects.filter(activity=activity, status=PRESENT).count() == 29
    assert Attendance.objects.get(activity=activity, enrollment=members[0]).status == ABSENT
    assert LogEntry.objects.filter(content_type__model="attendance", actor=user).count() == 30
    # Changing one and clearing another.
    client.post(url, data | {f"status-{members[0].pk}": EXCUSED, f"status-{members[1].pk}": ""})
    assert Attendance.objects.get(activity=activity, enrollment=members[0]).status == EXCUSED
    assert Attendance.objects.filter(activity=activity).count() == 29


def test_attendance_is_refused_for_someone_not_active_on_the_day_and_nothing_is_saved(client, club, group):
    activity, members = group
    candidate = f.EnrollmentFactory(
        club=club, status=EnrollmentStatusChoices.CANDIDATE, qualified_on=None, started_on=None
    )
    late = active_enrollment(club, started=TODAY)  # started after the activity
    client.force_login(staff(club))
    url = reverse("participants:attendance", args=[activity.pk])
    assert candidate.pk not in [e.pk for e, _ in client.get(url).context["rows"]]
    for outsider in (candidate, late):
        data = {f"status-{members[0].pk}": PRESENT, f"status-{outsider.pk}": PRESENT}
        response = client.post(url, data)
        assert response.status_code == 200
        assert not Attendance.objects.filter(activity=activity).exists()


def test_the_model_refuses_attendance_outside_active_participation(club):
    activity = f.ActivityFactory(club=club, held_on=TODAY - DAY)
    left = active_enrollment(club, started=TODAY - 90 * DAY)
    Enrollment.objects.filter(pk=left.pk).update(
        status=EnrollmentStatusChoices.DROPPED_OUT, exit_on=TODAY - 30 * DAY, exit_reason="own_decision"
    )
    left.refresh_from_db()
    with pytest.raises(ValidationError):
        Attendance(activity=activity, enrollment=left).full_clean()
    with pytest.raises(ValidationError):
        Attendance.record_sheet(activity, [left], {left.pk: PRESENT})


# --- certificate ---------------------------------------------------------------------------------------


def test_certificate_shows_hours_attended_per_pillar(client, club):
    enrollment = active_enrollment(club, started=TODAY - 100 * DAY)
    social, sport = Pillar.objects.get(code="social"), Pillar.objects.get(code="sport")
    for pillar, hours, status in [
        (social, 3, PRESENT),
        (social, 2.5, PRESENT),
        (sport, 4, PRESENT),
        (sport, 6, ABSENT),
    ]:
        activity = f.ActivityFactory(club=club, service__pillar=pillar, hours=hours, held_on=TODAY - 50 * DAY)
        f.AttendanceFactory(activity=activity, enrollment=enrollment, status=status)
    rows, total = hours_by_pillar(enrollment)
    by_code = {pillar.code: hours for pillar, hours in rows}
    assert by_code == {
        "social": Decimal("5.5"),
        "vocational": 0,
        "education": 0,
        "culture": 0,
        "health": 0,
        "sport": Decimal("4"),
    }
    assert total == Decimal("9.5")
    f.SocialContractFactory(enrollment=enrollment)
    enrollment.complete(TODAY, "plan_completed", certificate_number="KIS/7/2026")
    client.force_login(staff(club))
    page = client.get(reverse("participants:certificate", args=[enrollment.pk])).content.decode()
    assert "KIS/7/2026" in page and "<td>9,5</td>" in page


def test_certificate_only_for_a_completed_enrollment_in_scope(client, club):
    enrollment = active_enrollment(club)
    client.force_login(staff(club))
    assert client.get(reverse("participants:certificate", args=[enrollment.pk])).status_code == 404


# --- worklist and timeline --------------------------------------------------------------------------------


def build_worklist(club):
    overdue_review = active_enrollment(club, started=TODAY - 120 * DAY)
    f.ActionPlanFactory(enrollment=overdue_review, drawn_up_on=TODAY - 120 * DAY)  # due after 3 months
    fresh = active_enrollment(club, started=TODAY - 10 * DAY)
    f.ActionPlanFactory(enrollment=fresh, drawn_up_on=TODAY - 10 * DAY)
    f.SocialContractFactory(enrollment=fresh, valid_from=TODAY - 10 * DAY, valid_until=TODAY + 20 * DAY)
    f.SocialContractFactory(enrollment=overdue_review, valid_from=TODAY - 120 * DAY, valid_until=TODAY + 200 * DAY)
    f.AttendanceFactory(enrollment=fresh, activity=f.ActivityFactory(club=club, held_on=TODAY - 2 * DAY))
    left = f.EnrollmentFactory(
        club=club, completed=True, exit_on=TODAY - 100 * DAY, certificate_issued_on=TODAY - 100 * DAY
    )
    f.OutcomeFactory(enrollment=left, recorded_on=TODAY - 100 * DAY)
    return overdue_review, fresh, left


def test_worklist_lists_what_needs_doing_and_runs_in_few_queries(client, club, django_assert_max_num_queries):
    overdue_review, fresh, left = build_worklist(club)
    build_worklist(f.ClubFactory())  # another club's work is not on this list
    client.force_login(staff(club))
    # The lists, and the header's counts of them (one query each, api/context_processors.py).
    with django_assert_max_num_queries(24):
        page = client.get(reverse("participants:worklist"))
    context = page.context
    assert [plan.enrollment for _due, plan in context["reviews"]] == [overdue_review]
    assert [c.enrollment for c in context["contracts"]] == [fresh]
    assert [e.pk for e in context["absent"]] == [overdue_review.pk]  # started long ago, never present
    assert [(months, o.enrollment) for months, o in context["follow_ups"]] == [(3, left)]
    for _i in range(5):
        build_worklist(club)
    with django_assert_max_num_queries(24):
        client.get(reverse("participants:worklist"))


def test_timeline_shows_every_step_in_date_order_in_few_queries(client, club, django_assert_max_num_queries):
    enrollment = active_enrollment(club, started=TODAY - 200 * DAY)
    plan = f.ActionPlanFactory(enrollment=enrollment, drawn_up_on=TODAY - 195 * DAY)
    f.GoalFactory(plan=plan, description="Cel pierwszy")
    f.ReviewFactory(plan=plan, reviewed_on=TODAY - 100 * DAY, next_review_on=TODAY - 10 * DAY, progress="Postęp")
    f.SocialContractFactory(
        enrollment=enrollment, valid_from=TODAY - 198 * DAY, valid_until=TODAY, signed_on=TODAY - 198 * DAY
    )
    for days in (150, 120, 90, 60):
        f.AttendanceFactory(enrollment=enrollment, activity=f.ActivityFactory(club=club, held_on=TODAY - days * DAY))
    for i in range(5):  # more goals, reviews and attendance must not mean more queries
        f.GoalFactory(plan=plan, description=f"Cel {i}")
        f.ReviewFactory(plan=plan, reviewed_on=TODAY - (90 - i) * DAY, next_review_on=TODAY + DAY)
        f.AttendanceFactory(
            enrollment=enrollment, activity=f.ActivityFactory(club=club, held_on=TODAY - (30 + i) * DAY)
        )
    client.force_login(staff(club))
    # 18 for the timeline, 7 for the header's counts of the worklist
    with django_assert_max_num_queries(25):
        page = client.get(reverse("participants:timeline", args=[enrollment.participant_id]))
    events = page.context["events"]
    assert [e.on for e in events] == sorted(e.on for e in events)
    kinds = {e.kind for e in events}
    assert {"Zgłoszenie", "Indywidualny Plan Działań", "Cel", "Przegląd planu", "Kontrakt socjalny"} <= kinds
    assert "Obecność w miesiącu" in kinds


def test_a_months_attendance_is_dated_to_its_end_and_the_timeline_links_each_stay(client, club):
    enrollment = f.EnrollmentFactory(
        club=club, applied_on=datetime.date(2024, 2, 1), started_on=datetime.date(2024, 2, 10)
    )
    activity = f.ActivityFactory(club=club, held_on=datetime.date(2024, 2, 12))
    f.AttendanceFactory(enrollment=enrollment, activity=activity)
    client.force_login(staff(club))
    page = client.get(reverse("participants:timeline", args=[enrollment.participant_id]))
    months = [e.on for e in page.context["events"] if e.kind == "Obecność w miesiącu"]
    assert months == [datetime.date(2024, 2, 29)]  # not the 1st, before the stay began
    html = page.content.decode()
    assert reverse("participants:case_file", args=[enrollment.pk]) in html


def test_the_timeline_shows_each_stays_next_review_and_contract_end(client, club):
    enrollment = active_enrollment(club)
    plan = f.ActionPlanFactory(enrollment=enrollment, drawn_up_on=TODAY - 30 * DAY)
    f.ReviewFactory(plan=plan, reviewed_on=TODAY - 10 * DAY, next_review_on=TODAY + 20 * DAY)
    f.SocialContractFactory(enrollment=enrollment, valid_from=TODAY - 60 * DAY, valid_until=TODAY + 40 * DAY)
    client.force_login(staff(club))
    html = client.get(reverse("participants:timeline", args=[enrollment.participant_id])).content.decode()
    assert f"następny przegląd: {(TODAY + 20 * DAY):%d.%m.%Y}" in html
    assert f"kontrakt ważny do: {(TODAY + 40 * DAY):%d.%m.%Y}" in html
    client.force_login(staff(club, roles.KIS_INSTRUCTOR))  # the instructor sees neither plan nor contract
    html = client.get(reverse("participants:timeline", args=[enrollment.participant_id])).content.decode()
    assert "następny przegląd" not in html and "kontrakt ważny do" not in html


# --- plan revisions ----------------------------------------------------------------------------------


def test_revising_a_goal_keeps_the_earlier_version():
    goal = f.GoalFactory(description="Wersja pierwsza", target_date=TODAY + 30 * DAY)
    new = goal.revise(TODAY, "Wersja druga")
    goal.refresh_from_db()
    assert goal.status == GoalStatusChoices.REVISED and goal.description == "Wersja pierwsza"
    assert new.replaces == goal and new.description == "Wersja druga" and new.target_date == goal.target_date
    goal.description = "Zmiana po fakcie"
    with pytest.raises(ValidationError):
        goal.full_clean()
    with pytest.raises(ValidationError):
        goal.revise(TODAY, "Wersja trzecia")  # only the current version can be revised
    assert Goal.objects.filter(plan=goal.plan).count() == 2


def test_a_review_records_progress_per_goal_of_its_own_plan_and_schedules_the_next():
    plan = f.ActionPlanFactory(review_interval_months=2)
    review = f.ReviewFactory.build(plan=plan, reviewed_on=datetime.date(2026, 1, 31), next_review_on=None)
    review.full_clean()
    review.save()
    assert review.next_review_on == datetime.date(2026, 3, 31)
    GoalProgress(review=review, goal=f.GoalFactory(plan=plan), status="partly_achieved").full_clean()
    with pytest.raises(ValidationError):
        GoalProgress(review=review, goal=f.GoalFactory(), status="achieved").full_clean()


# --- referrals ----------------------------------------------------------------------------------------


def test_a_referral_to_a_partners_offer_is_followed_to_its_end():
    enrollment = active_enrollment(f.ClubFactory())
    offer = f.ServiceOfferFactory(organization__region=enrollment.club.region)
    referral = f.ReferralFactory.build(enrollment=enrollment, offer=offer, organization=None, service=None)
    referral.full_clean()  # the offer names the partner and the service
    referral.save()
    assert (referral.organization, referral.service) == (offer.organization, offer.service)
    with pytest.raises(ValidationError):
        referral.complete(TODAY)  # not accepted yet
    referral.accept(TODAY - DAY, answer="Przyjęty od poniedziałku")
    referral.complete(TODAY)
    referral.refresh_from_db()
    assert (referral.status, referral.answered_on, referral.completed_on) == ("completed", TODAY - DAY, TODAY)


def test_a_declined_referral_records_the_partners_reason():
    referral = f.ReferralFactory(sent_on=TODAY - 3 * DAY)
    with pytest.raises(ValidationError):
        referral.decline(TODAY, answer="")
    referral.decline(TODAY, answer="Brak miejsc")
    assert referral.status == "declined" and referral.answer == "Brak miejsc"
    with pytest.raises(ValidationError):
        referral.decline(TODAY - 5 * DAY, answer="x")  # already answered
    with pytest.raises(ValidationError):
        f.ReferralFactory.build(enrollment=referral.enrollment, organization=None, service=None).full_clean()


def test_referrals_appear_on_the_timeline(client):
    club = f.ClubFactory()
    referral = f.ReferralFactory(enrollment=active_enrollment(club), sent_on=TODAY - 3 * DAY)
    referral.accept(TODAY, answer="Zapraszamy")
    client.force_login(staff(club))
    page = client.get(reverse("participants:timeline", args=[referral.enrollment.participant_id])).content.decode()
    assert str(referral.organization) in page and "Zapraszamy" in page


# --- activities -------------------------------------------------------------------------------------------


def test_a_weekly_series_is_planned_from_the_admin(client):
    club = f.ClubFactory()
    service = f.ServiceFactory()
    client.force_login(staff(club))
    start = TODAY - 21 * DAY
    data = {
        "club": club.pk,
        "service": service.pk,
        "provider": club.operator_id,
        "title": "Trening umiejętności",
        "held_on": start.isoformat(),
        "start_time": "10:00",
        "hours": "3",
        "location": "świetlica",
        "repeat_weekly_until": (start + 28 * DAY).isoformat(),
        "attendances-TOTAL_FORMS": "0",
        "attendances-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:clubs_activity_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    dates = sorted(Activity.objects.filter(club=club).values_list("held_on", flat=True))
    assert dates == [start + 7 * i * DAY for i in range(5)]


def test_a_series_longer_than_a_year_is_refused_and_nothing_is_planned():
    activity = f.ActivityFactory()
    with pytest.raises(ValidationError):
        activity.repeat_weekly(activity.held_on + 400 * DAY)
    with pytest.raises(ValidationError):
        activity.repeat_weekly(activity.held_on)
    assert Activity.objects.count() == 1


def test_contract_obligations_are_tied_to_goals_of_the_same_plan():
    contract = f.SocialContractFactory()
    own_goal = f.GoalFactory(plan=f.ActionPlanFactory(enrollment=contract.enrollment))
    assert contract.goals_problem([own_goal]) is None
    assert contract.goals_problem([own_goal, f.GoalFactory()]) is not None
