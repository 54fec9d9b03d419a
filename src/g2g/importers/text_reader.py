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
plan in it at all raises `ReadError`.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser

from g2g.core.dates import month_start
from g2g.core.problems import Problem, ReadError
from g2g.core.timescales import looks_like_timescale, parse_month, parse_timescale, split_timescale
from g2g.plans.models import RATING_LOOKS

from .draft import (
    ActionDraft,
    ColumnDraft,
    FocusAreaDraft,
    MeasureDraft,
    PlanDraft,
    PostHolderDraft,
    PriorityDraft,
    ProgressDraft,
    RatingDefinitionDraft,
)
from .targets import target_measures

NO_PLAN_MESSAGE = (
    "no plan table found: expected a header row with columns such as Actions, Lead, Timescale"
)
TITLE_LIMIT = 150  # characters in an action title
LEAD_LIMIT = 90  # a cell longer than this is action text, not a post title

# ---------------------------------------------------------------------------------------------
# Column headers


COLUMN_NAMES = {
    "ref": (
        "ref",
        "reference",
        "no",
        "number",
        "ref no",
        "action ref",
        "action no",
        "action number",
        "action reference",
        "action id",
        "id",
        "item",
        "item no",
    ),
    "priority": (
        "priority",
        "priorities",
        "priority area",
        "strategic priority",
        "theme",
        "workstream",
        "work stream",
        "strand",
    ),
    "objective": ("objectives to create change", "objective", "objectives", "outcome", "aim"),
    "action": (
        "actions",
        "action",
        "what we will do",
        "key actions",
        "description",
        "action description",
        "activity",
        "activities",
        "task",
        "actions required",
        "action to be taken",
    ),
    "evidence_of_success": (
        "evidence of success",
        "how will we know",
        "measures of success",
        "success criteria",
        "success measures",
        "evidence of impact",
        "impact measures",
    ),
    "lead": (
        "lead",
        "leads",
        "lead officer",
        "lead officers",
        "owner",
        "action owner",
        "responsible officer",
        "responsible",
        "responsible lead",
        "responsibility",
        "accountable officer",
    ),
    "timescale": ("timescale", "timescales", "deadline", "by when", "timeframe", "when"),
    "start": ("start date", "start"),
    "end": (
        "end date",
        "end",
        "due date",
        "due",
        "due by",
        "completion date",
        "target date",
        "target completion date",
        "date due",
    ),
    "children_will_say": ("what our children will say", "what children will say"),
    "progress": (
        "progress",
        "progress update",
        "update",
        "latest update",
        "progress to date",
        "commentary",
        "comments",
    ),
    "action_rating": (
        "rag",
        "action rag",
        "brag",
        "status",
        "progress rag",
        "rag rating",
        "rag status",
        "rating",
        "current rag",
        "overall rag",
        "action rating",
        "action brag",
    ),
    "impact_rating": ("impact rag", "impact rating", "impact brag"),
}
# What each field is called on the preview page's column mapping.
COLUMN_FIELDS = {
    "ref": "Ref",
    "priority": "Priority",
    "objective": "Objective",
    "action": "Action",
    "lead": "Lead",
    "timescale": "Timescale",
    "start": "Start date",
    "end": "End date",
    "evidence_of_success": "Evidence of success",
    "children_will_say": "What children will say",
    "progress": "Progress update",
    "action_rating": "Action rating (RAG)",
    "impact_rating": "Impact rating",
}
_HEADER_TO_COLUMN = {name: key for key, names in COLUMN_NAMES.items() for name in names}
_MONTH_WORDS = "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec"
_TRAILING_DATE = re.compile(rf"(?:\s+(?:(?:{_MONTH_WORDS})[a-z]*|\d{{1,4}}|q[1-4]))+$", re.ASCII)


def normalise_header(header: str) -> str:
    """Lower case, no punctuation: 'Lead(s)' and 'lead' compare equal. The key a column
    mapping is stored under."""
    text = header.lower().replace("(s)", "").replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text, flags=re.ASCII).split())


def match_column(header: str) -> str | None:
    """The plan field a column header means, by its words: 'How will we know?' is
    evidence_of_success. Shared by every reader so all formats agree on the vocabulary."""
    name = normalise_header(header)
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
    """Lead posts in a cell: one per paragraph, or between ';' or a spaced ' / ' ('Head of QA /
    Performance Lead'; 'Children's Services/Education' is one post), and space-joined posts
    split before each post title ('DCS SLT Head of Improvement' is three leads)."""
    leads: list[str] = []
    for line in re.split(r"[\n;]+|\s+/\s+", text):
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


# The rating words, from the one vocabulary ("blue" → "blue"); plans also write their initials.
_RATING_WORDS = {look.word.lower(): look.key for look in RATING_LOOKS.values()}
_RATINGS = _RATING_WORDS | {word[0]: key for word, key in _RATING_WORDS.items()}


def parse_rating(text: str) -> str | None:
    """'Green', 'G', 'AMBER' → the rating value; anything else → None."""
    return _RATINGS.get(normalise_header(text))


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
    heading: int | None = None  # a heading's level (1 the highest), when the reader knows it
    list_level: int | None = None  # a numbered list item's level (0 the outermost)

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
        if normalise_header(line.text) in _SECTION_HEADINGS or priority_heading(line.text):
            break
        parts.append(line.text)
        last = line.place
    return " ".join(parts), last


_SECTION_HEADINGS = {"introduction", "foreword", "contents", "table of contents", "background"}
_SECTION_HEADINGS |= {"context", "summary", "executive summary", "purpose", "overview"}
_PERIOD = re.compile(r"\b(?:19|20)\d{2}\s*[-–—/]\s*(?:(?:19|20)\d{2}|\d{2})\b")

# ---------------------------------------------------------------------------------------------
# Headings and small tables outside the plan

_PRIORITY_WORDS = r"(?:priority|theme|work\s?stream|strand)"
_NUMBERED_HEADING = re.compile(
    rf"^(?:{_PRIORITY_WORDS}\s*)?(?P<number>\d{{1,2}})(?![.\d]\d)\s*[:.)–-]\s*(?P<title>\S.*)$",
    re.IGNORECASE,
)
# A spreadsheet tab cannot hold ':', so a tab named "Priority 1 Quality of Practice" is a heading.
_PRIORITY_WORD_HEADING = re.compile(
    rf"^{_PRIORITY_WORDS}\s*(?P<number>\d{{1,2}})(?!\d)\s+(?P<title>[^\W\d_].*)$",
    re.IGNORECASE,
)
_PLAN_HEADING = re.compile(r"^[^:]{0,60}\bplan\s*:\s*(?P<title>\S.*)$", re.IGNORECASE)
_SPONSOR = re.compile(r"^(?:lead|sponsor|priority lead|lead officer)\s*:\s*(\S.*)$", re.I)
# "Lead: Head of Commissioning (Mark Love)": the post, then its holder's name in brackets, which
# is not part of the post. A bracket of other words ("(Quality Assurance and Improvement)") is.
_PERSON_AFTER_POST = re.compile(r"\s*\([A-Z][\w'’.-]*(?: [A-Z][\w'’.-]*){1,3}\)\s*$")
_FOCUS_AREA = re.compile(r"^FA\s?(\d{1,3})\s*[:.–-]\s*(\S.*)$", re.IGNORECASE)
_ACTION_IMPACT = re.compile(r"^\s*(?i:action)\s*:\s*(?P<action>.*?)\s*(?P<impact>Impact\b.*)$")


def priority_heading(text: str) -> tuple[int | None, str] | None:
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
    if len(title) > 80 or len(title.split()) > 10 or title.endswith(".") or ". " in title:
        return None
    return number, heading_case(title)


def _rating_definition(cells: tuple[str, ...]) -> RatingDefinitionDraft | None:
    """A key row 'AMBER | Action: … Impact …'; one text serves for both when not split."""
    filled = [cell for cell in cells if cell]
    if len(filled) < 2 or normalise_header(filled[0]) not in _RATING_WORDS:
        return None
    text = cell_to_text(filled[1])
    match = _ACTION_IMPACT.match(text)
    action, impact = (match["action"], match["impact"]) if match else (text, text)
    impact = re.sub(r"^Impact\s*:\s*", "", impact)
    rating = _RATING_WORDS[normalise_header(filled[0])]
    return RatingDefinitionDraft(rating, action.strip(), impact.strip())


def _column_of(cells: tuple[str, ...], names: set[str]) -> int | None:
    for index, cell in enumerate(cells):
        if normalise_header(cell) in names:
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
    unread_reported: set[int] = field(default_factory=set)  # unnamed columns found holding text

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
    implicit: bool = False  # made up for a table with no priority heading above it
    written: str = ""  # a Priority column's cell as written, to see when the next one starts
    heading: int | None = None  # the level of the Word heading it came from
    list_level: int | None = None  # the level of the numbered list item it came from


_DANGLING = re.compile(r"(?:^|\s)(?:of|and|the|for|to|&)$", re.IGNORECASE)
_BARE_YEAR = re.compile(r"(?:19|20)?\d{2}")


def _is_header(cells: tuple[str, ...], columns: dict[str, str] | None = None) -> bool:
    """A plan table's header: an action column and two more that mean something, by their
    words or by the column mapping the improvement lead chose."""
    keys = [_column_key(cell, columns or {})[0] for cell in cells]
    return "action" in keys and sum(key is not None for key in keys) >= 3


def _column_key(header: str, columns: dict[str, str]) -> tuple[str | None, bool]:
    """What a column holds: the mapping's choice ('' is 'not read'), else its words; and
    whether the mapping chose it."""
    name = normalise_header(header)
    if name and name in columns:
        return columns[name] or None, True
    return match_column(header), False


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
# Plans written as numbered paragraphs: "1.1 Improve … Lead: Head of Service. By: March 2025"

# An action's own ref: "1.1", "2.3.1", "Action 1.2:"; or a number alone under a priority.
_ACTION_REF = re.compile(
    r"^(?:action\s+)?(?P<ref>\d{1,2}(?:\.\d{1,2}){1,2})\.?(?:\s*[:)–-])?\s+(?P<text>\S.*)$",
    re.IGNORECASE,
)
_ACTION_NUMBER = re.compile(r"^(?:action\s+)?(?P<number>\d{1,2})\s*[.:)]\s*(?P<text>\S.*)$", re.I)
# A field named in the text, by the same words as a column header: "Lead: …", "By when: …".
_LABEL_WORDS = sorted(
    {name for names in COLUMN_NAMES.values() for name in names if len(name) > 2},
    key=len,
    reverse=True,
)
# A label starts the paragraph, follows a sentence's end or a dash, or is written with a capital
# after any word: action texts often have no full stop ("… in practice Lead: Head of QA").
_LABEL = re.compile(
    r"(?:^|(?<=[.;:|])\s+|\s+[-–|]\s+|\s+(?=(?-i:[A-Z])))(?P<label>"
    + "|".join(r"\s+".join(re.escape(word) for word in name.split()) for name in _LABEL_WORDS)
    + r")\s*\??\s*:\s*",
    re.IGNORECASE,
)
_PARAGRAPHS = _Table(
    "paragraphs", list(COLUMN_FIELDS), [label.split(" (")[0] for label in COLUMN_FIELDS.values()]
)
_MAX_PARAGRAPH_LINES = 60  # lines one numbered action may run on for
_ONE_LINE_FIELDS = {"ref", "priority", "lead", "timescale", "start", "end"}
_PLAN_TITLE = re.compile(r"(?i)\bplan\b|\b(?:19|20)\d{2}\s*[-–/]\s*\d{2}")
_ONE_LINE_FIELDS |= {"action_rating", "impact_rating"}


def labelled(text: str) -> list[tuple[str | None, str]]:
    """A paragraph split at the fields it names: ('lead', 'Head of Service'); the words before
    the first label come with None."""
    parts: list[tuple[str | None, str]] = []
    matches = list(_LABEL.finditer(text))
    begin = 0
    key: str | None = None
    for match in matches:
        parts.append((key, text[begin : match.start()].strip(" .;|-–")))
        key, begin = match_column(match["label"]), match.end()
    parts.append((key, text[begin:].strip()))
    return [(key, value) for key, value in parts if value or key]


# ---------------------------------------------------------------------------------------------
# The reader


class _TextPlanReader:
    """Walks the lines once, keeping the state a human reader keeps: which priority and
    table we are in, the current objective, and the last row (it may continue)."""

    def __init__(
        self,
        source: str,
        progress_period: date | None,
        columns: dict[str, str] | None = None,
    ) -> None:
        self.source = source
        self.progress_period = month_start(progress_period) if progress_period else None
        self.columns = {normalise_header(name): key for name, key in (columns or {}).items()}
        self.column_drafts: dict[str, ColumnDraft] = {}  # every header met, by its words
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
        self.paragraph: _Row | None = None  # the numbered action being read, in a plan of them
        self.field = "action"  # the field its next lines carry on
        self.paragraph_lines = 0
        self.pending: list[tuple[str, str, int]] = []  # headings since the last action
        self.renumbered: set[int] = set()  # priorities whose actions were numbered 1, 2, 3

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
        if self.mode != "plan" and self.on_paragraph(line, following):
            return
        heading = priority_heading(line.text)
        sponsor = _SPONSOR.match(line.text)
        current = self.priorities[-1] if self.priorities else None
        if heading:  # a tracker's priority row, with the table's rows going on below it
            inside = self.mode == "plan" and self._is_data_row(following)
            self.start_priority(line.place, *heading, keep_table=inside)
            self.priorities[-1].heading = line.heading
        elif sponsor and current and not current.has_table and not current.sponsor:
            current.sponsor = _PERSON_AFTER_POST.sub("", sponsor[1]).strip()
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
            line
            and line.cells
            and not _is_separator(line.cells)
            and not _is_header(line.cells, self.columns)
        )

    def on_row(self, line: Line, cells: tuple[str, ...]) -> None:
        self.paragraph = None
        if _is_separator(cells):
            return
        if _is_header(cells, self.columns):
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

    def start_priority(
        self, place: str, number: int | None, title: str, *, keep_table: bool = False
    ) -> None:
        """A new priority; `keep_table` when it starts inside a table (a priority row, or a
        new value in a Priority column), whose header carries on."""
        self.priorities.append(_Priority(number, title, place))
        self.objective, self.last_row = None, None
        self.paragraph, self.pending = None, []
        if keep_table and self.table is not None:
            self.priorities[-1].has_table = True
        else:
            self.mode, self.table = None, None

    def start_table(self, place: str, cells: tuple[str, ...]) -> None:
        table = self._header(place, cells)
        if not self.priorities:  # said in `_priorities`, if any action is left in it
            self.start_priority(place, None, "Priority 1")
            self.priorities[-1].implicit = True
        self.priorities[-1].has_table = True
        self.table = table
        self.mode = "plan"

    def _header(self, place: str, cells: tuple[str, ...]) -> _Table:
        keys: list[str | None] = []
        for cell in cells:
            key, chosen = _column_key(cell, self.columns)
            if key == "start" and "start" in keys and "end" not in keys and not chosen:
                key = "end"
                self.problem(place, "a second start date column: read as the end date", cell)
            elif key is not None and key in keys:
                self.problem(place, "a repeated column: ignored", cell)
                key = None
            keys.append(key)
            self._note_column(place, cell, key, chosen)
        table = _Table(place, keys, list(cells))
        progress = table.index("progress")
        if progress is not None:
            table.progress_period = parse_month(cells[progress], end=False)
        return table

    def _note_column(self, place: str, header: str, key: str | None, chosen: bool) -> None:
        """Remember each header for the preview's column mapping; a named column that is not
        read is reported once (nothing is left out in silence)."""
        name = normalise_header(header)
        if not name or name in self.column_drafts:
            return
        self.column_drafts[name] = ColumnDraft(
            header=" ".join(header.split()), key=key or "", where=self.where(place), chosen=chosen
        )
        if key is None:
            why = (
                "as the column mapping says"
                if chosen
                else "its heading is not one the reader knows"
            )
            self.problem(
                place,
                f"this column is not read ({why}); choose what it holds in the column mapping "
                "on the preview page, or it is left out",
                " ".join(header.split()),
            )

    def on_plan_row(self, table: _Table, place: str, cells: list[str]) -> None:
        filled = [cell for cell in cells if cell]
        if len(filled) == 1 and cells[0]:  # "Front Door / MASH" alone: an objective
            heading = priority_heading(cell_to_text(cells[0]))
            if heading:  # "Priority 2: Leadership" alone: a tracker's priority row
                self.start_priority(place, *heading, keep_table=True)
                return
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
        self._priority_from_column(table, place, cells)
        self._unnamed_columns(table, place, cells)
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

    def _priority_from_column(self, table: _Table, place: str, cells: list[str]) -> None:
        """A Priority (Theme, Workstream) column: a new value starts a new priority; an empty
        cell (merged down) stays in the one above."""
        index = table.index("priority")
        written = cell_to_text(cells[index]) if index is not None and index < len(cells) else ""
        current = self.priorities[-1]
        if not written or written == current.written:
            return
        if written.isdigit() and len(written) < 4:  # the priority's number: the heading names it
            if current.number == int(written):
                return
            self.start_priority(place, int(written), f"Priority {written}", keep_table=True)
            self.priorities[-1].written = written
            return
        number, title = priority_heading(written) or (None, heading_case(written))
        self.start_priority(place, number, title, keep_table=True)
        self.priorities[-1].written = written

    def _unnamed_columns(self, table: _Table, place: str, cells: list[str]) -> None:
        """Text under a column with no heading is not read: say so, once a column."""
        for index, cell in enumerate(cells[: len(table.keys)]):
            if cell and table.keys[index] is None and not table.names[index].strip():
                if index not in table.unread_reported:
                    table.unread_reported.add(index)
                    self.problem(
                        place,
                        f"column {index + 1} has no heading, so its text is not read: give it "
                        "a heading and import the file again",
                    )

    # -- numbered paragraphs -------------------------------------------------------------------

    def on_paragraph(self, line: Line, following: Line | None) -> bool:
        """A plan written as numbered paragraphs, outside any table: an action starts at its
        ref ("1.1 Improve …"), its fields follow as labels ("Lead: …", "Timescale: …") in the
        same paragraph or the next ones, and other lines carry on the field before them. True
        when the line was read here."""
        text = line.text
        if line.heading is not None:
            self.paragraph = None
            if not priority_heading(text):
                self.pending.append((line.place, text, line.heading))
            return False
        single = _ACTION_NUMBER.match(text)
        heading = priority_heading(text) if single else None
        if heading and self._numbered_priority(line, following):
            self.start_priority(line.place, *heading)
            self.priorities[-1].list_level = line.list_level
            return True
        action = _ACTION_REF.match(text)
        if action:
            self.start_paragraph(line.place, action["ref"], action["text"])
            return True
        if single:
            self.start_paragraph(line.place, None, single["text"], number=int(single["number"]))
            return True
        if self.paragraph is None:
            return False
        if (
            priority_heading(text)
            or normalise_header(text) in _SECTION_HEADINGS
            or text.lower().startswith("appendix")
            or self.paragraph_lines >= _MAX_PARAGRAPH_LINES
        ):
            self.paragraph = None
            return False
        self.carry_on(text)
        return True

    def _numbered_priority(self, line: Line, following: Line | None) -> bool:
        """Whether a line numbered '3.' alone is a priority rather than an action: typed, a
        short title; in a Word list, a short title with deeper items or actions below it."""
        if not priority_heading(line.text):
            return False
        if line.list_level is None:
            return True  # typed: a short title numbered alone ("2. Children in care")
        if following is None or following.cells is not None:
            return False
        deeper = following.list_level is not None and following.list_level > line.list_level
        return deeper or bool(_ACTION_REF.match(following.text))

    def start_paragraph(
        self, place: str, ref: str | None, text: str, *, number: int | None = None
    ) -> None:
        self.priority_for_paragraphs(place)
        priority = self.priorities[-1]
        if ref is None:  # "3. Improve …" under priority 2 is action 2.3
            prefix = priority.number or len([p for p in self.priorities if p.rows or p is priority])
            ref = f"{prefix}.{number}"
            if id(priority) not in self.renumbered:
                self.renumbered.add(id(priority))
                self.problem(
                    place,
                    f"actions numbered 1, 2, 3 … under a priority: given refs {prefix}.1, "
                    f"{prefix}.2 … (the priority's number first)",
                )
        row = _Row(place, _PARAGRAPHS, [""] * len(_PARAGRAPHS.keys), self.objective)
        priority.rows.append(row)
        priority.has_table = True
        self.paragraph, self.field, self.paragraph_lines = row, "action", 0
        self.last_row = None
        self.set_field("ref", ref)
        self.fill(text)

    def priority_for_paragraphs(self, place: str) -> None:
        """The priorities and objective the headings above an action name: a heading at the
        level of the priority's own (or higher) starts a priority, a lower one an objective."""
        pending, self.pending = self.pending, []
        for heading_place, text, level in pending:
            current = self.priorities[-1] if self.priorities else None
            if current is None and _PLAN_TITLE.search(text):
                continue  # the document's title ("Improvement Plan 2024-26"), not a priority
            if (
                current is None
                or current.implicit
                or (current.heading is not None and level <= current.heading)
                or (current.heading is None and current.rows)
            ):
                self.start_priority(heading_place, None, heading_case(text))
                self.priorities[-1].heading = level
            else:
                self.objective = text
        if not self.priorities:  # said in `_priorities`, if any action is left in it
            self.start_priority(place, None, "Priority 1")
            self.priorities[-1].implicit = True

    def fill(self, text: str) -> None:
        """A paragraph's words into the open action: labelled parts into their fields, the
        rest into the field the action was last filling (the action's own text after a field
        of one line, such as the lead or the timescale)."""
        for key, value in labelled(text):
            if key is not None:
                self.field = key
            if value:
                self.set_field(self.field, value)
            if self.field in _ONE_LINE_FIELDS:
                self.field = "action"

    def carry_on(self, text: str) -> None:
        self.paragraph_lines += 1
        self.fill(text)

    def set_field(self, key: str, value: str) -> None:
        row = self.paragraph
        index = _PARAGRAPHS.index(key)
        if row is None or index is None:
            return
        row.cells[index] = f"{row.cells[index]}\n{value}" if row.cells[index] else value
        if key == "objective":
            self.objective = row.objective = value

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
    written = parse_timescale(end_text)
    if end_text and written.start and not written.end:  # "From Nov 23" as the due date
        start, end = start or written.start, None
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
        for key, found in (("start", action.start), ("end", action.end)):
            written = cell_to_text(row.get(key))
            flags = parse_timescale(written)
            if written and found is None and not (flags.ongoing or flags.recurring):
                problem(
                    row.place, f"'{written}' is not a date, so it was not read", table.name(key)
                )

    def rating(self, row: _Row, key: str, unread: list[str]) -> str | None:
        text = cell_to_text(row.get(key))
        if not text:
            return None
        rating = parse_rating(text)
        if rating is None:
            column = row.table.name(key)
            self.reader.problem(
                row.place,
                f"'{text}' is not a rating (expected Blue, Green, Amber or Red): kept in the "
                "progress update's text",
                column,
            )
            unread.append(f"{column}: {text}")
        return rating

    def progress(self, row: _Row) -> list[ProgressDraft]:
        unread: list[str] = []
        action_rating = self.rating(row, "action_rating", unread)
        impact_rating = self.rating(row, "impact_rating", unread)
        narrative = "\n\n".join(filter(None, [cell_to_text(row.get("progress")), *unread]))
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


_DOTTED_REF = re.compile(r"^(\d{1,2})\.\d")


def _by_ref_prefix(reader: _TextPlanReader, found: list[_Priority]) -> list[_Priority]:
    """A table with no priority headings whose refs say the priority ('1.1', '1.2', '2.1'):
    one priority for each first number, and a problem saying so."""
    if len(found) != 1 or not found[0].implicit:
        return found
    prefixes = [_DOTTED_REF.match(row.get("ref")) for row in found[0].rows]
    if not all(prefixes) or len({match[1] for match in prefixes if match}) < 2:
        return found
    split: dict[int, _Priority] = {}
    for row, match in zip(found[0].rows, prefixes, strict=True):
        number = int(match[1]) if match else 0
        split.setdefault(number, _Priority(number, f"Priority {number}", row.place)).rows.append(
            row
        )
    reader.problem(
        found[0].place,
        f"no priority headings: the actions are grouped into {len(split)} priorities by the "
        "first number of their refs; name them after importing",
    )
    return list(split.values())


def _priorities(reader: _TextPlanReader) -> list[PriorityDraft]:
    """Priorities that hold actions, numbered as written or else in order."""
    builder = _ActionBuilder(reader)
    drafts: list[PriorityDraft] = []
    found = _by_ref_prefix(reader, [p for p in reader.priorities if p.rows])
    for priority in found:
        if priority.implicit:
            message = "actions before any priority heading: read as 'Priority 1'"
            reader.problems.insert(0, Problem(reader.where(priority.place), message))
    for position, priority in enumerate(found, 1):
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
    text: str,
    *,
    source: str = "file",
    progress_period: date | None = None,
    columns: dict[str, str] | None = None,
) -> PlanDraft:
    """Read a plan in the text layout; raise `ReadError` when the text holds no plan.

    `progress_period` dates a Progress column whose header carries no date of its own.
    """
    if _looks_binary(text):
        raise ReadError([Problem(source, "not a text document (it holds binary data)")])
    lines, notes = text_lines(text)
    return plan_from_lines(
        lines,
        source=source,
        progress_period=progress_period,
        columns=columns,
        problems=[Problem(f"{source}, {place}", message) for place, message in notes],
    )


def text_lines(text: str) -> tuple[list[Line], list[tuple[str, str]]]:
    """The Lines of a plan saved as text, and (place, message) for what could not be read:
    the tab-separated layout, or the layout with each table cell as its own block of lines (a
    PDF's text, as `block_layout` reads it)."""
    from .block_layout import block_lines, is_block_layout  # noqa: PLC0415 - it uses this module

    lines = split_lines(text)
    notes: list[tuple[str, str]] = []
    if not any(line.cells for line in lines) and is_block_layout(text):
        return block_lines(text, notes), notes
    return lines, notes


def plan_from_lines(
    lines: list[Line],
    *,
    source: str,
    progress_period: date | None = None,
    columns: dict[str, str] | None = None,
    problems: list[Problem] | None = None,
) -> PlanDraft:
    """The one mapper behind every reader: walk the lines of any document into a plan.

    Readers (text layout, Word, Excel, CSV, PDF) only turn a file into `Line`s; everything
    about what a plan looks like lives here. `columns` is the column mapping the improvement
    lead chose (a header's words, as `normalise_header` gives them, to a field of
    `COLUMN_FIELDS`, or '' for a column not to read); `problems` are the reader's own, put
    first. Raises `ReadError` when the lines hold no plan.
    """
    reader = _TextPlanReader(source, progress_period, columns)
    reader.problems.extend(problems or [])
    reader.read(lines)
    if not any(priority.has_table for priority in reader.priorities):
        raise ReadError([*reader.problems[: len(problems or [])], Problem(source, NO_PLAN_MESSAGE)])
    priorities = _priorities(reader)
    if not priorities:
        own = reader.problems[: len(problems or [])]
        raise ReadError([*own, Problem(source, "the plan table has no actions")])
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
        columns=list(reader.column_drafts.values()),
        opening=_opening(lines),
        text="\n".join(_line_text(line) for line in lines),
    )


OPENING_LINES = 12  # the lines before the plan's first table that say whose plan it is


def _line_text(line: Line) -> str:
    return " ".join(line.cells) if line.cells is not None else line.text


def _opening(lines: list[Line]) -> str:
    """The document's first lines of text, up to its first table row (or OPENING_LINES)."""
    found: list[str] = []
    for line in lines:
        if line.cells is not None or len(found) >= OPENING_LINES:
            break
        if not line.is_blank:
            found.append(line.text)
    return "\n".join(found)
