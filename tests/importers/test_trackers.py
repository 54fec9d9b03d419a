"""Plans as councils keep them in trackers: Excel and CSV with the headers councils use, priority
rows inside the sheet, a Priority column, merged cells, real Excel dates; Word tables with any
column set. Nothing is left out in silence: a column not read, a date or rating not understood,
is a located problem."""

import csv
import io
from datetime import date

import docx
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from g2g.core.problems import ReadError
from g2g.importers.services import read_plan_upload
from g2g.importers.text_reader import COLUMN_FIELDS, Line, plan_from_lines

from .builders import save

pytestmark: list = []  # no database

HEADERS = ("Action No.", "Description", "Responsible Officer", "Target Date", "Status")
ROWS = [
    ("Priority 1: Quality of practice",),
    (
        "1.1",
        "Improve the quality of assessments.",
        "Head of Assessment",
        date(2024, 3, 31),
        "G",
    ),
    ("1.2", "Audit every child in need plan.", None, date(2024, 6, 30), "Amber"),
    ("Priority 2: Leadership and management",),
    (
        "2.1",
        "Recruit permanent team managers.",
        "Director of Children's Services",
        "Sep 24",
        "On track",
    ),
]


def tracker(rows=ROWS, headers=HEADERS, *, merge_lead=True) -> bytes:
    """A tracker as councils make them: a title, the header, priority rows merged across."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Tracker"
    sheet.append(["Northshire children's services improvement tracker 2024"])
    sheet.append([])
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
        if len(row) == 1:
            sheet.merge_cells(
                start_row=sheet.max_row, end_row=sheet.max_row, start_column=1, end_column=5
            )
    if merge_lead:  # 1.1 and 1.2 share a lead: the cell is merged down over both
        sheet.merge_cells("C5:C6")
    for cell in sheet["D"]:
        cell.number_format = "dd/mm/yyyy"
    return save(book)


def by_ref(draft):
    return {action.ref: action for action in draft.actions}


def messages(draft) -> list[str]:
    return [f"{problem.where}: {problem.message}" for problem in draft.problems]


def test_an_excel_tracker_with_priority_rows_merged_cells_and_real_dates():
    draft = read_plan_upload("tracker.xlsx", tracker())
    assert draft.title == "Northshire children's services improvement tracker 2024"
    assert [(p.number, p.title) for p in draft.priorities] == [
        (1, "Quality of practice"),
        (2, "Leadership and management"),
    ]
    actions = by_ref(draft)
    assert [a.ref for a in draft.priorities[0].actions] == ["1.1", "1.2"]
    assert actions["1.1"].leads == ["Head of Assessment"]
    assert actions["1.2"].leads == ["Head of Assessment"]  # the merged cell covers it
    assert (actions["1.1"].end, actions["1.2"].end) == (date(2024, 3, 31), date(2024, 6, 30))
    assert actions["2.1"].end == date(2024, 9, 30)
    assert actions["1.1"].timescale_text == "By 31 March 2024"


def test_a_status_that_is_not_a_rating_is_kept_and_reported():
    draft = read_plan_upload("tracker.xlsx", tracker(), progress_period=date(2024, 2, 1))
    actions = by_ref(draft)
    assert actions["1.1"].progress[0].action_rating == "green"
    assert actions["1.2"].progress[0].action_rating == "amber"
    (update,) = actions["2.1"].progress
    assert (update.action_rating, update.narrative) == (None, "Status: On track")
    assert "tracker.xlsx, sheet 'Tracker', row 8, column 'Status': 'On track' is not a rating" in (
        " ".join(messages(draft))
    )


def test_without_priority_rows_the_refs_say_the_priority():
    rows = [row for row in ROWS if len(row) > 1]
    draft = read_plan_upload("tracker.xlsx", tracker(rows, merge_lead=False))
    assert [(p.number, [a.ref for a in p.actions]) for p in draft.priorities] == [
        (1, ["1.1", "1.2"]),
        (2, ["2.1"]),
    ]
    assert any("grouped into 2 priorities by the first number" in m for m in messages(draft))


def test_a_priority_column_groups_the_actions():
    headers = ("Theme", *HEADERS)
    rows = [
        ("Quality of practice", "A", "Improve assessments.", "Head of Assessment", "Mar 24", "G"),
        (None, "B", "Audit plans.", "Head of QA", "Jun 24", "G"),
        ("Workforce", "C", "Recruit managers.", "DCS", "Sep 24", "R"),
    ]
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    sheet.merge_cells("A2:A3")
    draft = read_plan_upload("tracker.xlsx", save(book))
    assert [(p.title, [a.ref for a in p.actions]) for p in draft.priorities] == [
        ("Quality of practice", ["A", "B"]),
        ("Workforce", ["C"]),
    ]
    assert not any("before any priority heading" in m for m in messages(draft))


def test_a_csv_tracker_reads_as_the_excel_one():
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    for row in ROWS:
        writer.writerow(
            ["" if v is None else f"{v:%d/%m/%Y}" if isinstance(v, date) else v for v in row]
        )
    draft = read_plan_upload("tracker.csv", out.getvalue().encode())
    assert [p.title for p in draft.priorities] == [
        "Quality of practice",
        "Leadership and management",
    ]
    assert by_ref(draft)["1.2"].end == date(2024, 6, 30)


def test_a_column_not_read_is_a_problem_and_the_mapping_reads_it():
    headers = (*HEADERS, "Notes")
    rows = [(*ROWS[1], "Training booked for March")]
    draft = read_plan_upload("tracker.xlsx", tracker(rows, headers, merge_lead=False))
    (problem,) = [p for p in draft.problems if "not read" in p.message]
    assert problem.where == "tracker.xlsx, sheet 'Tracker', row 3, column 'Notes'"
    assert {c.header: c.key for c in draft.columns} == {
        "Action No.": "ref",
        "Description": "action",
        "Responsible Officer": "lead",
        "Target Date": "end",
        "Status": "action_rating",
        "Notes": "",
    }
    mapped = read_plan_upload(
        "tracker.xlsx",
        tracker(rows, headers, merge_lead=False),
        progress_period=date(2024, 2, 1),
        columns={"notes": "progress"},
    )
    assert mapped.actions[0].progress[0].narrative == "Training booked for March"
    assert not any("not read" in p.message for p in mapped.problems)
    assert [c.chosen for c in mapped.columns] == [False] * 5 + [True]


def test_a_mapping_can_leave_a_column_out_and_it_is_still_said():
    draft = read_plan_upload("tracker.xlsx", tracker(), columns={"status": ""})
    assert all(not a.progress for a in draft.actions)
    assert any(
        p.where.endswith("column 'Status'") and "as the column mapping says" in p.message
        for p in draft.problems
    )


def test_text_under_a_column_without_a_heading_is_reported():
    headers = (*HEADERS[:3], "", *HEADERS[3:])
    rows = [(*ROWS[1][:3], "a note nobody named", *ROWS[1][3:])]
    draft = read_plan_upload("tracker.xlsx", tracker(rows, headers, merge_lead=False))
    assert any(
        "column 4 has no heading" in p.message and p.where.endswith("row 4") for p in draft.problems
    )


def test_text_beyond_the_header_is_reported():
    rows = [(*ROWS[1], "a note past the last column")]
    draft = read_plan_upload("tracker.xlsx", tracker(rows, merge_lead=False))
    assert any("more cells than the header" in p.message for p in draft.problems)


def test_a_date_not_understood_is_reported_not_dropped():
    rows = [("1.1", "Improve assessments.", "Head of Assessment", "TBC", "G")]
    draft = read_plan_upload("tracker.xlsx", tracker(rows, merge_lead=False))
    assert any("'TBC' is not a date" in p.message for p in draft.problems)


@pytest.mark.parametrize(
    "headers",
    [
        ("No", "Action", "Owner", "Deadline", "RAG"),
        ("Ref", "Activity", "Lead(s)", "By when", "RAG status"),
        ("ID", "Actions required", "Responsible", "Due", "BRAG"),
        ("Item", "Task", "Accountable officer", "Due date", "Rating"),
    ],
    ids=["no-owner-deadline", "activity-by-when", "id-due", "item-task"],
)
def test_a_word_table_with_any_usual_column_set(headers):
    document = docx.Document()
    document.add_heading("Northshire improvement plan 2024-26", level=1)
    document.add_heading("1. Help and protection", level=2)
    table = document.add_table(rows=3, cols=5)
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.text = text
    values = [
        ("1.1", "Improve strategy meetings.", "Head of MASH", "From Nov 23", "Green"),
        ("1.2", "Review thresholds with partners.", "Head of Early Help", "March 2024", "Amber"),
    ]
    for row, texts in zip(table.rows[1:], values, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    draft = read_plan_upload("plan.docx", save(document))
    actions = by_ref(draft)
    assert [p.title for p in draft.priorities] == ["Help and protection"]
    assert actions["1.1"].leads == ["Head of MASH"]
    assert (actions["1.1"].start, actions["1.1"].end) == (date(2023, 11, 1), None)
    assert actions["1.2"].end == date(2024, 3, 31)


# ---------------------------------------------------------------------------------------------
# Never a crash: any rows, headings and numbered lines, with any column mapping, through the
# one mapper, either read as a plan or are refused with ReadError


CELL_WORDS = [
    *HEADERS,
    "Theme",
    "Priority 2: Workforce",
    "1.1",
    "2.3",
    "Head of Service",
    "From Nov 23",
    "31 March 2024",
    "TBC",
    "G",
    "On track",
    "",
    "Improve assessments.",
]
cells = st.lists(st.sampled_from(CELL_WORDS) | st.text(max_size=12), min_size=1, max_size=7)
line = st.one_of(
    cells.map(lambda c: Line("row", "\t".join(c), tuple(c))),
    st.builds(
        Line,
        st.just("paragraph"),
        st.sampled_from(["1. Help and protection", "1.1 Improve. Lead: DCS", "Lead: DCS", ""])
        | st.text(max_size=30),
        st.none(),
        st.none() | st.integers(1, 3),
        st.none() | st.integers(0, 2),
    ),
)
mapping = st.dictionaries(
    st.sampled_from([h.lower() for h in HEADERS] + ["theme", "notes"]),
    st.sampled_from([*COLUMN_FIELDS, ""]),
    max_size=4,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(line, max_size=30), mapping)
def test_any_lines_with_any_mapping_are_a_plan_or_a_read_error(lines, columns):
    try:
        draft = plan_from_lines(lines, source="fuzz", columns=columns)
    except ReadError as error:
        draft = error
    if isinstance(draft, ReadError):
        assert draft.problems
    else:
        assert draft.actions
        assert all(problem.where.startswith("fuzz") for problem in draft.problems)
