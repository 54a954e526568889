"""The papers to sign: printable pages and PDFs of the social contract, the plan and the certificate."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from ksr_portal import roles
from participants.anonymisation import anonymise
from participants.models import HouseholdMember

from . import factories as f
from .test_case_file import club_user, scoped_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def stay():
    enrollment = f.EnrollmentFactory(
        completed=True, participant__first_name="Łucja", participant__last_name="Żółkiewska-Gęś"
    )
    plan = f.ActionPlanFactory(enrollment=enrollment, resources="Chęć powrotu do pracy", barriers="Zadłużenie")
    goal = f.GoalFactory(plan=plan, description="Podjęcie stażu w spółdzielni socjalnej")
    f.ReviewFactory(plan=plan, progress="Ukończony kurs kucharski")
    contract = f.SocialContractFactory(
        enrollment=enrollment,
        number="KS/12/2024",
        social_worker="Halina Ślęzak",
        situation_assessment="Długotrwałe bezrobocie, wsparcie rodziny",
        participant_obligations="Udział w warsztatach dwa razy w tygodniu",
        worker_obligations="Pomoc w przygotowaniu dokumentów",
    )
    contract.goals.set([goal])
    f.HouseholdMemberFactory(contract=contract, name="Jędrzej Żółkiewski", relationship="syn")
    return enrollment


def papers(stay):
    return {
        "contract": reverse("participants:contract_paper", args=[stay.social_contracts.get().pk]),
        "plan": reverse("participants:plan_paper", args=[stay.action_plan.pk]),
        "certificate": reverse("participants:certificate", args=[stay.pk]),
    }


def pdf_text(response):
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_three_papers_print_and_download_with_polish_letters(client, stay):
    client.force_login(club_user(stay.club))
    expected = {
        "contract": [
            "Kontrakt socjalny",
            "Nr KS/12/2024",
            "Halina Ślęzak",
            "Jędrzej Żółkiewski (syn)",
            "Podjęcie stażu w spółdzielni socjalnej",
            "Udział w warsztatach dwa razy w tygodniu",
            "IV. Okres obowiązywania",
            "Podpis pracownika socjalnego",
        ],
        "plan": [
            "Indywidualny Plan Działań",
            "Chęć powrotu do pracy",
            "Podjęcie stażu w spółdzielni socjalnej",
            "Ukończony kurs kucharski",
        ],
        "certificate": [stay.certificate_number, "Razem"],
    }
    for name, url in papers(stay).items():
        page = client.get(url)
        assert page.status_code == 200, name
        html = page.content.decode()
        text = pdf_text(client.get(url, {"format": "pdf"}))
        for words in ["Żółkiewska-Gęś Łucja", *expected[name]]:
            assert words in html, (name, words)
            assert words in text, (name, words)


def test_papers_are_out_of_reach_outside_the_club(client, stay):
    other_club = f.ClubFactory(region=stay.club.region)
    outsiders = [
        club_user(other_club),
        scoped_user(roles.ROPS_STAFF, "region", stay.club.region),
        scoped_user(roles.MINISTRY_ANALYST, "national"),
    ]
    for user in outsiders:
        client.force_login(user)
        for name, url in papers(stay).items():
            assert client.get(url).status_code == 404, (user, name)
            assert client.get(url, {"format": "pdf"}).status_code == 404, (user, name)
    client.force_login(club_user(stay.club, roles.KIS_INSTRUCTOR))
    for name in ("contract", "plan"):
        assert client.get(papers(stay)[name], {"format": "pdf"}).status_code == 404, name


def test_the_family_covered_by_a_signed_contract_changes_only_by_an_annex(stay):
    contract = stay.social_contracts.get()
    member = contract.household_members.get()
    member.full_clean()  # unchanged: still valid
    member.relationship = "wnuk"
    with pytest.raises(ValidationError):
        member.full_clean()
    with pytest.raises(ValidationError):
        HouseholdMember(contract=contract, name="Nowa Osoba", relationship="córka").full_clean()
    draft = f.SocialContractFactory(enrollment=stay, status="draft", signed_on=None)
    HouseholdMember(contract=draft, name="Nowa Osoba", relationship="córka").full_clean()


def test_anonymisation_removes_the_family_names(stay):
    anonymise([stay.participant], timezone.localdate())
    assert list(HouseholdMember.objects.values_list("name", flat=True)) == ["—"]
