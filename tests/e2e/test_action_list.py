"""The action list in Chromium: in pages with the GOV.UK pagination component, the filters'
htmx swap bringing the count and page links, the table scrolling in its own box at 320 px."""

import re

import pytest
from playwright.sync_api import expect

from g2g.plans.models import Plan
from tests.factories import ActionFactory

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.e2e

SCROLL_WIDTH = "() => document.documentElement.scrollWidth"
STATUS = "#action-count[role=status]"


def test_the_action_list_pages_and_its_filters_swap_the_count_and_links(page, live_server, demo):
    plan = Plan.objects.filter(authority__slug="tameside").current()
    ActionFactory.create_batch(40, priority=plan.priorities.first())  # the demo's 31 and 40 more
    sign_in(page, "improvement_lead", demo.password)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/tameside/actions/")
    status = page.locator(STATUS)
    expect(status).to_have_text(re.compile(r"^Showing 1 to 50 of \d+ actions$"))
    total = int(re.search(r"of (\d+)", status.inner_text()).group(1))
    assert total > 50
    assert_accessible(page)

    page.locator(".govuk-pagination__next a").click()
    expect(page).to_have_url(re.compile(r"/tameside/actions/\?page=2$"))
    expect(status).to_have_text(re.compile(rf"^Showing 51 to \d+ of {total} actions$"))

    # A filter's change swaps the results in place (htmx): back to the first page of the
    # narrower list, whose page links keep the filter.
    # The count is one live region outside the swapped results, updated in place (the same
    # element, so screen readers announce the change), never inside the results.
    assert page.locator("#action-rows [role=status]").count() == 0
    status.evaluate("element => { element.dataset.kept = 'yes'; }")
    page.select_option("#id_sort", "end")
    expect(page).to_have_url(re.compile(r"sort=end"))
    expect(status).to_have_text(re.compile(rf"^Showing 1 to 50 of {total} actions$"))
    expect(status).to_have_attribute("data-kept", "yes")
    assert page.locator("[role=status]").count() == 1
    expect(page.locator(".govuk-pagination__next a")).to_have_attribute(
        "href", re.compile(r"sort=end.*page=2")
    )


def test_the_action_table_scrolls_inside_its_box_at_320_px(page, live_server, demo):
    sign_in(page, "viewer", demo.password)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/tameside/actions/")
    box = page.locator(".app-table-scroll")
    expect(box).to_have_attribute("role", "region")
    assert box.evaluate("element => element.scrollWidth > element.clientWidth")
    assert page.evaluate(SCROLL_WIDTH) <= 320
    assert_accessible(page)
