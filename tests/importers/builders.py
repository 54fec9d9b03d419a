"""Build Word, Excel and CSV plans from the seed plans' text layout, for the readers' tests.

Each builder reads the seed with `split_lines` and writes the same content the way a council
keeps it in that format: cells as plain paragraphs and bullet points (not HTML), headings as
headings, objectives merged across or down the table. The seeds' page-break artefacts (a row
split over two pages, a row whose first cells were lost) are kept: in Word as a second row
that starts a new page, in Excel and CSV as the short rows they are in the text.
"""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass, field

import docx
import openpyxl
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import Table

from g2g.importers.text_reader import Line, cell_to_text, match_column, split_lines

HEADING = re.compile(r"^(?:\d{1,2}: |Ofsted Improvement Plan: )")
APPENDIX = re.compile(r"^Appendix A\b")


def is_header(cells: tuple[str, ...]) -> bool:
    """A plan table's header row (the same test the mapper uses)."""
    keys = [match_column(cell) for cell in cells]
    return "action" in keys and sum(key is not None for key in keys) >= 3


def plain(cell: str) -> str:
    """A seed cell as a person would type it: paragraphs and '• ' bullets, no HTML."""
    return cell_to_text(cell)


def save(document_or_book) -> bytes:
    out = io.BytesIO()
    document_or_book.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# Word


@dataclass
class _WordTable:
    rows: list[tuple[tuple[str, ...], bool]] = field(default_factory=list)  # (cells, new page)


class _WordBuilder:
    """Text lines become paragraphs (priority headings as Heading 1), blank lines empty
    paragraphs, and runs of rows Word tables. Rows after a gap that are not a header row are
    the same table continued on a new page."""

    def __init__(self) -> None:
        self.document = docx.Document()
        self.table = _WordTable()
        self.blanks = 0

    def add(self, line: Line) -> None:
        if line.is_blank:
            self.blanks += 1
        elif line.cells is None:
            self.flush()
            if HEADING.match(line.text):
                self.document.add_heading(line.text, level=1)
            else:
                self.document.add_paragraph(line.text)
        elif self.table.rows and not (self.blanks and is_header(line.cells)):
            self.table.rows.append((line.cells, self.blanks > 0))
            self.blanks = 0
        else:
            self.flush()
            self.table.rows.append((line.cells, False))

    def flush(self) -> None:
        if self.table.rows:
            write_word_table(self.document, self.table.rows)
            self.table = _WordTable()
        for _ in range(self.blanks):
            self.document.add_paragraph()
        self.blanks = 0


def docx_from_seed(text: str) -> bytes:
    builder = _WordBuilder()
    for line in split_lines(text):
        builder.add(line)
    builder.flush()
    return save(builder.document)


def write_word_table(document, rows: list[tuple[tuple[str, ...], bool]]) -> Table:
    """One Word table: short rows end early (as the seed's rows do), a row holding only its
    first cell is merged across, an empty first cell is merged into the cell above, and a row
    that followed a page break starts a new page."""
    width = max(len(cells) for cells, _ in rows)
    table = document.add_table(rows=len(rows), cols=width)
    for row, (cells, _) in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=False):
            fill_cell(cell, plain(text))
    _merge_down_first_column(table, [cells for cells, _ in rows])
    for row, (cells, _) in zip(table.rows, rows, strict=True):
        if len(cells) == width > 1 and not any(cells[1:]) and cells[0]:
            row.cells[0].merge(row.cells[-1])
        elif len(cells) < width:
            end_row_early(row._tr, width - len(cells))
    for row, (_, new_page) in zip(table.rows, rows, strict=True):
        if new_page:
            mark_new_page(row._tr)
    return table


def fill_cell(cell, text: str) -> None:
    """Each line of the text a paragraph of its own; '• item' lines as List Bullet items."""
    first = True
    for part in filter(None, text.split("\n")):
        bullet = part.startswith("• ")
        words, style = (part[2:], "List Bullet") if bullet else (part, None)
        if first:
            paragraph = cell.paragraphs[0]
            paragraph.text = words
            paragraph.style = style
            first = False
        else:
            cell.add_paragraph(words, style=style)


def _merge_down_first_column(table: Table, rows: list[tuple[str, ...]]) -> None:
    """Merge each run of empty first cells into the filled cell above (an objective that
    continues over several actions)."""
    top = None
    for index, cells in enumerate(rows):
        across = len(cells) > 1 and cells[0] and not any(cells[1:])
        if cells[0] or is_header(cells) or across:
            top = None if across or is_header(cells) else index
            continue
        if top is not None:
            table.rows[top].cells[0].merge(table.rows[index].cells[0])


def end_row_early(tr, missing: int) -> None:
    """Drop a row's last cells, as Word does for a row that ends before the table's edge."""
    for tc in tr.tc_lst[-missing:]:
        tr.remove(tc)
    grid_after = OxmlElement("w:gridAfter")
    grid_after.set(qn("w:val"), str(missing))
    tr.get_or_add_trPr().insert(0, grid_after)


def mark_new_page(tr) -> None:
    """What Word writes where a row begins a new page: a rendered page break at its start."""
    tc = next(tc for tc in tr.tc_lst if tc.vMerge != "continue")
    paragraph = tc.p_lst[0]
    run = OxmlElement("w:r")
    run.append(OxmlElement("w:lastRenderedPageBreak"))
    paragraph.insert(1 if paragraph.pPr is not None else 0, run)


# ---------------------------------------------------------------------------------------------
# Excel and CSV


def _first_line(lines: list[Line]) -> tuple[str, list[Line]]:
    """The document's first line (a sheet named after it) and the lines after it."""
    index = next(i for i, line in enumerate(lines) if not line.is_blank)
    return lines[index].text, lines[index + 1 :]


def _write_rows(sheet, lines: list[Line], width: int) -> None:
    """One spreadsheet row per line; headings in a first cell merged across the table."""
    for number, line in enumerate(lines, 1):
        if line.is_blank:
            continue
        if line.cells is None:
            sheet.cell(row=number, column=1, value=line.text)
            if HEADING.match(line.text):
                sheet.merge_cells(
                    start_row=number, start_column=1, end_row=number, end_column=width
                )
            continue
        for column, cell in enumerate(line.cells, 1):
            if cell:
                sheet.cell(row=number, column=column, value=plain(cell))


def xlsx_one_sheet(text: str) -> bytes:
    """The whole plan on one sheet, named after the document's first line."""
    title, lines = _first_line(split_lines(text))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    _write_rows(sheet, lines, _width(lines))
    return save(book)


def xlsx_by_priority(text: str) -> bytes:
    """A sheet for the front matter (named after the first line), one per priority named
    "Priority N", and one for the appendices."""
    title, lines = _first_line(split_lines(text))
    sections: list[tuple[str, list[Line]]] = [(title, [])]
    for line in lines:
        if line.cells is None and HEADING.match(line.text):
            sections.append((f"Priority {len(sections)}", []))
        elif line.cells is None and APPENDIX.match(line.text):
            sections.append(("Appendices", []))
        sections[-1][1].append(line)
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, section in sections:
        _write_rows(book.create_sheet(name), section, _width(lines))
    return save(book)


def _width(lines: list[Line]) -> int:
    return max(len(line.cells) for line in lines if line.cells)


def csv_from_seed(text: str) -> bytes:
    """The plan as Excel saves "CSV UTF-8": a byte-order mark, commas, quoted multi-line cells."""
    out = io.StringIO()
    writer = csv.writer(out)
    for line in split_lines(text):
        if line.is_blank:
            writer.writerow([])
        elif line.cells is None:
            writer.writerow([line.text])
        else:
            writer.writerow([plain(cell) for cell in line.cells])
    return out.getvalue().encode("utf-8-sig")


# ---------------------------------------------------------------------------------------------
# PDF, as a council saves its plan from Word: ruled tables, headings, rows after a page break
# starting a new page


_PDF_STYLE = """
@page { size: A4 landscape; margin: 12mm; @bottom-center { content: "Page " counter(page); } }
body { font-family: sans-serif; font-size: 8pt; }
table { border-collapse: collapse; width: 100%; margin-bottom: 6pt; }
td, th { border: 0.75pt solid black; vertical-align: top; padding: 2pt; text-align: left; }
tr { break-inside: avoid; }
tr.new-page { break-before: page; }
p { margin: 0 0 4pt 0; }
ul { margin: 0 0 4pt 0; padding-left: 12pt; }
"""


def _html_cell(text: str, tag: str = "td", span: int = 1) -> str:
    parts, items = [], []
    for part in filter(None, plain(text).split("\n")):
        if part.startswith("• "):
            items.append(f"<li>{html.escape(part[2:])}</li>")
            continue
        if items:
            parts.append(f"<ul>{''.join(items)}</ul>")
            items = []
        parts.append(f"<p>{html.escape(part)}</p>")
    if items:
        parts.append(f"<ul>{''.join(items)}</ul>")
    colspan = f' colspan="{span}"' if span > 1 else ""
    return f"<{tag}{colspan}>{''.join(parts)}</{tag}>"


def html_table(rows: list[tuple[tuple[str, ...], bool]]) -> str:
    """A ruled table; a row holding only its first cell spans the table; a short row ends
    early (no cells drawn after its last); a row marked new-page starts a new page."""
    width = max(len(cells) for cells, _ in rows)
    out = ["<table>"]
    for cells, new_page in rows:
        css = ' class="new-page"' if new_page else ""
        if len(cells) > 1 and cells[0] and not any(cells[1:]) or len(cells) == 1:
            out.append(f"<tr{css}>{_html_cell(cells[0], span=width)}</tr>")
            continue
        out.append(f"<tr{css}>{''.join(_html_cell(cell) for cell in cells)}</tr>")
    out.append("</table>")
    return "".join(out)


def pdf_from_html(body: str, style: str = _PDF_STYLE) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 - slow to import; only the PDF tests need it

    page = f"<html><head><style>{style}</style></head><body>{body}</body></html>"
    return HTML(string=page).write_pdf()


def pdf_from_seed(text: str) -> bytes:
    """The seed as a PDF: text lines as paragraphs (priority headings as headings), runs of rows
    as ruled tables, a row after a page break starting a new page (as in the seed)."""
    body: list[str] = []
    table: list[tuple[tuple[str, ...], bool]] = []
    blanks = 0
    for line in split_lines(text):
        if line.is_blank:
            blanks += 1
            continue
        if line.cells is None:
            if table:
                body.append(html_table(table))
                table = []
            tag = "h2" if HEADING.match(line.text) else "p"
            body.append(f"<{tag}>{html.escape(line.text)}</{tag}>")
        elif table and not (blanks and is_header(line.cells)):
            table.append((line.cells, blanks > 0))
        else:
            if table:
                body.append(html_table(table))
            table = [(line.cells, False)]
        blanks = 0
    if table:
        body.append(html_table(table))
    return pdf_from_html("".join(body))
