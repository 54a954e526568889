"""Bad input is refused with a 400 or a form's message, never a server error: one test per kind of input.

(tests/test_fuzz.py tries odd values on every page; these pin down each fix.)
"""

import pytest
from django.test import RequestFactory

from ksr_portal.middleware import reject_nul_middleware

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(f.UserFactory(username="root", is_staff=True, is_superuser=True))
    client.raise_request_exception = False
    return client


# --- NUL characters, which PostgreSQL refuses in any text -----------------------------------


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
