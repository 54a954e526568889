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

from demo.pilot import DEMO_PASSWORD, DEMO_TOTP_KEY, create_demo_accounts

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"

if not os.environ.get("KSR_E2E"):
    pytest.skip("end-to-end tests run with KSR_E2E=1 (as .ci/run does)", allow_module_level=True)

# Playwright's sync API runs an event loop in this thread; the tests' own ORM calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def no_figures_cache():
    """The live server commits every write, so the report figures' cache runs as in production."""


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


class Visit:
    """A person at the browser: opens pages, fills forms, and has every page checked by axe."""

    def __init__(self, page, live_server, journey):
        self.page, self.base, self.journey = page, live_server.url, journey
        self.checked = []
        self.axe = Path(os.environ.get("KSR_AXE", "")).read_text()

    def go(self, path):
        response = self.page.goto(self.base + path)
        return response

    def log_in(self, username):
        self.go("/admin/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", DEMO_PASSWORD)
        self.page.click("input[type=submit]")
        assert "/admin/login/" not in self.page.url
        if "/weryfikacja-dwuetapowa/" in self.page.url:
            # The demo app's code; a code is good once, so a second sign-in in the same 30 s may reuse it.
            TOTPDevice.objects.filter(user__username=username).update(last_t=-1)
            self.page.fill("#id_code", f"{TOTP(bytes.fromhex(DEMO_TOTP_KEY)).token():06d}")
            self.page.press("#id_code", "Enter")
            assert "/weryfikacja-dwuetapowa/" not in self.page.url

    def check(self, name):
        """axe on the page as it is now: no serious or critical violation; and a screenshot."""
        self.page.add_script_tag(content=self.axe)
        result = self.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        SCREENSHOTS.mkdir(exist_ok=True)
        self.page.screenshot(
            path=str(SCREENSHOTS / f"{self.journey}-{len(self.checked) + 1:02d}-{name}.png"), full_page=True
        )
        self.checked.append((name, self.page.url))
        assert serious == [], json.dumps(serious, indent=1)


@pytest.fixture
def visit(browser, live_server, request):
    context = browser.new_context(bypass_csp=True, locale="pl-PL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15000)
    yield lambda journey: Visit(page, live_server, journey)
    context.close()
