"""The workbench and the portal speak correct Polish: cases, genders, no English left, one date format.

The grammar test walks the admin registry, so a model added to the admin is checked without new code;
it needs only its name declared in ksr_portal/grammar.py (a test below asks for every model's).
"""

import datetime
import html
import json
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.template import Context, Template
from django.urls import reverse
from django.utils import formats, translation
from django.utils.text import capfirst

from ksr_portal.admin import WordingMixin
from ksr_portal.grammar import NAMES, accusative, add_another
from ksr_portal.widgets import DatePicker
from tests import factories
from tests.test_admin import REGISTERED, admin_url, make_object

POLISH = {"HTTP_ACCEPT_LANGUAGE": "pl"}


@pytest.fixture
def superuser_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "root@example.org", "Secret-Password-123"))
    return client


def page_text(response):
    return html.unescape(response.content.decode())


def add_another_links(response):
    """The "Add another …" link of each inline on the page (the inline script's data)."""
    found = re.findall(r'data-inline-formset="([^"]*)"', response.content.decode())
    return [json.loads(html.unescape(data))["options"]["addText"] for data in found]


def has_phrase(text, phrase):
    """`phrase` as whole words: "Zmień uczestnik" is not in "Zmień uczestnika"."""
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text) is not None


def test_every_model_declares_its_polish_name():
    assert sorted(model._meta.label_lower for model in apps.get_models() if model._meta.label_lower not in NAMES) == []
    with translation.override("en"):  # English names are the same in every case
        assert all(accusative(model) == model._meta.verbose_name for model in apps.get_models())


def test_no_breadcrumb_repeats_the_app_as_its_model():
    """Not "Uczestnicy › Uczestnicy": an app is named apart from each of its models."""
    for language in ["pl", "en"]:
        with translation.override(language):
            repeated = [
                model._meta.label
                for model in REGISTERED
                if capfirst(model._meta.app_config.verbose_name) == capfirst(model._meta.verbose_name_plural)
            ]
            assert repeated == [], language


@pytest.mark.django_db
@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_every_admin_page_names_its_model_in_the_accusative(superuser_client, model):
    model_admin = admin.site._registry[model]
    assert isinstance(model_admin, WordingMixin)
    obj = make_object(model)
    with translation.override("pl"):
        worded, nominative = accusative(model), str(model._meta.verbose_name)

    pages = {"changelist": superuser_client.get(admin_url(model, "changelist"), **POLISH)}
    action = "change" if model_admin.has_change_permission(pages["changelist"].wsgi_request, obj) else "view"
    verb = "Zmień" if action == "change" else "Zobacz"
    pages["change"] = superuser_client.get(admin_url(model, "change", obj.pk), **POLISH)
    if model_admin.has_add_permission(pages["changelist"].wsgi_request):
        pages["add"] = superuser_client.get(admin_url(model, "add"), **POLISH)
    if model_admin.has_delete_permission(pages["changelist"].wsgi_request, obj):
        pages["delete"] = superuser_client.get(admin_url(model, "delete", obj.pk), **POLISH)
    texts = {name: page_text(page) for name, page in pages.items()}
    for inline in model_admin.get_inline_instances(pages["change"].wsgi_request, obj):
        with translation.override("pl"):
            expected = capfirst(add_another(inline.model))
        assert expected in add_another_links(pages["change"]), inline

    list_title = f"Wybierz {worded} do {'zmiany' if action == 'change' else 'obejrzenia'}"
    assert f"<h1>{list_title}</h1>" in texts["changelist"]
    assert f"<h1>{verb} {worded}</h1>" in texts["change"]
    if "add" in texts:
        assert f"<h1>Dodaj {worded}</h1>" in texts["add"]
        assert has_phrase(texts["changelist"], f"Dodaj {worded}")  # the list's button
        assert f"› Dodaj {worded}" in " ".join(texts["add"].split())  # the breadcrumb
    if "delete" in texts:
        assert f"usunąć {worded} „" in texts["delete"]
    for name, text in texts.items():
        if worded != nominative:
            for phrase in ["Dodaj", "Zmień", "Zobacz", "Wybierz", "usunąć"]:
                assert not has_phrase(text, f"{phrase} {nominative}"), (name, phrase)
        # Django's Polish for a name of any gender, as in "Dodaj kolejne(go)(-ną)(-ny) Zgoda".
        assert "(-ną)" not in text and "(-nych)" not in text and "(-na)" not in text, name


@pytest.mark.django_db
def test_an_inline_adds_another_row_in_the_gender_of_its_name(superuser_client):
    participant = factories.ParticipantFactory()
    page = superuser_client.get(admin_url(type(participant), "change", participant.pk), **POLISH)
    assert add_another_links(page) == ["Dodaj kolejną zgodę", "Dodaj kolejny zapis do klubu"]
    activity = factories.ActivityFactory()
    page = superuser_client.get(admin_url(type(activity), "change", activity.pk), **POLISH)
    assert add_another_links(page) == ["Dodaj kolejną obecność"]


@pytest.mark.django_db
def test_in_english_the_workbench_keeps_its_plain_words(superuser_client):
    participant = factories.ParticipantFactory()
    page = superuser_client.get(admin_url(type(participant), "change", participant.pk), HTTP_ACCEPT_LANGUAGE="en")
    assert "<h1>Change participant</h1>" in page_text(page)
    assert add_another_links(page) == ["Add another consent", "Add another enrollment"]
    delete = superuser_client.get(admin_url(type(participant), "delete", participant.pk), HTTP_ACCEPT_LANGUAGE="en")
    assert f'delete the participant "{participant}"?' in page_text(delete)


class VisibleText(HTMLParser):
    """The text a reader meets on a page: its text and the attributes read out or shown (alt, title…)."""

    SHOWN_ATTRIBUTES = {"alt", "title", "aria-label", "placeholder"}

    def __init__(self):
        super().__init__()
        self.parts, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in ("script", "style")
        if tag == "img" and dict(attrs).get("alt") in ("True", "False", "None"):
            return  # Django's yes/no icons, named by Python's words in every language (left to Django)
        self.parts += [value for name, value in attrs if name in self.SHOWN_ATTRIBUTES and value]
        if tag == "input" and dict(attrs).get("type") in ("submit", "button"):
            self.parts.append(dict(attrs).get("value") or "")

    def handle_endtag(self, tag):
        self.hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self.hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(response):
    parser = VisibleText()
    parser.feed(response.content.decode())
    return " | ".join(parser.parts)


# What the audit trail, the sign-in logs and the group and user forms said in English.
ENGLISH = [
    "Audit log", "Created", "Resource", "Action", "Changes", "Correlation ID", "Field", "Relationship",
    "create", "update", "delete", "access", "None", "True", "False", "system change",
    "first_name", "last_name", "created_at", "birth_date", "Consents", "Enrollments",
    "Axes", "Access attempts", "Access attempt", "Access failures", "access failure", "Access logs", "User Agent",
    "Attempted Access", "Access Log for", "Failed access", "Attempt Remaining", "Locked Out",
    "Clean up expired attempts", "Expires At", "Not set", "Access lock out",
    "Can add", "Can change", "Can delete", "Can view", "Search", "Otp_Totp", "Otp_Static", "TOTP device",
    "static device", "static token", "log entry",
]  # fmt: skip


@pytest.mark.django_db
def test_the_audit_trail_the_sign_in_logs_and_the_account_forms_have_no_english_left(superuser_client):
    from auditlog.models import LogEntry
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.auth.models import Group, User

    participant = factories.ParticipantFactory(first_name="Anna")
    participant.first_name = "Anna Maria"
    participant.save()
    request = {"username": "someone", "ip_address": "127.0.0.1", "user_agent": "test", "http_accept": "*/*"}
    rows = [
        *LogEntry.objects.get_for_object(participant),
        AccessAttempt.objects.create(path_info="/admin/login/", failures_since_start=2, **request),
        AccessLog.objects.create(path_info="/admin/login/", **request),
        AccessFailureLog.objects.create(path_info="/admin/login/", **request),
    ]
    urls = [admin_url(type(row), "changelist") for row in rows] + [
        admin_url(type(row), "change", row.pk) for row in rows
    ]
    urls += [admin_url(Group, "add"), admin_url(User, "change", factories.UserFactory().pk)]
    for url in urls:
        response = superuser_client.get(url, **POLISH)
        assert response.status_code == 200, url
        text = visible_text(response)
        left = [english for english in ENGLISH if has_phrase(text, english)]
        assert left == [], (url, left)
        assert "Zamknij klub" not in text  # Django's "Close" is not the club's transition
    group_form = visible_text(superuser_client.get(admin_url(Group, "add"), **POLISH))
    assert "Uczestnicy i ich ścieżki | uczestnik | Może dodać uczestnika" in group_form
    assert "Może przeglądać numer PESEL, datę urodzenia i gminę uczestnika" in group_form  # a permission of our own


@pytest.mark.django_db
def test_a_page_to_read_shows_no_field_of_the_form_alone(client):
    """ "Confirm not duplicate: None": a read-only page showed the form's own confirmation field."""
    from ksr_portal import roles
    from ksr_portal.models import UserScope

    analyst = factories.UserFactory(is_staff=True)
    analyst.groups.add(roles.role_group(roles.MINISTRY_ANALYST))
    UserScope.objects.create(user=analyst, level="national")
    client.force_login(analyst)
    for obj in [factories.OrganizationFactory(), factories.ActivityFactory()]:
        text = visible_text(client.get(admin_url(type(obj), "change", obj.pk), **POLISH))
        assert "Zobacz" in text
        for label in ["Confirm not duplicate", "Repeat weekly until", "None"]:
            assert not has_phrase(text, label)
        assert "podobnych" not in text and "co tydzień" not in text  # nor the fields' Polish labels


# ---------------------------------------------------------------------------------------------------
# One format of dates and times
# ---------------------------------------------------------------------------------------------------

MOMENT = datetime.datetime(2024, 3, 12, 7, 5, 9, 123456, tzinfo=datetime.UTC)  # 08:05 in Warsaw


@pytest.mark.parametrize("language", ["pl", "en"])
def test_dates_and_times_read_dd_mm_yyyy_and_local_hh_mm_in_every_language(language):
    template = Template("{{ day }}|{{ moment }}|{{ moment|date:'SHORT_DATETIME_FORMAT' }}|{{ moment|time }}")
    with translation.override(language):
        text = template.render(Context({"day": datetime.date(2024, 3, 12), "moment": MOMENT}))
        assert text == "12.03.2024|12.03.2024 08:05|12.03.2024 08:05|08:05"
        assert formats.date_format(datetime.date(2024, 3, 12)) == "12.03.2024"


@pytest.mark.parametrize("language", ["pl", "en"])
def test_a_date_picker_holds_an_iso_date_whatever_the_page_shows(language):
    with translation.override(language):
        html_input = DatePicker().render("on", datetime.date(2024, 3, 12))
    assert 'type="date"' in html_input and 'value="2024-03-12"' in html_input


@pytest.mark.django_db
def test_a_persons_record_shows_dates_as_the_portal_does_and_its_file_keeps_iso(client):
    from tests.test_data_subject import club_user

    enrollment = factories.EnrollmentFactory(participant__birth_date=datetime.date(1984, 8, 24))
    person = enrollment.participant
    client.force_login(club_user(enrollment.club))
    page = visible_text(client.get(reverse("participants:record", args=[person.pk]), **POLISH))
    assert "24.08.1984" in page and "1984-08-24" not in page
    assert re.search(r"\d{4}-\d\d-\d\d", page) is None  # no ISO date or time anywhere on the page
    data = client.get(reverse("participants:record_json", args=[person.pk])).json()
    assert data["participant"]["birth_date"] == "1984-08-24"


@pytest.mark.django_db
def test_the_audit_trail_and_the_sign_in_logs_show_local_times_without_seconds(superuser_client):
    from auditlog.models import LogEntry
    from axes.models import AccessLog

    participant = factories.ParticipantFactory()
    entry = LogEntry.objects.get_for_object(participant).get()
    LogEntry.objects.filter(pk=entry.pk).update(timestamp=MOMENT)
    sign_in = AccessLog.objects.create(username="someone", ip_address="127.0.0.1", user_agent="test")
    AccessLog.objects.filter(pk=sign_in.pk).update(attempt_time=MOMENT)
    for url in [admin_url(LogEntry, "changelist"), admin_url(LogEntry, "change", entry.pk)]:
        text = visible_text(superuser_client.get(url, **POLISH))
        assert "12.03.2024 08:05" in text
        assert re.search(r"\d{4}-\d\d-\d\d|\d\d:\d\d:\d\d", text) is None, url  # no ISO, no seconds, no UTC
    for url in [admin_url(AccessLog, "changelist"), admin_url(AccessLog, "change", sign_in.pk)]:
        text = visible_text(superuser_client.get(url, **POLISH))
        assert "12.03.2024 08:05" in text
        assert re.search(r"\d{4}-\d\d-\d\d|\d\d:\d\d:\d\d|\+00:00", text) is None, url


# ---------------------------------------------------------------------------------------------------
# A person in their grammatical gender
# ---------------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sex, words",
    [
        ("female", ["Nowak Anna brała udział", "ukończyła udział"]),
        ("male", ["Nowak Anna brał udział", "ukończył udział"]),
        ("non_binary", ["osoba Nowak Anna brała udział", "ukończyła udział"]),
    ],
)
def test_the_certificate_speaks_of_its_holder_in_their_grammatical_gender(client, sex, words):
    from tests.test_data_subject import club_user

    enrollment = factories.EnrollmentFactory(
        completed=True, participant__sex=sex, participant__first_name="Anna", participant__last_name="Nowak"
    )
    client.force_login(club_user(enrollment.club))
    text = visible_text(client.get(reverse("participants:certificate", args=[enrollment.pk]), **POLISH))
    assert all(word in text for word in words), text
    assert "(a)" not in text
    assert f"od {enrollment.started_on:%d.%m.%Y} do {enrollment.exit_on:%d.%m.%Y}" in text


def test_no_status_or_label_takes_a_persons_gender_for_granted():
    """Labels shown of anyone (statuses, exit reasons, situations) speak of the record, not as "ukończył"."""
    from participants import choices

    with translation.override("pl"):
        labels = [
            str(label)
            for name in dir(choices)
            if name.endswith("Choices") and name != "ParticipantSexChoices"
            for _value, label in getattr(choices, name).choices
        ]
    gendered = re.compile(r"\b(ukończył|przerwał|zrealizował|podjął|przeszedł|obecny|nieobecny|bezrobotny|pracujący)\b")
    assert [label for label in labels if gendered.search(label)] == []
    catalog = (settings.BASE_DIR / "locale/pl/LC_MESSAGES/django.po").read_text()
    translations = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', catalog, re.M)
    assert [text for text in translations if re.search(r"\w\(a\)", text)] == []  # no "był(a)" left to the reader


# ---------------------------------------------------------------------------------------------------
# Portal forms: labels as sentences begin, without a colon
# ---------------------------------------------------------------------------------------------------


def form_labels(response):
    """The text of every label and legend of the page's forms."""
    return [
        html.unescape(re.sub(r"<[^>]+>", "", text)).strip()
        for text in re.findall(r"<(?:label|legend)\b[^>]*>(.*?)</(?:label|legend)>", response.content.decode(), re.S)
    ]


@pytest.mark.django_db
def test_portal_forms_label_their_fields_capitalised_and_without_a_colon(client):
    from tests.test_data_subject import club_user

    client.force_login(club_user(factories.ClubFactory()))
    pages = [reverse("participants:register"), reverse("clubs:directory")]
    for url in pages:
        labels = form_labels(client.get(url, **POLISH))
        assert labels, url
        assert [label for label in labels if label.endswith(":") or not label[:1].isupper()] == [], url
    labels = {label.removesuffix(" *") for label in form_labels(client.get(pages[0], **POLISH))}  # * marks required
    assert {"Imię", "Nazwisko", "Data urodzenia", "Płeć"} <= labels
