"""The API for other systems: keys, scope, bad input, the throttle and the referral loop.

Two regions (26 and 24) with a club each; every key acts with a role and scope as a user would, so each
endpoint is walked by each role, and a key of region 26 must find nothing of region 24: no row in a list,
no count, 404 for an object.
"""

import datetime

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from api.models import ApiKey, InboundReferral
from demo.pilot import make_pesel
from ksr_portal import roles
from ksr_portal.models import UserScope
from ksr_portal.scoping import permits

from . import factories as f

pytestmark = pytest.mark.django_db

NEXT_YEAR = timezone.localdate() + datetime.timedelta(days=365)
PESEL = make_pesel(datetime.date(2002, 7, 8), male=False, serial=1)


class World:
    def __init__(self):
        self.home, self.away = f.RegionFactory(terc="26"), f.RegionFactory(terc="24")
        self.club = f.ClubFactory(region=self.home, name="Klub Domowy")
        self.other_club = f.ClubFactory(region=self.away, name="Klub Obcy")
        self.network = f.LocalNetworkFactory(region=self.home, name="Sieć Domowa")
        self.other_network = f.LocalNetworkFactory(region=self.away, name="Sieć Obca")
        self.ops = f.OrganizationFactory(region=self.home, name="MOPS Domowy", stakeholder_type="B")
        self.other_ops = f.OrganizationFactory(region=self.away, name="MOPS Obcy", stakeholder_type="B")
        self.superuser = f.UserFactory(is_superuser=True, is_staff=True)

    def key(self, role, level="region", region=None, club=None, organization=None, **kwargs):
        if level == "region":
            region = region or self.home
        if level == "club":
            club = club or self.club
            region = club.region
        key = f.ApiKeyFactory(
            organization=organization or self.ops,
            role=role,
            level=level,
            region=region,
            club=club,
            issued_by=self.superuser,
            **kwargs,
        )
        return key, key.text


@pytest.fixture
def world():
    return World()


def call(text, method, path, data=None, **extra):
    client = Client()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {text}"} if text else {}
    kwargs = {"content_type": "application/json"} if data is not None else {}
    return getattr(client, method)(path, data, **kwargs, **headers, **extra)


def names(response):
    return {row.get("name") for row in response.json()["results"]}


# role: (scope level, endpoints it may read)
READERS = {
    roles.MINISTRY_ANALYST: "national",
    roles.NATIONAL_COORDINATOR: "national",
    roles.ROPS_STAFF: "region",
    roles.REGIONAL_ANIMATOR: "region",
    roles.KIS_COORDINATOR: "club",
    roles.KIS_INSTRUCTOR: "club",
    roles.REFERRER: "region",
}
ENDPOINTS = ["regions", "municipalities", "networks", "clubs", "pillars", "services", "organizations"]
# What the instructor's role may not read at all (no model permission): 403, not a list.
NOT_PERMITTED = {
    roles.KIS_INSTRUCTOR: {"networks", "organizations"},
    roles.REFERRER: set(),
}


@pytest.mark.parametrize("role", READERS)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_each_endpoint_for_each_role_lists_only_its_scope(world, role, endpoint):
    f.MunicipalityFactory(region=world.away, name="Gmina Obca")
    f.MunicipalityFactory(region=world.home, name="Gmina Domowa")
    _key, text = world.key(role, READERS[role])
    response = call(text, "get", f"/api/v1/{endpoint}/")
    if endpoint in NOT_PERMITTED.get(role, set()):
        assert response.status_code == 403
        return
    assert response.status_code == 200, response.content
    body = response.content.decode()
    foreign = FOREIGN.get(endpoint)
    if foreign:
        assert (foreign in body) == (READERS[role] == "national"), (role, endpoint)
    if endpoint == "clubs":
        assert response.json()["count"] == (2 if READERS[role] == "national" else 1)


# What each list shows of region 24 to a national key, and must not show to a regional or club key.
FOREIGN = {
    "regions": "śląskie",
    "municipalities": "Gmina Obca",
    "networks": "Sieć Obca",
    "clubs": "Klub Obcy",
    "organizations": "MOPS Obcy",
}


# --- keys --------------------------------------------------------------------------------------


def test_no_key_or_an_unknown_key_is_401(world):
    key, text = world.key(roles.ROPS_STAFF)
    assert call(None, "get", "/api/v1/clubs/").status_code == 401
    assert call("ksr_deadbeef_nonsense", "get", "/api/v1/clubs/").status_code == 401
    wrong_secret = f"ksr_{key.prefix}_{'x' * 43}"
    response = call(wrong_secret, "get", "/api/v1/clubs/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert call(text, "get", "/api/v1/clubs/").status_code == 200


def test_a_revoked_key_is_401(world):
    key, text = world.key(roles.ROPS_STAFF)
    key.revoke()
    response = call(text, "get", "/api/v1/clubs/")
    assert response.status_code == 401
    assert "unieważniony" in response.json()["detail"]


def test_an_expired_key_is_401_and_a_key_valid_today_works(world):
    key, text = world.key(roles.ROPS_STAFF)
    assert call(text, "get", "/api/v1/clubs/").status_code == 200
    ApiKey.objects.filter(pk=key.pk).update(expires_on=timezone.localdate() - datetime.timedelta(days=1))
    response = call(text, "get", "/api/v1/clubs/")
    assert response.status_code == 401
    assert "wygasł" in response.json()["detail"]


def test_a_key_records_its_last_use_and_stores_only_a_digest(world):
    key, text = world.key(roles.ROPS_STAFF)
    assert key.last_used_at is None
    assert text.split("_", 2)[2] not in key.digest
    response = call(text, "get", "/api/v1/regions/")
    key.refresh_from_db()
    assert key.last_used_at is not None
    # An answer to a key may carry personal data: no browser or proxy keeps it.
    assert "no-store" in response["Cache-Control"]


def test_the_throttle_answers_429_with_retry_after(world, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.KSR_API_RATE = "3/min"
    _key, text = world.key(roles.ROPS_STAFF)
    _other, other_text = world.key(roles.ROPS_STAFF)
    answers = [call(text, "get", "/api/v1/regions/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    response = call(text, "get", "/api/v1/regions/")
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    # Each key has its own allowance.
    assert call(other_text, "get", "/api/v1/regions/").status_code == 200


def test_a_club_role_key_needs_a_club_scope(world):
    with pytest.raises(Exception, match="jeden klub"):
        world.key(roles.KIS_COORDINATOR, "region")


# --- issuing keys in the workbench ---------------------------------------------------------------


def staff(role, level, region=None, club=None):
    user = f.UserFactory(is_staff=True)
    user.groups.add(roles.role_group(role))
    UserScope.objects.create(user=user, level=level, region=region, club=club)
    client = Client()
    client.force_login(user)
    return user, client


def issue_form(world, **changes):
    data = {
        "organization": world.ops.pk,
        "role": roles.REFERRER,
        "level": "region",
        "region": world.home.pk,
        "club": "",
        "expires_on": NEXT_YEAR.isoformat(),
    }
    return data | changes


def test_the_national_coordinator_issues_a_key_shown_once(world):
    _user, client = staff(roles.NATIONAL_COORDINATOR, "national")
    response = client.post(reverse("admin:api_apikey_add"), issue_form(world))
    assert response.status_code == 200, response.content
    key = ApiKey.objects.get()
    text = response.context["key"]
    assert text.startswith(f"ksr_{key.prefix}_")
    assert key.role == roles.REFERRER and key.account.scope.region == world.home
    assert not key.account.has_usable_password()
    # The change page never shows it again.
    assert text not in client.get(reverse("admin:api_apikey_change", args=[key.pk])).content.decode()
    assert call(text, "get", "/api/v1/clubs/").status_code == 200


def test_rops_issues_keys_only_within_its_region(world):
    _user, client = staff(roles.ROPS_STAFF, "region", world.home)
    add = reverse("admin:api_apikey_add")
    form = client.get(add).content.decode()
    assert "Klub Obcy" not in form and "MOPS Obcy" not in form and "śląskie" not in form
    refused = client.post(add, issue_form(world, organization=world.other_ops.pk))
    assert "key" not in refused.context
    for refused in (
        issue_form(world, region=world.away.pk),
        issue_form(world, level="national", region=""),
        issue_form(world, role=roles.NATIONAL_COORDINATOR),
        issue_form(world, role=roles.MINISTRY_ANALYST),
    ):
        response = client.post(add, refused)
        assert response.status_code == 200 and "key" not in response.context
    assert not ApiKey.objects.exists()
    assert client.post(add, issue_form(world)).status_code == 200
    assert ApiKey.objects.count() == 1
    away_key, _text = world.key(roles.REFERRER, region=world.away, organization=world.other_ops)
    changelist = client.get(reverse("admin:api_apikey_changelist")).content.decode()
    assert away_key.prefix not in changelist
    assert client.get(reverse("admin:api_apikey_change", args=[away_key.pk])).status_code == 404


def test_revoking_in_the_workbench(world):
    key, text = world.key(roles.REFERRER)
    _user, client = staff(roles.ROPS_STAFF, "region", world.home)
    client.post(reverse("admin:api_apikey_changelist"), {"action": "revoke", "_selected_action": [key.pk]})
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert call(text, "get", "/api/v1/clubs/").status_code == 401


def test_other_roles_cannot_issue_keys(world):
    _user, client = staff(roles.KIS_COORDINATOR, "club", world.home, world.club)
    assert client.get(reverse("admin:api_apikey_add")).status_code == 403


# --- referrals -----------------------------------------------------------------------------------


def referral(world, **changes):
    data = {
        "reference": "OPS/2026/17",
        "club": world.club.pk,
        "first_name": "Anna",
        "last_name": "Kowalska",
        "pesel": PESEL,
        "contact": "pracownik socjalny, tel. 41 000 00 00",
        "reason": "Długotrwale bezrobotna, potrzebuje wsparcia w powrocie do pracy.",
        "eligibility_categories": ["5"],
    }
    return data | changes


def test_the_referral_loop_end_to_end(world):
    key, text = world.key(roles.REFERRER)
    created = call(text, "post", "/api/v1/referrals/", referral(world))
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "received"
    kind = ContentType.objects.get_for_model(InboundReferral)
    entry = LogEntry.objects.get(content_type=kind, action=LogEntry.Action.CREATE)
    assert entry.actor == key.account and str(entry.actor).startswith("api-mops-domowy-")

    # The club's coordinator sees it in the workbench and accepts it with an answer.
    coordinator = f.UserFactory(is_staff=True)
    coordinator.groups.add(roles.role_group(roles.KIS_COORDINATOR))
    UserScope.objects.create(user=coordinator, level="club", region=world.home, club=world.club)
    client = Client()
    client.force_login(coordinator)
    stored = InboundReferral.objects.get()
    worklist = client.get(reverse("participants:worklist")).content.decode()
    waiting = f"{reverse('admin:api_inboundreferral_changelist')}?status__exact=received"
    assert waiting in worklist and "czekające na odpowiedź</a> (1)" in worklist
    f.InboundReferralFactory(club=world.other_club, client=world.key(roles.REFERRER, region=world.away)[0])
    assert "czekające na odpowiedź</a> (1)" in client.get(reverse("participants:worklist")).content.decode()
    assert "OPS/2026/17" in client.get(waiting).content.decode()
    response = client.post(
        reverse("admin:api_inboundreferral_transition", args=[stored.pk, "accept"]),
        {"on": timezone.localdate().isoformat(), "answer": "Zapraszamy na rozmowę 10 grudnia."},
    )
    assert response.status_code == 302

    # The referrer reads the answer back by its own reference.
    answer = call(text, "get", "/api/v1/referrals/OPS/2026/17/")
    assert answer.status_code == 200
    assert answer.json()["status"] == "accepted"
    assert answer.json()["answer"] == "Zapraszamy na rozmowę 10 grudnia."
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=key.account, object_pk=str(stored.pk)).exists()


def test_a_declined_referral_needs_a_reason(world):
    _key, text = world.key(roles.REFERRER)
    call(text, "post", "/api/v1/referrals/", referral(world))
    stored = InboundReferral.objects.get()
    with pytest.raises(Exception, match="odrzucenia"):
        stored.decline(on=timezone.localdate(), answer="")
    stored.decline(on=timezone.localdate(), answer="Brak miejsc do marca.")
    assert call(text, "get", "/api/v1/referrals/OPS/2026/17/").json()["status"] == "declined"


def test_a_referral_is_read_only_by_the_organisation_that_sent_it(world):
    _key, text = world.key(roles.REFERRER)
    call(text, "post", "/api/v1/referrals/", referral(world))
    _other, other_text = world.key(roles.REFERRER, organization=f.OrganizationFactory(region=world.home))
    assert call(other_text, "get", "/api/v1/referrals/OPS/2026/17/").status_code == 404
    assert call(other_text, "get", "/api/v1/referrals/").json()["count"] == 0
    assert call(text, "get", "/api/v1/referrals/").json()["count"] == 1


def test_a_referral_to_a_club_out_of_scope_is_refused_as_an_unknown_club(world):
    _key, text = world.key(roles.REFERRER)
    out = call(text, "post", "/api/v1/referrals/", referral(world, club=world.other_club.pk))
    unknown = call(text, "post", "/api/v1/referrals/", referral(world, club=999999))
    assert out.status_code == unknown.status_code == 400
    messages = [message.replace("999999", str(world.other_club.pk)) for message in unknown.json()["club"]]
    assert out.json()["club"] == messages
    assert not InboundReferral.objects.exists()


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"pesel": "02270803627"}, "pesel", "cyfrę kontrolną"),
        ({"pesel": "", "birth_date": None}, "non_field_errors", "PESEL"),
        ({"birth_date": "2001-01-01"}, "birth_date", "nie zgadza"),
        ({"club": "klub"}, "club", ""),
        ({"eligibility_categories": ["9"]}, "eligibility_categories", ""),
        ({"first_name": ""}, "first_name", ""),
        ({"shoe_size": 42}, "shoe_size", "Nieznane pole"),
        ({"status": "accepted"}, "status", "nie może być ustawione"),
    ],
)
def test_bad_input_is_a_polish_400_field_by_field_and_writes_nothing(world, changes, field, message):
    _key, text = world.key(roles.REFERRER)
    response = call(text, "post", "/api/v1/referrals/", referral(world, **changes))
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert message in " ".join(response.json()[field])
    assert not InboundReferral.objects.exists()


def test_the_same_reference_twice_is_refused(world):
    _key, text = world.key(roles.REFERRER)
    assert call(text, "post", "/api/v1/referrals/", referral(world)).status_code == 201
    again = call(text, "post", "/api/v1/referrals/", referral(world))
    assert again.status_code == 400
    assert "już" in str(again.json())


def test_the_same_reference_posted_twice_at_once_is_refused_not_a_500(world, monkeypatch):
    """Two posts at the same moment both pass the model's check; the database's constraint refuses one."""
    _key, text = world.key(roles.REFERRER)
    monkeypatch.setattr(InboundReferral, "validate_constraints", lambda self, exclude=None: None)
    assert call(text, "post", "/api/v1/referrals/", referral(world)).status_code == 201
    again = call(text, "post", "/api/v1/referrals/", referral(world))
    assert again.status_code == 400 and "już" in str(again.json()["reference"])
    assert InboundReferral.objects.count() == 1


@pytest.mark.parametrize("body", ["not json", "[1, 2]", '{"reference": {"a": 1}}'])
def test_a_body_that_is_not_a_referral_is_a_400(world, body):
    _key, text = world.key(roles.REFERRER)
    response = Client().post(
        "/api/v1/referrals/", body, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {text}"
    )
    assert response.status_code == 400


@pytest.mark.parametrize("role", [roles.ROPS_STAFF, roles.NATIONAL_COORDINATOR, roles.MINISTRY_ANALYST])
def test_roles_that_do_not_refer_cannot_post_referrals(world, role):
    _key, text = world.key(role, "national" if role != roles.ROPS_STAFF else "region")
    assert call(text, "post", "/api/v1/referrals/", referral(world)).status_code == 403
    assert not InboundReferral.objects.exists()


# --- schema and docs -----------------------------------------------------------------------------


def test_the_schema_and_docs_are_for_signed_in_users(world):
    anonymous = Client()
    assert anonymous.get(reverse("api:schema")).status_code == 401
    assert anonymous.get(reverse("api:docs")).status_code == 302
    _user, client = staff(roles.ROPS_STAFF, "region", world.home)
    schema = client.get(reverse("api:schema"), HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    assert "Krajowej Sieci Reintegracji" in schema.content.decode()
    english = client.get(reverse("api:schema") + "?lang=en", HTTP_ACCEPT="application/json").content.decode()
    assert "National Reintegration Network portal" in english
    docs = client.get(reverse("api:docs"))
    assert docs.status_code == 200
    assert "<script>" not in docs.content.decode()  # CSP: no inline script
    assert "cdn" not in docs.content.decode().lower()


# --- figures ---------------------------------------------------------------------------------------


def people_in(club, count):
    for _ in range(count):
        f.EnrollmentFactory(club=club, started_on=datetime.date(timezone.localdate().year, 1, 2))


def figure_values(response):
    return [value for table in response.json()["tables"] for row in table["rows"] for value in row["values"]]


def test_region_figures_are_suppressed_for_a_regional_key(world):
    people_in(world.club, 2)
    _key, text = world.key(roles.ROPS_STAFF)
    response = call(text, "get", "/api/v1/figures/regions/26/")
    assert response.status_code == 200, response.content
    tables = response.json()["tables"]
    hidden = [(table, r, c) for table in tables for r, c in table["hidden"]]
    assert hidden, "two people must not be counted"
    assert all(table["rows"][r]["values"][c] is None for table, r, c in hidden)
    assert "Δ" in response.json()["legend"]
    assert call(text, "get", "/api/v1/figures/regions/24/").status_code == 404


def test_the_dashboard_for_national_and_regional_keys(world):
    people_in(world.club, 2)
    people_in(world.other_club, 7)
    _key, national = world.key(roles.MINISTRY_ANALYST, "national")
    rows = call(national, "get", "/api/v1/figures/dashboard/").json()["tables"][0]["rows"]
    assert {"świętokrzyskie", "śląskie"} <= {row["label"] for row in rows}
    _key, regional = world.key(roles.ROPS_STAFF)
    rows = call(regional, "get", "/api/v1/figures/dashboard/").json()["tables"][0]["rows"]
    assert [row["label"] for row in rows] == ["świętokrzyskie"]
    assert 7 not in figure_values(call(regional, "get", "/api/v1/figures/dashboard/"))


def test_a_club_key_reads_no_figures(world):
    _key, text = world.key(roles.KIS_COORDINATOR, "club")
    assert call(text, "get", "/api/v1/figures/dashboard/").status_code == 404
    assert call(text, "get", "/api/v1/figures/regions/26/").status_code == 404


def test_the_annual_report_for_a_regional_key(world):
    year = timezone.localdate().year - 1
    f.EnrollmentFactory(club=world.club, started_on=datetime.date(year, 3, 1))
    f.EnrollmentFactory(club=world.other_club, started_on=datetime.date(year, 3, 1))
    _key, text = world.key(roles.ROPS_STAFF)
    response = call(text, "get", "/api/v1/figures/annual/")
    assert response.status_code == 200, response.content
    tables = {table["title"]: table for table in response.json()["tables"]}
    people = tables[
        f"Uczestnicy w {year} r.: według kategorii z art. 1, efektów reintegracji i zatrudnienia po zakończeniu"
    ]
    assert [row["label"] for row in people["rows"]] == ["Klub Domowy", "wszystkie kluby"]
    assert people["rows"][0]["values"][0] is None and people["hidden"]  # one person is not published
    filed = tables[f"Złożenie wojewodzie sprawozdania za {year} r."]
    assert filed["rows"][0]["values"] == ["nie złożono"]
    assert call(text, "get", "/api/v1/figures/annual/?region=24").status_code == 404
    bad = call(text, "get", "/api/v1/figures/annual/?rok=dwa")
    assert bad.status_code == 400 and bad.json()["non_field_errors"] == ["Rok: Wpisz liczbę całkowitą."]


def test_a_bad_period_is_a_polish_400(world):
    _key, text = world.key(roles.ROPS_STAFF)
    response = call(text, "get", "/api/v1/figures/regions/26/?od=wczoraj")
    assert response.status_code == 400
    assert response.json()["non_field_errors"] == ["Od: Wpisz poprawną datę."]


def test_the_scope_of_keys_in_memory_is_the_scope_in_the_database(world):
    own, _text = world.key(roles.REFERRER)
    away, _text = world.key(roles.REFERRER, region=world.away, organization=world.other_ops)
    national, _text = world.key(roles.MINISTRY_ANALYST, "national")
    rops, _client = staff(roles.ROPS_STAFF, "region", world.home)
    for key in (own, away, national):
        for action in ("view", "add", "change", "delete"):
            stored = ApiKey.objects.restrict(rops, action).filter(pk=key.pk).exists()
            assert permits(rops, key, action) == stored, (key, action)
    assert permits(rops, own, "change") and not permits(rops, away, "view")


def test_a_keys_service_account_is_not_managed_as_a_users_account(world, client):
    key, _text = world.key(roles.ROPS_STAFF)
    national = f.UserFactory(is_staff=True)
    national.groups.add(roles.role_group(roles.NATIONAL_COORDINATOR))
    UserScope.objects.create(user=national, level="national")
    client.force_login(national)
    listed = client.get(reverse("admin:auth_user_changelist")).context["cl"].result_list
    assert national in listed and key.account not in listed
    assert client.get(reverse("admin:auth_user_change", args=[key.account.pk])).status_code == 404
