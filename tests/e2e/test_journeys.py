"""Journeys through real pages in Chromium, checked by axe at every step: writing a progress
update, and importing a plan and an inspection report with preview and confirm."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from g2g.core.dates import current_period, today
from g2g.importers.posts import find_post
from g2g.inspections.models import Inspection
from g2g.plans.models import Action, Plan, Post
from tests.seed_files import REPORTS, SEEDS

from .conftest import assert_accessible, sign_in

pytestmark = pytest.mark.e2e


def test_an_action_lead_writes_this_months_update(page, demo):
    sign_in(page, "action_lead", demo.password)
    # The lead's first action in the plan being worked to with no update yet this month (the
    # demo's live round leaves it for the lead to write).
    action = (
        Action.objects.filter(
            plan__authority__slug="tameside",
            plan__status="active",
            leads=find_post(
                Post.objects.filter(authority__slug="tameside"), "AD Children's Social Care"
            ),
        )
        .exclude(updates__period=current_period())
        .with_status(today())
        .exclude(action_rating="blue")
        .order_by("order")
        .first()
    )
    page.goto(f"/tameside/actions/{action.pk}/")
    page.get_by_role("link", name="Write this month's update").click()
    assert_accessible(page)
    page.get_by_role("button", name="Save update").click()  # nothing typed: explained
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("What progress has been made?").fill("Threshold document agreed.")
    page.locator("#main-content").get_by_label("Green", exact=True).first.check()
    page.get_by_role("button", name="Save update").click()
    expect(page.get_by_text(f"Update saved for {action.ref}")).to_be_visible()
    assert_accessible(page)
    assert action.updates.get(period=current_period()).action_rating == "green"


def test_an_improvement_lead_imports_a_plan_and_an_inspection(page, demo):
    sign_in(page, "improvement_lead", demo.password)
    page.goto("/tameside/")
    page.get_by_role("link", name="Import a plan").click()
    assert_accessible(page)
    page.get_by_label("Upload a file").set_input_files(SEEDS / "tameside-improvement-plan-2023.txt")
    page.get_by_role("button", name="Upload and preview").click()
    # The demo's 2023 plan is closed (the record), so its document comes in as a new plan: a
    # draft beside the active one.
    expect(page.get_by_role("heading", name="Check the plan before importing it")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Import the plan").click()
    draft = Plan.objects.get(authority__slug="tameside", status=Plan.Status.DRAFT)
    assert draft.actions.count() == 31
    assert Plan.objects.filter(authority__slug="tameside", status="active").count() == 1

    page.get_by_role("link", name="Import an inspection report").click()
    assert_accessible(page)
    page.get_by_label("Upload a file").set_input_files(REPORTS / "barnsley-27-october-2023.pdf")
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_text("Anna Gravelle")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Import the inspection").click()
    expect(page.get_by_role("heading", name="Judgements")).to_be_visible()
    assert_accessible(page)
    assert Inspection.objects.filter(lead_inspector="Anna Gravelle").exists()


def test_a_file_that_is_not_a_plan_is_explained_accessibly(page, demo, tmp_path):
    sign_in(page, "administrator", demo.password)
    # A file whose content is not what its name says is refused on the upload page, unkept.
    fake = tmp_path / "plan.xlsx"
    fake.write_bytes(b"this is not a spreadsheet")
    page.goto("/oldham/import/plan/")
    page.get_by_label("Upload a file").set_input_files(fake)
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="plan.xlsx is not an Excel workbook")).to_be_visible()
    assert_accessible(page)
    # A safe file that holds no plan is explained on its preview, and can be discarded.
    notes = tmp_path / "notes.txt"
    notes.write_text("Minutes of the meeting held on Tuesday.\n")
    page.get_by_label("Upload a file").set_input_files(notes)
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", name="This file cannot be imported")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Discard this upload").click()
    expect(page.get_by_text("Import cancelled")).to_be_visible()
