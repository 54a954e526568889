"""Odd parameters on every page the scope matrix walks: no answer is a server error.

The world and the walk are tests/test_scope_matrix.py's: admin changelists, add, change, history
and delete pages, autocomplete endpoints, exports and portal pages. Each page is asked with each of
a fixed set of odd values in each parameter it knows and in each identifier of its path, and may
answer a 200, a redirect or a 4xx, never a 5xx. What a page knows is read from its answer to the
plain request: a changelist's filters (`cl.filter_specs`, with the date hierarchy) and its search,
an add page's form fields (the admin prefills them from the query), an autocomplete endpoint's
search term; the portal's report and directory pages read their forms' fields.

To stay within a minute the walk is sampled, deterministically:
- each role opens each page once as it is (a portal page of an object: the first in the role's
  scope), and each odd request is made once, by the roles that opened its page in turn;
- what every page of a kind reads alike (the admin's ordering, page, popup and to-field variables,
  an autocomplete endpoint's model and field, an export's filters) is tried on the first page of
  the kind. So are the admin's change, history and delete pages; the identifier in the path of
  each model's change page is tried by the roles that may list the model. An autocomplete
  endpoint's search term is tried once for the records it searches;
- an `__isnull` filter, which Django reads as yes or no, is tried with one value of each;
- an add page is prefilled in every field at once with each value, each field on its own only when
  that fails, to name the field.

tests/test_bad_input.py pins down each fix this test found.
"""

import itertools
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.apps import apps
from django.contrib.admin.views.main import (
    ALL_VAR,
    ERROR_FLAG,
    IS_FACETS_VAR,
    IS_POPUP_VAR,
    ORDER_VAR,
    PAGE_VAR,
    SEARCH_VAR,
    TO_FIELD_VAR,
)
from django.db import transaction
from django.urls import resolve

from clubs.filters import DirectoryFilter
from reporting.forms import ComparisonForm, PeriodForm, YearForm

from . import factories as f
from .test_scope_matrix import admin_paths, portal_paths, world  # noqa: F401 (world is a fixture)

pytestmark = pytest.mark.django_db

ODD_VALUES = {
    "abc": "abc",
    "-1": "-1",
    "0": "0",
    "20 nines": "9" * 20,
    "10**30": str(10**30),
    "0001-01-01": "0001-01-01",
    "9999-12-31": "9999-12-31",
    "10 kB": "9" * 10_240,  # a number of 10 240 digits, beyond what int() reads
    "NUL": "a\x00b",
    "SQL": "'; --",
    "unicode": "Zażółć gęślą jaźń ∑ 🦄 \u202e",
}

# Django reads an `__isnull` filter as yes for any value but "", "0" and "false": one of each stands for all.
ISNULL_VALUES = ["abc", "0"]

ROLES = ["superuser", "rops", "coordinator", "instructor"]

# What every page of a kind reads alike: tried on the first page of the kind.
OBJECT_VARS = [TO_FIELD_VAR, IS_POPUP_VAR, "_changelist_filters"]
GENERIC_VARS = {
    "changelist": [ORDER_VAR, PAGE_VAR, ERROR_FLAG, ALL_VAR, TO_FIELD_VAR, IS_POPUP_VAR, IS_FACETS_VAR],
    "add": OBJECT_VARS,
    "change": OBJECT_VARS,
    "history": OBJECT_VARS,
    "delete": OBJECT_VARS,
    "autocomplete": ["app_label", "model_name", "field_name", "page"],
    "export": ["format", "no_such_filter"],  # an export reads the changelist's filters, as the changelist does
}
OBJECT_PAGES = ("change", "history", "delete")
# The portal pages' parameters, as their views read them (reporting/views.py, clubs/views.py); the
# other portal pages read none.
PORTAL_PARAMS = {
    "reporting:dashboard": [*PeriodForm.base_fields, "miara", "format"],
    "reporting:region": [*PeriodForm.base_fields, *ComparisonForm.base_fields, "format"],
    "reporting:annual": [*YearForm.base_fields, "region", "format"],
    "reporting:eu": [*PeriodForm.base_fields, "format"],
    "clubs:directory": [*DirectoryFilter.base_filters, "strona"],
}


@dataclass
class Page:
    kind: str
    params: list = field(default_factory=list)  # tried one at a time
    prefill: list = field(default_factory=list)  # an add page's fields, tried all at once
    urls: dict = field(default_factory=dict)  # the page's URL for each role that opened it


@dataclass
class Odd:
    path: str
    query: dict
    changed: str
    value: str
    prefill: list = field(default_factory=list)  # if prefilling every field fails: the fields to try one by one


def split(url):
    parts = urlsplit(url)
    return parts.path, dict(parse_qsl(parts.query, keep_blank_values=True))


def view_name(url):
    return resolve(split(url)[0]).view_name


def kind_of(name):
    if name == "admin:autocomplete":
        return "autocomplete"
    return name.rsplit("_", 1)[-1] if name.startswith("admin:") else name


def walk_by_page():
    """The walk's URLs by the page they open: an object's page of a model, an autocomplete endpoint of a field."""
    pages = {}
    for _model, url in [*admin_paths(), *portal_paths()]:
        query = split(url)[1]
        key = view_name(url), tuple(sorted((k, v) for k, v in query.items() if k != "term"))
        pages.setdefault(key, []).append(url)
    return pages


def read_page(kind, response):
    """The page's own parameters, from its answer to the plain request."""
    context = response.context or {}
    if kind == "changelist":
        cl = context["cl"]
        params = [name for spec in cl.filter_specs for name in spec.expected_parameters()]
        if cl.date_hierarchy:
            params += [f"{cl.date_hierarchy}__{part}" for part in ("year", "month", "day")]
        return Page(kind, [*params, SEARCH_VAR])
    if kind == "add":
        return Page(kind, prefill=list(context["adminform"].form.fields))
    if kind == "autocomplete":
        return Page(kind, ["term"])
    return Page(kind, PORTAL_PARAMS.get(kind, []))


def odd_requests(page, url, first_of_kind):
    """The odd requests made of a page at `url`: its parameters, then the identifiers in its path."""
    path, query = split(url)
    for param in dict.fromkeys([*page.params, *(GENERIC_VARS.get(page.kind, []) if first_of_kind else [])]):
        for label, value in ODD_VALUES.items():
            if label in ISNULL_VALUES or not param.endswith("__isnull"):
                yield Odd(path, {**query, param: value}, f"?{param}=", label)
    if page.prefill:
        for label, value in ODD_VALUES.items():
            yield Odd(path, {**query, **dict.fromkeys(page.prefill, value)}, "?<every field>=", label, page.prefill)
    yield from odd_paths(url)


def odd_paths(url):
    path, query = split(url)
    segments = path.split("/")
    for name, arg in resolve(path).kwargs.items():
        if str(arg) in segments:
            index = segments.index(str(arg))
            for label, value in ODD_VALUES.items():
                odd_path = "/".join([*segments[:index], quote(value, safe=""), *segments[index + 1 :]])
                yield Odd(odd_path, query, f"<{name}>", label)


def get(client, path, query):
    # A failed query aborts a PostgreSQL transaction: roll the request back, so the next one runs.
    with transaction.atomic():
        response = client.get(path, query)
        if response.status_code >= 500:
            transaction.set_rollback(True)
    return response


def failure(response):
    exc_info = getattr(response, "exc_info", None)
    error = exc_info[1] if exc_info else None
    return f"{response.status_code} {type(error).__name__}: {str(error)[:150]}" if error else response.status_code


def test_no_odd_parameter_is_a_server_error(client, world):  # noqa: F811
    users = {label: world.users.get(label) for label in ROLES}
    users["superuser"] = f.UserFactory(username="fuzz-root", is_staff=True, is_superuser=True)
    client.raise_request_exception = False
    failures, requests = [], dict.fromkeys(ROLES, 0)

    # Each role opens each page as it is: the first of its URLs the role may open. Of the admin's object
    # pages only the first of each kind, whose parameters stand for all.
    walk, pages, first_keys = walk_by_page(), {}, {}
    for key in walk:
        first_keys.setdefault(kind_of(key[0]), key)
    for label, user in users.items():
        client.force_login(user)
        for key, urls in walk.items():
            kind = kind_of(key[0])
            if kind in OBJECT_PAGES and first_keys[kind] != key:
                continue
            for url in urls:
                response = get(client, *split(url))
                requests[label] += 1
                if response.status_code >= 500:
                    failures.append((label, url, "", "", failure(response)))
                if response.status_code == 200:
                    pages.setdefault(key, read_page(kind, response)).urls[label] = url
                if response.status_code != 404:
                    break

    # Each odd request is made once, by the roles that opened its page in turn: the i-th of a page's
    # odd requests by one role, of that role's URL of the page.
    turn, planned = itertools.count(), {label: [] for label in ROLES}

    def plan(sequences):
        roles = list(sequences)
        for i in range(len(sequences[roles[0]]) if roles else 0):
            label = roles[next(turn) % len(roles)]
            planned[label].append(sequences[label][i])

    searched = set()
    for key, page in pages.items():
        first = first_keys[page.kind] == key
        if page.kind == "autocomplete":
            # The term is searched by the admin of the field's records, whichever field points to them.
            query = dict(key[1])
            target = apps.get_model(query["app_label"], query["model_name"])._meta.get_field(query["field_name"])
            if target.related_model in searched:
                page.params = []
            searched.add(target.related_model)
        plan({label: list(odd_requests(page, url, first)) for label, url in page.urls.items()})
    # The identifier of every model's change page, by the roles that may list the model.
    for key, urls in walk.items():
        if kind_of(key[0]) == "change" and key != first_keys["change"]:
            changelist = pages.get((key[0].removesuffix("_change") + "_changelist", ()))
            if changelist:
                plan(dict.fromkeys(changelist.urls, list(odd_paths(urls[0]))))

    for label, odds in planned.items():
        client.force_login(users[label])
        for odd in odds:
            response = get(client, odd.path, odd.query)
            requests[label] += 1
            if response.status_code < 500:
                continue
            if not odd.prefill:
                failures.append((label, odd.path[:100], odd.changed, odd.value, failure(response)))
                continue
            for name in odd.prefill:
                response = get(client, odd.path, {name: ODD_VALUES[odd.value]})
                requests[label] += 1
                if response.status_code >= 500:
                    failures.append((label, odd.path, f"?{name}=", odd.value, failure(response)))
    print(f"\n{len(pages)} pages opened; requests by role: {requests}; {len(failures)} server errors")
    assert failures == [], "\n".join(map(str, failures))
