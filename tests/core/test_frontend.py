"""GOV.UK Frontend 6 without the GOV.UK brand: the pinned version, the Generic header and the
Service navigation on the pages, no crown, logotype or GOV.UK image anywhere
(docs/decisions/0001-govuk-frontend-without-the-brand.md)."""

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from g2g.tenancy.models import Role

REPO = Path(__file__).resolve().parents[2]
DIST = REPO / "src" / "g2g" / "static" / "dist"

# Markup only GOV.UK may show: its header (crown and logotype), its logo SVG, the crest in the
# footer, the GOV.UK favicons and the words "GOV.UK" as a brand.
BRAND = re.compile(
    r"govuk-header(?:__|\b)|govuk-logo|govuk-logotype|govuk-crest|copyright-logo|"
    r"govuk-icon-|favicon\.ico|GOV\.UK",
)


def test_package_json_pins_govuk_frontend_6_and_the_lock_agrees():
    package = json.loads((REPO / "package.json").read_text())
    lock = json.loads((REPO / "package-lock.json").read_text())
    pinned = package["dependencies"]["govuk-frontend"]
    assert re.fullmatch(r"6\.\d+\.\d+", pinned), f"not an exact 6.x version: {pinned!r}"
    assert lock["packages"][""]["dependencies"]["govuk-frontend"] == pinned
    assert lock["packages"]["node_modules/govuk-frontend"]["version"] == pinned
    installed = REPO / "node_modules" / "govuk-frontend" / "package.json"
    if installed.exists():  # after `npm ci`
        assert json.loads(installed.read_text())["version"] == pinned


def test_the_built_assets_hold_no_gov_uk_image_or_font():
    if not DIST.exists():
        pytest.skip("assets not built (npm run build)")
    names = {path.name for path in DIST.rglob("*")}
    assert "app.css" in names
    assert not {name for name in names if re.search(r"crest|govuk-icon|favicon\.ico|\.woff", name)}
    css = (DIST / "app.css").read_text()
    assert "GDS Transport" not in css
    assert ".govuk-generic-header" in css  # GOV.UK Frontend 6.3 or later


@pytest.mark.django_db
def test_pages_have_the_generic_header_and_service_navigation_and_no_brand(client, world):
    signed_out = client.get(reverse("login")).content.decode()
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    slug = world.authority.slug
    pages = [signed_out] + [
        client.get(url, follow=True).content.decode()
        for url in (reverse("home"), f"/{slug}/", f"/{slug}/actions/", "/no/such/page/")
    ]
    for html in pages:
        assert '<div class="govuk-generic-header">' in html
        assert 'class="govuk-generic-header__homepage-link">Getting to Good</a>' in html
        assert not BRAND.search(html), BRAND.search(html)
    for html in pages[1:-1]:
        nav = re.search(r'<div class="govuk-service-navigation".*?</nav>', html, re.DOTALL)
        assert nav, "no Service navigation when signed in"
        assert 'aria-label="Menu"' in nav.group(0)
        assert ">Sign out<" in nav.group(0)


def test_the_error_page_has_the_generic_header_and_no_brand():
    from django.template.loader import render_to_string

    html = render_to_string("errors/500.html")
    assert "govuk-generic-header__homepage-link" in html
    assert not BRAND.search(html)
