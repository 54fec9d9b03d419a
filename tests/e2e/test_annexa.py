"""Annex A pages in Chromium, checked by axe: the demo's synthetic return, then an improvement
lead checking a return (with a mistake first), adding it to the scorecard, and the retention
choice. Every step works without JavaScript too (plain forms and links)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from playwright.sync_api import expect

from g2g.annexa.generator import generate, write_xlsx
from g2g.annexa.models import AnnexAReturn

from .conftest import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def workbook(tmp_path):
    buffer = io.BytesIO()
    write_xlsx(generate("Oldham", 300, seed=4, snapshot=date(2025, 3, 31)), buffer)
    path = tmp_path / "annex-a-march.xlsx"
    path.write_bytes(buffer.getvalue())
    return path


def test_an_improvement_lead_checks_a_return_and_adds_it_to_the_scorecard(page, demo, workbook):
    sign_in(page, "improvement_lead", demo.password)
    page.goto("/oldham/")
    page.get_by_role("link", name="Annex A: measures and data quality").click()
    assert_accessible(page)
    page.get_by_role("link", name="synthetic-annex-a-oldham.xlsx").click()
    expect(page.get_by_text("This return is synthetic")).to_be_visible()
    assert_accessible(page)

    page.goto("/oldham/annex-a/")
    page.get_by_role("link", name="Check an Annex A return").click()
    page.get_by_role("button", name="Upload and check").click()  # no file: explained
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Annex A workbook (.xlsx)").set_input_files(workbook)
    fill_date(page, "Date the data were extracted (optional)", ("31", "3", "2025"))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_text("Return checked: the file was not kept")).to_be_visible()
    expect(page.get_by_role("heading", name="Data quality")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Add these figures to the scorecard").click()
    expect(page.get_by_text("measure values written")).to_be_visible()
    assert_accessible(page)
    record = AnnexAReturn.objects.get(file_name="annex-a-march.xlsx")
    assert record.status == AnnexAReturn.Status.PUBLISHED

    page.goto("/oldham/annex-a/retention/")
    assert_accessible(page)
    page.get_by_label("Days to keep each file").fill("0")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_a_viewer_reads_the_returns_but_cannot_upload(page, demo):
    sign_in(page, "viewer", demo.password)
    page.goto("/tameside/annex-a/")
    assert_accessible(page)
    assert page.get_by_role("link", name="Check an Annex A return").count() == 0
    page.get_by_role("link", name="synthetic-annex-a-tameside.xlsx").click()
    assert_accessible(page)
