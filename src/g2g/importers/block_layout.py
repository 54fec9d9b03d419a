"""The "cell per block" text layout: a plan's tables as a PDF's text comes out of some tools, every
table cell as its own block of lines, in reading order (the August 2019 progress version of
Oldham's plan, `oldham-improvement-plan-2019-21-aug19-progress.txt`):

    Ofsted Improvement Plan: Standards of Practice     ← a priority heading
     Objectives to                                       ← the header row, its cells run
    create change                                          together over a few lines
    Actions Lead officer Timescale Evidence of Success Progress update Aug 19 RAG

    The Oldham                                           ← a cell: its wrapped lines, then a
    Practice Hub …                                         blank line ("" ends a cell, a line
                                                           of spaces a paragraph inside it)
     Mandatory briefing                                  ← a bullet point lost its glyph: it
    sessions                                               starts with a space, a block alone
    Director of                                          ← the lead: a narrow column
    Children’s
    Social Care

    April 2019 –                                         ← the timescale
    ongoing
    …

Nothing says where a row starts, so rows are found from the two cells every action has in the
same order, the lead and the timescale: a narrow block followed by a block that is a timescale.
Around each such pair the cells fall in the header's order: before it the objective (when a new
one starts: a narrow block) and the action (a block, with the bullet blocks after it); after it
the evidence of success (a block and its bullets) and the progress update (the rest). A page
break can move part of a cell after the next cell's; what cannot be put back is left where it
falls (in the progress text, usually), and a row's first lines run together on one long line are
split at the lead and the timescale they hold.

The reader hands the mapper what a table would give it: the priority heading, the header row
and a row Line for each action ("line 210", the line its lead starts on), so every rule of the
one mapper (header words, dated progress columns, leads, timescales) applies as for any file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from g2g.core.timescales import parse_timescale, split_timescale

from .text_reader import COLUMN_NAMES, Line, match_column, normalise_header, priority_heading

MAX_LINES = 20_000  # a plan in this layout runs to about 2,000 lines; more is not looked at
LEAD_WIDTH = 16  # the widest line of a lead's narrow column
OBJECTIVE_WIDTH = 19  # the widest line of an objective's narrow column
LONG_LINE = 70  # a line wider than any column: a row's first lines run together
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_HEADER_DATE = re.compile(rf"^(?:{_MONTH}|\d{{2}}|\d{{4}})$")
_PHRASES = sorted(
    {tuple(name.split()) for names in COLUMN_NAMES.values() for name in names},
    key=len,
    reverse=True,
)
_FIRST_WORDS = {phrase[0] for phrase in _PHRASES}
MAX_HEADER_WORDS = 24  # a header of eight columns, each named in three words
_LEAD_START = re.compile(
    r"\b(?:Director|Assistant|Managing|Chief|Head|Deputy|Service Manager|Principal)\b"
)
_TIMESCALE_START = re.compile(rf"(?i)\b(?:\d{{1,2}}\s+)?{_MONTH}\.?\s+(?:19|20)?\d{{2}}\b")
_SENTENCE_END = re.compile(r"[.:!?)’”\"]$")


@dataclass
class _Block:
    start: int  # the number of its first line (1 = the first line of the file)
    lines: list[str]  # as written, leading spaces kept, trailing ones not; "" a paragraph break

    @property
    def text_lines(self) -> list[str]:
        return [line for line in self.lines if line.strip()]

    @property
    def width(self) -> int:
        return max((len(line.strip()) for line in self.text_lines), default=0)

    @property
    def is_space(self) -> bool:
        return not self.text_lines

    @property
    def is_item(self) -> bool:
        """A bullet point whose glyph was lost: its first line starts with a space; a few lines
        of one paragraph, not introducing a list of its own."""
        first = self.text_lines[0] if self.text_lines else ""
        inner = self.lines[: max(i for i, line in enumerate(self.lines) if line.strip()) + 1]
        return (
            first[:1].isspace()
            and len(self.text_lines) <= 5
            and all(line.strip() for line in inner)
            and not self.ends_with_colon
        )

    @property
    def ends_sentence(self) -> bool:
        last = self.text_lines[-1].strip() if self.text_lines else ""
        return bool(_SENTENCE_END.search(last))

    @property
    def ends_with_colon(self) -> bool:
        return bool(self.text_lines) and self.text_lines[-1].strip().endswith(":")


@dataclass
class _Table:
    header: list[str]  # the header's cells, as the mapper will read them
    header_place: str = ""
    title: str = ""  # the priority heading naming it
    heading_place: str = ""
    blocks: list[_Block] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------
# Entry points


def is_block_layout(text: str) -> bool:
    """Text with no table rows of tab-separated cells, holding a plan table's header whose
    cells run on over a few lines: the cell-per-block layout."""
    if "\t" in text:
        return False
    lines = _lines(text)
    return bool(_headers(lines))


def block_lines(text: str, problems: list[tuple[str, str]] | None = None) -> list[Line]:
    """The Lines a table reader would give for a plan in the cell-per-block layout. A table in
    which no action's lead and timescale were found adds a (place, message) to `problems`."""
    lines = _lines(text)
    headers = _headers(lines)
    if not headers:
        return []
    out: list[Line] = []
    title_lines = _before(lines, headers[0][0])
    out.extend(Line(f"line {n}", line.strip()) for n, line in title_lines if line.strip())
    for table in _tables(lines, headers):
        out.append(Line(table.heading_place or "table", ""))
        if table.title:
            out.append(Line(table.heading_place, table.title))
        out.append(Line(table.header_place, "\t".join(table.header), tuple(table.header)))
        rows = _rows(table)
        for row_place, cells in rows:
            out.append(Line(row_place, "\t".join(cells), tuple(cells)))
        if table.blocks and not rows and problems is not None:
            problems.append(
                (
                    table.header_place,
                    "no action was found under this header (each action's lead and timescale "
                    "were not recognised): its text was not read",
                )
            )
    return out


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")[:MAX_LINES]


def _before(lines: list[str], end: int) -> list[tuple[int, str]]:
    """The document's first lines, before its first table: its title and introduction."""
    return [(n + 1, line) for n, line in enumerate(lines[:end]) if not _is_heading(line)][:5]


# ---------------------------------------------------------------------------------------------
# Headers: the column names, run together over a few lines


def _words(line: str) -> list[str]:
    return normalise_header(line).split()


def _headers(lines: list[str]) -> list[tuple[int, int, list[str]]]:
    """Each header: its first and last line (0-based, inclusive) and its cells. A header is a
    run of whole lines whose words are all column names, in the mapper's vocabulary, with an
    action column and at least three columns it knows."""
    found: list[tuple[int, int, list[str]]] = []
    index = 0
    while index < len(lines):
        match = _header_at(lines, index)
        if match:
            found.append(match)
            index = match[1] + 1
        else:
            index += 1
    return found


def _header_at(lines: list[str], first: int) -> tuple[int, int, list[str]] | None:
    """The header starting at line `first`: whole lines (blank ones between are allowed, up
    to eight lines with words) whose words the column names use up exactly."""
    opening = _words(lines[first])
    if not opening or opening[0] not in _FIRST_WORDS or len(opening) > MAX_HEADER_WORDS:
        return None
    words: list[tuple[str, str]] = []  # (word as normalised, the word as written)
    best = None
    last, filled = first, 0
    while last < len(lines) and filled < 8:
        line = lines[last]
        if line.strip():
            filled += 1
            written = line.split()
            normalised = _words(line)
            if len(written) != len(normalised) or not normalised:
                break
            if len(words) + len(normalised) > MAX_HEADER_WORDS:
                break
            words.extend(zip(normalised, written, strict=True))
            cells = _phrases(words)
            if cells is None:
                if not _prefix_of_phrase([w for w, _ in words]):
                    break
            elif _is_plan_header(cells):
                best = (first, last, cells)
        last += 1
    return best


def _phrases(words: list[tuple[str, str]]) -> list[str] | None:
    """The words read as column names, longest name first ('Progress update Aug 19' takes
    its date); None when a word is left over."""
    cells: list[str] = []
    index = 0
    while index < len(words):
        plain = [word for word, _ in words]
        for phrase in _PHRASES:
            if tuple(plain[index : index + len(phrase)]) == phrase:
                end = index + len(phrase)
                if phrase[0] == "progress":
                    while end < len(words) and _HEADER_DATE.match(plain[end]):
                        end += 1
                cells.append(" ".join(written for _, written in words[index:end]))
                index = end
                break
        else:
            return None
    return cells


def _prefix_of_phrase(words: list[str]) -> bool:
    """Whether the words so far could still become column names with the next line ('Objectives
    to' before 'create change')."""
    for cut in range(len(words)):
        tail = tuple(words[cut:])
        if _phrases([(w, w) for w in words[:cut]]) is not None and any(
            phrase[: len(tail)] == tail for phrase in _PHRASES
        ):
            return True
    return False


def _is_plan_header(cells: list[str]) -> bool:
    keys = [match_column(cell) for cell in cells]
    return "action" in keys and sum(key is not None for key in keys) >= 3


# ---------------------------------------------------------------------------------------------
# Tables: between one header and the next, with the priority heading that names each


def _is_heading(line: str) -> bool:
    return bool(line.strip()) and priority_heading(line.strip()) is not None


def _tables(lines: list[str], headers: list[tuple[int, int, list[str]]]) -> list[_Table]:
    """A table for each header. A priority heading names the table it falls in (a PDF's text
    may put it below the table's first rows), or the next when it comes just before a header."""
    tables: list[_Table] = []
    for number, (first, last, cells) in enumerate(headers):
        end = headers[number + 1][0] if number + 1 < len(headers) else len(lines)
        table = _Table(cells, f"line {first + 1}")
        body: list[tuple[int, str]] = []
        for index in range(last + 1, end):
            line = lines[index].rstrip() or (" " if lines[index] else "")  # " ": a paragraph break
            if _is_heading(line):
                if _only_blank_until(lines, index + 1, end) and number + 1 < len(headers):
                    continue  # named below, as the next table's
                table.title = table.title or line.strip()
                table.heading_place = table.heading_place or f"line {index + 1}"
                continue
            body.append((index + 1, line))
        if not table.title:
            table.title, table.heading_place = _heading_above(lines, first)
        table.blocks = _blocks(body)
        tables.append(table)
    return tables


def _only_blank_until(lines: list[str], start: int, end: int) -> bool:
    return all(not lines[index].strip() for index in range(start, end))


def _heading_above(lines: list[str], first: int) -> tuple[str, str]:
    """A priority heading just above a header (blank lines between)."""
    for index in range(first - 1, max(-1, first - 6), -1):
        if _is_heading(lines[index]):
            return lines[index].strip(), f"line {index + 1}"
        if lines[index].strip():
            break
    return "", ""


def _blocks(body: list[tuple[int, str]]) -> list[_Block]:
    """Runs of lines between empty lines. A line that starts with a space and a capital (or a
    bracket) after a line ending a sentence starts a block of its own: a new cell or bullet that
    the text ran on into the one before."""
    blocks: list[_Block] = []
    current: _Block | None = None
    for number, line in body:
        if line == "":
            current = None
            continue
        text = line if line.strip() else ""
        previous = current.text_lines[-1].rstrip() if current and current.text_lines else ""
        first = text.strip()[:1]
        starts_new = (
            current is not None
            and text[:1].isspace()
            and (first.isupper() or first == "(")
            and bool(_SENTENCE_END.search(previous) or len(text) - len(text.lstrip()) > 1)
        )
        if current is None or starts_new:
            current = _Block(number, [])
            blocks.append(current)
        current.lines.append(text)
    return [block for block in blocks if not block.is_space]


# ---------------------------------------------------------------------------------------------
# Rows: found from each action's lead and timescale


@dataclass
class _Row:
    lead: _Block
    timescale: _Block
    cells: dict[str, list[_Block]] = field(default_factory=dict)
    fragments: dict[str, str] = field(default_factory=dict)  # first lines run together


def _rows(table: _Table) -> list[tuple[str, list[str]]]:
    keys = [match_column(cell) for cell in table.header]
    blocks, fragments = _split_long_lines(table.blocks)
    anchors = _anchors(blocks)
    rows = [_Row(blocks[lead], blocks[time]) for lead, time in anchors]
    for number, (lead, _time) in enumerate(anchors):
        row = rows[number]
        row.fragments = fragments.get(lead, {})
        before_start = anchors[number - 1][1] + 1 if number else 0
        between = blocks[before_start:lead]
        previous = rows[number - 1] if number else None
        _share(between, previous, row)
    if anchors:
        _tail(blocks[anchors[-1][1] + 1 :], rows[-1])
    out = []
    for row in rows:
        cells = [_cell_text(row, key) for key in keys]
        out.append((f"line {row.lead.start}", cells))
    return out


def _split_long_lines(blocks: list[_Block]) -> tuple[list[_Block], dict[int, dict[str, str]]]:
    """A line wider than any column holds a row's first lines side by side ('Improving Continue
    to improve the quality of Director of April 2019- Audit activities demonstrates Completed
    cycle of'): it is taken out and cut at the lead and the timescale it holds, and the pieces
    are kept for the next row's cells (keyed by the index of that row's lead block)."""
    out: list[_Block] = []
    found: list[tuple[int, dict[str, str]]] = []  # where in `out`, and the pieces
    for block in blocks:
        long = [line for line in block.text_lines if len(line.strip()) > LONG_LINE]
        pieces = _cut_long_line(long[0].strip()) if long else None
        if pieces:
            found.append((len(out), pieces))
            block = _Block(block.start, [line for line in block.lines if line is not long[0]])
            if block.is_space:
                continue
        out.append(block)
    leads = [lead for lead, _ in _anchors(out)]
    fragments: dict[int, dict[str, str]] = {}
    for at, pieces in found:
        lead = next((index for index in leads if index >= at), None)
        if lead is not None:
            fragments.setdefault(lead, pieces)
    return out, fragments


def _cut_long_line(line: str) -> dict[str, str] | None:
    lead = _LEAD_START.search(line)
    time = _TIMESCALE_START.search(line, lead.end() if lead else 0)
    if not lead or not time:
        return None
    start, rest = line[: lead.start()].split(), line[time.end() :].strip(" -–")
    objective_words: list[str] = []
    for index, word in enumerate(start[1:], 1):
        if word[:1].isupper():
            objective_words, start = start[:index], start[index:]
            break
    after = rest.split()
    cut = max((i for i, word in enumerate(after) if i and word[:1].isupper()), default=len(after))
    return {
        "objective": " ".join(objective_words),
        "action": " ".join(start),
        "lead": line[lead.start() : time.start()].strip(),
        "timescale": line[time.start() : time.end()].strip(" -–") + " –",
        "evidence_of_success": " ".join(after[:cut]),
        "progress": " ".join(after[cut:]),
    }


def _is_timescale(block: _Block) -> bool:
    lines = block.text_lines
    if not lines or len(lines) > 3:
        return False
    text = " ".join(line.strip() for line in lines)
    if len(text) > 32:
        return False
    phrase, rest = split_timescale(text)
    written = parse_timescale(text)
    return bool(phrase and not rest) and bool(written.start or written.end or written.recurring)


def _is_lead(block: _Block) -> bool:
    lines = block.text_lines
    return 0 < len(lines) <= 8 and block.width <= LEAD_WIDTH and not block.is_item


def _anchors(blocks: list[_Block]) -> list[tuple[int, int]]:
    """(lead, timescale) block indexes of each row: a timescale block whose block before is a
    lead's narrow one."""
    found = []
    for index in range(1, len(blocks)):
        if _is_timescale(blocks[index]) and _is_lead(blocks[index - 1]):
            if not found or index - 1 > found[-1][1]:
                found.append((index - 1, index))
    return found


def _share(between: list[_Block], previous: _Row | None, row: _Row) -> None:
    """The blocks between the previous row's timescale and this row's lead: the previous row's
    evidence and progress, then this row's objective (if a new one starts) and action."""
    action_start = _action_start(between)
    action = between[action_start:]
    before = between[:action_start]
    if before and _is_objective(before[-1]):
        row.cells["objective"] = [before[-1]]
        before = before[:-1]
    row.cells["action"] = action
    if previous is None:
        if before:  # text above the first row, under the header: the first row's objective
            row.cells.setdefault("objective", before)
        return
    _tail(before, previous)


def _action_start(between: list[_Block]) -> int:
    """Where the action's cell starts: its first block, which the bullet blocks before the lead
    follow (a bullet: a short block starting with a space, not introducing a list itself)."""
    index = len(between)
    while index > 0 and _is_bullet(between[index - 1]):
        index -= 1
    return max(0, index - 1)


def _is_bullet(block: _Block) -> bool:
    first = block.text_lines[0] if block.text_lines else ""
    return first[:1].isspace() and len(block.text_lines) <= 5 and not block.ends_with_colon


def _is_objective(block: _Block) -> bool:
    return (
        block.width <= OBJECTIVE_WIDTH
        and len(block.text_lines) <= 8
        and not any(line.strip().endswith(".") for line in block.text_lines)
    )


def _tail(blocks: list[_Block], row: _Row) -> None:
    """A row's evidence of success (its first block, with the bullets or the short points a
    colon introduces) and progress (the rest); bullets after the progress has started are the
    action's own, moved there by a page break."""
    if not blocks:
        return
    evidence = [blocks[0]]
    index = 1
    while index < len(blocks):
        block = blocks[index]
        point = evidence[-1].ends_with_colon or (len(evidence) > 1 and not evidence[-1].is_item)
        short = len(block.text_lines) <= 4 and not block.ends_sentence
        if block.is_item or (point and short):
            evidence.append(block)
            index += 1
        else:
            break
    row.cells["evidence_of_success"] = evidence
    progress: list[_Block] = []
    for block in blocks[index:]:
        if block.is_item and progress:
            row.cells.setdefault("action", []).append(block)
        else:
            progress.append(block)
    row.cells["progress"] = progress


def _cell_text(row: _Row, key: str | None) -> str:
    if key is None:
        return ""
    blocks = row.cells.get(key)
    if key == "lead":
        blocks = [row.lead]
    elif key == "timescale":
        blocks = [row.timescale]
    paragraphs: list[str] = []
    fragment = row.fragments.get(key, "")
    for number, block in enumerate(blocks or []):
        for paragraph in _paragraphs(block, bullets=key != "objective"):
            paragraphs.append(paragraph)
        if number == 0 and fragment and paragraphs:
            paragraphs[0] = _glue(fragment, paragraphs[0])
            fragment = ""
    if fragment:
        paragraphs.insert(0, fragment)
    return "\n".join(paragraphs)


def _paragraphs(block: _Block, *, bullets: bool = True) -> list[str]:
    """A block's paragraphs, its wrapped lines joined; a bullet block as '• item'."""
    paragraphs: list[list[str]] = [[]]
    for line in block.lines:
        if not line.strip():
            paragraphs.append([])
        else:
            paragraphs[-1].append(line.strip())
    texts = [_join(parts) for parts in paragraphs if parts]
    if bullets and block.is_item and texts:
        texts[0] = f"• {texts[0]}"
    return texts


def _join(parts: list[str]) -> str:
    text = ""
    for part in parts:
        glue = "" if not text or (text.endswith("-") and text[-2:-1].isalpha()) else " "
        text = f"{text}{glue}{part}"
    return " ".join(text.split())


def _glue(first: str, second: str) -> str:
    return _join([first, second.removeprefix("• ")])
