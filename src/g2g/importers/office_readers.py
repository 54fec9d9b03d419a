"""Word (.docx), Excel (.xlsx) and CSV plans: each file becomes `Line`s for the one mapper.

Readers turn a file into rows; `text_reader.plan_from_lines` turns rows into the plan, so a
plan reads the same whichever format it arrives in. Every reader here:
- lets `safe_files` check the file before python-docx or openpyxl opens it, so no caller can
  forget to;
- hands over paragraphs and headings as text Lines, table rows as row Lines of plain-text cells
  (one paragraph or "• bullet" per line), and gaps (page breaks, empty rows) as blank Lines;
- names each Line's place ("table 3, row 5", "sheet 'Plan', row 12") for the problems list;
- raises only `ReadError`, with a message saying what to do.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import docx
import openpyxl
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn
from openpyxl.utils.cell import range_boundaries

from g2g.core.problems import Problem, ReadError
from g2g.core.safe_files import check_office_file

from .draft import PlanDraft
from .text_reader import Line, plan_from_lines

MAX_LINES = 50_000  # rows and paragraphs in one plan; the largest real plans have a few hundred
MAX_COLUMNS = 100  # cells read from a spreadsheet row; plans use a dozen


def read_docx_plan(
    data: bytes, *, source: str, progress_period: date | None = None, **options: Any
) -> PlanDraft:
    """A Word plan: its paragraphs and tables, in the order they appear."""
    check_office_file(source, data, "docx")
    walker = _parse(source, "a Word document", lambda: docx_walk(data))
    problems = [
        Problem(f"{source}, {place}", _TEXT_BOX_MESSAGE) for place in walker.text_boxes[:50]
    ]
    return plan_from_lines(
        walker.lines,
        source=source,
        progress_period=progress_period,
        problems=problems,
        **options,
    )


_TEXT_BOX_MESSAGE = (
    "holds a text box: its text is not read (text boxes float over the page, apart from the "
    "plan's order); move the text into the document or a table and import it again"
)


def read_xlsx_plan(
    data: bytes, *, source: str, progress_period: date | None = None, **options: Any
) -> PlanDraft:
    """An Excel plan: every visible sheet in order, each starting with its name as a heading."""
    check_office_file(source, data, "xlsx")
    lines = _parse(source, "an Excel workbook", lambda: xlsx_lines(data))
    return plan_from_lines(lines, source=source, progress_period=progress_period, **options)


def read_csv_plan(
    data: bytes, *, source: str, progress_period: date | None = None, **options: Any
) -> PlanDraft:
    """A plan saved as CSV: UTF-8, or Windows-1252 as Excel on Windows writes it."""
    text, encoding = decode_csv(source, data)
    lines = _parse(source, "a CSV file", lambda: csv_lines(text))
    draft = plan_from_lines(lines, source=source, progress_period=progress_period, **options)
    if encoding != "utf-8":
        message = f"is not UTF-8: read as {encoding}; check letters such as é and symbols such as £"
        draft.problems.insert(0, Problem(source, message))
    return draft


class _TooLong(Exception):
    """More lines than any plan has: stop reading before they fill the memory."""


def _parse(source: str, what: str, parse: Callable[[], Any]) -> Any:
    """Run a parser, turning its many ways of failing on a damaged file into one message."""
    try:
        lines = parse()
        _check_length(lines if isinstance(lines, list) else lines.lines)
    except _TooLong as error:
        message = f"has more than {MAX_LINES:,} rows and paragraphs; is it really a plan?"
        raise ReadError([Problem(source, message)]) from error
    except Exception as error:  # python-docx, openpyxl, lxml and csv each fail their own way
        detail = str(error)[:200] or type(error).__name__
        message = f"cannot be read as {what} ({detail}); open it, save it again and import that"
        raise ReadError([Problem(source, message)]) from error
    return lines


def _check_length(lines: list[Line]) -> None:
    if len(lines) > MAX_LINES:
        raise _TooLong


def _add(lines: list[Line], line: Line) -> None:
    """Keep one blank Line for a run of them: a gap is a gap, however wide."""
    if not (line.is_blank and lines and lines[-1].is_blank):
        lines.append(line)


# ---------------------------------------------------------------------------------------------
# Word

_P, _TBL, _SDT = qn("w:p"), qn("w:tbl"), qn("w:sdt")
# Text of a paragraph, tracked insertions included (python-docx's Paragraph.text skips them),
# deletions and the duplicated text of text boxes left out.
_RUN_TEXT = (
    ".//w:r[not(ancestor::w:txbxContent or ancestor::w:moveFrom)]"
    "/*[self::w:t or self::w:tab or self::w:br or self::w:cr]"
)
_PAGE_BREAK = (
    "./w:pPr/w:pageBreakBefore[not(@w:val='0' or @w:val='false' or @w:val='off')]"
    " | .//w:br[@w:type='page'] | .//w:lastRenderedPageBreak"
)
_STARTS_PAGE = f"{_PAGE_BREAK} | .//w:t"  # the first of these, in document order, decides
_LIST_STYLES = ("List Bullet", "List Number")


def docx_lines(data: bytes) -> list[Line]:
    """The lines of a Word document's body."""
    return docx_walk(data).lines


def docx_walk(data: bytes) -> _DocxWalker:
    """A Word document's body walked once: its lines, and where its text boxes are."""
    document = docx.Document(io.BytesIO(data))
    walker = _DocxWalker(_list_style_ids(document), _Numbering(document), _heading_styles(document))
    walker.walk(document.element.body)
    return walker


_HEADING_STYLE = re.compile(r"(?i)^heading\s*([1-9])$")


def _heading_styles(document: Any) -> dict[str, tuple[int, Any]]:
    """Paragraph styles that make a heading: style id → (level, the style's own numbering)."""
    found: dict[str, tuple[int, Any]] = {}
    for style in document.styles:
        if style.type != WD_STYLE_TYPE.PARAGRAPH:
            continue
        match = _HEADING_STYLE.match(style.name or "")
        properties = style.element.pPr
        outline = properties.find(qn("w:outlineLvl")) if properties is not None else None
        level = int(match[1]) if match else None
        if level is None and outline is not None and (outline.get(qn("w:val")) or "").isdigit():
            level = int(outline.get(qn("w:val"))) + 1 if int(outline.get(qn("w:val"))) < 9 else None
        numbering = properties.numPr if properties is not None else None
        if level is not None or numbering is not None:
            found[style.style_id] = (level, numbering)
    return found


class _Numbering:
    """The numbers Word draws before numbered paragraphs ("1.", "2.3", "a)"), which are not in
    the text: counted as Word counts them, per list, from the document's numbering part."""

    _FORMATS = {"decimal", "decimalZero", "lowerLetter", "upperLetter", "lowerRoman", "upperRoman"}

    def __init__(self, document: Any) -> None:
        self.lists: dict[str, tuple[str, dict[int, int]]] = {}  # numId → (abstract id, starts)
        self.levels: dict[str, dict[int, tuple[int, str, str]]] = {}  # start, format, text
        self.counters: dict[str, dict[int, int]] = {}  # per abstract list: level → count
        self.restarted: set[str] = set()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.findall(qn("w:abstractNum"))[:1000]:
            levels = {}
            for lvl in abstract.findall(qn("w:lvl"))[:9]:
                levels[_int(lvl.get(qn("w:ilvl")))] = (
                    _int(_val(lvl, "w:start"), 1),
                    _val(lvl, "w:numFmt") or "decimal",
                    _val(lvl, "w:lvlText") or "",
                )
            self.levels[abstract.get(qn("w:abstractNumId")) or ""] = levels
        for num in root.findall(qn("w:num"))[:10_000]:
            starts = {}
            for override in num.findall(qn("w:lvlOverride")):
                start = _val(override, "w:startOverride")
                if start is not None:
                    starts[_int(override.get(qn("w:ilvl")))] = _int(start, 1)
            self.lists[num.get(qn("w:numId")) or ""] = (_val(num, "w:abstractNumId") or "", starts)

    def label(self, num_id: str, level: int) -> str | None:
        """The next number of list `num_id` at `level` as Word shows it, '•' for a bullet, None
        for no number; deeper levels start again, as in Word."""
        if num_id not in self.lists or not 0 <= level <= 8:
            return None
        abstract, starts = self.lists[num_id]
        levels = self.levels.get(abstract, {})
        if level not in levels:
            return None
        counters = self.counters.setdefault(abstract, {})
        if num_id not in self.restarted and starts:  # "restart numbering" starts a new list
            self.restarted.add(num_id)
            counters.clear()
        start, number_format, text = levels[level]
        counters[level] = counters.get(level, starts.get(level, start) - 1) + 1
        for deeper in [key for key in counters if key > level]:
            del counters[deeper]
        if number_format == "bullet":
            return "•"
        if number_format not in self._FORMATS:
            return None
        for index in range(level + 1):
            if f"%{index + 1}" in text:
                value = counters.get(index, levels.get(index, (1, "decimal", ""))[0])
                kind = levels.get(index, (1, "decimal", ""))[1]
                text = text.replace(f"%{index + 1}", _formatted(value, kind))
        return text.strip() or None


def _val(element: Any, tag: str) -> str | None:
    child = element.find(qn(tag))
    return child.get(qn("w:val")) if child is not None else None


def _int(text: str | None, default: int = 0) -> int:
    return int(text) if text and text.isdigit() and len(text) < 6 else default


def _formatted(value: int, kind: str) -> str:
    if kind in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter.upper() if kind == "upperLetter" else letter
    if kind in ("lowerRoman", "upperRoman"):
        roman = _roman(value)
        return roman.upper() if kind == "upperRoman" else roman
    return f"{value:02d}" if kind == "decimalZero" else str(value)


def _roman(value: int) -> str:
    numerals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc")]
    numerals += [(50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for size, letters in numerals:
        while value >= size and len(out) < 20:
            out += letters
            value -= size
    return out


def _list_style_ids(document: Any) -> set[str]:
    """Paragraph styles that make a bulleted or numbered list item."""
    ids = set()
    for style in document.styles:
        if style.type != WD_STYLE_TYPE.PARAGRAPH:
            continue
        numbered = style.element.pPr is not None and style.element.pPr.numPr is not None
        if numbered or (style.name or "").startswith(_LIST_STYLES):
            ids.add(style.style_id)
    return ids


def _paragraph_text(p: Any) -> str:
    """A paragraph's words as written, with its tabs and line breaks."""
    parts = []
    for element in p.xpath(_RUN_TEXT):
        if element.tag == qn("w:t"):
            parts.append(element.text or "")
        else:
            parts.append("\t" if element.tag == qn("w:tab") else "\n")
    return "".join(parts)


def _starts_page(p: Any) -> bool:
    """A paragraph whose first content is a page break starts a new page."""
    first = next(iter(p.xpath(_STARTS_PAGE)), None)
    return first is not None and first.tag != qn("w:t")


class _DocxWalker:
    """Walks the body once, in order, numbering paragraphs and tables for each Line's place."""

    def __init__(
        self,
        list_styles: set[str],
        numbering: _Numbering | None = None,
        headings: dict[str, tuple[int, Any]] | None = None,
    ) -> None:
        self.list_styles = list_styles
        self.numbering = numbering
        self.headings = headings or {}
        self.lines: list[Line] = []
        self.text_boxes: list[str] = []  # places of paragraphs holding a text box with text
        self.paragraphs = 0
        self.tables = 0

    def walk(self, container: Any) -> None:
        for child in container.iterchildren():
            if child.tag == _P:
                self.paragraph(child)
            elif child.tag == _TBL:
                self.table(child)
            elif child.tag == _SDT:  # a content control wraps paragraphs and tables
                for content in child.iterchildren(qn("w:sdtContent")):
                    self.walk(content)

    def paragraph(self, p: Any) -> None:
        """A text Line, with its heading level and list number when it has them; a blank Line
        before it when it is empty or holds a page break."""
        _check_length(self.lines)
        self.paragraphs += 1
        place = f"paragraph {self.paragraphs}"
        self.note_text_boxes(p, place)
        text = " ".join(_paragraph_text(p).split())
        if not text or p.xpath(_PAGE_BREAK):
            _add(self.lines, Line(place, ""))
        if not text:
            return
        heading, numbering = self.headings.get(p.style or "", (None, None))
        own = p.pPr.numPr if p.pPr is not None else None
        label, list_level = self.number(own if own is not None else numbering)
        if label == "•":
            text, list_level = f"• {text}", None
        elif label:
            text = f"{label} {text}"
        _add(self.lines, Line(place, text, heading=heading, list_level=list_level))

    def number(self, numbering: Any) -> tuple[str | None, int | None]:
        """The list number Word draws before a paragraph, and its list level."""
        if numbering is None or self.numbering is None or numbering.numId is None:
            return None, None
        num_id = str(numbering.numId.val)
        level = numbering.ilvl.val if numbering.ilvl is not None else 0
        if num_id == "0":  # numbering 0 means "no numbering"
            return None, None
        return self.numbering.label(num_id, int(level)), int(level)

    def note_text_boxes(self, element: Any, place: str) -> None:
        if len(self.text_boxes) < 50 and any(
            (t.text or "").strip() for t in element.xpath(".//w:txbxContent//w:t")
        ):
            self.text_boxes.append(place)

    def table(self, tbl: Any) -> None:
        """A blank Line (a table starts after a gap), then a row Line per table row, with a
        blank Line before a row that starts a new page: it may be the rest of the one above."""
        self.tables += 1
        _add(self.lines, Line(f"table {self.tables}", ""))
        for number, tr in enumerate(tbl.xpath("./w:tr | ./w:sdt/w:sdtContent/w:tr"), 1):
            _check_length(self.lines)
            place = f"table {self.tables}, row {number}"
            self.note_text_boxes(tr, place)
            cells = self.row_cells(tr)
            if number > 1 and any(_starts_page(p) for p in tr.xpath("./w:tc/w:p[1]")):
                _add(self.lines, Line(place, ""))
            _add(self.lines, Line(place, "\t".join(cells), cells))

    def row_cells(self, tr: Any) -> tuple[str, ...]:
        """One cell per cell as Word draws it, so columns line up with the header: a cell
        merged across columns counts once, and the lower parts of a cell merged down the rows
        are empty (the text belongs to the row where the merge starts, like an objective
        that "continues")."""
        cells = [""] * tr.grid_before  # a row that starts late
        for tc in tr.xpath("./w:tc | ./w:sdt/w:sdtContent/w:tc"):
            cells.append("" if tc.vMerge == "continue" else self.cell_text(tc))
        return tuple(cells)

    def cell_text(self, tc: Any) -> str:
        """The cell's paragraphs, one per line; list items as '• item'."""
        parts = []
        for p in tc.xpath(".//w:p[not(ancestor::w:txbxContent)]"):
            lines = [" ".join(line.split()) for line in _paragraph_text(p).split("\n")]
            text = "\n".join(line for line in lines if line)  # a line break is a new line
            if text:
                parts.append(f"• {text}" if self.is_list_item(p) else text)
        return "\n".join(parts)

    def is_list_item(self, p: Any) -> bool:
        properties = p.pPr
        if properties is None:
            return False
        numbering = properties.numPr
        if numbering is not None and numbering.numId is not None:
            return numbering.numId.val != 0  # numbering 0 means "no numbering"
        return properties.style in self.list_styles


# ---------------------------------------------------------------------------------------------
# Excel and CSV: rows of cells

# Tab names that say what the workbook is rather than what the sheet holds: not a heading.
_DEFAULT_SHEET_NAME = re.compile(r"(?i)sheet\s*\d*|(?:improvement\s+|action\s+)?plan|tracker")
# A text cell that `core.spreadsheets.safe_cell` kept from being run as a formula: "'=…".
_NEUTRALISED_FORMULA = re.compile(r"'(?=[=+\-@\t\r])")
_BRACKETS = re.compile(r"\[[^\]]*\]")  # colours and locales in a number format: [Red], [$-809]


def xlsx_lines(data: bytes) -> list[Line]:
    """The lines of every visible sheet, read as a stream (openpyxl's read-only mode)."""
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        lines: list[Line] = []
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            for sheet in workbook.worksheets:
                if sheet.sheet_state == "visible":  # hidden sheets hold lookups, not the plan
                    _sheet_lines(sheet, lines, _merged_down(package, sheet))
                    _check_length(lines)
        return lines
    finally:
        workbook.close()


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s[^>]*?ref=\"([A-Z]{1,3}\d{1,7}):([A-Z]{1,3}\d{1,7})\"")
MAX_MERGED_CELLS = 100_000  # cells covered by merges down the rows, over a sheet


def _merged_down(package: zipfile.ZipFile, sheet: Any) -> dict[tuple[int, int], tuple[int, int]]:
    """Cells covered by a merge that runs down one column, each to the top cell holding the
    text: read-only openpyxl does not say which cells are merged, so the sheet's own list of
    merges is read (the part was checked by safe_files: XML, at most 10 MB). A priority or a
    lead merged over several actions then belongs to each of them."""
    path = getattr(sheet, "_worksheet_path", "")
    if path not in package.namelist():
        return {}
    covered: dict[tuple[int, int], tuple[int, int]] = {}
    for first, last in _MERGE.findall(package.read(path)):
        left, top, right, bottom = range_boundaries(f"{first.decode()}:{last.decode()}")
        if bottom == top or right != left or len(covered) + bottom - top > MAX_MERGED_CELLS:
            continue  # across (the first cell is a heading), or far beyond any plan
        for row in range(top + 1, bottom + 1):
            covered[(row, left)] = (top, left)
    return covered


def _sheet_lines(
    sheet: Any, lines: list[Line], merged: dict[tuple[int, int], tuple[int, int]]
) -> None:
    """A sheet's name is a heading line (a tab named "Priority 1 Quality of Practice" starts
    that priority), unless Excel named it "Sheet1"; then a gap, then its rows. A cell covered
    by a merge down the rows reads as the merge's top cell."""
    sheet.reset_dimensions()  # trust the rows, not the size the file claims for itself
    title = f"sheet '{sheet.title}'"
    if not _DEFAULT_SHEET_NAME.fullmatch(sheet.title):
        _add(lines, Line(title, sheet.title.strip()))
    _add(lines, Line(title, ""))
    empty = None  # openpyxl hands over one shared row for all the rows a file leaves out
    tops: dict[tuple[int, int], str] = {}  # the text of each merge's top cell
    for number, row in enumerate(sheet.iter_rows(max_col=MAX_COLUMNS), 1):
        texts = [_cell_text(cell) for cell in row] if row is not empty else []
        for column, text in enumerate(texts, 1):
            if (number, column) in merged:
                texts[column - 1] = tops.get(merged[(number, column)], "")
            elif merged and text:
                tops[(number, column)] = text
        if not any(texts):
            if row is not empty and all(cell.value is None for cell in row):
                empty = row  # a tiny file claiming a million rows reads quickly
            if not lines[-1].is_blank:
                lines.append(Line(f"{title}, row {number}", ""))
            continue
        _add(lines, row_line(f"{title}, row {number}", texts))
        if number % 10_000 == 0:
            _check_length(lines)


def row_line(place: str, cells: Sequence[str]) -> Line:
    """A spreadsheet row as a Line: trailing empty cells dropped, and a row whose only cell is
    the first one is text, because trackers put headings in a first cell merged across."""
    kept = list(cells)
    while kept and not kept[-1]:
        kept.pop()
    if len(kept) <= 1:
        return Line(place, kept[0] if kept else "")
    return Line(place, "\t".join(kept), tuple(kept))


def _cell_text(cell: Any) -> str:
    """A cell as the text its reader sees; dates in words so the timescale parser reads them."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, date):  # datetimes too
        month_only = "d" not in _BRACKETS.sub("", cell.number_format or "").lower()
        return f"{value:%B %Y}" if month_only else f"{value.day} {value:%B %Y}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unneutralise(str(value).replace("\r\n", "\n").strip())


def unneutralise(text: str) -> str:
    """The text a spreadsheet export wrote, without the apostrophe put before a leading = + - @
    so that spreadsheets show it rather than run it (an exported plan reads back as it was)."""
    return _NEUTRALISED_FORMULA.sub("", text, count=1) if text.startswith("'") else text


def decode_csv(source: str, data: bytes) -> tuple[str, str]:
    """The text of a CSV file and its encoding: UTF-8 (with or without a byte-order mark), else
    Windows-1252, which is what Excel on Windows saves as "CSV"."""
    if b"\x00" in data:
        raise ReadError([Problem(source, "is a binary file, not a CSV file")])
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "Windows-1252 (cp1252)"


def csv_lines(text: str) -> list[Line]:
    """The rows of a CSV file, with the same rules as a spreadsheet's rows."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    lines: list[Line] = []
    for number, row in enumerate(reader, 1):
        _add(lines, row_line(f"row {number}", [cell.replace("\r\n", "\n").strip() for cell in row]))
        if number % 10_000 == 0:
            _check_length(lines)
    return lines


def _delimiter(text: str) -> str:
    """Comma, semicolon (Excel in much of Europe), tab or bar, guessed from the start of the
    file; only the delimiter is taken from the guess, the quoting rules stay Excel's."""
    try:
        return csv.Sniffer().sniff(text[:4096], delimiters=",;\t|").delimiter
    except csv.Error:
        return ","
