"""The update form in Chromium (issue 16): the action beside the form, a working character count,
and paragraphs and bullets typed in a browser (which sends CRLF line endings) shown as typed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from g2g.core.dates import current_period
from g2g.importers.posts import find_post
from g2g.plans.models import Action, Post, ProgressUpdate

from .conftest import assert_accessible, new_page, sign_in

pytestmark = pytest.mark.e2e


def test_paragraphs_and_bullets_typed_in_a_browser_survive(browser, live_server, demo):
    ProgressUpdate.objects.filter(period=current_period()).delete()
    posts = Post.objects.filter(authority__slug="tameside")
    action = Action.objects.filter(
        plan__authority__slug="tameside",
        plan__status="active",
        leads=find_post(posts, "AD Children's Social Care"),
    ).first()
    page = new_page(browser, live_server, bypass_csp=True)
    sign_in(page, "action_lead", demo.password)
    page.goto(f"/tameside/actions/{action.pk}/update/")
    expect(page.get_by_role("heading", name="About the action")).to_be_visible()
    expect(page.locator(".govuk-details[open]")).to_be_visible()  # the rating key
    typed = "Audit done.\n\nWhat changed:\n- fewer re-referrals\n* quicker visits"
    page.get_by_label("What progress has been made?").fill(typed)
    left = f"You have {10000 - len(typed):,} characters remaining"
    expect(page.locator(".govuk-character-count__status").first).to_have_text(left)
    page.get_by_label("Risks and issues (optional)").fill("Agency staff")
    assert_accessible(page)
    page.get_by_role("button", name="Save update as a draft").click()
    expect(page.get_by_text("as a draft")).to_be_visible()
    update = ProgressUpdate.objects.get(action=action, period=current_period())
    assert "\r\n" in update.narrative  # stored as typed
    page.goto(f"/tameside/actions/{action.pk}/")
    latest = page.locator("p.govuk-body", has_text="Audit done.")
    assert latest.first.inner_text() == "Audit done."
    items = page.locator("ul.govuk-list--bullet li", has_text="re-referrals")
    assert items.first.inner_text() == "fewer re-referrals"
    assert page.locator("ul.govuk-list--bullet li", has_text="quicker visits").count() >= 1
