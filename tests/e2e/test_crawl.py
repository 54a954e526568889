"""Every page a role can reach, checked by axe: each demo account signs in and follows the links it is shown.

The crawl keeps to this site's pages opened by a plain GET: no sign-out, no export, no deletion, no
file. Pages of one kind are sampled, since a page's template decides what axe finds: two of the
portal's (a person's timeline and record, a network), one of the workbench's (a model's change form,
an object's history, a model's import, a transition's form). Every admin model's list, add and change
page that the role can open must have been reached, and no page may have a serious or critical
violation, answer with a server error, or link to a page that refuses its reader (403, 404).

Two tabs take turns, so that axe checks one page while the next one loads: the crawl of all the
accounts stays within a few minutes on two cores. What axe finds is the templates', the same on any
database, so CI crawls on SQLite only (the journeys run on both).
"""

import gettext
import importlib
import json
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import RequestFactory
from django.utils.translation import trans_real

from demo.pilot import DEMO_ACCOUNTS

from .conftest import AXE_FINDINGS, AXE_START, SCREENSHOTS, serious

# Paths never opened: they act (sign out, export, delete, download) or leave the page's content.
SKIP = re.compile(
    r"/logout/|/export/|/delete/|/i18n/|/jsi18n/|/static/|/media/|/autocomplete/|/admin/r/"
    r"|/dokumenty/|\.(csv|json|xlsx|xls|ods|pdf|zip)$|/kody-zapasowe/"
)
# Every link's address, SVG links (the tile map's) included.
LINKS = """[...document.querySelectorAll("a")]
  .map(a => a.getAttribute("href") || a.getAttribute("xlink:href"))
  .filter(Boolean).map(href => new URL(href, document.baseURI).href)"""
# Pages of the workbench that one template draws for every model: one of each is enough.
ONE_TEMPLATE = [
    (re.compile(r"^/admin/\w+/$"), "/admin/APP/"),
    (re.compile(r"^/admin/\w+/\w+/N/history/$"), "/admin/MODEL/N/history/"),
    (re.compile(r"^/admin/\w+/\w+/import/$"), "/admin/MODEL/import/"),
    (re.compile(r"^(/admin/\w+/\w+/N/transition/)\w+/$"), r"\1NAME/"),
]


# The English phrases of Django and the libraries the portal shows: any of them on a Polish page was
# left untranslated. They are the msgids of the catalogues the libraries ship, the ones of two words or
# more that begin with a capital, as headings, buttons and messages do.
LIBRARIES = ["django", "auditlog", "axes", "import_export", "django_otp", "django_filters"]
WORDS = re.compile(r"[A-Z][A-Za-z']*(?:[ ,'-]+[A-Za-z']+)+[.:?!]?")


def english_phrases():
    phrases = set()
    for library in LIBRARIES:
        root = Path(importlib.import_module(library).__file__).parent
        for catalogue in root.glob("**/locale/*/LC_MESSAGES/django.mo"):
            with catalogue.open("rb") as file:
                msgids = gettext.GNUTranslations(file)._catalog
            phrases |= {m for m in msgids if isinstance(m, str) and WORDS.fullmatch(m) and len(m) >= 10}
    # A name Polish keeps as it is ("Nagłówek HTTP Accept") is no leftover.
    polish = " ".join(str(text) for _key, text in trans_real.translation("pl")._catalog.items())
    return {phrase for phrase in phrases if phrase not in polish}


ENGLISH = english_phrases()
VISIBLE_TEXT = "document.body.innerText"


def kind(path):
    """The page's kind: its path with every key in it replaced (`/admin/clubs/club/N/change/`), and
    the workbench's pages of one template for every model (or transition) taken as one."""
    path = re.sub(r"/\d+(?=/|\.|$)", "/N", path)
    for pattern, replacement in ONE_TEMPLATE:
        if pattern.match(path):
            return pattern.sub(replacement, path)
    return path


def sample(path):
    """How many pages of a kind are opened."""
    return 1 if path.startswith("/admin/") else 2


def crawl(v, start):
    """{path: (status, the page it was linked from, violations)} of the pages reached from `start`, the
    paths asked for (a path that redirects is asked for, and its target visited), and {path: English
    sentences of Django or a library shown on it}."""
    origin = urlsplit(v.base)
    tabs = [v.page, v.page.context.new_page()]
    showing = [None, None]  # the path each tab shows, whose axe findings are still to be read
    queue, kinds, visited, asked, english = list(start), {}, {}, set(), {}
    found_on = dict.fromkeys(start)

    def read_findings(tab):
        path = showing[tab]
        if path is not None:
            status, source, _ = visited[path]
            visited[path] = (status, source, serious(tabs[tab].evaluate(AXE_FINDINGS)))
            showing[tab] = None

    turn = 0
    while queue:
        path = queue.pop(0)
        if kinds.get(kind(path), 0) >= sample(path):
            continue
        read_findings(turn)
        page = tabs[turn]
        response = page.goto(v.base + path)
        asked.add(path)
        final = urlsplit(page.url).path
        if final != path and final in visited:
            continue
        kinds[kind(final)] = kinds.get(kind(final), 0) + 1
        visited[final] = (response.status if response else None, found_on[path], None)
        text = page.evaluate(VISIBLE_TEXT)
        english[final] = sorted(phrase for phrase in ENGLISH if phrase in text)
        for href in page.evaluate(LINKS):
            link = urlsplit(href)
            if link.netloc != origin.netloc or link.scheme not in ("http", "https"):
                continue
            if link.query or SKIP.search(link.path) or link.path in found_on:
                continue
            found_on[link.path] = final
            queue.append(link.path)
        page.evaluate(AXE_START)
        showing[turn] = final
        turn = 1 - turn
    read_findings(0)
    read_findings(1)
    tabs[1].close()
    return visited, asked, {path: phrases for path, phrases in english.items() if phrases}


def openable(username):
    """The admin pages the role can open: each model's list, its add page, and whether it has a row to change."""
    request = RequestFactory().get("/admin/")
    request.user = get_user_model().objects.get(username=username)
    pages = []
    for app in admin.site.get_app_list(request):
        for entry in app["models"]:
            model_admin = admin.site.get_model_admin(entry["model"])
            pages.append((entry["admin_url"], entry.get("add_url"), model_admin.get_queryset(request).exists()))
    return pages


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the crawl runs once, on SQLite")
@pytest.mark.parametrize("username", list(DEMO_ACCOUNTS))
def test_every_page_a_role_reaches_passes_axe(crawl_data, visit, username):
    v = visit(f"crawl-{username}")
    started = time.monotonic()
    v.log_in(username)
    visited, asked, english = crawl(v, ["/", "/admin/"])
    problems = [
        {"url": path, "status": status, "linked_from": source, "violations": violations}
        for path, (status, source, violations) in visited.items()
        if violations or not status or status >= 500
    ]
    # A page offers only what its reader may open: a link answering 403 or 404 is a page's mistake.
    refused = [(path, status, source) for path, (status, source, _) in visited.items() if status and status >= 400]
    missing = []
    for changelist, add, has_rows in openable(username):
        missing += [page for page in (changelist, add) if page and page not in asked]
        change = re.compile(re.escape(changelist) + r"\d+/change/$")
        if has_rows and not any(change.match(path) for path in visited):
            missing.append(f"{changelist}N/change/")
    print(f"\n{username}: {len(visited)} pages in {time.monotonic() - started:.1f} s")
    report = json.dumps(problems, indent=1, ensure_ascii=False)
    SCREENSHOTS.mkdir(exist_ok=True)
    (SCREENSHOTS / f"crawl-{username}.json").write_text(report)
    assert not problems, report
    assert not missing, f"not reached: {missing}"
    assert not refused, f"links refused (path, status, linked from): {refused}"
    assert not english, f"English on the Polish pages: {json.dumps(english, indent=1)}"
