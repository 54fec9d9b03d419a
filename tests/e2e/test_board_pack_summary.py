"""Browser journey through the board pack's summary and a meeting's papers, checked by axe at each
step (at 1280 and 320 px): an improvement lead edits the summary the pack opens with, saves the
pack, and attaches it to a governance meeting, where a viewer finds it (issue 17)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from g2g.tenancy.models import Authority
from tests.factories import BoardFactory, MeetingFactory

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.e2e


def accessible_at_both_widths(page) -> None:
    assert_accessible(page)
    page.set_viewport_size({"width": 320, "height": 800})
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_lead_edits_the_summary_saves_the_pack_and_attaches_it_to_a_meeting(page, demo):
    tameside = Authority.objects.get(slug="tameside")
    meeting = MeetingFactory(board=BoardFactory(authority=tameside, name="Improvement Board"))
    sign_in(page, "improvement_lead", demo.password)
    page.goto("/tameside/reports/board-pack/")
    expect(page.get_by_text("Drafted from the data; not yet edited.")).to_be_visible()
    accessible_at_both_widths(page)

    page.get_by_role("link", name="Edit the summary").click()
    summary = page.get_by_label("Summary", exact=True)
    assert summary.input_value().startswith("At ")
    accessible_at_both_widths(page)
    summary.fill("")
    page.get_by_role("button", name="Save the summary").click()
    expect(page.get_by_role("link", name="Enter the summary")).to_be_visible()  # the error summary
    assert_accessible(page)
    page.get_by_label("Summary", exact=True).fill(
        "Progress is slower than planned.\n\nThe board is asked to note the risks."
    )
    page.get_by_role("button", name="Save the summary").click()
    expect(page.get_by_text("The board is asked to note the risks.")).to_be_visible()
    page.get_by_role("button", name="Save this pack for the record").click()
    expect(page.get_by_text("Saved: Tameside improvement board pack")).to_be_visible(timeout=60_000)

    page.goto(f"/tameside/boards/meetings/{meeting.pk}/")
    expect(page.get_by_text("No board pack attached.")).to_be_visible()
    page.get_by_role("link", name="Attach a saved board pack").click()
    accessible_at_both_widths(page)
    page.get_by_role("button", name="Attach the pack").click()
    expect(page.get_by_role("link", name="Choose the saved pack to attach")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Attach the pack").click()
    expect(page.get_by_role("cell", name="Tameside improvement board pack").first).to_be_visible()
    accessible_at_both_widths(page)

    sign_in(page, "viewer", demo.password)
    page.goto(f"/tameside/boards/meetings/{meeting.pk}/")
    expect(page.get_by_role("link", name="Word", exact=False).first).to_be_visible()
    assert not page.get_by_role("button", name="Remove").count()
    assert_accessible(page)
