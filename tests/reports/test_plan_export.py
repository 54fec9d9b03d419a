"""The plan export: Word and Excel in the familiar table layout, read back by the plan importer."""

from __future__ import annotations

import io
from datetime import date

import docx
import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from docx.oxml.ns import qn

from g2g.core.dates import today
from g2g.importers.services import apply_reimport, read_plan_file, read_plan_upload, write_plan
from g2g.plans.models import RATING_LOOKS, Action, Plan, ProgressUpdate, Rating, RatingLook
from g2g.reports.plan_export import plan_docx, plan_for_export, plan_xlsx
from g2g.tenancy.access import access_for, operator_access
from g2g.tenancy.models import Role
from tests.conftest import sentinel
from tests.factories import (
    ActionFactory,
    AuthorityFactory,
    MembershipFactory,
    PriorityFactory,
    ProgressUpdateFactory,
)
from tests.seed_files import SEEDS

pytestmark = pytest.mark.django_db

PLANS = ["oldham-improvement-plan-2019-21.txt", "tameside-improvement-plan-2023.txt"]
WRITERS = {"docx": plan_docx, "xlsx": plan_xlsx}
Status = ProgressUpdate.Status


def access_to(authority, role=Role.IMPROVEMENT_LEAD):
    membership = MembershipFactory(authority=authority, role=role)
    return access_for(membership.user, authority.slug)


def import_seed(name: str):
    authority = AuthorityFactory()
    plan = write_plan(operator_access(authority), read_plan_file(SEEDS / name))
    return access_to(authority), plan


def problems_of(draft) -> list[str]:
    return sorted(problem.message for problem in draft.problems)


def add_progress(plan: Plan) -> None:
    """Updates of several months and statuses: only those that count may appear in the export."""
    actions = list(plan.actions.order_by("order"))
    month = date(2024, 1, 1)
    ProgressUpdateFactory(
        action=actions[0],
        period=month,
        narrative="On track.\n\n• Audit done",
        action_rating="green",
    )
    ProgressUpdateFactory(
        action=actions[1],
        period=date(2023, 12, 1),
        narrative="Behind: staff shortages.",
        action_rating="amber",
        impact_rating="red",
    )
    ProgressUpdateFactory(
        action=actions[2],
        period=month,
        narrative="Done and sustained.",
        action_rating="blue",
        impact_rating="blue",
    )
    # A later Blue waiting for sign-off and a draft do not count: the December update stands.
    ProgressUpdateFactory(
        action=actions[3], period=date(2023, 12, 1), narrative="Started.", action_rating="green"
    )
    ProgressUpdateFactory(
        action=actions[3],
        period=month,
        narrative="Complete?",
        action_rating="blue",
        status=Status.SUBMITTED,
    )
    ProgressUpdateFactory(
        action=actions[4], period=month, narrative="Not yet sent.", status=Status.DRAFT
    )
    # Hostile text survives as text.
    ProgressUpdateFactory(
        action=actions[-1],
        period=month,
        narrative='=HYPERLINK("http://evil","x")',
        action_rating="red",
    )


def snapshot(plan: Plan) -> dict:
    """What a round trip must keep: the plan, its actions and their latest progress and ratings."""
    on = today()
    actions = (
        Action.objects.filter(plan=plan)
        .with_status(on)
        .select_related("priority__sponsor", "objective")
        .prefetch_related("leads", "updates", "focus_areas")
        .order_by("priority__number", "order")
    )
    rows = []
    for action in actions:
        latest = next((u for u in action.updates.all() if u.period == action.last_period), None)
        rows.append(
            {
                "priority": (action.priority.number, action.priority.title),
                "sponsor": str(action.priority.sponsor or ""),
                "ref": action.ref,
                "objective": str(action.objective or ""),
                "title": action.title,
                "text": action.text,
                "leads": sorted(post.title for post in action.leads.all()),
                "timescale": (action.timescale_text, action.start, action.end),
                "flags": (action.ongoing, action.recurring),
                "evidence": action.evidence_of_success,
                "children_will_say": action.children_will_say,
                "sources": action.sources,
                "focus_areas": sorted(area.code for area in action.focus_areas.all()),
                "progress": (latest.period, latest.narrative) if latest else None,
                "ratings": (action.action_rating, action.impact_rating),
            }
        )
    definitions = sorted(
        (d.rating, d.action_definition, d.impact_definition) for d in plan.rating_definitions.all()
    )
    return {"title": plan.title, "definitions": definitions, "actions": rows}


@pytest.mark.parametrize("kind", WRITERS)
@pytest.mark.parametrize("seed", PLANS)
def test_an_exported_seed_plan_imports_as_the_same_plan(seed, kind):
    access, plan = import_seed(seed)
    add_progress(plan)
    data = WRITERS[kind](plan_for_export(access, plan, today()))

    draft = read_plan_upload(f"plan.{kind}", data)
    # Only what the seed itself gets wrong (an action with no lead, one whose first words were
    # lost at a page break) is reported again; the export adds no problem of its own.
    original_problems = problems_of(read_plan_file(SEEDS / seed))
    assert set(problems_of(draft)) <= set(original_problems)
    copy = write_plan(operator_access(AuthorityFactory()), draft)

    original, again = snapshot(plan), snapshot(copy)
    assert len(again["actions"]) == len(original["actions"]) == len(draft.actions)
    for before, after in zip(original["actions"], again["actions"], strict=True):
        assert after == before
    assert again == original


@pytest.mark.parametrize("kind", WRITERS)
def test_a_plan_the_demo_made_up_is_labelled_synthetic_under_its_title(kind):
    """As its pages and board packs do; the label is not read back as part of the title."""
    access, plan = import_seed(PLANS[1])
    plan.synthetic_note = "The demo drafted this plan."
    plan.save()
    data = WRITERS[kind](plan_for_export(access, plan, today()))

    if kind == "docx":
        second = docx.Document(io.BytesIO(data)).paragraphs[1].text
    else:
        second = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0].cell(2, 1).value
    assert second.startswith("Synthetic: The demo drafted this plan. ")
    assert read_plan_upload(f"plan.{kind}", data).title == plan.title


def test_the_round_trip_checks_real_content():
    """The snapshot carries progress and ratings, so the round trip above tests them."""
    access, plan = import_seed(PLANS[1])
    add_progress(plan)
    rows = snapshot(plan)["actions"]
    assert rows[0]["progress"] == (date(2024, 1, 1), "On track.\n\n• Audit done")
    assert rows[1]["ratings"] == ("amber", "red")
    assert rows[3]["progress"] == (date(2023, 12, 1), "Started.")  # the Blue awaits sign-off
    assert rows[4]["progress"] is None  # a draft does not count
    assert sum(bool(row["sources"]) for row in rows) > 10
    assert sum(bool(row["children_will_say"]) for row in rows) > 10
    assert sum(bool(row["focus_areas"]) for row in rows) > 10


@pytest.mark.parametrize("kind", WRITERS)
def test_an_unchanged_export_reimported_changes_nothing(kind):
    """Edit offline, import again: with no edits, the plan is left exactly as it was."""
    access, plan = import_seed(PLANS[1])
    add_progress(plan)
    before = snapshot(plan)
    updates = ProgressUpdate.objects.count()
    data = WRITERS[kind](plan_for_export(access, plan, today()))

    result = apply_reimport(access, plan, read_plan_upload(f"plan.{kind}", data))

    assert (result.changed, result.added, result.missing) == ([], [], [])
    assert snapshot(plan) == before
    assert ProgressUpdate.objects.count() == updates


def test_an_edited_export_reimported_updates_the_plan():
    access, plan = import_seed(PLANS[0])
    data = plan_xlsx(plan_for_export(access, plan, today()))
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book["Priority 1"]
    header = [cell.value for cell in sheet[2]]
    sheet.cell(row=3, column=header.index("Timescale") + 1, value="June 2019 – March 2020")
    progress = header.index(next(h for h in header if h.startswith("Progress update"))) + 1
    sheet.cell(row=2, column=progress, value="Progress update February 2024")
    sheet.cell(row=3, column=progress, value="Briefings delivered to all teams.")
    sheet.cell(row=3, column=header.index("Action RAG") + 1, value="Green")
    edited = io.BytesIO()
    book.save(edited)

    result = apply_reimport(access, plan, read_plan_upload("plan.xlsx", edited.getvalue()))

    assert [change.action.ref for change in result.changed] == ["1.1"]
    action = plan.actions.get(ref="1.1")
    assert (action.timescale_text, action.start, action.end) == (
        "June 2019 – March 2020",
        date(2019, 6, 1),
        date(2020, 3, 31),
    )
    update = action.updates.get()
    assert (update.period, update.narrative, update.action_rating) == (
        date(2024, 2, 1),
        "Briefings delivered to all teams.",
        "green",
    )


def test_the_word_file_has_real_headings_and_tables_with_header_rows():
    access, plan = import_seed(PLANS[1])
    add_progress(plan)
    export = plan_for_export(access, plan, today())
    document = docx.Document(io.BytesIO(plan_docx(export)))

    headings = [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")
    ]
    assert headings[0] == ("Heading 1", plan.title)
    assert ("Heading 2", "Key to ratings") in headings
    assert ("Heading 2", "Priority 1: Quality of Practice") in headings
    assert sum(style == "Heading 1" for style, _ in headings) == 1
    assert document.core_properties.title == plan.title
    assert document.core_properties.language == "en-GB"
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape

    plan_tables = [t for t in document.tables if t.rows[0].cells[0].text == "Ref"]
    assert len(plan_tables) == sum(len(priority.tables) for priority in export.priorities)
    assert {priority.number for priority in export.priorities} == {1, 2, 3, 4}
    for table in document.tables:
        header = table.rows[0]
        repeat = header._tr.trPr.find(qn("w:tblHeader"))
        assert repeat is not None
        assert repeat.get(qn("w:val")) == "true"
        assert all(run.bold for cell in header.cells for run in cell.paragraphs[0].runs)
        assert table._tbl.tblPr.find(qn("w:tblDescription")) is not None
        assert all(
            row._tr.trPr is None or row._tr.trPr.find(qn("w:tblHeader")) is None
            for row in table.rows[1:]
        )
    headers = [cell.text for cell in plan_tables[0].rows[0].cells]
    assert headers[:4] == ["Ref", "Objective", "Action", "Lead"]
    assert headers[-2:] == ["Action RAG", "Impact RAG"]
    assert "Evidence of success" in headers
    assert any(h.startswith("Progress update ") for h in headers)
    bullets = [p for p in document.paragraphs if p.style.name == "List Bullet"]
    cell_bullets = [
        p
        for table in plan_tables
        for row in table.rows
        for cell in row.cells
        for p in cell.paragraphs
        if p.style.name == "List Bullet"
    ]
    assert not bullets
    assert cell_bullets


def test_progress_of_another_month_gets_a_table_of_its_own():
    access, plan = import_seed(PLANS[0])
    add_progress(plan)
    export = plan_for_export(access, plan, today())
    first = export.priorities[0]
    january, december = date(2024, 1, 1), date(2023, 12, 1)
    assert [table.period for table in first.tables] == [january, december, january, december]
    assert export.header_cells(first.tables[1])[6] == "Progress update December 2023"


def test_excel_neutralises_formulas_and_freezes_the_header():
    access, plan = import_seed(PLANS[0])
    add_progress(plan)
    book = openpyxl.load_workbook(io.BytesIO(plan_xlsx(plan_for_export(access, plan, today()))))
    assert book.sheetnames == [
        "Improvement plan",
        "Priority 1",
        "Priority 2",
        "Priority 3",
        "Priority 4",
    ]
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    texts = [cell.value for cell in cells if isinstance(cell.value, str)]
    assert '\'=HYPERLINK("http://evil","x")' in texts
    assert not any(text.startswith(("=", "+", "-", "@")) for text in texts)
    sheet = book["Priority 1"]
    header = [cell.value for cell in sheet[2]]
    assert header[0] == "Ref"
    assert header[-1] == "Priority"
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref.startswith("A2:")


def test_rating_cells_are_filled_from_the_rating_vocabulary(monkeypatch):
    """The word carries the rating; the fill behind it comes from `plans.models.RATING_LOOKS`,
    so a colour changed there changes Word and Excel too."""
    monkeypatch.setitem(
        RATING_LOOKS, Rating.AMBER, RatingLook("amber", "Amber", "yellow", "ABCDEF")
    )
    access, plan = import_seed(PLANS[1])
    add_progress(plan)
    export = plan_for_export(access, plan, today())
    book = openpyxl.load_workbook(io.BytesIO(plan_xlsx(export)))
    fills = {
        cell.value: cell.fill.fgColor.rgb[-6:]
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value in ("Blue", "Green", "Amber", "Red")
    }
    assert fills == {"Blue": "BDD7EE", "Green": "C6EFCE", "Amber": "ABCDEF", "Red": "FFC7CE"}
    document = docx.Document(io.BytesIO(plan_docx(export)))
    shades = {
        cell.text: cell._tc.tcPr.find(qn("w:shd")).get(qn("w:fill"))
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        if cell.text in ("Blue", "Green", "Amber", "Red")
    }
    assert shades == fills


def test_the_export_reads_in_a_fixed_number_of_queries():
    counts = []
    for size in (3, 30):
        authority = AuthorityFactory()
        access = access_to(authority)
        plan = Plan.objects.create(authority=authority, title="Plan")
        priority = PriorityFactory(plan=plan, number=1)
        for _ in range(size):
            action = ActionFactory(priority=priority)
            ProgressUpdateFactory(action=action, action_rating="green")
        with CaptureQueriesContext(connection) as queries:
            export = plan_for_export(access, plan, today())
            plan_docx(export)
            plan_xlsx(export)
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_only_the_authoritys_own_actions_are_exported(world, foreign_world):
    access = access_for(world.users[Role.VIEWER], world.authority.slug)
    data = plan_docx(plan_for_export(access, world.plan, today()))
    text = "\n".join(
        cell.text
        for table in docx.Document(io.BytesIO(data)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert sentinel(world.authority.name) in text
    assert sentinel(foreign_world.authority.name) not in text


# --- The importer reads what the export writes (the two small reader rules it relies on) --------


def test_a_generic_first_tab_name_is_not_part_of_the_plan_title():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Improvement plan"
    sheet.append(["Test Council Improvement Plan 2024-26"])
    sheet.append([])
    sheet.append(["1: Quality of practice"])
    sheet.append(["Ref", "Action", "Lead", "Timescale"])
    sheet.append(["1.1", "'=Do the work", "DCS", "April 2024 – March 2025"])
    sheet.append(["1.2", "'-Keep going", "DCS", "'+ongoing"])
    data = io.BytesIO()
    book.save(data)
    draft = read_plan_upload("plan.xlsx", data.getvalue())
    assert draft.title == "Test Council Improvement Plan 2024-26"
    # The apostrophe `safe_cell` puts before = + - @ is not part of the text read back.
    assert [action.text for action in draft.actions] == ["=Do the work", "-Keep going"]
    assert draft.actions[1].ongoing


def test_an_apostrophe_before_other_text_is_kept():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Test Council Improvement Plan"])
    sheet.append([])
    sheet.append(["1: Quality of practice"])
    sheet.append(["Ref", "Action", "Lead", "Timescale"])
    sheet.append(["1.1", "'Brilliant at the Basics' approach", "DCS", "April 2024"])
    data = io.BytesIO()
    book.save(data)
    draft = read_plan_upload("plan.xlsx", data.getvalue())
    assert draft.actions[0].text == "'Brilliant at the Basics' approach"


@pytest.mark.parametrize("kind", ["docx", "xlsx"])
def test_the_export_command_writes_word_and_excel(tmp_path, kind):
    from django.core.management import call_command

    _access, plan = import_seed(PLANS[1])
    target = tmp_path / f"plan.{kind}"
    out = io.StringIO()
    call_command(
        "export_plan",
        "--authority",
        plan.authority.slug,
        "--format",
        kind,
        "--output",
        str(target),
        stdout=out,
    )
    assert f"to {target}" in out.getvalue()
    assert len(read_plan_file(target).actions) == 31


def test_the_export_command_needs_a_file_for_word():
    from django.core.management import CommandError, call_command

    _access, plan = import_seed(PLANS[0])
    with pytest.raises(CommandError, match="--output FILE is needed"):
        call_command("export_plan", "--authority", plan.authority.slug, "--format", "docx")
