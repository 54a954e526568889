"""Bad input is refused with a 400 or a form's message, never a server error: one test per kind of input.

(tests/test_fuzz.py tries odd values on every page; these pin down each fix.)
"""

import re
from urllib.parse import quote

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory

from ksr_portal.middleware import reject_nul_middleware
from participants.models import Participant

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(f.UserFactory(username="root", is_staff=True, is_superuser=True))
    client.raise_request_exception = False
    return client


# --- NUL characters, which PostgreSQL refuses in any text --------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/raporty/region/%00/",
        "/katalog/?q=%00",
        "/katalog/?q=a%00b&region=",
        "/katalog/?%00=1",
        "/admin/participants/participant/?q=%00",
        "/admin/auditlog/logentry/?cid=%00",
        "/raporty/sprawozdanie-roczne/?region=%00",
        "/admin/participants/participant/%00/change/",
    ],
)
def test_a_nul_in_the_path_or_query_is_a_bad_request(superuser_client, url):
    f.RegionFactory(terc="26")
    assert superuser_client.get(url).status_code == 400


def test_a_nul_in_form_values_is_a_bad_request(superuser_client):
    response = superuser_client.post("/admin/networks/region/add/", {"terc": "99", "name": "a\x00b"})
    assert response.status_code == 400
    urlencoded = superuser_client.post(
        "/i18n/setlang/", "language=en&next=%2F%00", content_type="application/x-www-form-urlencoded"
    )
    assert urlencoded.status_code == 400


def test_a_cookie_with_a_nul_is_ignored(client):
    client.cookies["sessionid"] = "abcdefghijkl\x00"
    assert client.get("/katalog/").status_code == 200
    seen = {}

    def view(request):
        seen.update(request.COOKIES)
        return None

    request = RequestFactory().get("/", HTTP_COOKIE="sessionid=abcdefghijkl\x00; csrftoken=fine")
    reject_nul_middleware(view)(request)
    assert seen == {"csrftoken": "fine"}


# --- Report periods and years ------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["od=0001-01-01", "od=9999-12-31", "do=0001-01-01", "od=9999-12-31&format=csv", "do=0001-01-01&format=xlsx"],
)
@pytest.mark.parametrize("page", ["/raporty/region/26/", "/raporty/", "/raporty/wskazniki-ue/"])
def test_a_report_period_out_of_range_is_refused_with_a_message(superuser_client, page, query):
    f.RegionFactory(terc="26")
    response = superuser_client.get(f"{page}?{query}", HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")  # not the export of another period
    assert "Podaj datę od 01.01.2004 do 31.12.2100." in response.content.decode()


@pytest.mark.parametrize("page", ["/raporty/region/26/", "/raporty/", "/raporty/wskazniki-ue/"])
def test_a_report_period_that_is_no_date_is_refused(superuser_client, page):
    f.RegionFactory(terc="26")
    response = superuser_client.get(f"{page}?od=2024-02-30", HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 400
    assert "Wpisz poprawną datę." in response.content.decode()


def test_a_report_period_within_range_is_shown(superuser_client):
    f.RegionFactory(terc="26")
    response = superuser_client.get("/raporty/region/26/?od=2004-01-01&do=2100-12-31")
    assert response.status_code == 200
    assert response.context["period"].start.isoformat() == "2004-01-01"
    csv = superuser_client.get("/raporty/region/26/?od=2024-03-01&do=2024-01-01&format=csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")


@pytest.mark.parametrize("year", ["0", "-1", "99999", "2003", "2101", "abc", "²", "9" * 5000])
@pytest.mark.parametrize("query", ["", "&format=csv"])
def test_an_annual_report_year_out_of_range_is_refused_with_a_message(superuser_client, year, query):
    f.RegionFactory(terc="26")
    response = superuser_client.get(f"/raporty/sprawozdanie-roczne/?rok={year}{query}", HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "Podaj rok od 2004 do 2100." in body or "Wpisz liczbę całkowitą." in body


def test_an_annual_report_of_a_year_in_range_is_shown(superuser_client):
    f.RegionFactory(terc="26")
    response = superuser_client.get("/raporty/sprawozdanie-roczne/?rok=2004")
    assert response.status_code == 200 and response.context["year"] == 2004
    assert superuser_client.get("/raporty/sprawozdanie-roczne/?rok=").status_code == 200


# --- Admin list filters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/admin/clubs/activity/?held_on__year=99999999999",
        "/admin/participants/enrollment/?applied_on__year=-5",
        f"/admin/auditlog/logentry/?timestamp__year={10**30}",
        "/admin/auditlog/logentry/?timestamp__year=1",
        "/admin/auditlog/logentry/?timestamp__year=9999",
        "/admin/networks/meeting/?held_on__year=abc",
        "/admin/participants/review/?reviewed_on__year=%C2%B2",
        "/admin/participants/review/?reviewed_on__year=2024&reviewed_on__year=0",
        "/admin/auditlog/logentry/?resource_type=abc",
        f"/admin/auditlog/logentry/?resource_type={10**30}",
        "/admin/auditlog/logentry/?resource_type=-1",
    ],
)
def test_an_impossible_list_filter_value_is_the_admins_bad_filter_answer(superuser_client, url):
    f.ActivityFactory()
    response = superuser_client.get(url)
    # The admin's answer to a filter it cannot apply: back to the list with its error flag.
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


def test_list_filters_of_years_and_kinds_of_record_still_filter(superuser_client):
    activity = f.ActivityFactory()
    year = activity.held_on.year
    listed = superuser_client.get(f"/admin/clubs/activity/?held_on__year={year}")
    assert listed.status_code == 200 and activity in listed.context["cl"].result_list
    assert superuser_client.get(f"/admin/clubs/activity/?held_on__year={year + 1}").context["cl"].result_count == 0
    kind = ContentType.objects.get_for_model(Participant)
    trail = superuser_client.get(f"/admin/auditlog/logentry/?resource_type={kind.pk}")
    assert trail.status_code == 200


# --- Admin forms given a value that is no key of a record --------------------------------------

# Not one can be the key of a record: not a number, a number beyond any column, no number at all.
NO_KEYS = ["abc", "1.5", "9" * 20, str(10**30), "9" * 10240, "Zażółć"]


def selected_options(body, name):
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', body, re.DOTALL)
    return re.findall(r'<option value="([^"]*)" selected>', select.group(1))


@pytest.mark.parametrize(
    ("url", "fields"),
    [
        ("/admin/participants/review/add/?plan={}", ["plan"]),
        ("/admin/clubs/activity/add/?club={}&service={}&provider={}", ["club", "service", "provider"]),
        ("/admin/participants/goal/add/?planned_services={}", ["planned_services"]),
        ("/admin/participants/goal/add/?planned_services=1,{}", ["planned_services"]),
        ("/admin/networks/meeting/add/?attending_organizations={}", ["attending_organizations"]),
    ],
)
def test_an_add_page_prefilled_with_no_key_of_an_autocomplete_field_shows_no_choice(superuser_client, url, fields):
    for value in NO_KEYS:
        response = superuser_client.get(url.replace("{}", quote(value)))
        assert response.status_code == 200, value
        body = response.content.decode()
        assert all(selected_options(body, name) == [] for name in fields), value


def test_an_add_page_prefilled_with_a_key_shows_the_record(superuser_client):
    plan = f.ActionPlanFactory()
    response = superuser_client.get(f"/admin/participants/review/add/?plan={plan.pk}")
    assert response.status_code == 200
    assert selected_options(response.content.decode(), "plan") == [str(plan.pk)]


def management_data(response):
    """The management forms of every inline of an admin page, with no rows."""
    data = {}
    for inline in response.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    return data


def test_a_posted_autocomplete_field_with_no_key_is_the_forms_error(superuser_client):
    f.ActionPlanFactory()
    page = superuser_client.get("/admin/participants/review/add/")
    for value in NO_KEYS:
        data = management_data(page) | {"plan": value, "reviewed_on": "2024-05-12", "progress": "Postępy"}
        response = superuser_client.post("/admin/participants/review/add/", data, HTTP_ACCEPT_LANGUAGE="pl")
        assert response.status_code == 200, value
        assert response.context["adminform"].form.errors["plan"] == [
            "Wybierz poprawną wartość. Podana nie jest jednym z dostępnych wyborów."
        ]
        assert selected_options(response.content.decode(), "plan") == []


def test_a_posted_inline_autocomplete_field_with_no_key_is_the_rows_error(superuser_client):
    activity = f.ActivityFactory()
    url = f"/admin/clubs/activity/{activity.pk}/change/"
    page = superuser_client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() is not None}
    data |= management_data(page) | {"attendances-TOTAL_FORMS": 1, "attendances-0-enrollment": "abc"}
    response = superuser_client.post(url, data, HTTP_ACCEPT_LANGUAGE="pl")
    assert response.status_code == 200
    [inline] = [i for i in response.context["inline_admin_formsets"] if i.formset.prefix == "attendances"]
    assert inline.formset.errors[0]["enrollment"] == [
        "Wybierz poprawną wartość. Podana nie jest jednym z dostępnych wyborów."
    ]


def test_a_posted_many_to_many_field_with_no_key_is_the_forms_error(superuser_client):
    plan = f.ActionPlanFactory()
    page = superuser_client.get("/admin/participants/goal/add/")
    pillar = page.context["adminform"].form.fields["pillar"].queryset.first()
    for value in NO_KEYS:
        data = management_data(page) | {
            "plan": plan.pk,
            "pillar": pillar.pk,
            "description": "Cel",
            "planned_services": ["1", value],
        }
        response = superuser_client.post("/admin/participants/goal/add/", data, HTTP_ACCEPT_LANGUAGE="pl")
        assert response.status_code == 200, value
        [message] = response.context["adminform"].form.errors["planned_services"]
        assert message.endswith("nie jest poprawną wartością."), message


def test_posted_groups_and_permissions_with_no_key_are_the_forms_error(superuser_client):
    huge = str(10**30)
    group = superuser_client.post("/admin/auth/group/add/", {"name": "testers", "permissions": [huge]})
    assert group.status_code == 200 and group.context["adminform"].form.errors["permissions"]
    user = f.UserFactory(username="someone", is_staff=True)
    url = f"/admin/auth/user/{user.pk}/change/"
    data = management_data(superuser_client.get(url)) | {"username": "someone", "groups": [huge]}
    response = superuser_client.post(url, data)
    assert response.status_code == 200 and response.context["adminform"].form.errors["groups"]


# --- Exports of the admin's lists --------------------------------------------------------------


def test_an_export_of_a_list_with_a_filter_it_cannot_apply_is_a_bad_request(superuser_client):
    f.ActivityFactory()
    for query in ["format=csv", "held_on__year=abc", "club__id__exact=abc", "no_such_field=1"]:
        response = superuser_client.get(f"/admin/clubs/activity/export/?{query}", HTTP_ACCEPT_LANGUAGE="pl")
        assert response.status_code == 400, query
        assert "Nieprawidłowe żądanie" in response.content.decode()


def test_an_export_of_a_filtered_list_still_opens(superuser_client):
    activity = f.ActivityFactory()
    response = superuser_client.get(f"/admin/clubs/activity/export/?held_on__year={activity.held_on.year}")
    assert response.status_code == 200


# --- Date filters of the admin's lists ---------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "attempt_time__gte=0001-01-01",
        "attempt_time__lt=0001-01-01",
        "attempt_time__gte=abc",
        "logout_time__lt=10000-01-01",
    ],
)
def test_a_date_filter_at_the_end_of_the_calendar_is_the_admins_bad_filter_answer(superuser_client, query):
    response = superuser_client.get(f"/admin/axes/accesslog/?{query}")
    assert response.status_code == 302 and response["Location"].endswith("?e=1")


def test_a_date_filter_within_the_calendar_still_filters(superuser_client):
    response = superuser_client.get("/admin/axes/accesslog/?attempt_time__gte=2024-01-01&attempt_time__lt=2024-01-08")
    assert response.status_code == 200
