"""Three journeys in a real browser, as the demo accounts, with axe on every page visited."""

import datetime
import io

from django.utils import timezone
from openpyxl import load_workbook

from clubs.models import Club, Pillar, Service
from networks.models import Network
from participants.models import EligibilityCategory, Enrollment, Participant
from reporting.coverage import coverage
from stakeholders.models import Organization
from tests.factories import EnrollmentFactory


def today():
    """The day as the pages see it when asked (not the day the tests were collected)."""
    return timezone.localdate()


def day(offset):
    return (today() + datetime.timedelta(days=offset)).isoformat()


def test_the_ministry_analyst_reads_the_dashboard_and_finds_no_identity(pilot, visit):
    person = EnrollmentFactory(club=Club.objects.get(pk=1)).participant
    v = visit("3-analityk")
    v.go("/")
    v.check("strona-glowna")
    v.page.click("text=Deklaracja dostępności")
    assert "WCAG 2.1" in v.page.inner_text("main")
    v.check("deklaracja-dostepnosci")
    v.go("/katalog/")
    v.check("katalog")
    v.log_in("analityk")
    v.go("/raporty/")
    assert v.page.locator("svg.tile-map, .tile-map svg").count() == 1
    assert v.page.locator(".tile-map a").count() == 16  # every tile opens its region's report
    v.check("pulpit")
    v.page.click(".tile-map a[href*='/raporty/region/26/']")
    assert "Raport wojewódzki" in v.page.inner_text("h1")
    v.check("raport-regionu")
    for path in (
        f"/uczestnicy/{person.pk}/",
        f"/uczestnicy/{person.pk}/dane/",
        f"/uczestnicy/{person.pk}/dane.json",
        f"/admin/participants/participant/{person.pk}/change/",
        f"/admin/participants/enrollment/{person.enrollments.get().pk}/change/",
    ):
        status = v.go(path).status
        assert status in (403, 404), path


def test_the_rops_account_grows_a_network_and_downloads_the_report(pilot, visit):
    club = Club.objects.filter(region__terc="26").order_by("pk").first()
    regional = Network.objects.get(kind="regional", region=club.region)
    lsr = Network.objects.create(kind="local", name="LSR Bilcza", region=club.region, parent=regional, hub_club=club)
    before = coverage([lsr], today())[lsr.pk]
    v = visit("2-rops")
    v.log_in("rops")
    v.go(f"/sieci/{lsr.pk}/")
    assert "Brak partnera typu C" in v.page.inner_text("main")
    v.check("siec-przed")
    # A type-C organisation, registered in the workbench.
    v.go("/admin/stakeholders/organization/add/")
    v.page.fill("#id_name", "Gminny Ośrodek Kultury w Morawicy")
    v.page.select_option("#id_legal_form", "public_institution")
    v.page.select_option("#id_stakeholder_type", "C")
    v.page.check(f"input[name=pillars][value='{Pillar.objects.get(code='culture').pk}']")
    v.page.select_option("#id_region", str(club.region_id))
    v.check("organizacja")
    v.page.click("input[name=_save]")
    organization = Organization.objects.get(name="Gminny Ośrodek Kultury w Morawicy")
    # Its membership in the LSR with a cooperation agreement.
    v.go(f"/admin/stakeholders/membership/add/?network={lsr.pk}&organization={organization.pk}")
    v.page.select_option("#id_role", "member")
    v.page.fill("#id_joined_on", today().strftime("%d.%m.%Y"))
    v.page.fill("#id_agreement_signed_on", today().strftime("%d.%m.%Y"))
    v.page.fill("#id_agreement_valid_until", (today() + datetime.timedelta(days=730)).strftime("%d.%m.%Y"))
    v.check("czlonkostwo")
    v.page.click("input[name=_save]")
    assert organization.memberships.filter(network=lsr).exists()
    # A meeting of the network.
    v.go(f"/admin/networks/meeting/add/?network={lsr.pk}&attending_organizations={organization.pk}")
    v.page.fill("#id_held_on", today().strftime("%d.%m.%Y"))
    v.page.select_option("#id_kind", "founding")
    v.page.fill("#id_topic", "Zawiązanie LSR")
    v.page.click("input[name=_save]")
    assert lsr.meetings.filter(topic="Zawiązanie LSR").exists()
    # The matrix has changed.
    v.go(f"/sieci/{lsr.pk}/")
    text = v.page.inner_text("main")
    assert "Partnerzy typu C biorą udział" in text and "Zawiązanie LSR" in text
    after = coverage([lsr], today())[lsr.pk]
    assert after.pillars_covered == before.pillars_covered + 1
    v.check("siec-po")
    # The region report, and its XLSX with the same figures.
    v.go("/raporty/region/26/")
    v.check("raport")
    page_rows = v.page.eval_on_selector_all(
        "table.report tbody tr", "rows => rows.map(r => [...r.children].map(c => c.innerText.trim()))"
    )
    with v.page.expect_download() as download:
        v.page.click("text=XLSX")
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    file_rows = [
        [str(c) for c in row if c is not None] for row in sheet.iter_rows(values_only=True) if row[0] and len(row) > 1
    ]
    file_rows = [row for row in file_rows if len(row) > 1]
    assert [number(r) for r in page_rows if r[0]] == [number(r) for r in file_rows]


def number(row):
    def one(cell):
        try:
            return float(cell.replace(",", "."))
        except ValueError:
            return cell

    return [one(cell) for cell in row]


def test_the_kis_coordinator_takes_a_person_from_referral_to_certificate(pilot, visit):
    v = visit("1-koordynator")
    v.log_in("koordynator.kis")
    v.go("/klub/")
    v.check("lista-zadan")
    # Registration of a referred person, with consent.
    v.go("/uczestnicy/nowy/")
    v.page.fill("#id_first_name", "Zofia")
    v.page.fill("#id_last_name", "Przykładowa")
    v.page.fill("#id_birth_date", day(-365 * 40))
    v.page.select_option("#id_sex", "female")
    v.page.fill("#id_applied_on", day(-30))
    v.page.fill("#id_consent_given_on", day(-30))
    v.check("rejestracja")
    v.page.click("main button[type=submit]")
    enrollment = Participant.objects.get(last_name="Przykładowa").enrollments.get()
    v.check("os-czasu")
    # Qualify: category and the art. 1 ust. 3 check, then the button.
    v.go(f"/admin/participants/enrollment/{enrollment.pk}/change/")
    v.page.check(f"input[name=eligibility_categories][value='{EligibilityCategory.objects.get(code='5').pk}']")
    v.page.select_option("#id_benefit_exclusion", "none")
    v.check("zapis")
    v.page.click("input[name=_continue]")
    v.page.click("text=Zakwalifikuj")
    v.page.fill("#id_on", day(-25))
    v.check("kwalifikacja")
    v.page.click("input[type=submit]")
    # The social contract, signed.
    v.go(f"/admin/participants/socialcontract/add/?enrollment={enrollment.pk}")
    v.page.fill("#id_number", "KS/1/2026")
    v.page.fill("#id_valid_from", (today() - datetime.timedelta(days=20)).strftime("%d.%m.%Y"))
    v.page.fill("#id_valid_until", (today() + datetime.timedelta(days=200)).strftime("%d.%m.%Y"))
    v.page.click("input[name=_continue]")
    v.page.click("text=Podpisz")
    v.page.fill("#id_on", day(-20))
    v.page.click("input[type=submit]")
    v.go(f"/admin/participants/enrollment/{enrollment.pk}/change/")
    v.page.click("text=Rozpocznij udział")
    v.page.fill("#id_on", day(-20))
    v.page.click("input[type=submit]")
    enrollment.refresh_from_db()
    assert enrollment.status == "active"
    # The plan with goals in three pillars.
    v.go(f"/admin/participants/actionplan/add/?enrollment={enrollment.pk}")
    v.page.fill("#id_drawn_up_on", (today() - datetime.timedelta(days=19)).strftime("%d.%m.%Y"))
    for i, (code, text) in enumerate([("social", "Odbudowa kontaktów"), ("vocational", "Kurs"), ("sport", "Ruch")]):
        v.page.click("#goals-group .add-row a")
        v.page.select_option(f"#id_goals-{i}-pillar", str(Pillar.objects.get(code=code).pk))
        v.page.fill(f"#id_goals-{i}-description", text)
    v.check("plan")
    v.page.click("input[name=_save]")
    assert enrollment.action_plan.goals.count() == 3
    # A group activity and the attendance sheet.
    club = enrollment.club
    service = Service.objects.filter(pillar__code="social").first()
    v.go(f"/admin/clubs/activity/add/?club={club.pk}&service={service.pk}&provider={club.operator_id}")
    v.page.fill("#id_title", "Warsztaty grupowe")
    v.page.fill("#id_held_on", (today() - datetime.timedelta(days=5)).strftime("%d.%m.%Y"))
    v.page.fill("#id_hours", "3")
    v.page.click("input[name=_save]")
    activity = club.activities.get(title="Warsztaty grupowe")
    v.go(f"/klub/zajecia/{activity.pk}/obecnosc/")
    v.page.check(f"input[name='status-{enrollment.pk}'][value=present]")
    v.check("obecnosc")
    v.page.click("main button[type=submit]")
    assert activity.attendances.get().status == "present"
    # Completion with the certificate, then the outcome.
    v.go(f"/admin/participants/enrollment/{enrollment.pk}/change/")
    v.page.click("text=Zakończ udział")
    v.page.fill("#id_on", day(0))
    v.page.select_option("#id_reason", "employment")
    v.page.fill("#id_certificate_number", "KIS/9/2026")
    v.check("zakonczenie")
    v.page.click("input[type=submit]")
    v.go(f"/admin/participants/outcome/add/?enrollment={enrollment.pk}")
    v.page.fill("#id_recorded_on", today().strftime("%d.%m.%Y"))
    v.page.select_option("#id_situation", "employed")
    v.page.check("#id_vocational_reintegration_achieved")
    v.page.click("input[name=_save]")
    enrollment = Enrollment.objects.get(pk=enrollment.pk)
    assert enrollment.status == "completed" and enrollment.outcome.situation == "employed"
    v.go(f"/zapisy/{enrollment.pk}/zaswiadczenie/")
    assert "KIS/9/2026" in v.page.inner_text("main")
    v.check("zaswiadczenie")


def test_the_registration_form_works_from_the_keyboard_with_visible_focus(pilot, visit):
    v = visit("4-klawiatura")
    v.log_in("koordynator.kis")
    v.go("/uczestnicy/nowy/")
    v.page.fill("#id_first_name", "Ewa")
    v.page.fill("#id_last_name", "Klawiaturowa")
    v.page.fill("#id_birth_date", "1990-03-12")
    v.page.select_option("#id_sex", "female")  # no sex is chosen beforehand
    v.page.fill("#id_applied_on", day(0))
    # Tab from the first field reaches every field in reading order, each visibly focused, then the button.
    v.page.focus("#id_pesel")
    visited = []
    for _step in range(40):
        element = v.page.evaluate(
            "(() => { const e = document.activeElement;"
            " return [e.id || e.tagName, getComputedStyle(e).outlineStyle, e.closest('main') !== null]; })()"
        )
        if not element[2]:
            break
        assert element[1] not in ("none", ""), element  # a visible focus ring
        if not visited or visited[-1] != element[0]:
            visited.append(element[0])
        if element[0] == "BUTTON":
            break
        v.page.keyboard.press("Tab")
    expected = [
        "id_pesel", "id_first_name", "id_last_name", "id_birth_date", "id_sex", "id_municipality", "id_applied_on",
        "id_referred_by", "id_referred_on", "id_referral_contact", "id_consent_given_on", "BUTTON",
    ]  # fmt: skip
    assert visited == expected
    v.check("klawiatura")
    with v.page.expect_navigation():
        v.page.keyboard.press("Enter")  # on the focused button
    assert "/nowy/" not in v.page.url, v.page.inner_text("main")
    assert Participant.objects.get(last_name="Klawiaturowa").enrollments.get().status == "candidate"
