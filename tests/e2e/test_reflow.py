"""WCAG 2.2 beyond axe. The walk of every page each role reaches (test_accessibility.py) checks
at 320 px that no page scrolls sideways (1.4.10 reflow: wide tables scroll in their own region,
long URLs wrap), that every page under an authority names it in its title (2.4.2), that headings
never skip a level (1.3.1) and that small targets are 24 px apart (2.5.8). Here: those checks
fail a page that breaks them, and with WCAG's text spacing applied (1.4.12) no text on the key
pages is cut off, chart text included."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import sign_in
from .page_checks import (
    REFLOW_WIDTH,
    TEXT_SPACING_CSS,
    clipped_text,
    heading_problems,
    reflow_problems,
    target_problems,
    title_problems,
)

pytestmark = pytest.mark.e2e


def test_the_checks_find_what_they_look_for(page, live_server, demo):
    """The checks fail a page that breaks them: a table with no region of its own, a skipped
    heading level, a title without the authority, text cut off under text spacing."""
    sign_in(page, "viewer", demo.password)
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": 640})
    page.goto("/tameside/actions/")
    assert reflow_problems(page) == []
    assert heading_problems(page) == []
    assert title_problems(page, page.url, {"tameside": "Tameside"}) == []
    assert target_problems(page) == []
    page.evaluate(
        """() => {
        const box = document.querySelector('.app-table-scroll');
        box.replaceWith(box.querySelector('table'));
        document.title = 'Actions – Getting to Good';
        document.querySelector('h1').insertAdjacentHTML('afterend', '<h3>Skipped</h3>');
        document.querySelector('main').insertAdjacentHTML('beforeend',
          '<p style="height: 1.2em; overflow: hidden; width: 200px">'
          + 'Words '.repeat(20) + '</p>');
    }"""
    )
    assert re.match(r"scrolls sideways: \d+ px wide at 320 px", reflow_problems(page)[0])
    assert heading_problems(page) == ["heading skips from h1 to h3 ('Skipped')"]
    assert title_problems(page, page.url, {"tameside": "Tameside"})
    assert any(problem.startswith('p "Words') for problem in clipped_text(page))


def test_the_target_check_finds_small_targets_too_close(page):
    page.set_content(
        '<main><div><a href="#a" style="font-size: 10px">A</a><br>'
        '<a href="#b" style="font-size: 10px">B</a></div>'
        '<p>In a sentence, <a href="#c">a link</a> is exempt.</p></main>'
    )
    problems = target_problems(page)
    assert problems[0].startswith('target "A" (7x11 px) too close to "B"'), problems
    assert not [problem for problem in problems if "a link" in problem]


KEY_PAGES = [
    "/tameside/",
    "/tameside/home/",
    "/tameside/actions/",
    "/tameside/measures/?view=charts",
    "/tameside/compare/",
    "/tameside/reports/board-pack/",
    "/tameside/rounds/",
]


@pytest.mark.parametrize("width", [1280, REFLOW_WIDTH])
def test_text_spacing_cuts_off_no_text_on_the_key_pages(page, live_server, demo, width):
    sign_in(page, "improvement_lead", demo.password)
    page.set_viewport_size({"width": width, "height": 800})
    problems = []
    for path in KEY_PAGES:
        response = page.goto(path)
        assert response.ok, path
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.add_style_tag(content=TEXT_SPACING_CSS)
        problems += [f"{path}: {problem}" for problem in clipped_text(page)]
        problems += (
            [f"{path}: {problem}" for problem in reflow_problems(page)] if width == 320 else []
        )
    assert not problems, "\n".join(problems)
