"""Each demo role signs in and lands on its work, in Chromium: the action lead opens a due
update in one click, the improvement lead's sign-off count is the number of updates awaiting
sign-off, and the homes pass axe's WCAG 2.2 AA rules at 1280 and 320 px wide."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from g2g.plans.models import ProgressUpdate
from g2g.rounds.models import Round

from .conftest import ROLES, assert_accessible, sign_in

pytestmark = pytest.mark.e2e

SCROLL_WIDTH = "() => document.documentElement.scrollWidth"
# What each role sees first, in both demo authorities (every demo user has a role in both).
FIRST = {
    "administrator": "Awaiting sign-off",
    "improvement_lead": "Awaiting sign-off",
    "action_lead": "Due from you",
    "viewer": "Latest board pack",
    "regional_viewer": "Your region's authorities side by side",
}


def accessible_at_both_widths(page) -> None:
    for width, height in ((1280, 900), (320, 640)):
        page.set_viewport_size({"width": width, "height": height})
        page.reload()
        assert page.evaluate(SCROLL_WIDTH) <= width
        assert_accessible(page)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lands_on_its_work(page, live_server, demo, role):
    sign_in(page, role, demo.password)
    assert page.url.endswith(reverse("home"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your authorities")
    expect(page.get_by_role("main")).to_contain_text(FIRST[role])
    accessible_at_both_widths(page)

    page.goto(reverse("authority_home", args=["tameside"]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your work")
    accessible_at_both_widths(page)


def test_the_action_lead_opens_a_due_update_in_one_click(page, live_server, demo):
    sign_in(page, "action_lead", demo.password)
    due = page.get_by_role("link", name=re.compile(r"^Write the update for")).first
    expect(due).to_be_visible()
    due.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile(r"^(Write a|Change the) progress update")
    )
    assert "/update/?period=" in page.url


def test_the_improvement_lead_sees_the_sign_off_queue_count(page, live_server, demo):
    sign_in(page, "improvement_lead", demo.password)
    round_ = Round.objects.filter(plan__authority__slug="tameside").order_by("-period").first()
    awaiting = ProgressUpdate.objects.filter(
        action__plan=round_.plan, period=round_.period, status=ProgressUpdate.Status.SUBMITTED
    ).count()
    assert awaiting >= 1  # the demo's Blue update awaiting sign-off
    words = f"{awaiting} update{'s' if awaiting != 1 else ''}"
    card = page.locator("#home-tameside")
    queue = card.get_by_role("link", name=re.compile(rf"^{words} awaiting sign-off"))
    expect(queue).to_be_visible()

    page.goto(reverse("authority_home", args=["tameside"]))
    expect(page.locator("#sign-off-count")).to_have_text(f"{words} awaiting sign-off")
    expect(page.locator("#sign-off-queue li")).to_have_count(awaiting)
    page.locator("#sign-off-count").get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Updates waiting for sign-off")
    expect(page.get_by_role("link", name=re.compile("^Review"))).to_have_count(awaiting)
