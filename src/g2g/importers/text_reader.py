"""Read the "text layout" of a council improvement plan into a `PlanDraft`.

The text layout is what document converters produce: every table row is one line of
TAB-separated cells (cells may hold HTML fragments), other lines are headings and paragraphs,
and blank lines mark page breaks. Page breaks split table rows and drop cells, so rows are
realigned by their timescale and rejoined before they become actions.

Readers turn a file into rows; one mapper turns rows into the plan. `split_lines` is the text
layout's reader; `office_readers` makes the same `Line`s from Word, Excel and CSV files, and
`plan_from_lines` (the mapper) walks them whatever their source.

The pipeline, one small step each:
    lines → classify (blank / text / row) → tables with headers → aligned rows
          → merged rows → PlanDraft
Anything odd but readable becomes a `Problem` next to the data we kept; only a file with no
plan in it at all raises `PlanImportError`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser

from .draft import (
    ActionDraft,
    FocusAreaDraft,
    MeasureDraft,
    PlanDraft,
    PlanImportError,
    PostHolderDraft,
    PriorityDraft,
    Problem,
    ProgressDraft,
    RatingDefinitionDraft,
)
from .targets import target_measures
from .timescales import looks_like_timescale, parse_month, parse_timescale, split_timescale

NO_PLAN_MESSAGE = (
    "no plan table found: expected a header row with columns such as Actions, Lead, Timescale"
)
TITLE_LIMIT = 150  # characters in an action title
LEAD_LIMIT = 90  # a cell longer than this is action text, not a post title

# ---------------------------------------------------------------------------------------------
# Column headers


_COLUMN_NAMES = {
    "ref": ("ref", "reference", "no", "number", "ref no", "action ref", "action no"),
    "objective": ("objectives to create change", "objective", "objectives"),
    "action": ("actions", "action", "what we will do", "key actions"),
    "evidence_of_success": (
        "evidence of success",
        "how will we know",
        "measures of success",
        "success criteria",
    ),
    "lead": ("lead", "leads", "lead officer", "lead officers", "owner", "responsible officer"),
    "timescale": ("timescale", "timescales", "deadline", "by when", "timeframe"),
    "start": ("start date", "start"),
    "end": ("end date", "end", "due date", "completion date"),
    "children_will_say": ("what our children will say", "what children will say"),
    "progress": ("progress", "progress update", "update"),
    "action_rating": ("rag", "action rag", "brag", "status", "progress rag", "rag rating"),
    "impact_rating": ("impact rag", "impact rating", "impact brag"),
}
_HEADER_TO_COLUMN = {name: key for key, names in _COLUMN_NAMES.items() for name in names}
_MONTH_WORDS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_TRAILING_DATE = re.compile(rf"(?:\s+(?:(?:{_MONTH_WORDS})[a-z]*|\d{{1,4}}|q[1-4]))+$", re.ASCII)


def _normalise(header: str) -> str:
    """Lower case, no punctuation: 'Lead(s)' and 'lead' compare equal."""
    text = header.lower().replace("(s)", "").replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text, flags=re.ASCII).split())


def match_column(header: str) -> str | None:
    """The plan field a column header means, by its words: 'How will we know?' is
    evidence_of_success. Shared by every reader so all formats agree on the vocabulary."""
    name = _normalise(header)
    if name in _HEADER_TO_COLUMN:
        return _HEADER_TO_COLUMN[name]
    undated = _TRAILING_DATE.sub("", name)  # "Progress update Aug 19"
    return _HEADER_TO_COLUMN.get(undated) if undated != name else None


# ---------------------------------------------------------------------------------------------
# Cell text: HTML fragments and inline bullets become plain text

_BULLET_SPLIT = re.compile(r"\s*[•●▪◦]\s*")
_HTML_TAG = re.compile(r"</?(?:p|ul|ol|li|br|div|span|strong|em|b|i|u)\b[^>]*>", re.IGNORECASE)
_BLOCK_TAGS = {"p", "div", "ul", "ol", "li", "br"}


def _items(text: str, *, in_list: bool = False) -> list[tuple[str, str]]:
    """Split one run of text into ('para'|'bullet', text) items at inline '•' bullets."""
    text = " ".join(text.split())
    parts = _BULLET_SPLIT.split(text)
    items = [("bullet" if in_list else "para", parts[0])] if parts[0] else []
    return items + [("bullet", part) for part in parts[1:] if part]


def _join_items(items: list[tuple[str, str]]) -> str:
    """Paragraphs separated by a blank line; each bullet on its own line as '• item'."""
    out = ""
    previous = ""
    for kind, text in items:
        if out:
            out += "\n" if kind == previous == "bullet" else "\n\n"
        out += f"• {text}" if kind == "bullet" else text
        previous = kind
    return out


class _CellParser(HTMLParser):
    """Collects paragraph and bullet items from an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[tuple[str, str]] = []
        self._buffer: list[str] = []
        self._in_li = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag == "li":
            self._in_li = True

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self._flush()
        if tag == "li":
            self._in_li = False

    def handle_data(self, data: str) -> None:
        self._buffer.append(data)

    def close(self) -> None:
        super().close()
        self._flush()

    def _flush(self) -> None:
        self.items += _items("".join(self._buffer), in_list=self._in_li)
        self._buffer = []


_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});", re.IGNORECASE)
_BARE_AMPERSAND = re.compile(r"&(?!(?:#\d{1,7}|#x[0-9a-f]{1,6}|[a-z]{2,8});)", re.IGNORECASE)


def cell_to_text(cell: str) -> str:
    """Plain text of a cell, keeping its paragraphs and bullet lists.

    Text-layout cells hold HTML fragments and inline '•' bullets; Word and Excel cells hold
    one paragraph or '• bullet' per line instead. Both come out the same.
    """
    if not _HTML_TAG.search(cell):  # only whole entities: "C&YP" and "R&D" stay as written
        text = _ENTITY.sub(lambda m: html.unescape(m[0]), cell)
        return _join_items([item for part in text.split("\n") for item in _items(part)])
    parser = _CellParser()
    try:
        parser.feed(_BARE_AMPERSAND.sub("&amp;", cell))
        parser.close()
    except AssertionError:  # html.parser's answer to some malformed declarations
        return _join_items(_items(_HTML_TAG.sub(" ", cell)))
    return _join_items(parser.items)


# ---------------------------------------------------------------------------------------------
# Cell meanings: leads, sources, titles, ratings

_LEAD_STARTER = re.compile(
    r"\b(?:AD|DCS|SLT|DMT|Head of|Assistant Director|Managing Director|Director of|Director"
    r"|Chair of|Lead Member|Chief Executive)\b"
)
# A starter after these words continues the same post: "Chief Executive and Managing Director".
_NOT_AFTER = {"assistant", "managing", "deputy", "interim", "acting", "and", "&", "of", "the"}


def split_leads(text: str) -> list[str]:
    """Lead posts in a cell: one per paragraph, and space-joined posts split before each post
    title ('DCS SLT Head of Improvement' is three leads)."""
    leads: list[str] = []
    for line in re.split(r"[\n;]+", text):
        line = line.strip(" •")
        cuts = [0]
        for match in _LEAD_STARTER.finditer(line):
            before = line[: match.start()].split()
            if before and before[-1].lower() not in _NOT_AFTER:
                cuts.append(match.start())
        for begin, end in zip(cuts, [*cuts[1:], len(line)], strict=True):
            lead = line[begin:end].strip(" ,/")
            if lead and lead not in leads:
                leads.append(lead)
    return leads


_SOURCE_CODE = re.compile(r"(?<![\w&])([A-Z]{2,6}\d*(?:&\d+)?)[\s,.]*$")
_KNOWN_SOURCES = {"ILAC", "ILACS", "JTAI", "FV"}


def _is_source_code(code: str) -> bool:
    """Recommendation codes carry a number (FV1, ILAC19&21) or are a known inspection name;
    this keeps ordinary acronyms such as 'SEND' in the text."""
    return code in _KNOWN_SOURCES or any(ch.isdigit() for ch in code)


def _trailing_codes(paragraph: str) -> tuple[str, list[str]]:
    body, codes = paragraph.rstrip(), []
    while (match := _SOURCE_CODE.search(body)) and _is_source_code(match[1]):
        codes.insert(0, match[1])
        body = body[: match.start()].rstrip(" ,")
    return body, codes


def extract_sources(text: str) -> tuple[str, list[str]]:
    """Recommendation codes ('ILAC, FV1') that end a paragraph or stand alone are the
    action's sources: return the text without them, and the codes in order."""
    kept, sources = [], []
    for paragraph in text.split("\n\n"):
        if not paragraph.startswith("•"):
            paragraph, codes = _trailing_codes(paragraph)
            sources += [code for code in codes if code not in sources]
        if paragraph:
            kept.append(paragraph)
    return "\n\n".join(kept), sources


_SENTENCE = re.compile(r"(.+?[.!?])(?=\s+[A-Z0-9\"'“(]|$)")


def make_title(text: str) -> str:
    """A short title: the first sentence, or the line before a bullet list, cut to fit."""
    first = text.split("\n\n")[0].split("\n")[0].lstrip("• ").strip()
    match = _SENTENCE.match(first)
    title = (match[1] if match else first).rstrip(" .;:,")
    if len(title) <= TITLE_LIMIT:
        return title
    cut = title[: TITLE_LIMIT - 1].rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


_RATINGS = {"blue": "blue", "b": "blue", "green": "green", "g": "green"}
_RATINGS |= {"amber": "amber", "a": "amber", "red": "red", "r": "red"}


def parse_rating(text: str) -> str | None:
    """'Green', 'G', 'AMBER' → the rating value; anything else → None."""
    return _RATINGS.get(_normalise(text))


_SMALL_WORDS = {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor"}
_SMALL_WORDS |= {"of", "on", "or", "the", "to", "with"}


def heading_case(text: str) -> str:
    """'QUALITY OF PRACTICE' → 'Quality of Practice'; mixed-case text is left alone."""
    if text != text.upper():
        return text
    words = text.lower().split()
    return " ".join(
        word if i and word in _SMALL_WORDS else word[:1].upper() + word[1:]
        for i, word in enumerate(words)
    )


# ---------------------------------------------------------------------------------------------
# Lines


@dataclass(frozen=True)
class Line:
    """One line of a document as every reader hands it over: a row of cells, or text.

    A blank line means a gap such as a page break. `place` says where the line came from
    ("line 214", "table 3, row 5", "sheet 'Plan', row 12") so problems can point at it.
    """

    place: str
    text: str
    cells: tuple[str, ...] | None = None  # None for text lines

    @property
    def is_blank(self) -> bool:
        return not any(self.cells) if self.cells is not None else not self.text.strip()


def split_lines(text: str) -> list[Line]:
    """The text layout's lines: a line holding tabs is a row of stripped cells, else text."""
    lines = []
    for number, raw in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        place = f"line {number}"
        if "\t" in raw:
            lines.append(Line(place, raw, tuple(cell.strip() for cell in raw.split("\t"))))
        else:
            lines.append(Line(place, raw.strip()))
    return lines


def _next_non_blank(lines: list[Line]) -> list[Line | None]:
    """For each line, the next line that is not blank (None at the end)."""
    following: list[Line | None] = []
    upcoming: Line | None = None
    for line in reversed(lines):
        following.append(upcoming)
        if not line.is_blank:
            upcoming = line
    return following[::-1]


def _looks_binary(text: str) -> bool:
    """NULs or many control / replacement characters: a binary file decoded as text."""
    if "\x00" in text:
        return True
    odd = sum(1 for ch in text if ch == "\ufffd" or (ch < " " and ch not in "\t\n\r\f\v"))
    return odd > len(text) / 100


def _is_separator(cells: tuple[str, ...]) -> bool:
    """'-----\t--\t--' rows are drawing of table rules, not data."""
    return all(not cell.strip("-–— ") for cell in cells)


def _plan_title(lines: list[Line]) -> tuple[str, str]:
    """The first short text lines, up to a heading such as 'Introduction' or the first priority,
    and where they end."""
    parts: list[str] = []
    last = lines[0].place if lines else "start"
    for line in lines:
        if line.is_blank:
            continue
        if line.cells is not None or len(line.text) > 80 or len(parts) >= 5:
            break
        if _normalise(line.text) in _SECTION_HEADINGS or _priority_heading(line.text):
            break
        parts.append(line.text)
        last = line.place
    return " ".join(parts), last


_SECTION_HEADINGS = {"introduction", "foreword", "contents", "table of contents", "background"}
_SECTION_HEADINGS |= {"context", "summary", "executive summary", "purpose", "overview"}
_PERIOD = re.compile(r"\b(?:19|20)\d{2}\s*[-–—/]\s*(?:(?:19|20)\d{2}|\d{2})\b")

# ---------------------------------------------------------------------------------------------
# Headings and small tables outside the plan

_NUMBERED_HEADING = re.compile(
    r"^(?:priority\s*)?(?P<number>\d{1,2})\s*[:.)–-]\s*(?P<title>\S.*)$", re.IGNORECASE
)
# A spreadsheet tab cannot hold ':', so a tab named "Priority 1 Quality of Practice" is a heading.
_PRIORITY_WORD_HEADING = re.compile(
    r"^priority\s*(?P<number>\d{1,2})(?!\d)\s+(?P<title>[^\W\d_].*)$", re.IGNORECASE
)
_PLAN_HEADING = re.compile(r"^[^:]{0,60}\bplan\s*:\s*(?P<title>\S.*)$", re.IGNORECASE)
_SPONSOR = re.compile(r"^(?:lead|sponsor|priority lead|lead officer)\s*:\s*(\S.*)$", re.I)
_FOCUS_AREA = re.compile(r"^FA\s?(\d{1,3})\s*[:.–-]\s*(\S.*)$", re.IGNORECASE)
_ACTION_IMPACT = re.compile(r"^\s*(?i:action)\s*:\s*(?P<action>.*?)\s*(?P<impact>Impact\b.*)$")


def _priority_heading(text: str) -> tuple[int | None, str] | None:
    """'1: QUALITY OF PRACTICE' or 'Ofsted Improvement Plan: Standards of Practice'."""
    match = (
        _NUMBERED_HEADING.match(text)
        or _PRIORITY_WORD_HEADING.match(text)
        or _PLAN_HEADING.match(text)
    )
    if not match:
        return None
    number = int(match["number"]) if "number" in match.groupdict() else None
    title = match["title"].strip()
    if len(title) > 80 or len(title.split()) > 10 or title.endswith("."):
        return None
    return number, heading_case(title)


def _rating_definition(cells: tuple[str, ...]) -> RatingDefinitionDraft | None:
    """A key row 'AMBER | Action: … Impact …'; one text serves for both when not split."""
    filled = [cell for cell in cells if cell]
    if len(filled) < 2 or _normalise(filled[0]) not in {"blue", "green", "amber", "red"}:
        return None
    text = cell_to_text(filled[1])
    match = _ACTION_IMPACT.match(text)
    action, impact = (match["action"], match["impact"]) if match else (text, text)
    impact = re.sub(r"^Impact\s*:\s*", "", impact)
    return RatingDefinitionDraft(_normalise(filled[0]), action.strip(), impact.strip())


def _column_of(cells: tuple[str, ...], names: set[str]) -> int | None:
    for index, cell in enumerate(cells):
        if _normalise(cell) in names:
            return index
    return None


_POST_NAMES = {"job title", "post", "role", "position"}
_HOLDER_NAMES = {"current post holder", "post holder", "postholder", "name", "current postholder"}
_FOCUS_NAMES = {"focus area", "focus areas"}
_REF_NAMES = {"action ref", "action refs", "action reference", "actions", "action"}
_MEASURE_NAMES = {"measure", "measures", "performance measure", "indicator", "kpi"}
_SOURCE_NAMES = {"data source", "source", "data sources"}
# Scorecard codes in a data source: "Scorecard - CIN10a", "Scorecard – SG8", "CIN 8", "WF6 - WF14"
_SCORECARD_CODE = re.compile(r"\b([A-Z]{2,4})\s?(\d{1,3}[a-z]?)\b")


# ---------------------------------------------------------------------------------------------
# Plan tables and rows


@dataclass
class _Table:
    """A plan table's header: the field each column holds, and its words for messages."""

    place: str
    keys: list[str | None]
    names: list[str]
    progress_period: date | None = None

    def index(self, key: str) -> int | None:
        return self.keys.index(key) if key in self.keys else None

    def name(self, key: str) -> str | None:
        """The header's own words for a column, for messages."""
        index = self.index(key)
        return self.names[index] if index is not None else None

    @property
    def anchor(self) -> int | None:
        """The timescale column (or start date column) that broken rows are aligned on."""
        found = self.index("timescale")
        return found if found is not None else self.index("start")


@dataclass
class _Row:
    place: str
    table: _Table
    cells: list[str]
    objective: str | None

    def get(self, key: str) -> str:
        index = self.table.index(key)
        return self.cells[index] if index is not None else ""


@dataclass
class _Priority:
    number: int | None
    title: str
    place: str
    sponsor: str | None = None
    rows: list[_Row] = field(default_factory=list)
    has_table: bool = False


_DANGLING = re.compile(r"(?:^|\s)(?:of|and|the|for|to|&)$", re.IGNORECASE)
_BARE_YEAR = re.compile(r"(?:19|20)?\d{2}")


def _is_header(cells: tuple[str, ...]) -> bool:
    keys = [match_column(cell) for cell in cells]
    return "action" in keys and sum(key is not None for key in keys) >= 3


def _two_columns(
    cells: tuple[str, ...], first: set[str], second: set[str]
) -> tuple[int, int] | None:
    """Where a small table's two known columns are, if this row is its header."""
    a, b = _column_of(cells, first), _column_of(cells, second)
    return (a, b) if a is not None and b is not None else None


def _anchor_cell(cells: list[str], anchor: int | None) -> int | None:
    """The cell holding the timescale: in its own column if it is there, else the first one
    that reads as a date (never the first cell, which is always some text)."""
    if anchor is not None and anchor < len(cells) and looks_like_timescale(cells[anchor]):
        return anchor
    return next((i for i in range(1, len(cells)) if looks_like_timescale(cells[i])), None)


def _place_around(table: _Table, cells: list[str], found: int, anchor: int) -> list[str]:
    """Cells before the timescale fill the columns before it from the right (skipping the
    lead when the nearest cell is long action text); the cells after it follow it."""
    width = len(table.keys)
    out = [""] * width
    before, after = cells[:found], cells[found + 1 :]
    columns = list(range(anchor))
    if before and len(before[-1]) > LEAD_LIMIT and columns and table.keys[anchor - 1] == "lead":
        columns.pop()
    spare = len(before) - len(columns)
    if spare > 0 and columns:  # more cells than columns: join the first ones
        before = [" ".join(before[: spare + 1]), *before[spare + 1 :]]
    for column, text in zip(reversed(columns), reversed(before), strict=False):
        out[column] = text
    phrase, rest = split_timescale(cells[found])
    out[anchor] = phrase or cells[found]
    start = anchor + 1
    if rest and start < width:  # "April 2019 – March 2020 • Analysis…": the rest is evidence
        out[start] = rest
        start += 1
    for column, text in zip(range(start, width), after, strict=False):
        out[column] = text
    return out


def _is_continuation(table: _Table, previous: list[str], cells: list[str]) -> bool:
    """A row is the rest of the one before when it has no timescale of its own, when the
    previous lead stops on 'of' or 'and', or when it supplies the year the previous lacked."""
    ref = table.index("ref")
    if ref is not None and cells[ref]:
        return False
    lead = table.index("lead")
    if lead is not None and _DANGLING.search(previous[lead]):
        return True
    anchor = table.anchor
    if anchor is None:
        return False
    before, now = previous[anchor], cells[anchor]
    if before and not now:
        return True
    no_year = before and not any(ch.isdigit() for ch in before)
    return bool(no_year and _BARE_YEAR.fullmatch(now))


# ---------------------------------------------------------------------------------------------
# The reader


class _TextPlanReader:
    """Walks the lines once, keeping the state a human reader keeps: which priority and
    table we are in, the current objective, and the last row (it may continue)."""

    def __init__(self, source: str, progress_period: date | None) -> None:
        self.source = source
        self.progress_period = progress_period.replace(day=1) if progress_period else None
        self.problems: list[Problem] = []
        self.priorities: list[_Priority] = []
        self.mode: str | None = None  # plan, posts, measures, matrix, other
        self.table: _Table | None = None
        self.objective: str | None = None
        self.last_row: _Row | None = None
        self.gap = False  # a blank line (page break) since the last row
        self.caption = ""  # the last text line, which may date a table below it
        self.previous_cells: tuple[str, ...] | None = None  # the row just above
        self.matrix_header: tuple[str, ...] = ()
        self.focus_areas: dict[str, FocusAreaDraft] = {}
        self.measures: list[tuple[str, str, str]] = []  # (place, focus area code, refs)
        self.post_columns: tuple[int, int] = (0, 1)
        self.measure_columns: tuple[int, int] = (0, 1)
        self.measure_text_columns: tuple[int | None, int | None] = (None, None)
        self.measure_drafts: list[MeasureDraft] = []
        self.post_holders: list[PostHolderDraft] = []
        self.rating_definitions: list[RatingDefinitionDraft] = []

    # -- problems ---------------------------------------------------------------------------

    def where(self, place: str, column: str | None = None) -> str:
        where = f"{self.source}, {place}"
        return f"{where}, column '{column}'" if column else where

    def problem(self, place: str, message: str, column: str | None = None) -> None:
        self.problems.append(Problem(self.where(place, column), message))

    # -- the walk ----------------------------------------------------------------------------

    def read(self, lines: list[Line]) -> None:
        for line, following in zip(lines, _next_non_blank(lines), strict=True):
            if line.is_blank:
                self.gap = True
                self.previous_cells = None
            elif line.cells is None:
                self.on_text(line, following)
                self.previous_cells = None
            else:
                self.on_row(line, line.cells)
                self.previous_cells = line.cells
                self.gap = False

    def on_text(self, line: Line, following: Line | None) -> None:
        heading = _priority_heading(line.text)
        sponsor = _SPONSOR.match(line.text)
        current = self.priorities[-1] if self.priorities else None
        if heading:
            self.start_priority(line.place, *heading)
        elif sponsor and current and not current.has_table and not current.sponsor:
            current.sponsor = re.sub(r"\s*\([^)]*\)\s*$", "", sponsor[1]).strip()
        elif self.mode == "plan" and self._is_data_row(following) and len(line.text) <= 150:
            self.objective = line.text  # an objective written between the rows
            self.last_row = None
        elif self._is_matrix_cell(line.text):
            self.on_other_row((line.text,))
        else:
            self.mode = None
            self.caption = line.text

    def _is_matrix_cell(self, text: str) -> bool:
        """'FA1: Voice' alone under a table row: spreadsheet readers hand a row whose only
        cell is the first one over as text, but in the focus-area matrix it is still a row."""
        under_a_row = self.mode == "matrix" or self.previous_cells is not None
        return under_a_row and bool(_FOCUS_AREA.match(text))

    def _is_data_row(self, line: Line | None) -> bool:
        return bool(
            line and line.cells and not _is_separator(line.cells) and not _is_header(line.cells)
        )

    def on_row(self, line: Line, cells: tuple[str, ...]) -> None:
        if _is_separator(cells):
            return
        if _is_header(cells):
            self.start_table(line.place, cells)
        elif posts := _two_columns(cells, _POST_NAMES, _HOLDER_NAMES):
            self.mode, self.post_columns = "posts", posts
        elif measures := _two_columns(cells, _FOCUS_NAMES, _REF_NAMES):
            self.mode, self.measure_columns = "measures", measures
            self.measure_text_columns = (
                _column_of(cells, _MEASURE_NAMES),
                _column_of(cells, _SOURCE_NAMES),
            )
        elif self.mode == "plan" and self.table:
            self.on_plan_row(self.table, line.place, list(cells))
        elif self.mode == "posts":
            self.on_post_holder(cells)
        elif self.mode == "measures":
            self.on_measure(line.place, cells)
        else:
            self.on_other_row(cells)

    def on_other_row(self, cells: tuple[str, ...]) -> None:
        """Rows outside plan tables: the rating key, the focus-area matrix, or ignored."""
        definition = _rating_definition(cells)
        if definition:
            self.rating_definitions.append(definition)
        elif any(_FOCUS_AREA.match(cell) for cell in cells):
            if self.mode != "matrix":
                self.mode = "matrix"
                self.matrix_header = self.previous_cells or ()
            self.on_matrix_row(cells)
        else:
            self.mode = "other"

    # -- priorities and plan tables -----------------------------------------------------------

    def start_priority(self, place: str, number: int | None, title: str) -> None:
        self.priorities.append(_Priority(number, title, place))
        self.mode, self.table, self.objective, self.last_row = None, None, None, None

    def start_table(self, place: str, cells: tuple[str, ...]) -> None:
        if not self.priorities:
            self.problem(place, "plan table before any priority heading: read as 'Priority 1'")
            self.start_priority(place, None, "Priority 1")
        self.priorities[-1].has_table = True
        self.table = self._header(place, cells)
        self.mode = "plan"

    def _header(self, place: str, cells: tuple[str, ...]) -> _Table:
        keys: list[str | None] = []
        for cell in cells:
            key = match_column(cell)
            if key == "start" and "start" in keys and "end" not in keys:
                key = "end"
                self.problem(place, "a second start date column: read as the end date", cell)
            elif key is not None and key in keys:
                self.problem(place, "a repeated column: ignored", cell)
                key = None
            keys.append(key)
        table = _Table(place, keys, list(cells))
        progress = table.index("progress")
        if progress is not None:
            table.progress_period = parse_month(cells[progress], end=False)
        return table

    def on_plan_row(self, table: _Table, place: str, cells: list[str]) -> None:
        filled = [cell for cell in cells if cell]
        if len(filled) == 1 and cells[0]:  # "Front Door / MASH" alone: an objective
            self.objective = cell_to_text(cells[0])
            self.last_row = None
            return
        aligned = self.align(table, place, cells)
        previous = self.continued_row(table, aligned)
        if previous:
            self.merge(previous, place, aligned)
        else:
            self.add_row(table, place, aligned)

    def add_row(self, table: _Table, place: str, cells: list[str]) -> None:
        row = _Row(place, table, cells, self.objective)
        if row.get("objective"):
            self.objective = row.objective = cell_to_text(row.get("objective"))
        action = row.get("action")
        if action[:1].islower():
            self.problem(
                place,
                "the action text starts mid-sentence; its first words were probably lost at "
                "a page break — check the original document",
                row.table.name("action"),
            )
        self.priorities[-1].rows.append(row)
        self.last_row = row

    # -- broken rows ---------------------------------------------------------------------------

    def align(self, table: _Table, place: str, cells: list[str]) -> list[str]:
        """Give a row exactly one cell per header column, placing a short row by its timescale."""
        width = len(table.keys)
        if len(cells) >= width:
            return self._fold_extra(place, cells, width)
        anchor = table.anchor
        found = _anchor_cell(cells, anchor)
        if anchor is None or found is None:
            return cells + [""] * (width - len(cells))
        return _place_around(table, cells, found, anchor)

    def _fold_extra(self, place: str, cells: list[str], width: int) -> list[str]:
        extra = [cell for cell in cells[width:] if cell]
        if extra:
            self.problem(place, "more cells than the header: extra text added to the last column")
        return cells[: width - 1] + [" ".join([cells[width - 1], *extra]).strip()]

    def continued_row(self, table: _Table, cells: list[str]) -> _Row | None:
        """The previous row when this one is its rest, split off by a page break."""
        previous = self.last_row
        if previous and self.gap and previous.table.keys == table.keys:
            if _is_continuation(table, previous.cells, cells):
                return previous
        return None

    def merge(self, row: _Row, place: str, cells: list[str]) -> None:
        row.cells = [" ".join(filter(None, pair)) for pair in zip(row.cells, cells, strict=True)]
        if row.get("objective"):
            self.objective = row.objective = cell_to_text(row.get("objective"))
        message = f"read as the rest of the row on {row.place}, split by a page break"
        self.problem(place, message)

    # -- other tables --------------------------------------------------------------------------

    def on_post_holder(self, cells: tuple[str, ...]) -> None:
        post_column, name_column = self.post_columns
        if max(post_column, name_column) >= len(cells):
            return
        post, name = cells[post_column], cells[name_column]
        if post and name:
            since = parse_month(self.caption, end=False) if self.caption else None
            self.post_holders.append(PostHolderDraft(post, name, since))

    def on_measure(self, place: str, cells: tuple[str, ...]) -> None:
        code_column, refs_column = self.measure_columns
        if max(code_column, refs_column) >= len(cells):
            return
        match = _FOCUS_AREA.match(cells[code_column])
        if match:
            code = f"FA{int(match[1])}"
            self.focus_areas.setdefault(code, FocusAreaDraft(code, match[2].strip()))
            self.measures.append((place, code, cells[refs_column]))
        self.on_measure_row(place, cells)

    def on_measure_row(self, place: str, cells: tuple[str, ...]) -> None:
        """A measure, in the focus area (and for the actions) of the rows above it."""
        name_column, source_column = self.measure_text_columns
        if name_column is None or name_column >= len(cells) or not self.measures:
            return
        name = cells[name_column].lstrip("•●▪◦-– ").strip()
        if not name:
            return
        source = (
            cells[source_column].strip()
            if source_column is not None and source_column < len(cells)
            else ""
        )
        _place, focus_area, refs = self.measures[-1]
        self.measure_drafts.append(
            MeasureDraft(
                name=name,
                data_source=source,
                codes=[f"{letters}{digits}" for letters, digits in _SCORECARD_CODE.findall(source)],
                focus_area=focus_area,
                action_refs=[ref for ref in re.split(r"[\s,;]+", refs.strip()) if ref],
                where=f"{self.source}, {place}",
            )
        )

    def on_matrix_row(self, cells: tuple[str, ...]) -> None:
        for index, cell in enumerate(cells):
            match = _FOCUS_AREA.match(cell)
            if match:
                code = f"FA{int(match[1])}"
                area = self.matrix_header[index] if index < len(self.matrix_header) else ""
                self.focus_areas[code] = FocusAreaDraft(code, match[2].strip(), area)


# ---------------------------------------------------------------------------------------------
# From rows to drafts


def _schedule(row: _Row) -> dict:
    """Dates from a Timescale column, or from Start Date and End Date columns."""
    timescale = parse_timescale(cell_to_text(row.get("timescale")))
    start_text, end_text = cell_to_text(row.get("start")), cell_to_text(row.get("end"))
    start = parse_month(start_text, end=False) if start_text else timescale.start
    end = parse_month(end_text, end=True) if end_text else timescale.end
    text = timescale.text
    if not text and start_text and end_text:
        text = f"{start_text} – {end_text}"
    elif not text:
        text = f"From {start_text}" if start_text else (f"By {end_text}" if end_text else "")
    flags = parse_timescale(f"{start_text} {end_text}")
    return {
        "start": start,
        "end": end,
        "ongoing": timescale.ongoing or flags.ongoing,
        "recurring": timescale.recurring or flags.recurring,
        "timescale_text": text,
    }


class _ActionBuilder:
    """Turns the merged rows of one plan into `ActionDraft`s, reporting what it cannot read."""

    def __init__(self, reader: _TextPlanReader) -> None:
        self.reader = reader
        self.progress_warned = False

    def build(self, row: _Row, ref: str) -> ActionDraft:
        text, sources = extract_sources(cell_to_text(row.get("action")))
        schedule = _schedule(row)
        action = ActionDraft(
            ref=ref,
            title=make_title(text),
            text=text,
            where=self.reader.where(row.place),
            objective=row.objective or None,
            leads=split_leads(cell_to_text(row.get("lead"))),
            evidence_of_success=cell_to_text(row.get("evidence_of_success")),
            children_will_say=cell_to_text(row.get("children_will_say")),
            sources=sources,
            **schedule,
        )
        self.check(row, action)
        action.progress = self.progress(row)
        return action

    def check(self, row: _Row, action: ActionDraft) -> None:
        table, problem = row.table, self.reader.problem
        if table.index("lead") is not None and not action.leads:
            problem(row.place, "no lead officer given", table.name("lead"))
        if not action.text:
            problem(row.place, "no action text", table.name("action"))
        timescale = action.timescale_text
        dated = action.start or action.end or action.ongoing or action.recurring
        if timescale and not dated:
            column = table.name("timescale") or table.name("start")
            problem(row.place, f"no date found in '{timescale}'", column)
        if action.start and action.end and action.start > action.end:
            problem(row.place, "the start date is after the end date", table.name("start"))

    def rating(self, row: _Row, key: str) -> str | None:
        text = row.get(key)
        if not text:
            return None
        rating = parse_rating(text)
        if rating is None:
            self.reader.problem(
                row.place,
                f"'{text}' is not a rating (expected Blue, Green, Amber or Red)",
                row.table.name(key),
            )
        return rating

    def progress(self, row: _Row) -> list[ProgressDraft]:
        narrative = cell_to_text(row.get("progress"))
        action_rating = self.rating(row, "action_rating")
        impact_rating = self.rating(row, "impact_rating")
        if not (narrative or action_rating or impact_rating):
            return []
        period = row.table.progress_period or self.reader.progress_period
        if period is None:
            self.warn_undated(row)
            return []
        return [ProgressDraft(period, narrative, action_rating, impact_rating)]

    def warn_undated(self, row: _Row) -> None:
        if self.progress_warned:
            return
        self.progress_warned = True
        column = row.table.name("progress") or row.table.name("action_rating")
        self.reader.problems.append(
            Problem(
                self.reader.where(row.table.place, column),
                "Progress column has no date in its header; pass a period to import it as a "
                "progress update",
            )
        )


def _priorities(reader: _TextPlanReader) -> list[PriorityDraft]:
    """Priorities that hold actions, numbered as written or else in order."""
    builder = _ActionBuilder(reader)
    drafts: list[PriorityDraft] = []
    for position, priority in enumerate([p for p in reader.priorities if p.rows], 1):
        number = priority.number or position
        if number in {draft.number for draft in drafts}:
            number = max(draft.number for draft in drafts) + 1
            reader.problem(priority.place, f"priority number used twice: numbered {number}")
        draft = PriorityDraft(number, priority.title, priority.sponsor)
        for count, row in enumerate(priority.rows, 1):
            ref = row.get("ref")
            if not ref:
                ref = f"{number}.{count}"
                if row.table.index("ref") is not None:
                    reader.problem(row.place, f"no ref: numbered {ref}", row.table.name("ref"))
            draft.actions.append(builder.build(row, ref))
        drafts.append(draft)
    return drafts


def _link_focus_areas(reader: _TextPlanReader, priorities: list[PriorityDraft]) -> None:
    """Give each action the focus areas whose measures table lists its ref."""
    actions = {action.ref: action for priority in priorities for action in priority.actions}
    for place, code, refs in sorted(reader.measures, key=lambda m: _code_number(m[1])):
        for ref in re.split(r"[\s,;]+", refs.strip()):
            if not ref:
                continue
            if ref not in actions:
                reader.problem(place, f"{code} lists action {ref}, which is not in the plan")
            elif code not in actions[ref].focus_areas:
                actions[ref].focus_areas.append(code)


def _code_number(code: str) -> int:
    return int(code[2:])


def read_text_plan(
    text: str, *, source: str = "file", progress_period: date | None = None
) -> PlanDraft:
    """Read a plan in the text layout; raise `PlanImportError` when the text holds no plan.

    `progress_period` dates a Progress column whose header carries no date of its own.
    """
    if _looks_binary(text):
        raise PlanImportError([Problem(source, "not a text document (it holds binary data)")])
    return plan_from_lines(split_lines(text), source=source, progress_period=progress_period)


def plan_from_lines(
    lines: list[Line], *, source: str, progress_period: date | None = None
) -> PlanDraft:
    """The one mapper behind every reader: walk the lines of any document into a plan.

    Readers (text layout, Word, Excel, CSV) only turn a file into `Line`s; everything about
    what a plan looks like lives here. Raises `PlanImportError` when the lines hold no plan.
    """
    reader = _TextPlanReader(source, progress_period)
    reader.read(lines)
    if not any(priority.has_table for priority in reader.priorities):
        raise PlanImportError([Problem(source, NO_PLAN_MESSAGE)])
    priorities = _priorities(reader)
    if not priorities:
        raise PlanImportError([Problem(source, "the plan table has no actions")])
    _link_focus_areas(reader, priorities)
    title, title_place = _plan_title(lines)
    if not title:
        reader.problem(title_place, "no title found at the top of the document")
    period = _PERIOD.search(title)
    return PlanDraft(
        title=title or "Improvement plan",
        period=period[0] if period else "",
        priorities=priorities,
        focus_areas=sorted(reader.focus_areas.values(), key=lambda a: _code_number(a.code)),
        post_holders=reader.post_holders,
        rating_definitions=reader.rating_definitions,
        measures=reader.measure_drafts
        + target_measures([action for priority in priorities for action in priority.actions]),
        problems=reader.problems,
    )
