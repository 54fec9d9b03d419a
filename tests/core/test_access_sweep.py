"""Every URL pattern × every role × another authority's objects: nothing may be read or written.

New views are covered without editing this test: patterns are discovered from the URL
resolver (tests/url_walk.py). A pattern with a new kind of URL parameter fails here until
`FOREIGN_IDS` there says which foreign object it names.
"""

import io
import re
import zipfile

import pytest

from g2g.plans.models import ProgressUpdate
from g2g.tenancy.models import Role
from tests.conftest import sentinel
from tests.url_walk import ROUTES, fill

pytestmark = pytest.mark.django_db


def test_the_sweep_finds_the_plan_pages():
    assert len(ROUTES) >= 5


@pytest.mark.parametrize("role", [role.value for role in Role])
@pytest.mark.parametrize(("route", "params"), ROUTES, ids=[route for route, _ in ROUTES])
@pytest.mark.parametrize("method", ["get", "post"])
def test_no_role_reaches_another_authoritys_objects(
    client, world, foreign_world, role, route, params, method
):
    client.force_login(world.users[role])
    updates_before = ProgressUpdate.objects.count()
    # Their authority in the URL: as if it did not exist.
    foreign = getattr(client, method)(fill(route, foreign_world.authority.slug, foreign_world))
    assert foreign.status_code == 404
    # Our authority in the URL, their object ids: 404; or 403 when the role may not use the page
    # at all, 405 when the page takes no such method (both decided before any object is looked
    # up, so they tell nothing either).
    mixed = getattr(client, method)(fill(route, world.authority.slug, foreign_world))
    if params:
        assert mixed.status_code in (403, 404, 405)
    page = readable(mixed)
    assert foreign_world.authority.name not in page
    assert sentinel(foreign_world.authority.name) not in page
    assert ProgressUpdate.objects.count() == updates_before


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
