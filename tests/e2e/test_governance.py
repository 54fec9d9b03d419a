"""Governance and audit pages in Chromium, checked by axe: every page and form (with and without
errors), and the journeys of recording a board meeting with an action arising, and an audit with
a remedial action."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from g2g.assurance.models import Audit
from g2g.core.dates import today
from g2g.governance.models import Board, Meeting
from g2g.measures.models import MeasureValue

from .conftest import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.e2e


def test_governance_and_audit_pages_are_accessible(page, demo):
    sign_in(page, "improvement_lead", demo.password)
    board = Board.objects.get(authority__slug="oldham", name="Getting to Good Programme Board")
    audit = Audit.objects.filter(authority__slug="tameside").first()
    for url in [
        "/oldham/",  # the current obsession at the top
        "/oldham/boards/",
        f"/oldham/boards/{board.pk}/",
        f"/oldham/boards/{board.pk}/edit/",
        f"/oldham/boards/{board.pk}/priorities/",
        "/oldham/boards/obsessions/",
        "/oldham/boards/obsessions/new/",
        "/tameside/audits/",
        "/tameside/audits/?kind=practice_week&year=2025",
        f"/tameside/audits/{audit.pk}/",
        f"/tameside/audits/{audit.pk}/edit/",
    ]:
        response = page.goto(url)
        assert response.status == 200, url
        assert_accessible(page)
    page.goto("/oldham/boards/obsessions/new/")
    page.get_by_role("button", name="Save obsession").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)


def test_an_improvement_lead_records_a_meeting_with_an_action_arising(page, demo):
    sign_in(page, "improvement_lead", demo.password)
    page.goto("/oldham/")
    page.get_by_role("link", name="Boards", exact=True).click()
    page.get_by_role("link", name="Getting to Good Programme Board").first.click()
    page.get_by_role("link", name="Record a meeting").click()
    assert_accessible(page)
    page.get_by_role("button", name="Save meeting").click()  # nothing typed: explained
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date of the meeting")
    assert_accessible(page)
    held_on = today() - timedelta(days=7)
    fill_date(page, "Date of the meeting", held_on)
    page.get_by_label("Who attended").fill("Managing Director of Children's Services\nDCS")
    page.get_by_label("Decisions").fill("Agreed the supervision audit")
    page.get_by_role("button", name="Save meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Meeting of")
    assert_accessible(page)

    page.get_by_role("link", name="Add an action arising").click()
    page.get_by_label("Action", exact=True).fill("Report supervision compliance by team")
    page.get_by_label("Owner (post)").select_option(label="Director of Children's Social Care")
    fill_date(page, "Due date", today() + timedelta(days=21))
    page.get_by_role("button", name="Save action").click()
    row = page.get_by_role("row", name="Report supervision compliance by team")
    expect(row).to_contain_text("Due")
    assert_accessible(page)
    row.get_by_role("button", name="Mark as done").click()
    expect(page.get_by_role("row", name="Report supervision compliance by team")).to_contain_text(
        "Done"
    )
    assert_accessible(page)
    meeting = Meeting.objects.get(board__name="Getting to Good Programme Board", held_on=held_on)
    assert meeting.actions.get().done_on == today()


def test_an_improvement_lead_records_an_audit_with_a_remedial_action(page, demo):
    sign_in(page, "improvement_lead", demo.password)
    page.goto("/oldham/")
    page.get_by_role("link", name="Audits", exact=True).click()
    page.get_by_role("link", name="Record an audit").click()
    assert_accessible(page)
    page.get_by_label("Dip sample").check()
    page.get_by_label("Theme").fill("Management oversight in CIN plans")
    held_on = today() - timedelta(days=3)
    fill_date(page, "Date of the audit", held_on)
    page.get_by_label("Number of cases audited").fill("8")
    page.get_by_label("Cases graded Good").fill("9")  # more grades than cases: explained
    page.get_by_role("button", name="Save audit").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The grades add up to 9")
    assert_accessible(page)
    page.get_by_label("Cases graded Good").fill("5")
    page.get_by_label("Cases graded Requires improvement").fill("3")
    page.get_by_role("button", name="Save audit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Management oversight")
    expect(page.get_by_role("row", name="Good 5 63%")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Add a remedial action").click()
    page.get_by_label("Remedial action", exact=True).fill("Record the manager's decision")
    page.get_by_label("Owner, if not one of the posts").fill("Team manager, CIN team 2")
    fill_date(page, "Due date", today() + timedelta(days=14))
    page.get_by_role("button", name="Save remedial action").click()
    expect(page.get_by_role("row", name="Record the manager's decision")).to_contain_text("Due")
    assert_accessible(page)
    audit = Audit.objects.get(theme="Management oversight in CIN plans")
    assert audit.remedial_actions.count() == 1
    value = MeasureValue.objects.get(
        measure__authority__slug="oldham",
        measure__indicator="audits_good_or_better",
        period=held_on.replace(day=1),
    )
    assert value.source == MeasureValue.Source.COMPUTED
