"""The Content-Security-Policy in a real browser (the other browser tests bypass it to inject
axe): pages, their JavaScript and the inline SVG trend charts work with no violation reported,
and a violation would be caught."""

from __future__ import annotations

import pytest

from g2g.measures.models import Measure

from .conftest import new_page, sign_in

pytestmark = pytest.mark.e2e

WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", event => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def strict_page(browser, live_server):
    """A page with the CSP enforced, recording console messages and violation events."""
    page = new_page(browser, live_server)
    page.add_init_script(WATCH_VIOLATIONS)
    page.console_lines = []
    page.on("console", lambda message: page.console_lines.append(message.text))
    return page


def csp_problems(page) -> list[str]:
    console = [line for line in page.console_lines if "Content Security Policy" in line]
    return console + page.evaluate("() => window.__cspViolations || []")


def test_pages_and_charts_render_under_the_policy(strict_page, demo):
    page = strict_page
    sign_in(page, "improvement_lead", demo.password)
    measure = Measure.objects.filter(authority__slug="oldham").order_by("pk").first()
    for path in ["/", "/oldham/", "/oldham/measures/", f"/oldham/measures/{measure.pk}/"]:
        response = page.goto(path)
        assert response.status == 200, path
        assert "frame-ancestors 'none'" in response.header_value("content-security-policy")
        # Our external scripts ran (GOV.UK Frontend's JavaScript-enabled class).
        assert "js-enabled" in (page.get_attribute("body", "class") or ""), path
        assert csp_problems(page) == [], path
    chart = page.locator("svg[role=img]").first
    chart.wait_for()
    assert chart.bounding_box()["height"] > 100
    # The chart's inline style attributes applied: its lines are coloured, not default black.
    strokes = page.eval_on_selector_all(
        "svg[role=img] path", "paths => paths.map(p => getComputedStyle(p).stroke)"
    )
    assert any(stroke not in ("none", "rgb(0, 0, 0)") for stroke in strokes)
    assert csp_problems(page) == []


def test_a_violation_would_be_reported(strict_page, demo):
    """The check above can fail: an inline script is blocked and reported."""
    page = strict_page
    page.goto("/sign-in/")
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.__ran = true"; document.head.appendChild(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.__ran === true") is False
    assert csp_problems(page)
