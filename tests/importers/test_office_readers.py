"""Word, Excel and CSV plans read through the one mapper: the seed plans rebuilt in each
format import exactly as their text layout does, and each reader's own rules on small files."""

import io
import re
import zipfile
from datetime import date, datetime

import docx
import openpyxl
import pytest
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from g2g.core.problems import ReadError
from g2g.importers.draft import PlanDraft
from g2g.importers.json_format import plan_to_json
from g2g.importers.office_readers import (
    docx_lines,
    read_csv_plan,
    read_docx_plan,
    read_xlsx_plan,
    row_line,
    xlsx_lines,
)
from g2g.importers.services import read_plan_file, write_plan
from g2g.importers.text_reader import (
    NO_PLAN_MESSAGE,
    Line,
    plan_from_lines,
    read_text_plan,
    split_lines,
)
from g2g.tenancy.access import operator_access
from tests.factories import AuthorityFactory
from tests.seed_files import SEEDS

from .builders import (
    csv_from_seed,
    docx_from_seed,
    mark_new_page,
    save,
    xlsx_by_priority,
    xlsx_one_sheet,
)

TAMESIDE = SEEDS / "tameside-improvement-plan-2023.txt"
OLDHAM = SEEDS / "oldham-improvement-plan-2019-21.txt"
PERIOD = date(2019, 8, 1)  # dates Oldham's undated Progress column, so progress is compared too
PLACE = re.compile(r"^\S+, (table \d+, row \d+|sheet '[^']+', row \d+|row \d+)(, column '[^']+')?$")


def exported(draft: PlanDraft) -> dict:
    """What an import writes, as the plan's own JSON export, in an authority of its own."""
    return plan_to_json(write_plan(operator_access(AuthorityFactory()), draft))


# ---------------------------------------------------------------------------------------------
# The seeds in every format


@pytest.mark.parametrize(
    ("seed", "build", "extension"),
    [
        (TAMESIDE, docx_from_seed, ".docx"),
        (OLDHAM, docx_from_seed, ".docx"),
        (TAMESIDE, xlsx_by_priority, ".xlsx"),
        (OLDHAM, xlsx_one_sheet, ".xlsx"),
        (TAMESIDE, csv_from_seed, ".csv"),
        (OLDHAM, csv_from_seed, ".csv"),
    ],
    ids=[
        "tameside-word",
        "oldham-word",
        "tameside-excel-sheet-per-priority",
        "oldham-excel-one-sheet",
        "tameside-csv",
        "oldham-csv",
    ],
)
def test_a_seed_in_another_format_imports_exactly_as_its_text(db, tmp_path, seed, build, extension):
    text = seed.read_text(encoding="utf-8")
    path = tmp_path / f"plan{extension}"
    path.write_bytes(build(text))
    draft = read_plan_file(path, progress_period=PERIOD)
    assert exported(draft) == exported(read_text_plan(text, progress_period=PERIOD))
    assert all(PLACE.match(problem.where) for problem in draft.problems)


def test_word_rows_split_by_a_page_break_are_merged_and_located():
    plan = read_docx_plan(docx_from_seed(OLDHAM.read_text(encoding="utf-8")), source="oldham.docx")
    problems = {problem.where: problem.message for problem in plan.problems}
    assert problems["oldham.docx, table 4, row 7"] == (
        "read as the rest of the row on table 4, row 6, split by a page break"
    )
    assert "mid-sentence" in problems["oldham.docx, table 4, row 4, column 'Actions'"]
    housing = next(a for a in plan.actions if a.text.startswith("Continue to work with Housing"))
    assert housing.where == "oldham.docx, table 4, row 11"
    assert housing.leads == ["Director of Children's Social Care"]


def test_excel_problems_name_the_sheet_and_row():
    plan = read_xlsx_plan(
        xlsx_by_priority(TAMESIDE.read_text(encoding="utf-8")), source="tameside.xlsx"
    )
    assert [p.where for p in plan.problems] == [
        "tameside.xlsx, sheet 'Priority 3', row 5, column 'Start Date'"
    ]
    assert plan.title == "Tameside Children's Social Care Improvement Plan"


# ---------------------------------------------------------------------------------------------
# Word: reading order, merged cells, lists, page breaks


def small_document() -> docx.Document:
    document = docx.Document()
    document.add_paragraph("Test Council Improvement Plan 2024-26")
    document.add_heading("1: PRIORITY ONE", level=1)
    return document


def plan_table(document, *rows: list[str]):
    table = document.add_table(rows=len(rows) + 1, cols=4)
    header = ["Objective", "Actions", "Lead", "Timescale"]
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = text
    for row, texts in zip(table.rows[1:], rows, strict=True):
        for cell, text in zip(row.cells, texts, strict=True):
            cell.text = text
    return table


def test_word_body_is_read_in_order_with_merged_cells_and_bullets():
    document = small_document()
    table = plan_table(
        document,
        ["Front Door", "", "", ""],
        ["Safer referrals", "Review the front door", "DCS", "March 2025"],
        ["", "Train staff", "AD Social Care", "June 2025"],
    )
    table.rows[1].cells[0].merge(table.rows[1].cells[3])  # an objective row across the table
    table.rows[2].cells[0].merge(table.rows[3].cells[0])  # an objective down two actions
    table.rows[2].cells[1].add_paragraph("Clear thresholds", style="List Bullet")
    table.rows[2].cells[1].add_paragraph("Daily huddles", style="List Bullet")
    document.add_paragraph("Appendix")

    lines = docx_lines(save(document))

    assert lines[:4] == [
        Line("paragraph 1", "Test Council Improvement Plan 2024-26"),
        Line("paragraph 2", "1: PRIORITY ONE", heading=1),
        Line("table 1", ""),
        Line(
            "table 1, row 1",
            "Objective\tActions\tLead\tTimescale",
            ("Objective", "Actions", "Lead", "Timescale"),
        ),
    ]
    assert lines[4].cells == ("Front Door",)  # merged across: one cell
    assert lines[5].cells == (
        "Safer referrals",
        "Review the front door\n• Clear thresholds\n• Daily huddles",
        "DCS",
        "March 2025",
    )
    assert lines[6].cells == ("", "Train staff", "AD Social Care", "June 2025")  # merged down
    assert lines[7:] == [Line("paragraph 3", "Appendix")]


def test_word_plan_reads_objectives_bullets_and_dates():
    document = small_document()
    table = plan_table(
        document,
        ["Safer referrals", "Review the front door", "DCS", "March 2025"],
        ["", "Train staff", "AD Social Care", "June 2025"],
    )
    table.rows[1].cells[0].merge(table.rows[2].cells[0])
    table.rows[1].cells[1].add_paragraph("Clear thresholds", style="List Bullet")

    plan = read_docx_plan(save(document), source="plan.docx")

    assert plan.title == "Test Council Improvement Plan 2024-26"
    assert plan.period == "2024-26"
    first, second = plan.actions
    assert first.text == "Review the front door\n\n• Clear thresholds"
    assert (first.objective, second.objective) == ("Safer referrals", "Safer referrals")
    assert second.leads == ["AD Social Care"]
    assert second.end == date(2025, 6, 30)
    assert second.where == "plan.docx, table 1, row 3"


@pytest.mark.parametrize("new_page", [True, False], ids=["after-a-page-break", "same-page"])
def test_a_word_row_that_starts_a_new_page_may_be_the_rest_of_the_row_above(new_page):
    document = small_document()
    table = plan_table(
        document,
        ["Safer referrals", "Review the front door with", "Director of", "March 2025"],
        ["", "partners", "Children's Services", ""],
    )
    if new_page:
        mark_new_page(table.rows[2]._tr)

    plan = read_docx_plan(save(document), source="plan.docx")

    if new_page:
        (action,) = plan.actions
        assert action.text == "Review the front door with partners"
        assert action.leads == ["Director of Children's Services"]
        assert any(p.where == "plan.docx, table 1, row 3" for p in plan.problems)
    else:
        assert len(plan.actions) == 2


def test_a_page_break_in_a_paragraph_is_a_gap():
    document = docx.Document()
    document.add_paragraph("Before")
    paragraph = document.add_paragraph("After")
    paragraph.runs[0].add_break(WD_BREAK.PAGE)
    document.add_paragraph()
    assert docx_lines(save(document)) == [
        Line("paragraph 1", "Before"),
        Line("paragraph 2", ""),
        Line("paragraph 2", "After"),
        Line("paragraph 3", ""),
    ]


def test_word_tracked_changes_read_as_accepted():
    document = docx.Document()
    paragraph = document.add_paragraph("Kept ")
    paragraph._p.append(
        parse_xml(
            f'<w:ins {nsdecls("w")} w:id="1" w:author="A" w:date="2024-01-01T00:00:00Z">'
            "<w:r><w:t>inserted</w:t></w:r></w:ins>"
        )
    )
    paragraph._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="2" w:author="A" w:date="2024-01-01T00:00:00Z">'
            "<w:r><w:delText>deleted</w:delText></w:r></w:del>"
        )
    )
    assert docx_lines(save(document)) == [Line("paragraph 1", "Kept inserted")]


# ---------------------------------------------------------------------------------------------
# Excel and CSV: rows


@pytest.mark.parametrize(
    ("cells", "line"),
    [
        (["1.1", "Do it", "DCS", "", ""], Line("r", "1.1\tDo it\tDCS", ("1.1", "Do it", "DCS"))),
        (["Priority heading", "", ""], Line("r", "Priority heading")),
        (["", "Only B"], Line("r", "\tOnly B", ("", "Only B"))),
        (["", "", ""], Line("r", "")),
        ([], Line("r", "")),
    ],
    ids=[
        "trailing-empties-dropped",
        "lone-first-cell-is-text",
        "lone-other-cell-is-a-row",
        "empty",
        "none",
    ],
)
def test_row_line(cells, line):
    assert row_line("r", cells) == line


def excel_plan(title: str = "Priority 1 Quality of Practice") -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(["Ref", "Actions", "Lead", "Start Date", "End Date"])
    sheet.append([1.0, "Do it", "DCS", datetime(2023, 9, 1), datetime(2024, 3, 31)])  # noqa: DTZ001
    sheet["D2"].number_format = "mmm-yy"
    sheet["E2"].number_format = "dd/mm/yyyy"
    return book


def test_a_sheet_named_for_a_priority_starts_it_and_dates_read_as_words():
    plan = read_xlsx_plan(save(excel_plan()), source="plan.xlsx")
    assert [(p.number, p.title) for p in plan.priorities] == [(1, "Quality of Practice")]
    (action,) = plan.actions
    assert action.ref == "1"
    assert action.timescale_text == "September 2023 – 31 March 2024"
    assert (action.start, action.end) == (date(2023, 9, 1), date(2024, 3, 31))
    assert action.where == "plan.xlsx, sheet 'Priority 1 Quality of Practice', row 2"


def test_excel_default_sheet_names_and_hidden_sheets_are_left_out():
    book = excel_plan(title="Sheet1")
    book.active.insert_rows(1, amount=3)
    book.active["A1"] = "Test Council Improvement Plan 2023-25"
    book.active["A3"] = "1: QUALITY OF PRACTICE"
    hidden = book.create_sheet("Lookups")
    hidden.append(["Red", "Amber", "Green"])
    hidden.sheet_state = "hidden"

    lines = xlsx_lines(save(book))

    assert lines[:4] == [
        Line("sheet 'Sheet1'", ""),
        Line("sheet 'Sheet1', row 1", "Test Council Improvement Plan 2023-25"),
        Line("sheet 'Sheet1', row 2", ""),
        Line("sheet 'Sheet1', row 3", "1: QUALITY OF PRACTICE"),
    ]
    assert not any("Lookups" in line.place for line in lines)
    plan = plan_from_lines(lines, source="plan.xlsx")
    assert plan.title == "Test Council Improvement Plan 2023-25"
    assert plan.priorities[0].title == "Quality of Practice"


CSV_PLAN = (
    "Test Council Improvement Plan\n\n1: PRIORITY ONE\n\n"
    "Ref;Actions;Lead;Timescale\n"
    '1.1;"Fund the £2m ""Brilliant Basics"" offer\n• Training";DCS;March 2025\n'
)


def test_csv_with_semicolons_and_a_windows_encoding_is_read_and_the_encoding_reported():
    plan = read_csv_plan(CSV_PLAN.encode("cp1252"), source="plan.csv")
    (action,) = plan.actions
    assert action.text == 'Fund the £2m "Brilliant Basics" offer\n\n• Training'
    assert action.end == date(2025, 3, 31)
    assert plan.problems[0].where == "plan.csv"
    assert plan.problems[0].message.startswith("is not UTF-8: read as Windows-1252")


def test_csv_in_utf8_with_a_byte_order_mark_has_no_problems():
    plan = read_csv_plan(CSV_PLAN.encode("utf-8-sig"), source="plan.csv")
    assert plan.problems == []
    assert plan.title == "Test Council Improvement Plan"


# ---------------------------------------------------------------------------------------------
# The mapper behind every reader


def test_problems_name_the_place_a_reader_gave():
    lines = [
        Line("paragraph 1", "Plan"),
        Line("paragraph 2", "1: ONE"),
        Line("table 1, row 1", "", ("Ref", "Actions", "Lead", "Timescale")),
        Line("table 1, row 2", "", ("1.1", "Do it", "", "Soon")),
    ]
    plan = plan_from_lines(lines, source="plan.docx")
    assert {p.where for p in plan.problems} == {
        "plan.docx, table 1, row 2, column 'Lead'",
        "plan.docx, table 1, row 2, column 'Timescale'",
    }


def test_a_focus_area_alone_in_its_row_is_still_in_the_matrix():
    matrix = [
        Line("row 1", "", ("Help and Protection", "Cared for Children")),
        Line("row 2", "FA1: Voice"),  # what an Excel row holding only its first cell becomes
        Line("row 3", "", ("FA2: Risk", "FA3: Placements")),
    ]
    plan_rows = split_lines("Plan\n\n1: ONE\n\nRef\tActions\tLead\tTimescale\n1.1\tDo\tDCS\t2025")
    plan = plan_from_lines(matrix + plan_rows, source="plan.xlsx")
    assert [(a.code, a.judgement_area) for a in plan.focus_areas] == [
        ("FA1", "Help and Protection"),
        ("FA2", "Help and Protection"),
        ("FA3", "Cared for Children"),
    ]


def test_the_text_reader_is_the_mapper_on_split_lines():
    text = TAMESIDE.read_text(encoding="utf-8")
    assert plan_from_lines(split_lines(text), source="t") == read_text_plan(text, source="t")


# ---------------------------------------------------------------------------------------------
# Files the readers refuse


def encrypted_office_file() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "EncryptedPackage".encode("utf-16-le")


def rezipped(data: bytes, name: str, content: bytes) -> bytes:
    """The same package with one part's content replaced."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, content if info.filename == name else source.read(info))
    return out.getvalue()


@pytest.mark.parametrize(
    ("read", "data", "message"),
    [
        (read_docx_plan, b"Plan\tLead\n", "is not a Word document (.docx): it holds plain text"),
        (read_docx_plan, lambda: save(excel_plan()), "is an Excel workbook (.xlsx), not a Word"),
        (
            read_xlsx_plan,
            encrypted_office_file,
            "is password-protected; save it without a password",
        ),
        (
            read_xlsx_plan,
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le"),
            "is in the old Excel 97-2003 format; save it as an Excel workbook (.xlsx)",
        ),
        (
            read_docx_plan,
            lambda: rezipped(save(small_document()), "word/document.xml", b"<w:document"),
            "cannot be read as a Word document",
        ),
        (
            read_xlsx_plan,
            lambda: rezipped(save(excel_plan()), "xl/workbook.xml", b"<workbook>"),
            "cannot be read as an Excel workbook",
        ),
        (read_docx_plan, lambda: save(small_document()), NO_PLAN_MESSAGE),
        (read_csv_plan, b"Ref,Actions\x00", "is a binary file, not a CSV file"),
    ],
    ids=[
        "text-as-word",
        "excel-as-word",
        "encrypted",
        "old-excel",
        "broken-word-xml",
        "broken-workbook",
        "word-without-a-plan",
        "binary-csv",
    ],
)
def test_a_reader_refuses_what_it_cannot_read_with_a_clear_message(read, data, message):
    with pytest.raises(ReadError) as refused:
        read(data() if callable(data) else data, source="upload")
    (problem,) = refused.value.problems
    assert problem.where == "upload"
    assert message in problem.message
