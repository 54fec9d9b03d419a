"""Pace, "changes since" and stakeholder outcomes in the browser: axe-clean, with and without
errors, and the forms work without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible, new_page, sign_in

pytestmark = pytest.mark.e2e


def test_changes_pace_and_outcomes_pages_are_accessible(page, demo):
    sign_in(page, "improvement_lead", demo.password)
    page.goto("/oldham/")
    expect(page.get_by_role("heading", name="Pace")).to_be_visible()
    assert_accessible(page)

    # The "since" form on the overview, with a date that is no date: an error summary, no 500.
    page.get_by_label("Show changes since").fill("31/02/2024")
    page.get_by_role("button", name="Show changes").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert page.title().startswith("Error: ")
    assert_accessible(page)

    page.goto("/oldham/changes/?since=2019-01-01&until=2019-12-31")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Changes from 1 January 2019")
    assert_accessible(page)

    page.goto("/oldham/outcomes/")
    expect(page.get_by_role("heading", name="Elected members")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Change this statement or its measures (Elected members)").click()
    assert_accessible(page)
    page.get_by_role("checkbox").first.check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Stakeholder outcome saved")).to_be_visible()
    assert_accessible(page)

    page.goto("/oldham/")
    page.get_by_role("table", name="Open actions furthest behind").get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Pace")).to_be_visible()
    assert_accessible(page)


def test_the_changes_form_works_without_javascript(browser, live_server, demo):
    page = new_page(browser, live_server, java_script_enabled=False)
    sign_in(page, "viewer", demo.password)
    page.goto("/tameside/changes/")
    page.get_by_label("Show changes since").fill("2024-01-01")
    page.get_by_label("Up to and including").fill("2023-01-01")
    page.get_by_role("button", name="Show changes").click()
    expect(page.get_by_text("must be after the start date").first).to_be_visible()
    page.context.close()
