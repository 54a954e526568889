"""Walkthroughs as a new user: the demo accounts on the pilot data, through the admin forms and pages only.

Each form is first opened (GET), its fields and inline management data taken from the page, then
filled in and submitted, as a person at the browser would; nothing is created behind the forms.
"""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from clubs.models import Club, Pillar, Service
from demo.pilot import DEMO_PASSWORD, create_demo_accounts
from networks.models import Network
from participants.models import Participant
from reporting.coverage import coverage
from stakeholders.models import Organization

from .factories import EnrollmentFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def pilot(settings):
    settings.DEBUG = True
    call_command("loaddata", "pilot", verbosity=0)
    create_demo_accounts()
    settings.DEBUG = False


def log_in(client, username):
    response = client.post(reverse("admin:login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302


def form_data(page):
    """What the browser would send back unchanged: the admin form's values and every inline's management form."""
    data = {}
    form = page.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    for formset in page.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = str(management[name].value() or 0)
    return data


def submit(client, url, changes, inline=None):
    page = client.get(url)
    assert page.status_code == 200, url
    data = form_data(page) | changes
    if inline:
        prefix, rows = inline
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        for i, row in enumerate(rows):
            data |= {f"{prefix}-{i}-{key}": value for key, value in row.items()}
    response = client.post(url, data)
    errors = response.context["adminform"].form.errors if response.status_code == 200 and response.context else ""
    assert response.status_code == 302, errors
    return response


def test_the_demo_kis_coordinator_takes_a_person_through_the_whole_journey(client, pilot):
    log_in(client, "koordynator.kis")
    # Register the referred person (the portal's page), with consent.
    response = client.post(
        reverse("participants:register"),
        {
            "pesel": "",
            "first_name": "Zofia",
            "last_name": "Przykładowa",
            "birth_date": "1985-05-17",
            "sex": "female",
            "applied_on": (TODAY - datetime.timedelta(days=30)).isoformat(),
            "consent_given_on": (TODAY - datetime.timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 302
    person = Participant.objects.get(last_name="Przykładowa")
    enrollment = person.enrollments.get()
    change = reverse("admin:participants_enrollment_change", args=[enrollment.pk])
    # The eligibility category and the art. 1 ust. 3 check, in the enrollment's form.
    submit(client, change, {"eligibility_categories": ["5"], "benefit_exclusion": "none"})
    qualify = reverse("admin:participants_enrollment_transition", args=[enrollment.pk, "qualify"])
    assert client.post(qualify, {"on": (TODAY - datetime.timedelta(days=25)).isoformat()}).status_code == 302
    # The social contract, signed.
    submit(
        client,
        reverse("admin:participants_socialcontract_add"),
        {
            "enrollment": str(enrollment.pk),
            "number": "KS/1/2026",
            "valid_from": (TODAY - datetime.timedelta(days=20)).isoformat(),
            "valid_until": (TODAY + datetime.timedelta(days=200)).isoformat(),
        },
    )
    contract = enrollment.social_contracts.get()
    sign = reverse("admin:participants_socialcontract_transition", args=[contract.pk, "sign"])
    assert client.post(sign, {"on": (TODAY - datetime.timedelta(days=20)).isoformat()}).status_code == 302
    activate = reverse("admin:participants_enrollment_transition", args=[enrollment.pk, "activate"])
    assert client.post(activate, {"on": (TODAY - datetime.timedelta(days=20)).isoformat()}).status_code == 302
    # The plan with goals in three pillars.
    goals = {"social": "Odbudowa kontaktów", "vocational": "Kurs zawodowy", "sport": "Aktywność ruchowa"}
    pillar = {p.code: p.pk for p in Pillar.objects.all()}
    submit(
        client,
        reverse("admin:participants_actionplan_add"),
        {"enrollment": str(enrollment.pk), "drawn_up_on": (TODAY - datetime.timedelta(days=19)).isoformat()},
        inline=("goals", [{"pillar": str(pillar[c]), "description": d, "status": "open"} for c, d in goals.items()]),
    )
    assert enrollment.action_plan.goals.count() == 3
    # A group activity, and attendance on the sheet.
    club = enrollment.club
    submit(
        client,
        reverse("admin:clubs_activity_add"),
        {
            "club": str(club.pk),
            "service": str(Service.objects.filter(pillar__code="social").first().pk),
            "provider": str(club.operator_id),
            "title": "Warsztaty grupowe",
            "held_on": (TODAY - datetime.timedelta(days=5)).isoformat(),
            "hours": "3",
        },
    )
    activity = club.activities.get(title="Warsztaty grupowe")
    sheet = reverse("participants:attendance", args=[activity.pk])
    assert client.post(sheet, {f"status-{enrollment.pk}": "present"}).status_code == 302
    # Completion with a certificate number, the outcome, and the printable certificate.
    complete = reverse("admin:participants_enrollment_transition", args=[enrollment.pk, "complete"])
    response = client.post(
        complete, {"on": TODAY.isoformat(), "reason": "employment", "certificate_number": "KIS/9/2026"}
    )
    assert response.status_code == 302
    submit(
        client,
        reverse("admin:participants_outcome_add"),
        {
            "enrollment": str(enrollment.pk),
            "recorded_on": TODAY.isoformat(),
            "situation": "employed",
            "vocational_reintegration_achieved": "on",
        },
        inline=("follow_ups", []),
    )
    enrollment.refresh_from_db()
    assert enrollment.status == "completed" and enrollment.outcome.situation == "employed"
    certificate = client.get(reverse("participants:certificate", args=[enrollment.pk])).content.decode()
    assert "KIS/9/2026" in certificate and "<td>3</td>" in certificate
    steps = [(c.from_status, c.to_status) for c in enrollment.status_changes.all()]
    assert steps == [("candidate", "qualified"), ("qualified", "active"), ("active", "completed")]


def test_the_demo_rops_account_grows_a_local_network_and_sees_the_matrix_change(client, pilot, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    log_in(client, "rops")
    club = Network.objects.get(kind="regional", region__terc="26").region.clubs.order_by("pk").first()
    # The local network around the club, then a type-C organisation, its membership, a meeting.
    submit(
        client,
        reverse("admin:networks_network_add"),
        {"kind": "local", "name": "LSR Bilcza", "region": str(club.region_id),
         "parent": str(Network.objects.get(kind="regional", region=club.region).pk), "hub_club": str(club.pk)},
        inline=("memberships", []),
    )  # fmt: skip
    lsr = Network.objects.get(name="LSR Bilcza")
    before = coverage([lsr], TODAY)[lsr.pk]
    assert not before.type_c_present
    submit(
        client,
        reverse("admin:stakeholders_organization_add"),
        {"name": "Gminny Ośrodek Kultury w Morawicy", "legal_form": "public_institution", "stakeholder_type": "C",
         "pillars": [str(Pillar.objects.get(code="culture").pk)],
         "region": str(club.region_id), "municipality": str(club.municipality_id)},
        inline=("contacts", []),
    )  # fmt: skip
    culture = Organization.objects.get(name="Gminny Ośrodek Kultury w Morawicy")
    submit(
        client,
        reverse("admin:stakeholders_membership_add"),
        {"organization": str(culture.pk), "network": str(lsr.pk), "role": "member",
         "joined_on": TODAY.isoformat(), "agreement_signed_on": TODAY.isoformat(),
         "agreement_valid_until": (TODAY + datetime.timedelta(days=730)).isoformat()},
    )  # fmt: skip
    submit(
        client,
        reverse("admin:networks_meeting_add"),
        {"network": str(lsr.pk), "held_on": TODAY.isoformat(), "kind": "founding", "topic": "Zawiązanie LSR",
         "attending_organizations": [str(culture.pk)]},
    )  # fmt: skip
    page = client.get(reverse("reporting:network_detail", args=[lsr.pk])).content.decode()
    assert "Gminny Ośrodek Kultury w Morawicy" in page and "Zawiązanie LSR" in page
    after = coverage([lsr], TODAY)[lsr.pk]
    assert after.type_c_present and after.pillars_covered == before.pillars_covered + 1
    # And the region report, as a file whose figures match the page.
    report = client.get(reverse("reporting:region", args=["26"]))
    assert report.status_code == 200
    assert client.get(reverse("reporting:region", args=["26"]), {"format": "xlsx"}).status_code == 200


def test_the_demo_analyst_reads_the_dashboard_and_finds_no_identity(client, pilot):
    log_in(client, "analityk")
    dashboard = client.get(reverse("reporting:dashboard"))
    assert dashboard.status_code == 200 and len(dashboard.context["tiles"]) == 16
    assert client.get(reverse("reporting:region", args=["26"])).status_code == 200
    person = EnrollmentFactory(club=Club.objects.get(pk=1)).participant
    for url in (
        reverse("participants:timeline", args=[person.pk]),
        reverse("participants:record", args=[person.pk]),
        reverse("participants:record_json", args=[person.pk]),
        reverse("admin:participants_participant_change", args=[person.pk]),
        reverse("admin:participants_enrollment_changelist"),
    ):
        assert client.get(url).status_code in (403, 404), url
