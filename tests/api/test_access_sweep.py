"""Every API route × every role × every method × another authority's ids: nothing is read or
written, and a foreign authority or object answers exactly as a missing one (docs/security.md #1).

Routes are discovered from the URL patterns django-ninja builds from its routers, so a new
endpoint is swept without editing this test; one with a new kind of path parameter fails
here until `FOREIGN_IDS` says which foreign object it names.

The two authorities (`world`, `foreign_world`) are built once for the module; each test runs in
a savepoint rolled back after it, so a write one request makes never reaches the next test
(tests/conftest.py, `kept_for_the_module`).
"""

import re

import pytest

from g2g.api.api import api
from g2g.core.dates import current_period
from g2g.measures.models import MeasureValue
from g2g.measures.services import add_months
from g2g.plans.models import ProgressUpdate
from g2g.tenancy.models import Role
from tests.conftest import sentinel

pytestmark = pytest.mark.django_db

PREFIX = "/api/v1/"
FOREIGN_IDS = {
    "action_id": lambda world: world.led_action.pk,
    "measure_id": lambda world: world.measure.pk,
    "update_id": lambda world: world.update.pk,
}
MISSING_ID = 2_000_000_000
MISSING_AUTHORITY = "no-such-council"
METHODS = ["get", "post", "put", "patch", "delete"]


def api_routes() -> list[str]:
    routes = {str(pattern.pattern) for pattern in api.urls[0]}
    return sorted(route for route in routes if route not in ("", "openapi.json"))


ROUTES = api_routes()
AUTHORITY_ROUTES = [route for route in ROUTES if "<authority>" in route]


def paths_in_the_schema() -> list[str]:
    """The API's paths as its OpenAPI schema lists them (built from the routers' operations,
    apart from the URL patterns the sweep walks), in the sweep's spelling."""
    paths = api.get_openapi_schema(path_prefix="")["paths"]
    return sorted(re.sub(r"\{(\w+)\}", r"<\1>", path.lstrip("/")) for path in paths)


@pytest.fixture
def world(module_worlds, db):
    return module_worlds[0]


@pytest.fixture
def foreign_world(module_worlds, db):
    return module_worlds[1]


def fill(route: str, authority: str, world, *, missing_ids: bool = False) -> str:
    url = route.replace("<authority>", authority)
    for name in re.findall(r"<(\w+)>", url):
        if name not in FOREIGN_IDS:
            pytest.fail(f"{route}: add {name!r} to FOREIGN_IDS so the sweep can test it")
        value = MISSING_ID if missing_ids else FOREIGN_IDS[name](world)
        url = url.replace(f"<{name}>", str(value))
    return PREFIX + url


def a_valid_body() -> dict:
    """What any write endpoint accepts, so a refusal is about the ids, never the body."""
    month = add_months(current_period(), -1).isoformat()
    return {
        "period": month,
        "narrative": "Swept",
        "version": 1,
        "value": "50",
        "comment": "Swept",
    }


@pytest.fixture
def call(client):
    def request(method: str, url: str, headers: dict):
        return getattr(client, method)(
            url, a_valid_body(), content_type="application/json", headers=headers
        )

    return request


def test_the_sweep_finds_every_kind_of_endpoint():
    in_the_schema = paths_in_the_schema()
    assert ROUTES == in_the_schema
    assert AUTHORITY_ROUTES == [path for path in in_the_schema if path.startswith("<authority>/")]
    assert any(route.endswith(".csv") for route in ROUTES)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("role", [role.value for role in Role])
@pytest.mark.parametrize("route", AUTHORITY_ROUTES)
def test_no_role_reaches_another_authoritys_objects(
    call, world, foreign_world, bearer, route, role, method
):
    headers = bearer(world.users[role])
    counts = ProgressUpdate.objects.count(), MeasureValue.objects.count()
    theirs = foreign_world.authority.slug
    ours = world.authority.slug

    # Their authority in the URL: exactly as an authority that does not exist.
    foreign = call(method, fill(route, theirs, foreign_world), headers)
    missing = call(method, fill(route, MISSING_AUTHORITY, foreign_world), headers)
    assert foreign.status_code in (404, 405)
    assert (foreign.status_code, foreign.content) == (missing.status_code, missing.content)

    # Our authority, their ids: exactly as ids that do not exist (404; or 403 or 405, decided
    # before any object is looked up).
    mixed = call(method, fill(route, ours, foreign_world), headers)
    absent = call(method, fill(route, ours, foreign_world, missing_ids=True), headers)
    if "<" in route.replace("<authority>", ""):
        assert mixed.status_code in (403, 404, 405)
        assert (mixed.status_code, mixed.content) == (absent.status_code, absent.content)

    for response in (foreign, mixed):
        text = response.content.decode()
        assert sentinel(foreign_world.authority.name) not in text
        assert foreign_world.authority.name not in text
    assert (ProgressUpdate.objects.count(), MeasureValue.objects.count()) == counts


@pytest.mark.parametrize("route", [route for route in ROUTES if route not in AUTHORITY_ROUTES])
def test_routes_without_an_authority_show_only_the_users_own(
    client, world, foreign_world, bearer, route
):
    response = client.get(PREFIX + route, headers=bearer(world.users[Role.REGIONAL_VIEWER]))
    assert response.status_code == 200
    assert foreign_world.authority.name not in response.content.decode()


@pytest.mark.parametrize("route", ROUTES)
def test_without_a_token_every_route_answers_401(client, world, route):
    url = fill(route, world.authority.slug, world)
    statuses = {client.get(url).status_code, client.post(url).status_code}
    assert statuses in ({401}, {401, 405})  # 405: the route does not take that method


def test_the_sentinel_would_be_seen_if_it_leaked(client, world, bearer):
    """The checks above can fail: the authority's own reads and feeds do show its sentinel."""
    headers = bearer(world.users[Role.VIEWER])
    for path in ("actions", "updates", "measures", "inspections", "feeds/actions.csv"):
        response = client.get(f"{PREFIX}{world.authority.slug}/{path}", headers=headers)
        assert sentinel(world.authority.name) in response.content.decode(), path
