"""The import preview's column mapping in Chromium, checked by axe: an improvement lead sees a
column the reader did not know, says what it holds, sees the plan read again, imports it; the
form needs no JavaScript."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from g2g.importers.models import PlanColumns
from g2g.plans.models import ProgressUpdate
from tests.importers.test_trackers import HEADERS, ROWS, tracker

from .conftest import assert_accessible, new_page, sign_in

pytestmark = pytest.mark.e2e

NOTES = (*HEADERS, "Notes")
ROWS_WITH_NOTES = [row if len(row) == 1 else (*row, f"Note on {row[0]}") for row in ROWS]


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_an_improvement_lead_corrects_the_column_mapping(
    browser, live_server, demo, tmp_path, javascript
):
    page = new_page(browser, live_server, bypass_csp=True, java_script_enabled=javascript)
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(tracker(ROWS_WITH_NOTES, NOTES))
    sign_in(page, "improvement_lead", demo.password)
    page.goto("/oldham/import/plan/")
    page.get_by_label("Upload a file").set_input_files(path)
    page.get_by_label("Month the progress column was written (optional)").fill("2024-02")
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", name="How the columns were read")).to_be_visible()
    notes = page.get_by_label("Column ‘Notes’")
    assert notes.input_value() == ""
    if javascript:
        assert_accessible(page)
    notes.select_option(label="Progress update")
    page.get_by_role("button", name="Read the file again with these columns").click()
    expect(page.get_by_text("The file was read again with the columns you chose")).to_be_visible()
    assert page.get_by_label("Column ‘Notes’").input_value() == "progress"
    assert page.get_by_text("this column is not read").count() == 0
    if javascript:
        assert_accessible(page)
    page.get_by_role("button", name="Import the plan").click()
    expect(page.get_by_text(re.compile(r"imported: "))).to_be_visible()
    mapping = PlanColumns.objects.get(plan__authority__slug="oldham")
    assert mapping.columns["notes"] == "progress"
    assert ProgressUpdate.objects.filter(
        action__plan=mapping.plan, narrative__startswith="Note on 1.1"
    ).exists()
