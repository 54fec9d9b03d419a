"""Pace, "changes since" and stakeholder outcomes in the browser: axe-clean, with and without
errors, and the forms work without JavaScript."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from g2g.plans.models import Plan

from .conftest import assert_accessible, fill_date, new_page, sign_in

pytestmark = pytest.mark.e2e


def test_changes_pace_and_outcomes_pages_are_accessible(page, demo):
    sign_in(page, "improvement_lead", demo.password)
    page.goto("/oldham/")
    expect(page.get_by_role("heading", name="Pace")).to_be_visible()
    assert_accessible(page)

    # The "since" form on the overview, with a date that is no date: an error summary, no 500.
    fill_date(page, "Show changes since", ("31", "2", "2024"))
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
    # Oldham's 2019-21 plan is closed (the demo's story): its outcomes are the record.
    expect(page.get_by_text(re.compile("is closed: it is the record")).first).to_be_visible()
    assert_accessible(page)

    # Oldham's 2019-21 plan finished every dated action (the demo's story): none is behind.
    # Tameside's 2023 plan, closed with end dates moved, has actions that slipped.
    page.goto("/oldham/")
    expect(page.get_by_text("Open actions furthest behind")).to_have_count(0)
    tameside_2023 = Plan.objects.get(authority__slug="tameside", start=date(2023, 8, 1))
    page.goto(f"/tameside/?plan={tameside_2023.pk}")
    page.get_by_role("table", name="Open actions furthest behind").get_by_role("link").first.click()
    expect(page.get_by_role("heading", name="Pace")).to_be_visible()
    assert_accessible(page)


def test_the_changes_form_works_without_javascript(browser, live_server, demo):
    page = new_page(browser, live_server, java_script_enabled=False)
    sign_in(page, "viewer", demo.password)
    page.goto("/tameside/changes/")
    fill_date(page, "Show changes since", ("1", "1", "2024"))
    fill_date(page, "Up to and including", ("1", "1", "2023"))
    page.get_by_role("button", name="Show changes").click()
    expect(page.get_by_text("must be after the start date").first).to_be_visible()
