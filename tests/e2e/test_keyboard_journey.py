"""The journey of one new person, from referral to outcome, as the demo coordinator with the keyboard only:
at most 12 page loads from the worklist, every page checked by axe."""

from django.utils import timezone

from clubs.models import Pillar, Service
from demo.pilot import demo_club
from participants.models import EligibilityCategory, Participant
from tests.factories import ActivityFactory

MAX_LOADS = 12


class Keyboard:
    """Reaches elements by Tab and acts on them with keys: no click, no fill."""

    def __init__(self, page):
        self.page = page
        self.date_order = None  # the order of the picker's day, month and year, as the browser's language has it

    def tab_to(self, selector, limit=400):
        for _step in range(limit):
            if self.page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
                return
            self.page.keyboard.press("Tab")
        raise AssertionError(f"Tab never reached {selector}")

    def type(self, selector, text):
        self.tab_to(selector)
        self.page.keyboard.press("Control+A")
        self.page.keyboard.type(text)
        assert self.page.input_value(selector) == text, selector

    def type_date(self, selector, day):
        """A date typed into the browser's picker, in its segments' order (found out by typing once)."""
        self.tab_to(selector)
        if self.date_order is None:
            self.page.keyboard.type("01022000")
            self.date_order = "%d%m%Y" if self.page.input_value(selector) == "2000-02-01" else "%m%d%Y"
            self.page.keyboard.press("Shift+Tab")  # back over the segments to the first
            self.page.keyboard.press("Shift+Tab")
        self.page.keyboard.type(day.strftime(self.date_order))
        assert self.page.input_value(selector) == day.isoformat(), selector

    def choose(self, selector, value):
        """The option `value` of a select, reached with the arrow keys from its first option."""
        self.tab_to(selector)
        self.page.keyboard.press("Home")
        for _step in range(100):
            if self.page.input_value(selector) == str(value):
                return
            self.page.keyboard.press("ArrowDown")
        raise AssertionError(f"{selector} has no option {value}")

    def tick(self, selector):
        self.tab_to(selector)
        self.page.keyboard.press("Space")
        assert self.page.is_checked(selector), selector

    def activate(self, selector):
        """Enter on a link or a form's button, and the page it leads to."""
        self.tab_to(selector)
        with self.page.expect_navigation():
            self.page.keyboard.press("Enter")


def test_one_persons_whole_journey_from_the_worklist_by_keyboard_in_few_page_loads(pilot, visit):
    today = timezone.localdate()  # the day the test runs, as the pages see it (not the day it was collected)
    club = demo_club()
    service = Service.objects.filter(pillar__code="social").first()
    activity = ActivityFactory(club=club, service=service, provider=club.operator, held_on=today, title="Warsztaty")
    v = visit("5-klawiatura-cala-droga")
    v.log_in("koordynator.kis")
    keys = Keyboard(v.page)
    loads = []
    v.page.on("framenavigated", lambda frame: loads.append(frame.url) if frame == v.page.main_frame else None)

    v.go("/klub/")
    v.check("lista-zadan")
    keys.activate("main a[href$='/uczestnicy/nowy/']")
    # Registration of a person referred by an organisation, with their consent.
    keys.type("#id_first_name", "Halina")
    keys.type("#id_last_name", "Klawiszowa")
    keys.type_date("#id_birth_date", today.replace(year=today.year - 45))
    keys.choose("#id_sex", "female")
    keys.type_date("#id_applied_on", today)
    referrer = v.page.eval_on_selector("#id_referred_by", "s => s.options[1].value")
    keys.choose("#id_referred_by", referrer)
    keys.type_date("#id_referred_on", today)
    keys.type_date("#id_consent_given_on", today)
    v.check("rejestracja")
    keys.activate("main button[type=submit]")
    enrollment = Participant.objects.get(last_name="Klawiszowa").enrollments.get()
    assert f"/zapisy/{enrollment.pk}/" in v.page.url
    v.check("akta-kandydat")

    # Qualification: the art. 1 category and the check of excluding benefits, on the case file.
    category = EligibilityCategory.objects.get(code="5")
    keys.tick(f"input[name='qualify-eligibility_categories'][value='{category.pk}']")
    keys.choose("#id_qualify-benefit_exclusion", "none")
    keys.activate("#step-qualify button[type=submit]")
    v.check("akta-zakwalifikowana")

    # The social contract, signed at once.
    keys.type("#id_contract-number", "KS/K/2026")
    keys.type_date("#id_contract-valid_from", today)
    keys.type_date("#id_contract-valid_until", today.replace(year=today.year + 1))
    keys.type("#id_contract-participant_obligations", "Udział w warsztatach")
    keys.type_date("#id_contract-signed_on", today)
    keys.activate("#step-contract button[type=submit]")
    v.check("akta-kontrakt")

    # Participation starts.
    keys.activate("form[action*='/transition/activate/'] button[type=submit]")
    v.check("akta-aktywna")

    # The plan with goals in two pillars.
    keys.choose("#id_plan-pillar_0", Pillar.objects.get(code="social").pk)
    keys.type("#id_plan-goal_0", "Odbudowa kontaktów")
    keys.choose("#id_plan-pillar_1", Pillar.objects.get(code="vocational").pk)
    keys.type("#id_plan-goal_1", "Kurs zawodowy")
    keys.activate("#step-plan button[type=submit]")
    v.check("akta-plan")

    # Attendance at today's workshop.
    keys.choose("#id_attendance-activity", activity.pk)
    keys.choose("#id_attendance-status", "present")
    keys.activate("#step-attendance button[type=submit]")
    v.check("akta-obecnosc")

    # Completion with the certificate.
    keys.choose("#id_complete_reason", "employment")
    keys.type("#id_complete_certificate_number", "KIS/K/2026")
    keys.activate("form[action*='/transition/complete/'] button[type=submit]")
    v.check("akta-zakonczenie")

    # The outcome, then the certificate.
    keys.choose("#id_outcome-situation", "employed")
    keys.tick("#id_outcome-vocational_reintegration_achieved")
    keys.activate("#step-outcome button[type=submit]")
    v.check("akta-rezultat")
    keys.activate(f"main a[href$='/zapisy/{enrollment.pk}/zaswiadczenie/']")
    assert "KIS/K/2026" in v.page.inner_text("main")
    v.check("zaswiadczenie")

    enrollment.refresh_from_db()
    assert enrollment.status == "completed" and enrollment.outcome.situation == "employed"
    assert enrollment.action_plan.goals.count() == 2 and activity.attendances.get().enrollment == enrollment
    print(f"\nkeyboard journey: {len(loads)} page loads from the worklist")
    for number, url in enumerate(loads, 1):
        print(f"  {number:2d}. {url}")
    assert len(loads) <= MAX_LOADS
