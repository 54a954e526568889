"""The data-quality page: each check finds the record planted for it, within the reader's scope only."""

import datetime

import pytest
from django.urls import reverse

from ksr_portal import roles
from ksr_portal.models import UserScope
from participants.choices import EnrollmentEducationLevelChoices, EnrollmentLabourMarketStatusChoices
from reporting import quality

from . import factories as f

pytestmark = pytest.mark.django_db

COMPLETE = {
    "education_level": EnrollmentEducationLevelChoices.values[0],
    "labour_market_status": EnrollmentLabourMarketStatusChoices.values[0],
    "minority_or_migrant": "no",
    "homeless": "no",
    "disability": "no",
}


def staff(role, **scope):
    user = f.UserFactory(is_staff=True)
    user.groups.add(roles.role_group(role))
    UserScope.objects.create(user=user, **scope)
    return user


@pytest.fixture
def planted():
    """A club with one record failing each check, one clean record, and another region's failing record."""
    club = f.ClubFactory()
    eight = f.EligibilityCategoryFactory(code="8")
    records = {
        "disability_missing": f.EnrollmentFactory(club=club, eligibility_categories=[eight], **COMPLETE),
        "exit_without_outcome": f.EnrollmentFactory(club=club, completed=True, **COMPLETE),
        "outcome_while_staying": f.OutcomeFactory(enrollment=f.EnrollmentFactory(club=club, **COMPLETE)).enrollment,
        "follow_up_missing": f.OutcomeFactory(
            enrollment=f.EnrollmentFactory(club=club, completed=True, **COMPLETE)
        ).enrollment,
        "eu_fields_blank": f.EnrollmentFactory(club=club, **{**COMPLETE, "labour_market_status": ""}),
    }
    done = f.OutcomeFactory(enrollment=f.EnrollmentFactory(club=club, completed=True, **COMPLETE))
    f.FollowUpFactory(outcome=done, months_after=3, checked_on=datetime.date(2025, 3, 1))
    f.FollowUpFactory(outcome=done, months_after=6)
    clean = [f.EnrollmentFactory(club=club, **COMPLETE), done.enrollment]
    other_terc = "22" if club.region.terc != "22" else "24"  # regions are got by their code: not the club's
    elsewhere = f.EnrollmentFactory(club=f.ClubFactory(region=f.RegionFactory(terc=other_terc)), completed=True)
    return club, records, clean, elsewhere


def test_each_check_lists_its_record_and_no_other(client, planted):
    club, records, clean, elsewhere = planted
    client.force_login(staff(roles.KIS_COORDINATOR, level="club", region=club.region, club=club))
    response = client.get(reverse("reporting:quality"))
    assert response.status_code == 200
    found = {check.code: [e for e, _link in listed] for check, _count, listed in response.context["records"]}
    for code, enrollment in records.items():
        assert set(found[code]) & set(records.values()) == {enrollment}, code
    listed = {e for enrollments in found.values() for e in enrollments}
    assert not listed & {*clean, elsewhere}
    page = response.content.decode()
    assert reverse("admin:participants_outcome_add") + f"?enrollment={records['exit_without_outcome'].pk}" in page
    assert reverse("admin:participants_enrollment_change", args=[records["disability_missing"].pk]) in page


def test_rops_sees_counts_by_club_and_no_one(client, planted):
    club, records, _clean, elsewhere = planted
    f.EnrollmentFactory(club=club, completed=True, **COMPLETE)  # a second record without an outcome
    client.force_login(staff(roles.ROPS_STAFF, level="region", region=club.region))
    response = client.get(reverse("reporting:quality"))
    assert response.status_code == 200 and "records" not in response.context
    table = response.context["table"]
    assert [label for label, _values in table.rows] == [str(club), "Razem"]
    page = response.content.decode()
    assert records["exit_without_outcome"].participant.last_name not in page
    assert str(elsewhere.club) not in page
    assert reverse("admin:participants_enrollment_change", args=[records["eu_fields_blank"].pk]) not in page


def test_the_national_coordinator_reads_regions_then_one_region(client, planted):
    club, _records, _clean, elsewhere = planted
    client.force_login(staff(roles.NATIONAL_COORDINATOR, level="national"))
    table = client.get(reverse("reporting:quality")).context["table"]
    assert {str(club.region), str(elsewhere.club.region)} <= {label for label, _values in table.rows}
    response = client.get(reverse("reporting:quality"), {"region": club.region.terc})
    assert [label for label, _values in response.context["table"].rows] == [str(club), "Razem"]
    assert client.get(reverse("reporting:quality"), {"region": "99"}).status_code == 404


def test_another_region_is_out_of_reach(client, planted):
    club, _records, _clean, elsewhere = planted
    client.force_login(staff(roles.ROPS_STAFF, level="region", region=club.region))
    assert client.get(reverse("reporting:quality"), {"region": elsewhere.club.region.terc}).status_code == 404


def test_the_dashboard_links_to_the_page(client, planted):
    club, _records, _clean, _elsewhere = planted
    client.force_login(staff(roles.ROPS_STAFF, level="region", region=club.region))
    assert reverse("reporting:quality") in client.get(reverse("reporting:dashboard")).content.decode()


def test_the_worklist_links_to_the_page_for_whoever_may_open_it(client):
    club = f.ClubFactory()
    for role, opens in ((roles.KIS_COORDINATOR, True), (roles.KIS_INSTRUCTOR, False)):
        client.force_login(staff(role, level="club", region=club.region, club=club))
        page = client.get(reverse("participants:worklist")).content.decode()
        assert (reverse("reporting:quality") in page) is opens, role
        assert client.get(reverse("reporting:quality")).status_code == (200 if opens else 404), role


def test_the_dashboard_counts_the_records_of_the_scope(client, planted):
    club, _records, _clean, elsewhere = planted
    client.force_login(f.UserFactory(is_superuser=True, is_staff=True))
    table = client.get(reverse("reporting:dashboard")).context["to_put_right"]
    assert [label for label, _values in table.rows] == [str(check.label) for check in quality.CHECKS]
    # Everywhere: the planted record of each check, and the other region's stay, which left without an
    # outcome and with its EU fields blank; the stay followed up at 3 and 6 months is done.
    assert [values[0] for _label, values in table.rows] == [1, 2, 1, 1, 2]
    page = client.get(reverse("reporting:quality")).context["table"]
    assert [values[0] for _label, values in table.rows] == page.rows[-1][1]


def test_a_region_reads_its_own_counts_suppressed_as_the_page_does(client, planted):
    club, _records, _clean, _elsewhere = planted
    for _i in range(5):  # five stays left without an outcome: a count large enough to print
        f.EnrollmentFactory(club=club, completed=True, **COMPLETE)
    client.force_login(staff(roles.ROPS_STAFF, level="region", region=club.region))
    response = client.get(reverse("reporting:dashboard"))
    table = response.context["to_put_right"]
    page = client.get(reverse("reporting:quality")).context["table"]
    shown = [str(cell) for _label, cells in table.display_rows() for cell in cells]
    assert shown == ["Δ", "6", "Δ", "Δ", "Δ"]
    assert shown == [str(cell) for cell in page.display_rows()[-1][1]]
    assert reverse("reporting:quality") in response.content.decode()
