"""Every page each role can reach passes axe's WCAG 2.2 AA rules at 1280 px and the checks beyond
axe at 320 px (tests/e2e/page_checks.py: reflow, titles, headings, target spacing), in one walk;
the pages work from the keyboard and without JavaScript."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.url_walk import ROUTES, fill

from .conftest import ROLES, assert_accessible, axe_violations, new_page, sign_in
from .crawl import walk
from .page_checks import (
    REFLOW_WIDTH,
    heading_problems,
    reflow_problems,
    target_problems,
    title_problems,
)

pytestmark = pytest.mark.e2e

WALKS = Path(__file__).resolve().parents[2] / "var" / "accessibility-walks"


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_reaches_is_accessible_and_reflows(page, live_server, demo, role):
    """Sign in as the role, then walk breadth-first through the links from the home page: axe
    on each page at 1280 px, then the same page narrowed to 320 px for the checks beyond axe."""
    from g2g.tenancy.models import Authority

    names = dict(Authority.objects.values_list("slug", "name"))
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: JavaScript error: {error}"))
    wide = {"width": 1280, "height": 720}
    page.set_viewport_size(wide)
    sign_in(page, role, demo.password)

    def check(page, url: str) -> list[str]:
        problems = axe_violations(page)
        page.set_viewport_size({"width": REFLOW_WIDTH, "height": 640})
        problems += (
            reflow_problems(page)
            + heading_problems(page)
            + title_problems(page, url, names)
            + target_problems(page)
        )
        page.set_viewport_size(wide)
        return problems

    origin = live_server.url.rstrip("/")
    result = walk(page, origin, check)
    # The pages checked, one per line, for a reader of the run (var/ is not committed).
    WALKS.mkdir(parents=True, exist_ok=True)
    (WALKS / f"{role}.txt").write_text(
        "".join(url.removeprefix(origin) + "\n" for url in result.visited)
    )
    assert result.html_pages > 50, f"{role}'s walk reached only {result.html_pages} pages"
    errors.extend(result.errors)
    visited, visited_urls = len(result.visited), result.visited

    # The real number: every page under /<authority>/ that names no object and that the role
    # can open is one the crawl visited, for at least one authority (a route it did not visit is
    # asked of the server for each of the role's authorities).
    visited_paths = {urlsplit(url).path for url in visited_urls}
    missed = routes_the_crawl_missed(page, origin, role, visited_paths)
    assert not missed, f"{role}'s crawl ({visited} pages) missed pages it can open: {missed}"
    assert not errors, f"{len(errors)} problem(s) for {role}:\n" + "\n".join(errors)


def routes_the_crawl_missed(page, origin: str, role: str, visited: set[str]) -> list[str]:
    """The routes under /<authority>/ without ids (tests/url_walk.py) that the crawl visited for
    none of the role's authorities though one answers an HTML page (200, not a redirect) to the
    signed-in role. Only routes the crawl did not visit are asked for: the server's answers were
    most of this check's time."""
    from g2g.tenancy.models import Membership

    slugs = Membership.objects.filter(user__username=role).values_list("authority__slug", flat=True)
    by_route = {
        route: [fill(route, slug, None) for slug in slugs]
        for route, _params in ROUTES
        if "<" not in route.replace("<slug:authority>", "")
    }
    unvisited = [route for route, paths in by_route.items() if visited.isdisjoint(paths)]
    # The crawl's pages answered (any that did not is an error of the walk's), so a route it
    # visited is one the role can open.
    assert len(unvisited) < len(by_route), f"{role} can open no page under its authorities"
    return [
        route
        for route in unvisited
        if any(_opens_as_html(page, origin + path) for path in by_route[route])
    ]


def _opens_as_html(page, url: str) -> bool:
    response = page.request.get(url, max_redirects=0)
    return response.ok and "text/html" in (response.headers.get("content-type") or "")


def test_sign_in_page_is_accessible_with_and_without_errors(page):
    response = page.goto(reverse("login"))
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert_accessible(page)

    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)


def test_sign_in_error_summary_links_to_the_fields(page, demo):
    page.goto(reverse("login"))
    page.get_by_label("Username", exact=True).fill("viewer")
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()  # GOV.UK Frontend moves focus to the summary
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Username", exact=True)).to_be_focused()


def test_page_not_found_is_accessible(page):
    response = page.goto("/this/page/does/not/exist/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(browser, live_server):
    page = new_page(browser, live_server)  # CSP not bypassed: our scripts must run under it
    page.goto(reverse("login"))
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()  # visible when focused
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_pages_work_without_javascript(browser, live_server, demo):
    page = new_page(browser, live_server, java_script_enabled=False)
    sign_in(page, "viewer", demo.password)
    response = page.goto(reverse("home"))
    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert "js-enabled" not in (page.locator("body").get_attribute("class") or "")

    page.get_by_role("main").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert urlsplit(page.url).path != reverse("home")


def test_api_token_pages_are_accessible(page, transactional_db):
    """The pages the crawl cannot reach (they follow a POST): a form with errors, the new key
    shown once, and revoking."""
    from django.contrib.auth import get_user_model

    password = "a long test password 7"
    get_user_model().objects.create_user("token-holder", password=password)
    sign_in(page, "token-holder", password)
    page.goto(reverse("api_token_create"))
    page.get_by_role("button", name="Make token").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    page.get_by_label("Name", exact=True).fill("Power BI scorecard")
    page.get_by_role("button", name="Make token").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Token made")
    assert_accessible(page)
    page.goto(reverse("api_tokens"))
    page.get_by_role("link", name="Revoke Power BI scorecard").click()
    assert_accessible(page)
    page.get_by_role("button", name="Revoke token").click()
    expect(page.get_by_role("cell", name="Revoked", exact=True)).to_be_visible()
    assert_accessible(page)
