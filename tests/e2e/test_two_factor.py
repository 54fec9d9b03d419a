"""2-step verification in Chromium: every page passes axe (the crawl reaches only the account
and set-up pages; the rest follow a POST or a second sign-in), the whole journey works, and
the QR code shows under the enforced Content-Security-Policy."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from g2g.tenancy.models import Role
from tests.factories import PASSWORD, MembershipFactory
from tests.security.test_two_factor import (  # noqa: F401
    clock,
    let_throttle_pass,
    new_code,
    shown_device,
)

from .conftest import assert_accessible, new_page
from .test_csp import WATCH_VIOLATIONS, csp_problems

pytestmark = pytest.mark.e2e


@pytest.fixture
def lead(transactional_db):
    return MembershipFactory(role=Role.IMPROVEMENT_LEAD).user


def sign_in_with_password(page, user) -> None:
    page.goto(reverse("login"))
    page.get_by_label("Username", exact=True).fill(user.username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_the_two_factor_journey_is_accessible(page, lead, clock):  # noqa: F811
    sign_in_with_password(page, lead)
    page.get_by_role("link", name="2-step verification").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2-step verification")
    assert_accessible(page)

    page.get_by_role("button", name="Set up 2-step verification").click()
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Turn on 2-step verification").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    device = shown_device(page.content())
    page.get_by_label("Security code").fill(new_code(device, clock))
    page.get_by_role("button", name="Turn on 2-step verification").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2-step verification is on")
    assert_accessible(page)
    codes = page.locator("ol code").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("button", name="I have saved my codes").click()

    page.get_by_role("button", name=re.compile("Sign out")).click()
    sign_in_with_password(page, lead)
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    code_input = page.get_by_label("Security code")
    assert code_input.get_attribute("autocomplete") == "one-time-code"
    assert code_input.get_attribute("inputmode") == "numeric"
    assert_accessible(page)
    code_input.fill("12345")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page)
    page.get_by_role("link", name="Use a backup code instead").click()
    assert_accessible(page)
    page.get_by_label("Backup code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(lambda url: url.endswith(reverse("home")))

    page.goto(reverse("two_factor_new_codes"))
    assert_accessible(page)
    page.goto(reverse("two_factor_turn_off"))
    assert_accessible(page)
    let_throttle_pass(TOTPDevice)
    page.get_by_label("Security code or backup code").fill(
        new_code(TOTPDevice.objects.get(user=lead), clock)
    )
    page.get_by_role("button", name="Turn off 2-step verification").click()
    expect(page.get_by_text("2-step verification is off")).to_be_visible()
    assert_accessible(page)


def test_the_qr_code_shows_under_the_policy(browser, live_server, lead):
    page = new_page(browser, live_server)  # CSP enforced
    page.add_init_script(WATCH_VIOLATIONS)
    page.console_lines = []
    page.on("console", lambda message: page.console_lines.append(message.text))
    sign_in_with_password(page, lead)
    page.goto(reverse("two_factor_set_up"))
    image = page.get_by_role("img", name=re.compile("QR code"))
    expect(image).to_be_visible()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert csp_problems(page) == []
