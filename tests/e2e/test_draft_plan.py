"""The post-inspection action plan, in Chromium with axe at every step: an improvement lead
starts a draft plan from Tameside's 2024 inspection, sees when it is due (70 working days),
fills in an action and approves the plan; the plan it replaces is closed and stays readable.

The demo's current Tameside plan is itself the one drafted from that inspection and approved in
January 2026 (operations/demo/lived.py), so the inspection's page no longer shows the due date
(a plan answering it is approved); a new draft from it does, until it is approved in turn."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from g2g.inspections.models import Inspection
from g2g.plans.models import Plan

from .conftest import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.e2e

# The report does not print its publication date: 70 working days from the inspection's last
# day, Fri 15 December 2023, over Christmas and New Year.
DUE = "due by Wednesday 27 March 2024"


def test_an_improvement_lead_drafts_fills_and_approves_the_plan_after_an_inspection(page, demo):
    previous = Plan.objects.get(authority__slug="tameside", status=Plan.Status.ACTIVE)
    inspection = Inspection.objects.get(
        authority__slug="tameside", type=Inspection.Type.ILACS, end__year=2023
    )
    sign_in(page, "improvement_lead", demo.password)
    page.goto("/tameside/")
    page.get_by_role("link", name="Inspections and their recommendations").click()
    page.get_by_role("link", name=str(inspection)).click()
    assert previous.inspections.filter(pk=inspection.pk).exists()  # the demo's approved plan
    expect(page.get_by_text(DUE)).to_have_count(0)
    assert_accessible(page)

    page.get_by_role("button", name="Start a draft plan from this inspection").click()
    expect(page.get_by_text("Draft plan started")).to_be_visible()
    draft = Plan.objects.get(authority__slug="tameside", status=Plan.Status.DRAFT)
    assert list(draft.inspections.all()) == [inspection]
    # Three judgements Inadequate, one Requires improvement: four priorities.
    assert draft.priorities.count() == 4
    assert draft.actions.count() == inspection.findings.filter(kind="recommendation").count()
    expect(page.get_by_role("heading", name=draft.title, exact=True)).to_be_visible()
    expect(page.get_by_text(DUE)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="All actions").click()
    expect(page.get_by_text(DUE)).to_be_visible()
    assert_accessible(page)
    action = draft.actions.order_by("order").first()
    page.goto(f"/tameside/actions/{action.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Edit action").click()
    assert_accessible(page)
    post = previous.actions.exclude(leads=None).first().leads.first()
    page.get_by_label(post.title, exact=True).check()
    fill_date(page, "End date", ("28", "6", "2024"), exact=True)
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page.get_by_text(f"Action {action.ref} saved")).to_be_visible()
    action.refresh_from_db()
    assert (str(action.end), list(action.leads.all())) == ("2024-06-28", [post])

    page.goto(f"/tameside/?plan={draft.pk}")
    page.get_by_role("button", name="Approve this plan: make it the active plan").click()
    expect(page.get_by_text(f"Approved: {draft.title} is now the active plan")).to_be_visible()
    expect(page.get_by_text(DUE)).to_have_count(0)
    assert_accessible(page)
    draft.refresh_from_db()
    previous.refresh_from_db()
    assert (draft.status, previous.status) == (Plan.Status.ACTIVE, Plan.Status.CLOSED)

    # The plan it replaced is the record: readable, closed.
    page.goto("/tameside/")
    page.get_by_label("Show another plan").select_option(str(previous.pk))
    page.get_by_role("button", name="Show this plan").click()
    expect(page.get_by_role("heading", name=previous.title, exact=True)).to_be_visible()
    expect(page.get_by_text("This plan is closed")).to_be_visible()
    assert_accessible(page)
