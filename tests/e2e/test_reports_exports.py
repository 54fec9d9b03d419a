"""Browser journeys through the exports, checked by axe at each step: an improvement lead drafts,
edits and downloads a council report; a viewer downloads the plan as Word and Excel, and the
files read back through the plan importer."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from playwright.sync_api import expect

from g2g.importers.services import read_plan_upload
from g2g.plans.models import Action

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.e2e


def test_an_improvement_lead_drafts_edits_and_downloads_a_council_report(page, demo):
    sign_in(page, "improvement_lead", demo.password)
    page.goto("/oldham/")
    page.get_by_role("link", name="council reports").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start a new draft").click()
    expect(page.get_by_text("New draft started from today's figures")).to_be_visible()
    assert (
        page.get_by_label("Progress against the improvement plan")
        .input_value()
        .startswith("Priority 1, ")
    )
    assert_accessible(page)

    page.get_by_label("Conclusion (optional)").fill("We are proud of our progress this year.")
    page.get_by_role("button", name="Save the report").click()
    expect(page.get_by_text("Council report saved")).to_be_visible()
    expect(page.get_by_role("cell", name="Conclusion")).to_be_visible()  # in the saved versions
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download as Word").click()
    assert download.value.suggested_filename.endswith("-v2.docx")
    document = docx.Document(download.value.path())
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert "We are proud of our progress this year." in texts
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert headings[:3] == ["Purpose of the report", "Executive summary", "Recommendations"]


def test_a_viewer_exports_the_plan_as_word_and_excel(page, demo):
    sign_in(page, "viewer", demo.password)
    page.goto("/tameside/")
    page.get_by_role("link", name="Export the plan as Word or Excel").click()
    expect(page.get_by_role("heading", name="Export the plan")).to_be_visible()
    assert_accessible(page)
    actions = Action.objects.filter(plan__authority__slug="tameside", plan__status="active").count()
    for link, extension in (
        ("Download the plan as a Word document", ".docx"),
        ("Download the plan as an Excel workbook", ".xlsx"),
    ):
        with page.expect_download() as download:
            page.get_by_role("link", name=link).click()
        name = download.value.suggested_filename
        assert name.startswith("tameside-improvement-plan-")
        assert name.endswith(extension)
        draft = read_plan_upload(name, Path(download.value.path()).read_bytes())
        assert len(draft.actions) == actions


def test_a_viewer_asks_for_the_board_pack_as_word_and_downloads_it_when_made(page, demo):
    """The Word file is made by a task (the tests' immediate backend runs it at once): the link
    leads to the file's page, which offers it when ready (tests/reports/test_pack_files.py has
    the waiting states)."""
    sign_in(page, "viewer", demo.password)
    page.goto("/tameside/reports/board-pack/")
    page.get_by_role("link", name="Word document (.docx)").click()
    expect(page.get_by_role("heading", name="Word document")).to_be_visible()
    expect(page.get_by_text("Ready", exact=True)).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download tameside-board-pack-").click()
    assert download.value.suggested_filename.startswith("tameside-board-pack-")
    document = docx.Document(download.value.path())
    assert any("Tameside" in paragraph.text for paragraph in document.paragraphs)
    page.get_by_role("link", name="Board pack").click()
    expect(page.get_by_role("heading", name="Download this pack")).to_be_visible()
