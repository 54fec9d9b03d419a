"""The scorecard in the browser: small multiples, a measure's page and entering a value, each
checked by axe; charts carry a text alternative."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.e2e


def test_small_multiples_and_entering_a_value(page, live_server, demo):
    sign_in(page, "improvement_lead", demo.password)
    page.goto("/tameside/measures/")
    page.get_by_label("Show").select_option("charts")
    page.get_by_label("Group by").select_option("priority")
    page.get_by_role("button", name="Show measures").click()
    # Counted on the whole new page: a long page still arriving holds only its first charts.
    expect(page).to_have_url(re.compile(r"view=charts"))
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", name="Priority 1", exact=False).first).to_be_visible()
    charts = page.locator("svg[role=img]")
    expect(charts.nth(19)).to_be_attached()  # at least 20
    # Each chart is named and described for people who cannot see it.
    assert charts.first.locator("title").text_content()
    assert "synthetic" in charts.first.locator("desc").text_content().lower()
    assert_accessible(page)

    page.get_by_role(
        "link", name="No. of child & family assessments completed under 45 working days", exact=True
    ).click()
    expect(
        page.get_by_text("explore-education-statistics.service.gov.uk", exact=False).first
    ).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Enter a value").click()
    page.get_by_label("Month").fill("Jan 2026")
    page.get_by_label("Value", exact=True).fill("185")
    page.get_by_role("button", name="Save value").click()
    expect(page.get_by_role("alert")).to_contain_text("A percentage must be between 0 and 100")
    assert_accessible(page)  # the error summary and the field's error message
    page.get_by_label("Value", exact=True).fill("85.5")
    page.get_by_role("button", name="Save value").click()
    expect(page.get_by_text("Value for January 2026 saved")).to_be_visible()
