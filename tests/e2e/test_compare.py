"""How we compare, in Chromium: axe's WCAG 2.2 AA rules at 1280 px and at 320 px, with no
sideways scrolling of the page at 320 px (WCAG 1.4.10 reflow)."""

import pytest

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.e2e

PAGES = ["/tameside/compare/", "/oldham/compare/indicator/?indicator=cla_three_placements"]
SCROLL_WIDTH = "() => document.documentElement.scrollWidth"


@pytest.mark.parametrize("path", PAGES)
def test_how_we_compare_is_accessible_at_1280_and_320_px(page, live_server, demo, path):
    sign_in(page, "regional_viewer", demo.password)
    page.set_viewport_size({"width": 1280, "height": 900})
    response = page.goto(path)
    assert response.status == 200
    assert page.locator("svg[role=img]").count() >= 1
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(path)
    assert page.evaluate(SCROLL_WIDTH) <= 320
    assert_accessible(page)


def test_the_table_of_every_year_scrolls_inside_its_box_at_320_px(page, live_server, demo):
    sign_in(page, "viewer", demo.password)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(PAGES[1])
    box = page.locator(".app-table-scroll").first
    assert box.evaluate("element => element.scrollWidth > element.clientWidth")
    assert page.evaluate(SCROLL_WIDTH) <= 320
