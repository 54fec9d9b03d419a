"""Every URL pattern × every role × another authority's objects: nothing may be read or written.

New views are covered without editing this test: patterns are discovered from the URL
resolver. A pattern with a new kind of URL parameter fails here until `FOREIGN_IDS` says which
foreign object it names.
"""

import io
import re
import zipfile

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from g2g.plans.models import ProgressUpdate
from g2g.tenancy.models import Role
from tests.conftest import sentinel

pytestmark = pytest.mark.django_db

# How to fill each URL parameter with an object of the *foreign* authority.
FOREIGN_IDS = {
    "action_pk": lambda world: world.led_action.pk,
    "inspection_pk": lambda world: world.inspection.pk,
    "upload_token": lambda world: world.upload.token,
    "measure_pk": lambda world: world.measure.pk,
    "board_pk": lambda world: world.board.pk,
    "meeting_pk": lambda world: world.meeting.pk,
    "meeting_action_pk": lambda world: world.meeting_action.pk,
    "obsession_pk": lambda world: world.obsession.pk,
    "audit_pk": lambda world: world.audit.pk,
    "remedial_action_pk": lambda world: world.remedial_action.pk,
    "outcome_pk": lambda world: world.outcome.pk,
    "return_pk": lambda world: world.annexa_return.pk,
    "round_pk": lambda world: world.round.pk,
    "update_pk": lambda world: world.update.pk,
    "evidence_pk": lambda world: world.evidence.pk,
    "pack_pk": lambda world: world.saved_pack.pk,
    "council_report_pk": lambda world: world.council_report.pk,
}
SKIPPED_PREFIXES = ("admin/",)


def authority_patterns(resolver=None, prefix=""):
    """Yield (route, parameter names) for every pattern under /<authority>/."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(SKIPPED_PREFIXES):
            continue
        if isinstance(entry, URLResolver):
            yield from authority_patterns(entry, route)
        elif isinstance(entry, URLPattern) and "<slug:authority>" in route:
            yield route, sorted(entry.pattern.converters)


def fill(route: str, authority_slug: str, world) -> str:
    """The route as a URL for `authority_slug`, other parameters naming `world`'s objects."""
    url = route.replace("<slug:authority>", authority_slug)
    for converter, name in re.findall(r"<(\w+):(\w+)>", url):
        if name not in FOREIGN_IDS:
            pytest.fail(f"{route}: add {name!r} to FOREIGN_IDS so the sweep can test it")
        url = url.replace(f"<{converter}:{name}>", str(FOREIGN_IDS[name](world)))
    return "/" + url


ROUTES = list(authority_patterns())


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
