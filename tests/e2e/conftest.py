"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's
live server. Playwright never downloads a browser here.

Without /usr/bin/chromium the browser tests are skipped locally and fail in CI (CI=true).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Error, expect

from tests import demo_data

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse ORM
# calls from it (SynchronousOnlyOperation).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
BUILT_CSS = REPO / "src" / "g2g" / "static" / "dist" / "app.css"
AXE_OPTIONS = {
    # Details of the violations only: axe otherwise describes every node of every rule that
    # passed too, a quarter of its time on the demo's long tables. What it checks is the same.
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"],
    },
}
ROLES = ["administrator", "improvement_lead", "action_lead", "viewer", "regional_viewer"]


def pytest_collection_modifyitems(config, items):
    if CHROMIUM.exists() or os.environ.get("CI") == "true":
        return
    skip = pytest.mark.skip(reason=f"{CHROMIUM} not found (run `make browser`)")
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), f"{CHROMIUM} not found: run `make browser`"
    assert AXE.exists(), f"{AXE} not found: run `npm ci`"
    assert BUILT_CSS.exists(), f"{BUILT_CSS} not found: run `npm run build`"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# Limits for a hang, not timings (`make bench` measures pages): a page the server draws in the
# request (the board pack's and scorecard's charts) can take tens of seconds while the other
# test worker loads both cores, and a click waits for the page it leads to.
ACTION_TIMEOUT_MS = 60_000
NAVIGATION_TIMEOUT_MS = 90_000
expect.set_options(timeout=30_000)


# Every context a test opens, closed by `pytest_runtest_teardown` below.
_open_contexts = []


def new_page(browser, live_server, **context_options):
    """A page in a context of its own, closed after the test (tests do not close it)."""
    context = browser.new_context(base_url=live_server.url, **context_options)
    _open_contexts.append(context)
    context.set_default_timeout(ACTION_TIMEOUT_MS)  # for every page of the context
    context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
    return context.new_page()


@pytest.fixture
def page(browser, live_server):
    """A page for accessibility checks: CSP is bypassed so axe can be injected as a script, and
    it is, into every document the page opens (sending axe's 550 kB to the browser for each page
    took a third of the accessibility walk's time)."""
    page = new_page(browser, live_server, bypass_csp=True)
    page.context.add_init_script(path=str(AXE))
    return page


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Close the test's pages before its fixtures end (the demo's data, the live server),
    each once it has loaded: Chromium can hang for good closing a context whose page is still
    on its way to the next one (a form just sent, a redirect followed); in CI that hung the run
    for 15 minutes. A page that never loads is the test's failure to report, not this."""
    while _open_contexts:
        context = _open_contexts.pop()
        for page in context.pages:
            try:
                page.wait_for_load_state("load")
            except Error:
                pass
        context.close()
    return (yield)


@dataclass(frozen=True)
class Demo:
    password: str


@pytest.fixture
def demo(transactional_db, demo_database) -> Demo:
    """The demo data (Oldham and Tameside with their plans) and one user per role, each named
    after the role, as the real `load_demo` command loads it: a pristine copy for each test
    (the test's own writes are flushed after it, as for any `transactional_db` test)."""
    from g2g.operations.demo import DEMO_PASSWORD

    if demo_database is None:
        demo_data.load_demo()
    else:
        demo_data.restore(demo_database.copy)
    return Demo(password=DEMO_PASSWORD)


def sign_in(page, username: str, password: str) -> None:
    """Sign in through the real sign-in page and wait for the home page."""
    page.goto(reverse("login"))
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: url.endswith(reverse("home")))


def axe_violations(page) -> list[str]:
    """Run axe (WCAG 2.0, 2.1 and 2.2 A and AA rules) on the page; one readable line per problem.

    On the page as loaded: a click on a link returns once the next page is asked for, and a
    document still arriving has no <head> to take the script (or replaces the one axe ran in),
    so axe starts again on the loaded page."""
    for attempt in (1, 2):
        page.wait_for_load_state("load")
        try:
            if not page.evaluate("typeof window.axe === 'object'"):
                page.add_script_tag(path=str(AXE))
            result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
            break
        except Error:
            if attempt == 2:
                raise
    problems = []
    for violation in result["violations"]:
        targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"])
        problems.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}] at {targets}"
        )
    return problems


def assert_accessible(page) -> None:
    problems = axe_violations(page)
    assert not problems, f"axe found problems on {page.url}:\n" + "\n".join(problems)


def fill_date(page, legend: str, day, *, exact: bool = False) -> None:
    """Type a date into GOV.UK's date input named by its legend: day, month and year boxes.
    `day` is a date, or a (day, month, year) of strings to type as they are."""
    parts = (str(day.day), str(day.month), str(day.year)) if hasattr(day, "year") else day
    group = page.get_by_role("group", name=legend, exact=exact)
    for label, text in zip(("Day", "Month", "Year"), parts, strict=True):
        group.get_by_label(label, exact=True).fill(text)
