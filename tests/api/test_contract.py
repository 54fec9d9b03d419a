"""The API keeps its contract (docs/security.md #6): schemathesis generates requests from the
OpenAPI schema and sends them through the WSGI application with tokens of two authorities' users.
Every answer must be no server error, a documented status code and content type, and a body matching
the schema; and no answer may read the other authority's data.

Generated authorities and ids are steered (by the generated value itself, so examples stay
reproducible) to the token user's own objects, to the other authority's, or left as generated,
so the fuzzing reaches real objects on both sides of the line. In CI (CI=true) the examples are
derandomized (tests/conftest.py), so a red build replays.
"""

import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import URLResolver, get_resolver
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from g2g.api.services import create_token
from g2g.tenancy.models import Role
from tests.conftest import sentinel

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")
OBJECTS = {"action_id": "led_action", "measure_id": "measure", "update_id": "update"}
MAX_EXAMPLES = 30


# The schema as the application serves it. (Loaded when the module is, not through
# `schemathesis.pytest.from_fixture`: that loader does not work with pytest 9.)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The application runs in the test's own database transaction: keep Django from closing
    the connection at the end of each request, as its test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_openapi_schema_is_valid():
    schema.validate()  # against the OpenAPI 3.1 meta-schema; raises on any error
    assert schema.raw_schema["openapi"].startswith("3.1")
    # Every operation Django routes under /api/v1/ is in the schema (the schema itself and the
    # docs page aside), so schemathesis below exercises them all.
    assert len(schema.raw_schema["paths"]) == len(api_paths_django_routes())


def api_paths_django_routes() -> set[str]:
    """The distinct paths under /api/v1/ in Django's URL resolver."""
    (api_urls,) = [
        entry
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and str(entry.pattern) == "api/v1/"
    ]
    return {
        str(entry.pattern)
        for entry in api_urls.url_patterns
        if entry.name not in ("openapi-json", "api-root")
    }


def steer(case, me, other) -> set[str]:
    """Point the case's authority and ids at `me`'s objects, `other`'s, or leave them; return
    what of `other`'s the request names."""
    named = set()
    params = case.path_parameters or {}
    slug = params.get("authority")
    if isinstance(slug, str) and SLUG.match(slug):
        choice = len(slug) % 3
        if choice < 2:
            params["authority"] = (me, other)[choice].authority.slug
        if choice == 1:
            named.add("authority")
    for name, attribute in OBJECTS.items():
        value = params.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and value > 0:
            choice = value % 3
            if choice < 2:
                params[name] = getattr((me, other)[choice], attribute).pk
            if choice == 1:
                named.add(name)
    return named


@pytest.fixture
def two_sides(world, foreign_world):
    def key(side) -> str:
        return create_token(side.users[Role.ADMINISTRATOR], name="Contract tests")[1]

    return [(world, foreign_world, key(world)), (foreign_world, world, key(foreign_world))]


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_its_contract(case, two_sides):
    original = dict(case.path_parameters or {})
    for me, other, key in two_sides:
        if case.path_parameters is not None:
            case.path_parameters.clear()
            case.path_parameters.update(original)
        names_other = steer(case, me, other)
        response = case.call(headers={"Authorization": f"Bearer {key}"})
        case.validate_response(response, checks=CHECKS)
        if names_other:
            assert not 200 <= response.status_code < 300, (names_other, case.formatted_path)
        assert sentinel(other.authority.name) not in response.text
