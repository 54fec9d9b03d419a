"""The council report: drafted from the data, edited section by section with history, as Word."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx.oxml.ns import qn

from g2g.core.dates import current_period, today
from g2g.inspections.models import Finding
from g2g.measures.models import MeasureValue
from g2g.reports.council_report import (
    blocks,
    council_report_docx,
    draft_sections,
    save_council_report,
    start_council_report,
)
from g2g.reports.models import CouncilReport
from g2g.tenancy.access import access_for
from g2g.tenancy.models import Role
from tests.conftest import sentinel
from tests.factories import (
    ActionFactory,
    FindingFactory,
    InspectionFactory,
    ProgressUpdateFactory,
)

pytestmark = pytest.mark.django_db


def lead_access(world):
    return access_for(world.users[Role.IMPROVEMENT_LEAD], world.authority.slug)


def url(world, *parts) -> str:
    return "/".join([f"/{world.authority.slug}/reports/council", *map(str, parts)]) + "/"


def form_data(report: CouncilReport, **changes) -> dict:
    fields = [
        "meeting",
        "title",
        "portfolio_holder",
        "officer_contact",
        "report_author",
        "purpose",
        "executive_summary",
        "recommendations",
        "progress",
        "inspection_findings",
        "measures",
        "next_steps",
        "conclusion",
    ]
    data = {name: getattr(report, name) for name in fields}
    data |= {"meeting_date": "", "version": report.version}
    return data | changes


# --- Drafting from the data -------------------------------------------------------------------


def test_the_draft_follows_the_council_report_and_comes_from_the_data(world):
    access = lead_access(world)
    red = ActionFactory(
        priority=world.led_action.priority,
        ref="1.9",
        title="Fix the front door",
        end=today() - timedelta(days=40),
    )
    ProgressUpdateFactory(action=red, narrative="Behind", action_rating="red")
    FindingFactory(inspection=world.inspection, kind=Finding.Kind.STRENGTH, text="Visits are good")
    FindingFactory(
        inspection=world.inspection,
        kind=Finding.Kind.AREA_FOR_DEVELOPMENT,
        text="Caseloads are too high",
    )
    MeasureValue.objects.create(
        measure=world.measure, period=current_period(), value=Decimal("61.5")
    )

    sections = draft_sections(access, world.plan, today(), "Council")

    assert sections["purpose"].startswith("This report provides Council with an update on")
    assert world.plan.title in sections["purpose"]
    assert "- The plan has 3 open actions." in sections["executive_summary"]
    assert "1 action is past its end date" in sections["executive_summary"]
    assert sections["recommendations"] == (
        "It is recommended that Council note the report and progress to date."
    )
    progress = sections["progress"]
    assert progress.startswith(f"Priority 1, {world.led_action.priority.title}:\n\n- 3 actions.")
    assert "1 Red" in progress
    assert "- Rated Red: 1.9 Fix the front door." in progress
    assert "- Overdue: 1.9 Fix the front door." in progress
    findings = sections["inspection_findings"]
    assert "Strengths:\n\n- Visits are good" in findings
    assert "Areas for development:\n\n- Caseloads are too high" in findings
    assert f"- Recommendation {sentinel(world.authority.name)}" in findings
    assert f"Measure {sentinel(world.authority.name)}: 61.5%" in sections["measures"]
    assert "Bring overdue actions back on track: 1.9" in sections["next_steps"]
    assert sections["conclusion"] == ""


def test_drafting_reads_in_a_fixed_number_of_queries(world):
    access = lead_access(world)
    counts = []
    for extra in (0, 20):
        for _ in range(extra):
            action = ActionFactory(priority=world.led_action.priority)
            ProgressUpdateFactory(action=action, action_rating="green")
            InspectionFactory(authority=world.authority)
        with CaptureQueriesContext(connection) as queries:
            draft_sections(access, world.plan, today(), "Council")
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_only_the_authoritys_own_data_is_drafted(world, foreign_world):
    sections = draft_sections(lead_access(world), world.plan, today(), "Council")
    everything = "\n".join(sections.values())
    assert sentinel(world.authority.name) in everything
    assert sentinel(foreign_world.authority.name) not in everything


# --- Saving, with history and no lost edits ------------------------------------------------------


def test_saving_keeps_every_version_and_refuses_a_stale_one(world):
    access = lead_access(world)
    report = start_council_report(access, world.plan, today())
    assert report.history.count() == 1
    saved = save_council_report(access, report, {"conclusion": "Proud."}, version=1)
    assert saved.version == 2
    assert saved.conclusion == "Proud."
    with pytest.raises(ValidationError, match="Someone else saved this report"):
        save_council_report(access, report, {"conclusion": "Overwrite"}, version=1)
    report.refresh_from_db()
    assert report.conclusion == "Proud."
    assert report.history.count() == 2
    assert report.history.first().history_user == world.users[Role.IMPROVEMENT_LEAD]


def test_viewers_cannot_write_a_report(world):
    viewer = access_for(world.users[Role.VIEWER], world.authority.slug)
    with pytest.raises(PermissionDenied):
        start_council_report(viewer, world.plan, today())
    assert CouncilReport.objects.count() == 1  # the world's own


# --- The pages --------------------------------------------------------------------------------


def test_an_improvement_lead_drafts_edits_and_downloads_a_report(client, world):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    started = client.post(url(world))
    report = CouncilReport.objects.exclude(pk=world.council_report.pk).get()
    assert started.status_code == 302
    assert started["Location"] == url(world, report.pk)

    page = client.get(url(world, report.pk)).content.decode()
    assert "Purpose of the report" in page
    assert "Download as Word" in page
    assert world.plan.title in page

    saved = client.post(
        url(world, report.pk),
        form_data(
            report,
            meeting="Children's Scrutiny Committee",
            conclusion="We are proud of our progress.\n\nNext steps:\n\n- Keep going",
        ),
    )
    assert saved.status_code == 302
    report.refresh_from_db()
    assert report.version == 2
    assert report.meeting == "Children's Scrutiny Committee"
    page = client.get(url(world, report.pk)).content.decode()
    assert "Version 2" in page
    assert "Meeting, Conclusion" in page

    download = client.get(url(world, report.pk, "word"))
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    document = docx.Document(io.BytesIO(download.content))
    headings = [(p.style.name, p.text) for p in document.paragraphs if "Heading" in p.style.name]
    assert headings[0] == ("Heading 1", report.title)
    assert ("Heading 2", "Purpose of the report") in headings
    assert ("Heading 2", "Conclusion") in headings
    assert ("Heading 3", "Next steps") in headings
    assert any(
        p.style.name == "List Bullet" and p.text == "Keep going" for p in document.paragraphs
    )
    assert document.paragraphs[0].text == "Report to CHILDREN'S SCRUTINY COMMITTEE"
    assert document.core_properties.language == "en-GB"

    first = client.get(url(world, report.pk, "word") + "?version=1")
    old = docx.Document(io.BytesIO(first.content))
    assert "We are proud of our progress." not in [p.text for p in old.paragraphs]
    assert client.get(url(world, report.pk, "word") + "?version=9").status_code == 404
    assert client.get(url(world, report.pk, "word") + "?version=x").status_code == 404


def test_a_stale_save_is_explained_and_writes_nothing(client, world):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    report = world.council_report
    report.version = 3
    report.save()
    response = client.post(url(world, report.pk), form_data(report, version=2, purpose="Mine"))
    assert response.status_code == 200
    assert "Someone else saved this report after you opened it" in response.content.decode()
    report.refresh_from_db()
    assert report.purpose != "Mine"


def test_a_bad_date_is_explained(client, world):
    client.force_login(world.users[Role.ADMINISTRATOR])
    report = world.council_report
    response = client.post(url(world, report.pk), form_data(report, meeting_date="31/31/2026"))
    assert response.status_code == 200
    assert "Date of the meeting must be a real date" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.ADMINISTRATOR, 200),
        (Role.IMPROVEMENT_LEAD, 200),
        (Role.ACTION_LEAD, 403),
        (Role.VIEWER, 403),
        (Role.REGIONAL_VIEWER, 403),
    ],
)
def test_council_reports_are_for_those_who_edit_the_plan(client, world, role, status):
    client.force_login(world.users[role])
    for address in (
        url(world),
        url(world, world.council_report.pk),
        url(world, world.council_report.pk, "word"),
    ):
        assert client.get(address).status_code == status
    assert client.post(url(world)).status_code == (302 if status == 200 else 403)


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_everyone_who_reads_the_plan_can_export_it(client, world, role):
    client.force_login(world.users[role])
    base = f"/{world.authority.slug}/reports/plan/"
    page = client.get(base)
    assert page.status_code == 200
    assert "Download the plan as a Word document" in page.content.decode()
    word, excel = client.get(base + "word/"), client.get(base + "excel/")
    assert word.status_code == excel.status_code == 200
    assert word["Content-Disposition"].endswith('.docx"')
    assert excel["Content-Disposition"].endswith('.xlsx"')


def test_pages_read_in_a_fixed_number_of_queries(client, world):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    report = world.council_report
    counts = []
    for extra in (0, 15):
        for number in range(extra):
            save_council_report(
                lead_access(world), report, {"purpose": f"Edit {number}"}, version=report.version
            )
            report.refresh_from_db()
            ActionFactory(priority=world.led_action.priority)
        with CaptureQueriesContext(connection) as queries:
            for address in (
                url(world),
                url(world, report.pk),
                f"/{world.authority.slug}/reports/plan/",
            ):
                assert client.get(address).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


# --- The text rules and the Word file ------------------------------------------------------------


def test_section_text_becomes_headings_bullets_and_paragraphs():
    text = "Strengths:\n\n- Visits are good\n• Decisions are good\n\nA paragraph\nwrapped.\n"
    assert blocks(text) == [
        ("heading", "Strengths"),
        ("bullet", "Visits are good"),
        ("bullet", "Decisions are good"),
        ("paragraph", "A paragraph wrapped."),
    ]


def test_hostile_text_is_only_text_in_word(world):
    report = world.council_report
    report.purpose = "<script>alert(1)</script> =cmd|' /C calc'!A0"
    data = council_report_docx(report, world.authority.name)
    document = docx.Document(io.BytesIO(data))
    assert report.purpose in [p.text for p in document.paragraphs]
    body = document.element.body
    assert not body.findall(".//" + qn("w:fldSimple"))
    assert not body.findall(".//" + qn("w:instrText"))


def test_the_date_shown_is_the_meeting_date_when_given(world):
    report = world.council_report
    report.meeting_date = date(2026, 12, 16)
    document = docx.Document(io.BytesIO(council_report_docx(report, world.authority.name)))
    assert "16 December 2026" in [p.text for p in document.paragraphs]
