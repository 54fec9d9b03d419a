"""PDF plans: each page's tables and text become `Line`s for the one mapper.

Councils publish their plans as PDF, saved from Word or Excel: tables with ruled cells, headings
between them, a repeated header row on each page and rows that run on over a page break. The
table extractor is pdfplumber (MIT, on pdfminer.six): it finds each table from its ruling lines
and the cells from where those lines cross. Each page becomes, top to bottom:

- a blank Line (a page break: the mapper joins a row split over it again);
- each line of text outside the tables as a text Line ("page 3, line 2");
- each table row as a row Line of its cells ("page 3, table 1, row 4"), the wrapped lines of a
  cell joined again, its paragraphs and "• bullets" one per line, as Word's reader gives them.

Running headers and footers (page numbers, a title repeated at the top of every page) are left
out. The file has passed `core.safe_files` (no scripts, no attachments); `core.pdf_files` opens
it within the bounds of a plan, and the pages' characters and drawings are counted as they are
read, so a hostile PDF is refused within the time and memory a request may take
(docs/security.md #4). Only `ReadError` leaves this module.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from datetime import date
from typing import Any, NoReturn

import pdfplumber

from g2g.core.pdf_files import Bounds, open_pdf
from g2g.core.problems import Problem, ReadError

from .draft import PlanDraft
from .text_reader import Line, plan_from_lines

PLAN = Bounds(
    what="a plan", max_pages=120, max_content_bytes=768 * 1024, max_resource_bytes=16 * 1024 * 1024
)
# What reading may cost, counted as pages are read: each character, and each ruled line, box
# or curve (table finding compares them) as six characters. 100,000 takes about 3 s on the test
# machine; a 16-page plan costs 53,000 (41,000 characters, 1,900 lines and boxes).
MAX_WORK = 100_000
DRAWING_WORK = 6
MAX_PAGE_CHARS = 12_000  # a dense landscape page of a plan has about 5,000
MAX_PAGE_DRAWINGS = 2_000  # a page of a plan table has a few hundred
_TABLE_SETTINGS = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_BULLET_GLYPHS = "•●▪◦■◼◾\uf0b7\uf0a7\uf076\uf0d8\uf06e\uf0a8\u2023\u25aa\u25cf\u2043"
_BULLET = re.compile(rf"^\s*[{_BULLET_GLYPHS}]\s*")

logging.getLogger("pdfminer").setLevel(logging.ERROR)  # it warns about every odd font


def read_pdf_plan(
    data: bytes, *, source: str, progress_period: date | None = None, **options
) -> PlanDraft:
    """A PDF plan: its pages' text and tables, in reading order, through the one mapper."""
    lines = pdf_lines(data, source)
    return plan_from_lines(lines, source=source, progress_period=progress_period, **options)


def pdf_lines(data: bytes, source: str) -> list[Line]:
    """The Lines of a PDF; `ReadError` for one that is not safe or not readable."""
    with open_pdf(data, source, PLAN) as checked:
        pages = _read_pages(checked.data, checked.pages, source)
    if not any(line.text.strip() for page in pages for line in page):
        raise ReadError(
            [
                Problem(
                    source, "the PDF has no text layer (a scanned image?), so nothing can be read"
                )
            ]
        )
    lines: list[Line] = []
    furniture = _furniture(pages)
    for number, page in enumerate(pages, 1):
        lines.append(Line(f"page {number}", ""))
        lines.extend(
            line
            for line in page
            if line.cells is not None or _furniture_key(line.text) not in furniture
        )
    return lines


def _read_pages(data: bytes, count: int, source: str) -> list[list[Line]]:
    work = 0
    pages: list[list[Line]] = []
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for number in range(1, count + 1):
                page = pdf.pages[number - 1]
                try:
                    work += _check_page(page, number, source)
                    if work > MAX_WORK:
                        _refuse(source, _TOO_MUCH)
                    pages.append(_page_lines(page, number))
                finally:
                    page.close()
    except ReadError:
        raise
    except Exception as error:  # pdfminer fails its own many ways on damaged files
        detail = str(error)[:200] or type(error).__name__
        message = f"cannot be read as a PDF ({detail}); open it, save it again and import that"
        raise ReadError([Problem(source, message)]) from error
    return pages


_TOO_MUCH = (
    "holds more text and drawing than a plan this reader can take (about 30 pages of tables); "
    "import the Word or Excel file it was saved from, or split it"
)


def _refuse(source: str, message: str) -> NoReturn:
    raise ReadError([Problem(source, message)])


def _check_page(page: Any, number: int, source: str) -> int:
    """What reading the page costs, counted before any table is looked for."""
    chars = len(page.chars)
    if chars > MAX_PAGE_CHARS:
        _refuse(
            f"{source}, page {number}", f"holds {chars:,} characters; a plan page holds far fewer"
        )
    drawings = len(page.rects) + len(page.lines) + len(page.curves)
    if drawings > MAX_PAGE_DRAWINGS:
        _refuse(
            f"{source}, page {number}",
            f"holds {drawings:,} lines and boxes; a plan page holds far fewer",
        )
    return chars + DRAWING_WORK * drawings


# ---------------------------------------------------------------------------------------------
# One page: tables and the text around them, top to bottom


def _page_lines(page: Any, number: int) -> list[Line]:
    tables = page.find_tables(_TABLE_SETTINGS)
    words = page.extract_words(keep_blank_chars=False, use_text_flow=False, x_tolerance=1.5)
    boxes = [table.bbox for table in tables]
    inside: list[list[dict]] = [[] for _ in tables]
    outside: list[dict] = []
    for word in words:
        found = _containing(boxes, word)
        (outside if found is None else inside[found]).append(word)
    items: list[tuple[float, int, list[Line]]] = []
    for index, (table, table_words) in enumerate(zip(tables, inside, strict=True), 1):
        rows = _table_rows(table, table_words, f"page {number}, table {index}")
        items.append((table.bbox[1], 1, rows))
    for top, line in _text_lines(outside, number):
        items.append((top, 0, [line]))
    items.sort(key=lambda item: (item[0], item[1]))
    return [line for _top, _kind, lines in items for line in lines]


def _center(word: dict) -> tuple[float, float]:
    return (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2


def _containing(boxes: list[tuple], word: dict) -> int | None:
    x, y = _center(word)
    for index, (x0, top, x1, bottom) in enumerate(boxes):
        if x0 <= x <= x1 and top <= y <= bottom:
            return index
    return None


def _text_lines(words: list[dict], number: int) -> list[tuple[float, Line]]:
    """Words outside tables as lines of text, each with where it is on the page."""
    lines = _group_lines(words)
    return [
        (line[0]["top"], Line(f"page {number}, line {count}", _clean(_words_text(line))))
        for count, line in enumerate(lines, 1)
    ]


def _group_lines(words: list[dict]) -> list[list[dict]]:
    """Words on the same baseline (within a third of their height), left to right."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines:
            last = lines[-1][-1]
            height = max(1.0, last["bottom"] - last["top"])
            if abs(word["top"] - last["top"]) <= height / 3:
                lines[-1].append(word)
                continue
        lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _words_text(words: list[dict]) -> str:
    return " ".join(word["text"] for word in words)


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("\xad", "")
    return _BULLET.sub("• ", text, count=1)


def _table_rows(table: Any, words: list[dict], place: str) -> list[Line]:
    """A row Line for each of the table's rows: the words inside each cell's box."""
    rows = [row for row in table.rows]
    lines: list[Line] = []
    tops = [row.bbox[1] for row in rows]
    per_cell: dict[tuple[int, int], list[dict]] = {}
    for word in words:
        x, y = _center(word)
        row_index = bisect_right(tops, y) - 1
        if row_index < 0:
            continue
        for column, cell in enumerate(rows[row_index].cells):
            if cell is not None and cell[0] <= x <= cell[2] and cell[1] <= y <= cell[3]:
                per_cell.setdefault((row_index, column), []).append(word)
                break
    for row_index, row in enumerate(rows):
        drawn = len(row.cells)
        while drawn and row.cells[drawn - 1] is None:  # a row that ends before the table's edge
            drawn -= 1
        cells = tuple(_cell_text(per_cell.get((row_index, column), [])) for column in range(drawn))
        lines.append(Line(f"{place}, row {row_index + 1}", "\t".join(cells), cells))
    return lines


def _cell_text(words: list[dict]) -> str:
    """A cell's wrapped lines joined again: a new line only for a new paragraph (a gap wider
    than the lines' spacing) or a bullet point, as a person typed it."""
    lines = _group_lines(words)
    paragraphs: list[str] = []
    previous: list[dict] | None = None
    for line in lines:
        text = _clean(_words_text(line))
        gap = line[0]["top"] - previous[0]["bottom"] if previous else 0.0
        height = line[0]["bottom"] - line[0]["top"]
        new = previous is None or text.startswith("• ") or gap > 0.6 * max(height, 1.0)
        if new or not paragraphs:
            paragraphs.append(text)
        else:
            glue = "" if paragraphs[-1].endswith("-") and paragraphs[-1][-2:-1].isalpha() else " "
            paragraphs[-1] = f"{paragraphs[-1]}{glue}{text}"
        previous = line
    return "\n".join(paragraphs)


# ---------------------------------------------------------------------------------------------
# Page furniture


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _furniture(pages: list[list[Line]]) -> set[str]:
    """Page numbers, and text lines at the top or bottom of pages that repeat on many pages
    (digits ignored): running headers and footers, not the plan."""
    keys = {"#", "page #", "page # of #", "# of #", "#/#", "# / #"}
    if len(pages) < 3:
        return keys
    seen: Counter[str] = Counter()
    for page in pages:
        texts = [line.text for line in page if line.cells is None and line.text.strip()]
        seen.update({_furniture_key(text) for text in texts[:2] + texts[-2:]})
    least = max(3, len(pages) * 2 // 5)
    return keys | {key for key, count in seen.items() if count >= least}
