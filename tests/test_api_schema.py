"""The API's schema fuzzed by schemathesis against a running test server: every operation, with data the
schema allows and data it does not, must answer without a server error and as the schema says."""

import datetime
import importlib

import pytest
import schemathesis
from django.apps import apps
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.models import ApiKey
from ksr_portal import roles

from . import factories as f

# No server error, and each answer as the schema documents it: its status, content type, headers and body.
# (A schema-valid request may still be refused, e.g. a club the key cannot reach: that is a 400, not a fault.)
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_key(transactional_db):
    """A referrer's key, with a little of everything its region holds for it to read."""
    # A live server's test ends with the tables emptied: the closed lists that migrations create come back.
    for migration, function in [
        ("clubs.migrations.0003_pillars", "create_pillars"),
        ("participants.migrations.0002_eligibility_categories", "create_categories"),
    ]:
        getattr(importlib.import_module(migration), function)(apps, None)
    region = f.RegionFactory(terc="26")
    club = f.ClubFactory(region=region)
    f.LocalNetworkFactory(region=region, hub_club=club)
    f.MunicipalityFactory(region=region)
    f.ServiceFactory()
    organization = f.OrganizationFactory(region=region, stakeholder_type="B")
    _key, text = ApiKey.issue(
        organization=organization,
        role=roles.REFERRER,
        level="region",
        region=region,
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
        by=f.UserFactory(is_superuser=True),
    )
    return text


@pytest.fixture
def api_schema(live_server, api_key):
    raw = SchemaGenerator(api_version="1").get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(raw)
    schema.config.update(base_url=live_server.url)
    # A NUL character is refused by the portal's middleware before the API sees it (tests/test_bad_input.py).
    schema.config.generation.update(allow_x00=False)
    return schema


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_answers_as_its_schema_says(api_schema, api_key, mode):
    headers = {"Authorization": f"Bearer {api_key}"}
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=8, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def answers_as_documented(case):
            case.call_and_validate(headers=headers, checks=CHECKS)

        answers_as_documented()
