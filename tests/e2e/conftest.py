"""End-to-end tests in a real browser: Debian's Chromium driven by Playwright, pages checked with axe-core.

They run when KSR_E2E is set (`.ci/run` sets it after installing Chromium and axe-core); then a
missing browser or axe is a failure, not a skip. Screenshots go to `screenshots/` (ignored by git).
"""

import importlib
import json
import os
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from clubs.models import Service
from demo.pilot import DEMO_PASSWORD, DEMO_TOTP_KEY, DemoData, create_demo_accounts, demo_club
from ksr_portal.workflow import recording_history
from stakeholders.models import Organization
from tests import factories

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"

if not os.environ.get("KSR_E2E"):
    pytest.skip("end-to-end tests run with KSR_E2E=1 (as .ci/run does)", allow_module_level=True)

# Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def second_factor(settings):
    """People sign in as the portal asks them to: with the password, then a code from their app."""
    settings.TWO_FACTOR = "roles"


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("KSR_CHROMIUM", "/usr/bin/chromium"), args=["--no-sandbox", "--lang=pl-PL"]
        )
        yield browser
        browser.close()


@pytest.fixture
def pilot(transactional_db, live_server, settings):
    # Browser tests run against a live server, so each ends with the tables emptied: the closed lists
    # that migrations create (pillars, eligibility categories) are put back first.
    for migration, function in [
        ("clubs.migrations.0003_pillars", "create_pillars"),
        ("participants.migrations.0002_eligibility_categories", "create_categories"),
    ]:
        getattr(importlib.import_module(migration), function)(apps, None)
    settings.DEBUG = True  # the demo accounts command runs only in development
    call_command("loaddata", "pilot", verbosity=0)
    create_demo_accounts()
    settings.DEBUG = False


@pytest.fixture
def crawl_data(pilot, settings):
    """The pilot data and, for the demo club, the demo's people, network, activities and attendance, so
    that lists have rows; and a row of each kind the demo does not make, in the demo club's region."""
    settings.DEBUG = True
    club = demo_club()
    with recording_history():
        DemoData(seed=2026).generate([club])
    settings.DEBUG = False
    enrollment = club.enrollments.order_by("pk").first()
    partner = Organization.objects.filter(memberships__network__hub_club=club).order_by("pk").first()
    factories.ReferralFactory(enrollment=enrollment, organization=partner, service=Service.objects.first())
    factories.ContactPersonFactory(organization=partner)
    factories.StaffPositionFactory(club=club)
    factories.AnimationDeliverableFactory(team=factories.AnimationTeamFactory(region=club.region))


# axe without the rules that report only minor or moderate problems (a rule's impact is its own): the
# same serious and critical findings, sooner.
AXE_RUN = """async () => {
  const rules = Object.fromEntries(((axe._audit || {}).rules || [])
    .filter(rule => rule.impact && !["serious", "critical"].includes(rule.impact))
    .map(rule => [rule.id, {enabled: false}]));
  return await axe.run(document, {resultTypes: ["violations"], rules});
}"""
# The same, started and left running (a crawl checks one page while it opens the next), then awaited.
AXE_START = f"() => {{ window.axeFindings = ({AXE_RUN})(); }}"
AXE_FINDINGS = "async () => await window.axeFindings"


def serious(result):
    """axe's serious and critical violations: rule, impact and the first targets."""
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


class Visit:
    """A person at the browser: opens pages, fills forms, and has every page checked by axe."""

    def __init__(self, page, live_server, journey):
        self.page, self.base, self.journey = page, live_server.url, journey
        self.checked = []

    def go(self, path):
        response = self.page.goto(self.base + path)
        return response

    def log_in(self, username, on_second_step=None):
        """Signs in with the demo password and, where asked, the demo app's code; `on_second_step(page)`
        is called on the page that asks for the code."""
        self.go("/admin/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", DEMO_PASSWORD)
        self.page.click("input[type=submit]")
        assert "/admin/login/" not in self.page.url
        if "/weryfikacja-dwuetapowa/" in self.page.url:
            # The demo app's code; a code is good once, so a second sign-in in the same 30 s may reuse it.
            if on_second_step:
                on_second_step(self.page)
            TOTPDevice.objects.filter(user__username=username).update(last_t=-1)
            self.page.fill("#id_code", f"{TOTP(bytes.fromhex(DEMO_TOTP_KEY)).token():06d}")
            self.page.press("#id_code", "Enter")
            assert "/weryfikacja-dwuetapowa/" not in self.page.url

    def violations(self):
        """axe's serious and critical violations on the page as it is now."""
        return serious(self.page.evaluate(AXE_RUN))

    def check(self, name):
        """axe on the page as it is now: no serious or critical violation; and a screenshot."""
        serious = self.violations()
        SCREENSHOTS.mkdir(exist_ok=True)
        self.page.screenshot(
            path=str(SCREENSHOTS / f"{self.journey}-{len(self.checked) + 1:02d}-{name}.png"), full_page=True
        )
        self.checked.append((name, self.page.url))
        assert serious == [], json.dumps(serious, indent=1)


@pytest.fixture(scope="session")
def axe():
    return Path(os.environ.get("KSR_AXE", "")).read_text()


@pytest.fixture
def visit(browser, axe, live_server, request):
    """`visit(journey)`: a person at a browser of their own (their own cookies, so their own sign-in)."""
    contexts = []

    def new_visit(journey):
        context = browser.new_context(bypass_csp=True, locale="pl-PL", viewport={"width": 1280, "height": 900})
        context.add_init_script(script=axe)  # every page has axe at hand
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15000)
        return Visit(page, live_server, journey)

    yield new_visit
    for context in contexts:
        context.close()
