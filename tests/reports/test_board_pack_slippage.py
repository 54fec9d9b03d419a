"""The board pack's slippage log (issue 17): every end date moved since the last pack, read
from the actions' history, with the reason, who agreed, who saved it and when."""

import io
import json
from datetime import date, timedelta

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from docx import Document

from g2g.core.dates import current_period
from g2g.plans.services import edit_action
from g2g.reports.board_pack import build_board_pack
from g2g.reports.outputs import pack_data, pack_docx, pack_xlsx
from g2g.tenancy.access import access_for
from g2g.tenancy.models import Role
from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db

OLD, NEW = date(2026, 11, 30), date(2027, 3, 31)


def move(world, action, end, *, reason="Waiting for the new case system", agreed="The board"):
    lead = access_for(world.users["improvement_lead"], world.authority.slug)
    action.refresh_from_db()
    return edit_action(
        lead, action, version=action.version, end=end, change_reason=reason, change_agreed_by=agreed
    )


def given_an_end_date(action, end=OLD):
    action.end = end
    action.save()


def test_a_moved_end_date_is_in_the_slippage_log_with_its_reason_and_agreement(world):
    action = world.other_action
    given_an_end_date(action)
    move(world, action, NEW)
    (slip,) = build_board_pack(world.plan, current_period()).slippage
    assert (slip.ref, slip.title) == (action.ref, action.title)
    assert (slip.old_end, slip.new_end) == (OLD, NEW)
    assert (slip.reason, slip.agreed_by) == ("Waiting for the new case system", "The board")
    assert slip.changed_by == (
        world.users["improvement_lead"].get_full_name()
        or world.users["improvement_lead"].get_username()
    )
    assert timezone.localdate(slip.changed_at) == timezone.localdate()


def test_a_first_end_date_and_moves_before_the_last_pack_are_not_slippage(world):
    action = world.other_action
    given_an_end_date(action)  # a first end date is given, not moved
    assert build_board_pack(world.plan, current_period()).slippage == []
    move(world, action, NEW)
    # A pack compared with a moment after the move leaves it out.
    later = build_board_pack(world.plan, current_period(), previous=timezone.now())
    assert later.slippage == []
    # A pack "as at" before the move leaves it out too.
    before = build_board_pack(
        world.plan, current_period(), as_at=timezone.now() - timedelta(days=400)
    )
    assert before.slippage == []


def test_the_slippage_log_is_in_the_json_page_word_and_excel(client, world):
    action = world.other_action
    given_an_end_date(action)
    move(world, action, NEW)
    pack = build_board_pack(world.plan, current_period())
    (data,) = pack_data(pack)["slippage"]
    assert data | {"changed_at": None, "changed_by": None} == {
        "ref": action.ref,
        "title": action.title,
        "old_end": "2026-11-30",
        "new_end": "2027-03-31",
        "reason": "Waiting for the new case system",
        "agreed_by": "The board",
        "changed_by": None,
        "changed_at": None,
    }
    json.dumps(pack_data(pack))
    document = Document(io.BytesIO(pack_docx(pack)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Slippage log" in headings
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert {"30 November 2026", "31 March 2027", "The board"} <= cells
    workbook = openpyxl.load_workbook(io.BytesIO(pack_xlsx(pack)))
    sheet = next(s for s in workbook.worksheets if s.title.startswith("Slippage"))
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "Waiting for the new case system" in values
    assert "The board" in values
    client.force_login(world.users[Role.VIEWER])
    page = client.get(f"/{world.authority.slug}/reports/board-pack/").content.decode()
    assert "Slippage log" in page
    assert "30 November 2026 to 31 March 2027" in page
    assert "Waiting for the new case system" in page


def test_the_slippage_log_is_read_in_queries_that_do_not_grow_with_actions(world):
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            build_board_pack(world.plan, current_period())
        return len(captured)

    given_an_end_date(world.other_action)
    move(world, world.other_action, NEW)
    before = count()
    for number in range(10):
        action = ActionFactory(priority=world.led_action.priority, end=OLD)
        move(world, action, NEW + timedelta(days=number))
    assert count() == before
    assert len(build_board_pack(world.plan, current_period()).slippage) == 11
