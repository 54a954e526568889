"""Every portal page reflows at 320 CSS pixels, and a refused form says what is wrong where the reader is."""

from django.urls import get_resolver, reverse
from django.utils import timezone

from clubs.models import Activity, Club
from demo.pilot import demo_club
from networks.models import Network
from participants.choices import EnrollmentStatusChoices
from participants.models import ActionPlan, Enrollment, SocialContract, Transfer
from tests.factories import TransferFactory

# The portal's pages that answer a GET with a page (not a file, not an action), by URL name.
NOT_PAGES = {
    "participants:record_json",
    "participants:withdraw_consent",
    "networks:document",
    "clubs:open_data_file",
    "clubs:open_data_dictionary",
    "second_factor:recovery_codes",
    "set_language",
    "start",  # a redirect to the role's page
    "participants:add_case_note",  # forms of the case file, posted only
    "participants:add_case_document",
    "participants:case_file_step",
    "participants:propose_transfer",
    "participants:answer_transfer",
    "participants:document",
    "api:schema",  # the API's answers are JSON; its documentation page is opened
    "api:figures_dashboard",
    "api:figures_region",
    "api:figures_annual",
}

SIDEWAYS = "document.documentElement.scrollWidth - window.innerWidth"


def portal_url_names():
    names = set()
    for pattern in get_resolver().url_patterns:
        namespace = getattr(pattern, "namespace", None)
        if namespace == "admin":
            continue
        for entry in getattr(pattern, "url_patterns", [pattern]):
            if getattr(entry, "name", None):
                names.add(f"{namespace}:{entry.name}" if namespace else entry.name)
    return names - NOT_PAGES


def pages(username):
    """(URL name, path) of the portal pages this account opens."""
    club = demo_club()
    done = Enrollment.objects.filter(club=club, status=EnrollmentStatusChoices.COMPLETED).order_by("pk").first()
    activity = Activity.objects.filter(club=club).order_by("-held_on", "pk").first()
    network = Network.objects.filter(hub_club=club).order_by("pk").first()
    # An active stay, whose case file holds every step's form, proposed for a transfer to another club.
    stay = Enrollment.objects.filter(club=club, status=EnrollmentStatusChoices.ACTIVE).order_by("pk").first()
    transfer = Transfer.objects.filter(enrollment=stay).first() or TransferFactory(
        enrollment=stay,
        to_club=Club.objects.filter(status="active").exclude(pk=club.pk).order_by("pk").first(),
        proposed_on=timezone.localdate(),
        consent_given_on=timezone.localdate(),
    )
    common = [("home", []), ("accessibility", []), ("clubs:directory", []), ("clubs:open_data", [])]
    networks = [("reporting:network_list", []), ("reporting:network_detail", [network.pk])]
    by_account = {
        None: common,
        "koordynator.kis": [
            ("participants:worklist", []),
            ("participants:register", []),
            ("participants:attendance", [activity.pk]),
            ("participants:timeline", [done.participant_id]),
            ("participants:record", [done.participant_id]),
            ("participants:certificate", [done.pk]),
            ("participants:case_file", [done.pk]),
            ("participants:case_file", [stay.pk]),
            ("participants:transfer", [transfer.pk]),
            ("participants:contract_paper", [SocialContract.objects.filter(enrollment__club=club).first().pk]),
            ("participants:plan_paper", [ActionPlan.objects.filter(enrollment__club=club).first().pk]),
            ("participants:reminders", []),
            ("reporting:quality", []),
            ("reporting:esf_participants", []),
            ("api:docs", []),
            *networks,
        ],
        "analityk": [
            ("reporting:dashboard", []),
            ("reporting:region", [club.region.terc]),
            ("reporting:annual", []),
            ("reporting:eu", []),
            ("reporting:quality", []),
            *networks,
        ],
    }
    return [(name, reverse(name, args=args)) for name, args in by_account[username]]


def test_every_portal_page_reflows_at_320_pixels(crawl_data, visit):
    """No page scrolls sideways at 320 CSS pixels (WCAG 1.4.10): the menu wraps, pictures shrink, wide
    tables scroll in their own box; and the reports fit a 1280-pixel screen."""
    seen, sideways = set(), []
    for username in (None, "koordynator.kis", "analityk"):
        v = visit(f"reflow-{username or 'anonymous'}")
        v.page.set_viewport_size({"width": 320, "height": 640})
        if username:
            v.log_in(username, on_second_step=lambda page: sideways.extend(overflow(page, "second_factor:verify")))
            seen.add("second_factor:verify")
        for name, path in pages(username):
            v.go(path)
            sideways.extend(overflow(v.page, name))
            seen.add(name)
        if username == "analityk":
            v.go(reverse("reporting:dashboard"))
            v.check("pulpit-320")  # axe at 320 pixels too, and a picture to look at
            v.page.set_viewport_size({"width": 1280, "height": 900})
            for name, path in pages(username):
                v.go(path)
                sideways.extend(overflow(v.page, f"{name} at 1280 px"))
    assert sideways == []
    assert portal_url_names() - seen == set(), "a portal page this test does not open"


def overflow(page, name):
    """[(name, url, pixels)] when the page scrolls sideways, with the elements that stick out."""
    extra = page.evaluate(SIDEWAYS)
    if extra <= 0:
        return []
    culprits = page.evaluate(
        """() => [...document.querySelectorAll("body *")]
          .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest(".table-wrap"))
          .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? "#" + e.id : ""))"""
    )
    return [(name, page.url, extra, culprits)]


def described_by_missing(page):
    """The ids that aria-describedby and aria-labelledby name and the page does not have."""
    return page.evaluate(
        """() => [...document.querySelectorAll("[aria-describedby], [aria-labelledby]")].flatMap(e =>
          [e.getAttribute("aria-describedby"), e.getAttribute("aria-labelledby")].join(" ").split(/\\s+/)
            .filter(id => id && !document.getElementById(id)).map(id => (e.id || e.tagName) + " → " + id))"""
    )


def summary_state(page):
    """The error summary's role, whether it has the focus, the fields it links to and those missing."""
    page.wait_for_load_state()
    return page.evaluate(
        """() => { const summary = document.querySelector(".error-summary");
          return summary && { role: summary.getAttribute("role"), focused: document.activeElement === summary,
            targets: [...summary.querySelectorAll("a")].map(a => a.getAttribute("href")),
            missing: [...summary.querySelectorAll("a")].map(a => a.getAttribute("href").slice(1))
              .filter(id => !document.getElementById(id)) }; }"""
    )


def test_a_refused_form_announces_its_errors_and_takes_the_reader_to_them(crawl_data, visit):
    v = visit("5-bledy")
    v.log_in("koordynator.kis")
    # The registration page: no sex chosen beforehand, required fields marked.
    v.go("/uczestnicy/nowy/")
    assert v.page.input_value("#id_sex") == ""
    assert v.page.locator("#id_first_name").get_attribute("required") is not None
    assert "*" in v.page.inner_text("label[for=id_first_name]")
    v.page.fill("#id_birth_date", "1990-01-01")
    v.page.click("main button[type=submit]")
    state = summary_state(v.page)
    assert state and state["role"] == "alert" and state["focused"], state
    assert {"#id_first_name", "#id_last_name", "#id_sex", "#id_applied_on"} <= set(state["targets"])
    assert state["missing"] == [] and described_by_missing(v.page) == []
    assert "id_first_name_error" in v.page.get_attribute("#id_first_name", "aria-describedby")
    v.page.click(".error-summary a[href='#id_sex']")
    assert v.page.evaluate("document.activeElement.id") == "id_sex"
    v.check("rejestracja-bledy")
    # The workbench: an activity saved without its fields, and a person's consent without its date.
    v.go("/admin/clubs/activity/add/")
    v.page.click("input[name=_save]")
    state = summary_state(v.page)
    assert state and state["role"] == "alert" and state["focused"], state
    assert "#id_title" in state["targets"] and state["missing"] == []
    assert described_by_missing(v.page) == []
    assert v.page.locator(".errornote:visible").count() == 0  # said once, by the summary
    v.check("zajecia-bledy")
    person = Enrollment.objects.filter(club=demo_club()).order_by("pk").first().participant
    v.go(f"/admin/participants/participant/{person.pk}/change/")
    v.page.fill("#id_consents-0-given_on", "")
    v.page.click("input[name=_continue]")
    state = summary_state(v.page)
    assert state and state["focused"] and "#id_consents-0-given_on" in state["targets"], state
    assert state["missing"] == [] and described_by_missing(v.page) == []
    v.check("zgody-bledy")
