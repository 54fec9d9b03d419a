"""A board pack as a web page, Word, Excel and PDF: one `BoardPack`, four renderings.

- HTML: the page template, with each measure's trend chart (SVG, cached) and its words.
- PDF: WeasyPrint from the same section template in a print document (`board_pack_print.html`
  with `reports/print.css`), so the PDF says what the page says.
- Word: python-docx with real headings and tables whose first row is marked as a header row that
  repeats on every page, so screen readers and Word's accessibility checker can navigate it, and
  the pack stays editable. Charts are left out of Word: each measure's words say the same.
- Excel: openpyxl, one sheet per section with a header row; every text cell through
  `core.spreadsheets.safe_cell`.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm
from openpyxl import Workbook
from openpyxl.styles import Font

from g2g.core.spreadsheets import safe_cell
from g2g.measures.rating import format_value
from g2g.measures.scorecard import chart_of
from g2g.plans.reads import RATING_LABELS

from .board_pack import BoardPack

PRINT_CSS = Path(__file__).parent / "print.css"
FORMATS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def pack_context(pack: BoardPack, *, png: bool = False) -> dict:
    measures = [(s, chart_of(s, png=png) if s.latest else None) for s in pack.scorecard]
    return {"pack": pack, "measures": measures, "png": png}


def pack_print_html(pack: BoardPack, *, png: bool = False) -> str:
    """A whole HTML document for printing or PDF, with its own small stylesheet. `png` draws
    the charts as images: WeasyPrint does not apply the style attributes of matplotlib's SVG."""
    context = pack_context(pack, png=png) | {"css": PRINT_CSS.read_text(encoding="utf-8")}
    return render_to_string("reports/board_pack_print.html", context)


def pack_pdf(pack: BoardPack) -> bytes:
    from weasyprint import HTML  # loads Pango on first use; only PDF needs it

    return HTML(string=pack_print_html(pack, png=True)).write_pdf()


# ---------------------------------------------------------------------------------------------
# Tables: the rows every non-HTML rendering writes


def section_tables(pack: BoardPack) -> list[tuple[str, list[str], list[list]]]:
    """(heading, header row, rows) for each section, in pack order."""
    tables = []
    for summary in pack.priorities:
        rows = [
            [r["label"], r["action"], r["action_change"], r["impact"], r["impact_change"]]
            for r in summary.rows()
        ]
        header = ["Rating", "Action rating", "Change", "Impact rating", "Change"]
        tables.append((f"Priority {summary.number}: {summary.title}", header, rows))
    tables.append(
        (
            "Exceptions",
            ["Ref", "Action", "Why it is listed"],
            [[e.action.ref, e.action.title, "; ".join(e.reasons)] for e in pack.exceptions],
        )
    )
    tables.append(
        (
            "Scorecard",
            ["Measure", "Latest", "Month", "Against target", "Direction"],
            [
                [
                    status.measure.name,
                    format_value(status.latest.value, status.measure.unit)
                    if status.latest
                    else "No value",
                    f"{status.latest.period:%b %Y}" if status.latest else "",
                    status.assessment.words,
                    status.direction[1],
                ]
                for status in pack.scorecard
            ],
        )
    )
    tables.append(
        (
            "Recommendation coverage",
            ["Inspection", "Recommendation", "Answered by"],
            [
                [
                    gap.inspection,
                    f"{gap.number}. {gap.text}",
                    ", ".join(f"{a.ref} (Red)" for a in gap.actions) or "No open action",
                ]
                for gap in pack.coverage
            ],
        )
    )
    tables.append(
        (
            "Upcoming deadlines",
            ["Ref", "Action", "Due", "Action rating"],
            [
                [a.ref, a.title, f"{a.end:%-d %B %Y}", RATING_LABELS[a.action_rating]]
                for a in pack.deadlines
            ],
        )
    )
    return tables


def pack_docx(pack: BoardPack) -> bytes:
    document = Document()
    document.core_properties.title = pack.title
    document.core_properties.language = "en-GB"
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for margin in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, margin, Cm(1.5))
    document.add_heading(pack.title, level=0)
    document.add_paragraph(_as_at_words(pack))
    if pack.synthetic:
        document.add_paragraph("Values marked synthetic are made-up demo data.")
    headings = {"Exceptions", "Scorecard", "Recommendation coverage", "Upcoming deadlines"}
    document.add_heading("Summary by priority", level=1)
    for heading, header, rows in section_tables(pack):
        document.add_heading(heading, level=1 if heading in headings else 2)
        if not rows:
            document.add_paragraph("None.")
            continue
        _docx_table(document, header, rows)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_table(document, header: list[str], rows: list[list]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    first = table.rows[0]
    marker = OxmlElement("w:tblHeader")  # repeat on each page; marks the row as headers
    marker.set(qn("w:val"), "true")
    first._tr.get_or_add_trPr().append(marker)
    for cell, text in zip(first.cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = str(value)


def pack_xlsx(pack: BoardPack) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    names: set[str] = set()
    for heading, header, rows in section_tables(pack):
        sheet = workbook.create_sheet(_sheet_name(heading, names))
        sheet.append([safe_cell(heading)])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([safe_cell(text) for text in header])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([safe_cell(value) for value in row])
        sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.properties.title = pack.title
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_name(heading: str, taken: set[str]) -> str:
    """Excel allows 31 characters and no []:*?/\\ in a sheet's name, unique in the workbook."""
    name = "".join(c for c in heading if c not in "[]:*?/\\")[:31]
    candidate, number = name, 2
    while candidate in taken:
        candidate = f"{name[:28]} {number}"
        number += 1
    taken.add(candidate)
    return candidate


def _as_at_words(pack: BoardPack) -> str:
    return f"The plan as it stood at {timezone.localtime(pack.as_at):%-d %B %Y, %H:%M}."


def render_file(pack: BoardPack, kind: str) -> bytes:
    """The pack as a file of `kind` (one of FORMATS)."""
    if kind == "html":
        return pack_print_html(pack).encode()
    return {"pdf": pack_pdf, "docx": pack_docx, "xlsx": pack_xlsx}[kind](pack)
