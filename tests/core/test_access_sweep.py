"""Every URL pattern × every role × another authority's objects: nothing may be read or written;
and every SQL statement of the pages with our authority in the URL is scoped to it
(docs/security.md #1, the query check: tests/security/test_query_scoping.py checks the check).

New views are covered without editing this test: patterns are discovered from the URL
resolver (tests/url_walk.py). A pattern with a new kind of URL parameter fails here until
`FOREIGN_IDS` there says which foreign object it names.

The two authorities (`world`, `foreign_world`) are built once for the module; each test runs in
a savepoint rolled back after it, so a write one request makes never reaches the next test
(tests/conftest.py, `kept_for_the_module`).
"""

import io
import re
import zipfile
from dataclasses import replace

import pytest

from g2g.plans.models import ProgressUpdate
from g2g.tenancy.models import Role
from tests.conftest import sentinel
from tests.security.sql_scope import Schema, context_for, unscoped_while
from tests.url_walk import ROUTES, fill, patterns_django_reverses

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(module_worlds, db):
    return module_worlds[0]


@pytest.fixture
def foreign_world(module_worlds, db):
    return module_worlds[1]


@pytest.fixture(scope="module")
def scope_context(module_worlds, django_db_blocker):
    """For the query check: which rows are another authority's, taken once (each test starts
    from the same rows)."""
    world = module_worlds[0]
    with django_db_blocker.unblock():
        return context_for(Schema.build(), world.authority, world.users[Role.VIEWER])


def test_the_sweep_finds_the_plan_pages():
    assert len(ROUTES) == len(patterns_django_reverses())


@pytest.mark.parametrize("role", [role.value for role in Role])
@pytest.mark.parametrize(("route", "params"), ROUTES, ids=[route for route, _ in ROUTES])
@pytest.mark.parametrize("method", ["get", "post"])
def test_no_role_reaches_another_authoritys_objects(
    client, world, foreign_world, scope_context, role, route, params, method
):
    client.force_login(world.users[role])
    context = replace(scope_context, user_id=world.users[role].pk)
    request = getattr(client, method)
    unscoped = []  # (url, SQL) of the query check

    def judged(url: str):
        response = None

        def run():
            nonlocal response
            response = request(url)

        unscoped.extend((url, sql) for sql in unscoped_while(run, context))
        return response

    updates_before = ProgressUpdate.objects.count()
    # Their authority in the URL: as if it did not exist.
    foreign = request(fill(route, foreign_world.authority.slug, foreign_world))
    # Our authority in the URL, their object ids: 404; or 403 when the role may not use the page
    # at all, 405 when the page takes no such method (both decided before any object is looked
    # up, so they tell nothing either).
    mixed = judged(fill(route, world.authority.slug, foreign_world))
    updates_after = ProgressUpdate.objects.count()
    if params:  # for the query check only: our authority, our own ids
        judged(fill(route, world.authority.slug, world))

    assert foreign.status_code == 404
    if params:
        assert mixed.status_code in (403, 404, 405)
    page = readable(mixed)
    assert foreign_world.authority.name not in page
    assert sentinel(foreign_world.authority.name) not in page
    assert updates_after == updates_before
    failures = [f"{role} {method.upper()} {url}\n    {sql}" for url, sql in unscoped]
    assert not failures, "unscoped queries:\n" + "\n".join(failures)


def test_a_missing_authority_and_a_foreign_one_answer_alike(client, world, foreign_world):
    client.force_login(world.users[Role.ADMINISTRATOR])
    missing = client.get("/no-such-council/")
    foreign = client.get(f"/{foreign_world.authority.slug}/")
    assert missing.status_code == foreign.status_code == 404
    assert without_csrf_token(missing) == without_csrf_token(foreign)


def without_csrf_token(response) -> str:
    """The page with its per-render CSRF token masked out."""
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode())


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    for route, _params in ROUTES:
        response = client.get(fill(route, world.authority.slug, world))
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")


def test_the_sentinel_would_be_seen_if_it_leaked(client, world):
    """The check above can fail: a page of the authority itself does show its sentinel."""
    client.force_login(world.users[Role.VIEWER])
    page = client.get(f"/{world.authority.slug}/actions/").content.decode()
    assert sentinel(world.authority.name) in page


def readable(response) -> str:
    """A response as text to search for sentinels: pages as they are, and Word and Excel
    downloads (zip files) by the XML inside them."""
    content = response.content
    if content[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = [name for name in archive.namelist() if name.endswith(".xml")]
            return "\n".join(archive.read(name).decode(errors="replace") for name in parts)
    return content.decode(errors="replace")
