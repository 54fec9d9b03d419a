"""The idle-timeout warning in a real browser (WCAG 2.2.1 Timing Adjustable, docs/security.md #8).

Playwright's clock stands in for the page's time, so nothing waits 28 minutes; the server's
session is aged in the database to match, since the script asks the server how long is left
before it warns and before it signs out.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import PASSWORD, UserFactory

from .conftest import assert_accessible, new_page, sign_in

pytestmark = pytest.mark.e2e

LEAD = settings.G2G_SESSION_WARNING_SECONDS
WARN_AT_MS = (settings.SESSION_COOKIE_AGE - LEAD) * 1000
TIMEOUT_MESSAGE = (
    "You have been signed out because you had not done anything for 30 minutes. "
    "Sign in again to continue."
)


@pytest.fixture
def strict_page(browser, live_server):
    """A page with the Content-Security-Policy enforced (the script must work under it)."""
    page = new_page(browser, live_server)
    return page


@pytest.fixture
def user(transactional_db):
    return UserFactory()


def session_key(page) -> str:
    cookies = page.context.cookies()
    return next(c["value"] for c in cookies if c["name"] == settings.SESSION_COOKIE_NAME)


def age_session(page, seconds: float) -> None:
    """As if the user had done nothing on the server until `seconds` before the end."""
    Session.objects.filter(session_key=session_key(page)).update(
        expire_date=timezone.now() + timedelta(seconds=seconds)
    )


def server_seconds_left(page) -> int:
    """Asked the way the script asks: the status endpoint, which does not extend the session."""
    response = page.request.get("/account/session/")
    return response.json()["remaining_seconds"] if response.ok else 0


def signed_in_with_clock(page, user) -> None:
    page.clock.install()
    sign_in(page, user.username, PASSWORD)


def warning(page):
    return page.get_by_role("alertdialog", name="You’re about to be signed out")


def reach_the_warning(page) -> None:
    """Idle until the warning is due, on the page's clock and on the server."""
    page.clock.fast_forward(WARN_AT_MS - 10_000)
    expect(warning(page)).to_be_hidden()
    age_session(page, LEAD)
    page.clock.fast_forward(20_000)
    expect(warning(page)).to_be_visible()


def test_the_warning_appears_in_time_with_focus_in_it_and_passes_axe(page, user):
    signed_in_with_clock(page, user)
    reach_the_warning(page)
    dialog = warning(page)
    expect(dialog).to_contain_text("You will be signed out in 2 minutes")
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_focused()
    expect(dialog.get_by_role("button", name="Sign out")).to_be_visible()
    # The rest of the page is inert while the dialog is open.
    assert page.evaluate("() => document.querySelector('dialog').matches(':modal')")
    assert_accessible(page)
    # It fits a 320 px wide screen (WCAG 1.4.10 reflow; 1280 px at 400% zoom).
    page.set_viewport_size({"width": 320, "height": 480})
    box = dialog.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 320
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    assert_accessible(page)


def test_the_screen_reader_countdown_speaks_every_20_seconds_not_every_second(page, user):
    signed_in_with_clock(page, user)
    reach_the_warning(page)
    live = page.locator("[aria-live]", has=page.locator("[data-time]"))
    visible = page.locator("[data-countdown]")
    spoken_before = live.text_content()
    page.clock.run_for(65_000)
    expect(visible).to_have_text(re.compile(r"^\d+ seconds$"))
    spoken = live.text_content()
    assert spoken != spoken_before
    page.clock.run_for(5_000)
    assert live.text_content() == spoken  # five seconds later: not spoken again yet
    assert visible.text_content() != live.locator("[data-time]").text_content()


def test_stay_signed_in_by_keyboard_extends_the_session(strict_page, user):
    page = strict_page
    signed_in_with_clock(page, user)
    reach_the_warning(page)
    assert server_seconds_left(page) <= LEAD
    page.keyboard.press("Enter")
    expect(warning(page)).to_be_hidden()
    assert server_seconds_left(page) > settings.SESSION_COOKIE_AGE - 60
    # The timer starts again: the warning is back only near the new end.
    page.clock.fast_forward(WARN_AT_MS - 5000)
    expect(warning(page)).to_be_hidden()
    age_session(page, LEAD)
    page.clock.fast_forward(10_000)
    expect(warning(page)).to_be_visible()


def test_escape_means_stay_signed_in(strict_page, user):
    page = strict_page
    signed_in_with_clock(page, user)
    reach_the_warning(page)
    page.keyboard.press("Escape")
    expect(warning(page)).to_be_hidden()
    assert server_seconds_left(page) > settings.SESSION_COOKIE_AGE - 60


COUNT_OPENINGS = """
window.__warnings = 0;
const showModal = HTMLDialogElement.prototype.showModal;
HTMLDialogElement.prototype.showModal = function () {
  window.__warnings += 1;
  showModal.call(this);
};
"""


def test_activity_in_another_tab_keeps_the_warning_away(strict_page, user):
    page = strict_page
    page.add_init_script(COUNT_OPENINGS)
    signed_in_with_clock(page, user)
    page.clock.fast_forward(WARN_AT_MS - 10_000)
    # Another tab loaded a page a moment ago: the server's session has its full age left.
    other_tab = page.context.new_page()
    other_tab.goto("/")
    other_tab.close()
    with page.expect_response("**/account/session/"):
        page.clock.fast_forward(20_000)
    # The script waits again: the warning comes only near the session's new end.
    page.clock.fast_forward(WARN_AT_MS - 60_000)
    expect(warning(page)).to_be_hidden()
    assert page.evaluate("() => window.__warnings") == 0
    age_session(page, LEAD)
    page.clock.fast_forward(120_000)
    expect(warning(page)).to_be_visible()
    assert page.evaluate("() => window.__warnings") == 1


def test_a_slow_answer_counts_from_when_it_was_asked(strict_page, user):
    """The server's "seconds left" is as of the asking: time spent waiting for it adds none."""
    page = strict_page
    signed_in_with_clock(page, user)
    age_session(page, LEAD + 300)  # used in another tab: 7 minutes left when the script asks
    held = []

    def hold(route):
        held.append(route)

    page.route("**/account/session/", hold)
    page.clock.fast_forward(WARN_AT_MS)
    while not held:
        page.wait_for_timeout(20)
    page.clock.fast_forward(300_000)  # the answer takes five minutes to come
    held[0].continue_()
    page.unroute("**/account/session/")
    expect(warning(page)).to_be_visible()
    expect(warning(page)).to_contain_text("You will be signed out in 2 minutes")


def test_letting_the_time_run_out_signs_out_and_says_why(strict_page, user):
    page = strict_page
    signed_in_with_clock(page, user)
    page.goto("/account/tokens/")
    reach_the_warning(page)
    age_session(page, -1)  # the server has ended the session too
    page.clock.fast_forward(LEAD * 1000 + 1000)
    page.wait_for_url(re.compile(r"/sign-in/\?timeout=1&next=%2Faccount%2Ftokens%2F$"))
    expect(page.get_by_text(TIMEOUT_MESSAGE)).to_be_visible()
    assert server_seconds_left(page) == 0
    # Signing in again returns to the page they were on.
    page.get_by_label("Username", exact=True).fill(user.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/account/tokens/$"))


def test_the_sign_out_button_signs_out(strict_page, user):
    page = strict_page
    signed_in_with_clock(page, user)
    reach_the_warning(page)
    warning(page).get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/sign-in/$"))
    assert server_seconds_left(page) == 0
