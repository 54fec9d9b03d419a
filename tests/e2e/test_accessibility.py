"""Every page each role can reach passes axe's WCAG 2.2 AA rules; the pages work from the keyboard
and without JavaScript."""

from __future__ import annotations

import re
from collections import Counter, deque
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from .conftest import ROLES, assert_accessible, axe_violations, new_page, sign_in

pytestmark = pytest.mark.e2e

MAX_PAGES = 150  # per role
# Pages that differ only in ids or query values render the same template: a few of each are
# enough, and keep the crawl within MAX_PAGES while still reaching the deepest pages (forms).
MAX_PER_SHAPE = 3
SKIPPED_PREFIXES = ("/admin/", "/static/")

LINKS = """
anchors => anchors
  .filter(a => !a.hasAttribute("download"))
  .map(a => a.href)
"""


def crawl_targets(page, origin: str, skipped: tuple[str, ...]) -> list[str]:
    """Same-origin links on the page, without fragments, minus the skipped paths."""
    urls = []
    for href in page.eval_on_selector_all("a[href]", LINKS):
        url, _fragment = urldefrag(href)
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != origin:
            continue
        if parts.path.startswith(skipped):
            continue
        urls.append(url)
    return urls


def shape(url: str) -> str:
    """The URL with numbers in the path and query values blanked: /x/actions/<n>/?priority=."""
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$)", "/<n>", parts.path)
    names = sorted({pair.split("=", 1)[0] for pair in parts.query.split("&") if pair})
    return path + "?" + "&".join(names)


def visit(page, url: str) -> tuple[int, bool]:
    """Open the URL; the final status and whether it is an HTML page (downloads are not)."""
    try:
        response = page.goto(url)
    except PlaywrightError as error:
        if "Download is starting" not in str(error):
            raise
        return page.request.get(url).status, False
    assert response is not None, f"No response for {url}"
    return response.status, "text/html" in (response.header_value("content-type") or "")


@pytest.mark.parametrize("role", ROLES)
def test_every_page_a_role_reaches_is_accessible(page, live_server, demo, role):
    """Sign in as the role, then walk breadth-first through the links from the home page."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: JavaScript error: {error}"))
    sign_in(page, role, demo.password)

    origin = live_server.url.rstrip("/")
    login_path = reverse("login")
    skipped = (*SKIPPED_PREFIXES, reverse("logout"))
    start = origin + reverse("home")
    queue, seen, visited = deque([start]), {start}, 0
    shapes = Counter([shape(start)])
    while queue and visited < MAX_PAGES:
        url = queue.popleft()
        visited += 1
        status, is_html = visit(page, url)
        if status >= 400:
            errors.append(f"{url}: HTTP {status}")
            continue
        if not is_html:
            continue
        if urlsplit(page.url).path == login_path:
            errors.append(f"{url}: sent to the sign-in page (signed out?)")
            continue
        errors.extend(f"{url}: {problem}" for problem in axe_violations(page))
        for target in crawl_targets(page, origin, skipped):
            if target not in seen and shapes[shape(target)] < MAX_PER_SHAPE:
                seen.add(target)
                shapes[shape(target)] += 1
                queue.append(target)

    assert visited > 1, f"{role} reached no page beyond the home page"
    assert not errors, f"{len(errors)} problem(s) for {role}:\n" + "\n".join(errors)


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
    try:
        page.goto(reverse("login"))
        page.keyboard.press("Tab")
        skip_link = page.get_by_role("link", name="Skip to main content")
        expect(skip_link).to_be_focused()
        expect(skip_link).to_be_visible()  # visible when focused
        page.keyboard.press("Enter")
        expect(page.locator("main")).to_be_focused()
        assert page.evaluate("document.activeElement.id") == "main-content"
    finally:
        page.context.close()


def test_pages_work_without_javascript(browser, live_server, demo):
    page = new_page(browser, live_server, java_script_enabled=False)
    try:
        sign_in(page, "viewer", demo.password)
        response = page.goto(reverse("home"))
        assert response.status == 200
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert "js-enabled" not in (page.locator("body").get_attribute("class") or "")

        page.get_by_role("main").get_by_role("link").first.click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert urlsplit(page.url).path != reverse("home")
    finally:
        page.context.close()


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
