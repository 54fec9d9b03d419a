"""The plan overview's first screen at 1280×800 holds the whole plan at a glance (issue 16)."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("slug", ["oldham", "tameside"])
def test_the_plan_summary_fits_the_first_screen_and_is_accessible(page, demo, slug):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, "improvement_lead", demo.password)
    page.goto(f"/{slug}/")
    summary = page.locator("#plan-summary")
    expect(summary.get_by_role("heading", name="The plan at a glance")).to_be_visible()
    expect(summary.get_by_role("table")).to_contain_text("Not rated")
    expect(summary.get_by_role("link", name="overdue")).to_be_visible()
    box = summary.bounding_box()
    assert box is not None
    if shots := os.environ.get("G2G_SCREENSHOTS"):
        page.screenshot(path=f"{shots}/{slug}-1280.png")
        page.set_viewport_size({"width": 320, "height": 800})
        page.screenshot(path=f"{shots}/{slug}-320.png", full_page=False)
    assert box["y"] + box["height"] <= 800, f"the summary ends at {box['y'] + box['height']} px"
    assert_accessible(page)

    # Each count opens the action list filtered to those actions.
    summary.get_by_role("link", name="overdue").click()
    expect(page).to_have_url(re.compile(r"overdue=yes"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
