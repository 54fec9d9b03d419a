"""Read an Ofsted children's services inspection report (PDF or text) into plain data.

Councils start their improvement programme from the published report: its dates, grades,
recommendations and numbered paragraphs. The pipeline, one small step each:

    bytes → pages of text (pypdf) → lines without page furniture → a `_Document`
          → type, dates, lead inspector, judgements, overall, recommendations, paragraphs

Reports come in several frameworks (ILACS 2018–, the single inspection framework SIF
2013–2018, older looked-after-children inspections, focused and monitoring visit letters,
JTAI letters) and pypdf lays their tables out in many ways, so every step is best effort:
whatever a step cannot read becomes a `Problem` next to the data that was kept. Only input
that is not a report at all (empty, binary, password-protected, no inspection dates and no
judgements) raises `ReadError`, the one exception that leaves this module.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import NoReturn

from pypdf import PdfReader

from g2g.core.pdf_files import MAX_FILE_BYTES, open_pdf
from g2g.core.problems import Problem, ReadError

from .frameworks import FrameworkSpec, load_frameworks

MAX_TEXT_CHARS = 2_000_000  # about 400 pages of report text

# ---------------------------------------------------------------------------------------------
# Public data


@dataclass
class Judgement:
    area: str  # the framework's name for the area (FrameworkArea.name), or OVERALL_EFFECTIVENESS
    grade: str  # one of GRADES
    as_written: str = ""  # the grade in the report's own words: "Requires improvement"


@dataclass
class Paragraph:
    number: int
    text: str
    section: str  # the judgement heading it sits under, as the report words it


@dataclass
class InspectionReport:
    type: str  # an InspectionType value: "ILACS", "SIF", "Focused visit" … or "Unknown"
    framework: str  # "ILACS standard", "ILACS short", "SIF" or ""
    authority: str
    start: date | None
    end: date | None
    lead_inspector: str
    judgements: list[Judgement] = field(default_factory=list)  # as the table: overall last
    overall: str = ""  # the overall effectiveness grade, or "" when none is given
    recommendations: list[str] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    framework_key: str = ""  # the Framework the report was read as
    framework_name: str = ""
    # Letters' findings, and SIF reports' strengths.
    priority_actions: list[str] = field(default_factory=list)
    areas_for_improvement: list[str] = field(default_factory=list)
    areas_reviewed: list[str] = field(default_factory=list)  # a monitoring visit's
    progress_findings: list[str] = field(default_factory=list)  # a monitoring visit's headline
    strengths: list[str] = field(default_factory=list)
    # A focused visit's findings as a council reports them (visit_findings.py).
    areas_for_development: list[str] = field(default_factory=list)

    def findings(self) -> list[tuple[str, list[str]]]:
        """Each kind of finding (a Finding.Kind value) with its texts, in the letter's order."""
        return [
            ("recommendation", self.recommendations),
            ("priority", self.priority_actions),
            ("improvement", self.areas_for_improvement),
            ("reviewed", self.areas_reviewed),
            ("progress", self.progress_findings),
            ("strength", self.strengths),
            ("development", self.areas_for_development),
        ]

    def summary(self) -> dict:
        """The facts people compare with the published report, as JSON-ready values."""
        return {
            "type": self.type,
            "framework": self.framework_key,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "lead_inspector": self.lead_inspector,
            "overall": self.overall,
            "judgements": [asdict(j) for j in self.judgements],
            "recommendations": list(self.recommendations),
            "findings": {kind: list(texts) for kind, texts in self.findings() if texts},
            "paragraphs": len(self.paragraphs),
            "problems": [asdict(p) for p in self.problems],
        }


# ---------------------------------------------------------------------------------------------
# Vocabulary: grades, judgement areas, dates

OUTSTANDING = "Outstanding"
GOOD = "Good"
REQUIRES_IMPROVEMENT = "Requires improvement to be good"
INADEQUATE = "Inadequate"
ADEQUATE = "Adequate"  # only in looked-after-children inspections before 2014
NOT_JUDGED = "Not judged"
GRADES = (OUTSTANDING, GOOD, REQUIRES_IMPROVEMENT, INADEQUATE, ADEQUATE, NOT_JUDGED)

# The areas' names in the frameworks of the data migration (inspections 0003), for the code and
# tests that need one by name; the reader itself only knows what the frameworks it is given say.
IMPACT_OF_LEADERS = "Impact of leaders on social work practice with children and families"
HELP_AND_PROTECTION = "Experiences and progress of children who need help and protection"
IN_CARE_AND_CARE_LEAVERS = "Experiences and progress of children in care and care leavers"
IN_CARE = "Experiences and progress of children in care"
CARE_LEAVERS = "Experiences and progress of care leavers"
SIF_HELP_AND_PROTECTION = "Children who need help and protection"
SIF_LOOKED_AFTER = "Children looked after and achieving permanence"
ADOPTION = "Adoption performance"
LEADERSHIP = "Leadership, management and governance"
LSCB = "Effectiveness of the LSCB"
OVERALL_EFFECTIVENESS = "Overall effectiveness"  # read on its own: see _read_overall

_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_MONTH_NUMBER = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1
    )
}
_DAY = r"(?<!\d)(\d{1,2})(?!\d)(?:st|nd|rd|th)?"
# "4 to 15 December 2023", "21 January 2019 to 1 February 2019", "28 June 2016 – 21 July 2016",
# "24 February to 6 March 2014", "8 – 12 July 2013", "18 November 10 December 2014" (dash lost).
_RANGE = (
    rf"{_DAY}(?:\s+({_MONTHS})\.?)?(?:,?\s+(\d{{4}}))?"
    rf"(?:\s*(?:\bto\b|\buntil\b|\band\b|&|[–—‒−-]+)\s*|\s+)"  # one way through spaces
    rf"{_DAY}\s+({_MONTHS})\.?,?\s+(\d{{4}})(?!\d)"
)
DATE_RANGE_RE = re.compile(_RANGE, re.IGNORECASE)
SINGLE_DATE_RE = re.compile(rf"{_DAY}\s+({_MONTHS})\.?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE)
_SECOND_RANGE_RE = re.compile(rf"\s*(?:,|\band\b|&)\s*{_RANGE}", re.IGNORECASE)
_DATES_LABEL_RE = re.compile(
    r"\b(?:inspection|visit)\s+dates?\b\s*:?|\bdates?\s+of\s+(?:the\s+)?(?:inspection|visit)\b\s*:?",
    re.IGNORECASE,
)
_VISIT_ON_RE = re.compile(
    r"\b(?:visit|inspection|inspected|visited)\b[^.]{0,200}?\b(?:on|between|from)\s+(?=\d)",
    re.IGNORECASE,
)
_OFSTED_LETTER_RE = re.compile(r"this letter summarises the findings of", re.IGNORECASE)
_SPLIT_DAY_RE = re.compile(r"(?<!\d)(\d) (\d)(?= [A-Za-z])")  # "1 9 June 2019" in a few PDFs
_LONGEST_INSPECTION_DAYS = 62
_SHORT_INSPECTION_DAYS = 7  # ILACS short inspections last one week, standard ones two
_COVER_CHARS = 4000  # the first page, where a report states its dates

# ---------------------------------------------------------------------------------------------
# Entry points


Frameworks = Sequence[FrameworkSpec] | None  # None: the frameworks in the database


def read_report_file(path: Path, *, frameworks: Frameworks = None) -> InspectionReport:
    """Read a report file, choosing PDF or UTF-8 text by its first bytes, not its name."""
    return read_report_bytes(report_file_bytes(path), source=Path(path).name, frameworks=frameworks)


def report_file_bytes(path: Path) -> bytes:
    """A report file's bytes, refusing one too large to be a report before reading it."""
    source = Path(path).name
    try:
        size = Path(path).stat().st_size
        if size > MAX_FILE_BYTES:
            _refuse(source, f"the file is {size} bytes; a report is at most {MAX_FILE_BYTES}")
        return Path(path).read_bytes()
    except OSError as error:
        _refuse(source, f"cannot read the file: {error.strerror or error}")


def read_report_bytes(
    data: bytes, *, source: str, frameworks: Frameworks = None
) -> InspectionReport:
    """Read a report from its bytes (an upload or a file): PDF by its first bytes, else text."""
    if b"%PDF-" in data[:1024]:
        return read_report_pdf(data, source=source, frameworks=frameworks)
    if not data.strip():
        _refuse(source, "the file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        _refuse(source, "the file is neither a PDF nor UTF-8 text")
    return read_report_text(text, source=source, frameworks=frameworks)


def read_report_pdf(
    data: bytes, *, source: str = "report.pdf", frameworks: Frameworks = None
) -> InspectionReport:
    """Read a report PDF: its text by pypdf, then the same reading as `read_report_text`."""
    problems: list[Problem] = []
    pages = _pdf_pages(data, source, problems)
    report = _read_pages(pages, source, _frameworks(frameworks))
    report.problems[:0] = problems
    return report


def read_report_text(
    text: str, *, source: str = "report", frameworks: Frameworks = None
) -> InspectionReport:
    """Read a report's text, such as a converter's output; form feeds mark page breaks."""
    if len(text) > MAX_TEXT_CHARS:
        _refuse(source, f"the text has {len(text)} characters; the limit is {MAX_TEXT_CHARS}")
    if not text.strip():
        _refuse(source, "the text is empty")
    if _looks_binary(text):
        _refuse(source, "the text looks like binary data, not a report")
    return _read_pages(text.split("\f"), source, _frameworks(frameworks))


def _frameworks(frameworks: Frameworks) -> tuple[FrameworkSpec, ...]:
    return tuple(frameworks) if frameworks is not None else load_frameworks()


def _refuse(source: str, message: str) -> NoReturn:
    raise ReadError([Problem(source, message)])


def _looks_binary(text: str) -> bool:
    """Control characters other than line and page breaks are rare in text, common in binary."""
    controls = sum(1 for ch in text if ch < " " and ch not in "\n\r\t\f")
    return "\x00" in text or controls > max(2, len(text) // 100)


# ---------------------------------------------------------------------------------------------
# Step 1: PDF bytes → pages of text


def _pdf_pages(data: bytes, source: str, problems: list[Problem]) -> list[str]:
    """The text of each page, from a PDF opened within `core.pdf_files`' bounds."""
    with open_pdf(data, source) as pdf:
        texts = [_page_text(pdf.reader, number, source, problems) for number in range(pdf.pages)]
    if not any(text.strip() for text in texts):
        _refuse(source, "the PDF has no text layer (a scanned image?), so nothing can be read")
    return texts


def _page_text(reader: PdfReader, number: int, source: str, problems: list[Problem]) -> str:
    try:
        return reader.pages[number].extract_text() or ""
    except Exception as error:  # one bad page should not lose the report
        problems.append(Problem(f"{source}: page {number + 1}", f"unreadable page ({error})"))
        return ""


# ---------------------------------------------------------------------------------------------
# Step 2: pages → clean lines


_BULLETS = "◼■▪●•◾◦\uf06e\uf0a7\uf0b7\uf0a8\uf076\uf0d8\uf02d\u2023\u25aa\u25cf"
_BULLET_RE = re.compile(rf"^\s*(?:[{_BULLETS}\xad]|-(?=\s))\s*")
_PAGE_NUMBER_RE = re.compile(r"^\s*(?:page\s+)?\d{1,3}(?:\s+of\s+\d{1,3})?\s*$", re.IGNORECASE)
_RUNNING_DATES_RE = re.compile(rf"^\s*{_RANGE}\s+\d{{1,3}}\s*$", re.IGNORECASE)
_RUNNING_TITLE_RE = re.compile(
    r"^\s*inspection of .{2,120}? children['’]s services\s*$", re.IGNORECASE
)
_RUNNING_HEADER_RE = re.compile(  # title, dates and page number on one line
    rf"^\s*inspection of .{{2,120}}? children['’]s services\s+{_RANGE}\s+\d{{1,3}}\s*$",
    re.IGNORECASE,
)


def _normalise(text: str) -> str:
    """One spelling for each character: NFKC (ligatures, odd spaces), unix line ends, and
    every bullet glyph as '•' so later steps need to know only one."""
    text = unicodedata.normalize("NFKC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_BULLET_RE.sub("• ", line, count=1) for line in text.split("\n")]
    return "\n".join(line.replace("\xad", "").rstrip() for line in lines)


def _clean_lines(pages: list[str]) -> list[str]:
    """All lines of all pages in order, without the running headers, footers and page numbers
    that pypdf interleaves with the text."""
    page_lines = [_normalise(page).split("\n") for page in pages]
    repeated = _repeated_furniture(page_lines)
    lines: list[str] = []
    for one_page in page_lines:
        for line in one_page:
            if _furniture_key(line) not in repeated:
                lines.append(line)
        lines.append("")  # a page break ends nothing, but keeps pages apart
    return _drop_running_lines(lines)


def _furniture_key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.lower().split()))


def _repeated_furniture(page_lines: list[list[str]]) -> set[str]:
    """Lines at the top or bottom of pages that repeat on many pages (digits ignored)."""
    if len(page_lines) < 3:
        return set()
    seen: Counter[str] = Counter()
    for lines in page_lines:
        filled = [line for line in lines if line.strip()]
        seen.update({_furniture_key(line) for line in filled[:4] + filled[-3:]})
    least = max(3, len(page_lines) * 2 // 5)
    return {key for key, pages in seen.items() if pages >= least}


def _drop_running_lines(lines: list[str]) -> list[str]:
    """Page numbers and running headers recognised by their shape, for text without page
    breaks: '4 to 15 December 2023 2' and the report title line just above it."""
    kept: list[str] = []
    for line in lines:
        if _RUNNING_DATES_RE.match(line):
            _drop_title_above(kept)
        elif not (_PAGE_NUMBER_RE.match(line) or _RUNNING_HEADER_RE.match(line)):
            kept.append(line)
    return kept


def _drop_title_above(kept: list[str]) -> None:
    for index in range(len(kept) - 1, max(-1, len(kept) - 4), -1):
        if kept[index].strip():
            if _RUNNING_TITLE_RE.match(kept[index]):
                del kept[index]
            return


@dataclass
class _Document:
    """The clean lines, and the same text flattened to one line for phrase searches."""

    source: str
    lines: list[str]
    flat: str = ""
    starts: list[int] = field(default_factory=list)  # offset in `flat` of each line
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Blank lines add nothing to `flat`, so a phrase broken over a blank line (a title in
        # some converters' text: "help and", "", "protection") reads as one; a blank line
        # starts where the next filled line does.
        offset = 0
        parts = []
        for line in self.lines:
            self.starts.append(offset)
            part = " ".join(line.split())
            if part:
                parts.append(part)
                offset += len(part) + 1
        self.flat = " ".join(parts)

    def line_at(self, offset: int) -> int:
        return max(0, bisect_right(self.starts, offset) - 1)

    def problem(self, topic: str, message: str) -> None:
        self.problems.append(Problem(f"{self.source}: {topic}", message))


# ---------------------------------------------------------------------------------------------
# Step 3: the facts


def _read_pages(
    pages: list[str], source: str, frameworks: tuple[FrameworkSpec, ...]
) -> InspectionReport:
    doc = _Document(source, _clean_lines(pages))
    candidates = _candidates(doc, frameworks)
    kind = candidates[0].type if candidates else "Unknown"
    start, end = _read_dates(doc, kind)
    reading = _choose(doc, candidates, frameworks, start)
    framework = reading.framework
    if reading.titled or (framework is not None and len(reading.judgements) >= 3):
        kind = framework.type if framework else kind
        if not reading.titled and framework is not None:
            doc.problem(
                "type", f"the report title was not recognised; its grades are {framework.name}'s"
            )
    doc.problems.extend(reading.problems)
    judgements, overall = reading.judgements, reading.overall
    if kind == "Unknown" and start is None:
        _refuse(source, "not an Ofsted inspection report: no report title or inspection dates")
    if start is None and not judgements and not overall:
        _refuse(source, "no inspection dates and no judgements found: not an inspection report")
    if reading.titled and framework is not None:
        _check_completeness(doc, framework, judgements, overall)
    if overall:  # the last row of the judgement table, so it is listed with the others too
        judgements.append(Judgement(OVERALL_EFFECTIVENESS, overall.grade, overall.as_written))
    known = framework if (reading.titled or kind != "Unknown") else None
    vocabulary = _vocabulary(frameworks if known is None else (known,))
    report = InspectionReport(
        type=kind,
        framework=_framework(doc, kind, start, end),
        authority=_read_authority(doc),
        start=start,
        end=end,
        lead_inspector=_read_lead_inspector(doc, known),
        judgements=judgements,
        overall=overall.grade if overall else "",
        paragraphs=_read_paragraphs(doc, reading.table_end, vocabulary),
        problems=doc.problems,
        framework_key=known.key if known else "",
        framework_name=known.name if known else "",
    )
    _read_findings(doc, report, known, vocabulary)
    return report


# --- type and framework


def _candidates(doc: _Document, frameworks: tuple[FrameworkSpec, ...]) -> list[FrameworkSpec]:
    """The frameworks whose reports name themselves as this one does on its first page (those of
    one kind: ILACS of 2018, 2023 and 2026 share a title), in the order they are tried."""
    opening = "\n".join(doc.lines[:200])[:4000]
    head = doc.flat[:1500]
    for framework in frameworks:
        pattern = framework.title_re
        anchored = pattern.pattern.startswith("^")  # a letter's title: a line of its own
        if pattern.search(opening if anchored else head):
            return [f for f in frameworks if (f.type, f.title) == (framework.type, framework.title)]
    return []


@dataclass
class _Overall:
    grade: str
    as_written: str
    end: int  # where it ends in the flat text


@dataclass
class _Reading:
    """The judgements of a report as one framework reads them, and how well it fits."""

    framework: FrameworkSpec | None
    titled: bool = False  # the report's title is this framework's
    judgements: list[Judgement] = field(default_factory=list)
    overall: _Overall | None = None
    table_end: int = 0  # the line after the cover's judgement table
    problems: list[Problem] = field(default_factory=list)

    def fit(self, start: date | None) -> tuple[int, int, int]:
        """Areas found, then the inspection dates, then whether an overall grade is where the
        framework has one: ILACS 2018 judged children in care and care leavers together, 2023
        apart; 2026 (same areas as 2023) gives no overall grade."""
        framework = self.framework
        if framework is None:
            return (0, 0, 0)
        in_use = framework.in_use_on(start)
        dated = 1 if in_use else (0 if in_use is None else -1)
        return (len(self.judgements), dated, int(framework.overall == (self.overall is not None)))


def _choose(
    doc: _Document,
    candidates: list[FrameworkSpec],
    frameworks: tuple[FrameworkSpec, ...],
    start: date | None,
) -> _Reading:
    """The reading of the framework that fits the report best: one of those its title names,
    else (an unrecognised title) any graded framework whose areas it grades."""
    titled = bool(candidates)
    pool = candidates or [f for f in frameworks if f.graded and f.areas]
    readings = [_judgements_for(doc, framework, titled=titled) for framework in pool]
    if not readings:
        return _Reading(None)
    best = max(readings, key=lambda reading: reading.fit(start))  # the first of equals wins
    if not titled and not best.judgements:
        return _Reading(None)
    return best


def _framework(doc: _Document, kind: str, start: date | None, end: date | None) -> str:
    """ILACS reports do not name their length; short inspections last one week on site."""
    if kind == "SIF":
        return "SIF"
    if kind != "ILACS":
        return ""
    if start is None or end is None:
        doc.problem("framework", "no inspection dates, so standard or short is not known")
        return ""
    return "ILACS short" if (end - start).days <= _SHORT_INSPECTION_DAYS else "ILACS standard"


# --- dates


def _read_dates(doc: _Document, kind: str) -> tuple[date | None, date | None]:
    """The first and last day of the inspection, from the labelled dates if there are any."""
    for label in _DATES_LABEL_RE.finditer(doc.flat):
        found = _dates_after(doc, label.end(), window=120)
        if found:
            return found
    if kind == "Unknown" and not _OFSTED_LETTER_RE.search(doc.flat[:_COVER_CHARS]):
        return None, None  # unlabelled dates alone do not make a document a report
    for phrase in _VISIT_ON_RE.finditer(doc.flat[:_COVER_CHARS]):  # "the visit on 3 and 4 May"
        found = _dates_after(doc, phrase.end(), window=60)
        if found:
            return found
    for match in DATE_RANGE_RE.finditer(doc.flat[:_COVER_CHARS]):  # a bare range on the cover
        if "publish" not in doc.flat[max(0, match.start() - 30) : match.start()].lower():
            found = _range_dates(doc, match)
            if found:
                return found
    doc.problem("dates", "no inspection dates found")
    return None, None


def _dates_after(doc: _Document, offset: int, *, window: int) -> tuple[date, date] | None:
    """The first range of dates (or single date) in the text just after `offset`."""
    text = _SPLIT_DAY_RE.sub(r"\1\2", doc.flat[offset : offset + window])
    match = DATE_RANGE_RE.search(text)
    single = SINGLE_DATE_RE.search(text)
    if single and (not match or single.start() < match.start()):
        day = _make_date(doc, single[1], single[2], single[3])  # "on 5 March 2019"
        return (day, day) if day else None
    if not match:
        return None
    found = _range_dates(doc, match)
    second = _SECOND_RANGE_RE.match(text, match.end())
    if found and second:  # "8 July 2019 to 12 July 2019 and 7 August 2019 to 8 August 2019"
        later = _range_dates(doc, second)
        if later and later[1] > found[1]:
            doc.problem("dates", f"the inspection ran in two parts: {text[: second.end()]}")
            found = (found[0], later[1])
    return found


def _range_dates(doc: _Document, match: re.Match[str]) -> tuple[date, date] | None:
    """Dates from a range; the first date borrows the month and year it leaves out."""
    day1, month1, year1, day2, month2, year2 = match.groups()
    end = _make_date(doc, day2, month2, year2)
    if end is None:
        return None
    month1 = month1 or month2
    if year1 is None:  # "28 December to 8 January 2016" starts the year before
        late = _MONTH_NUMBER[month1[:3].lower()] > end.month
        year1 = str(end.year - 1 if late else end.year)
    start = _make_date(doc, day1, month1, year1)
    if start is None:
        return None
    if start > end or (end - start).days > _LONGEST_INSPECTION_DAYS:
        doc.problem("dates", f"unlikely inspection dates: {match[0]}")
    return start, end


def _make_date(doc: _Document, day: str, month: str, year: str) -> date | None:
    try:
        return date(int(year), _MONTH_NUMBER[month[:3].lower()], int(day))
    except (ValueError, KeyError):
        doc.problem("dates", f"not a date: {day} {month} {year}")
        return None


# --- people and places


_LEAD_RE = re.compile(r"^\s*(?:lead|reporting)\s+inspector\b\s*:?\s*(.*)$", re.IGNORECASE)
_NAME_END_RE = re.compile(
    r",|\(|\s(?:His|Her)\s+Majesty|\s(?:Senior\s+)?HMI\b|\sOfsted\s+Inspector"
    r"|\sSocial\s+Care\s+Regulatory",
    re.IGNORECASE,
)
_SIGNATURE_RE = re.compile(
    r"Yours sincerely\s+(?:[^\n]*\n\s*){0,2}?([A-Z][^\n,]{2,60})\s*\n\s*"
    r"(?:His|Her) Majesty['’]s (?:Senior |Lead )?Inspector"
)


def _read_lead_inspector(doc: _Document, framework: FrameworkSpec | None) -> str:
    """'Lead inspector: Andy Waugh, His Majesty's Inspector' → 'Andy Waugh'; a letter's signature
    ('Yours sincerely … Ann Other, His Majesty's Inspector'). What is found must look like a
    person's name, or it is a problem and left out: never a sentence of the report."""
    found = []
    for index, line in enumerate(doc.lines):
        match = _LEAD_RE.match(line)
        if match:
            found.append(match[1].strip() or _next_filled(doc.lines, index + 1))
    signature = _SIGNATURE_RE.search("\n".join(doc.lines))
    if signature:
        found.append(signature[1])
    for text in found:
        name = _clean_name(text)
        if name and _looks_like_name(name):
            return name
    if found:
        doc.problem(
            "lead inspector",
            f"'{' '.join(found[0].split())[:80]}' does not look like a name, so no lead inspector "
            "was recorded: check the report",
        )
    elif framework is not None and framework.lead_named:
        doc.problem("lead inspector", "no lead inspector found")
    return ""


_NAME_WORD = re.compile(
    r"(?:[A-Z][a-zà-ÿ]*(?:['’-][A-Za-zà-ÿ]+)*|[A-Z]\.?|Mc[A-Z][a-z]+|O['’][A-Z][a-z]+"
    r"|de|van|von|der|den|la|le|du|da|di|dos|bin|ap)"
)
_NOT_NAMES = {"The", "This", "These", "Inspection", "Inspectors", "Report", "Ofsted", "Children"}


def _looks_like_name(text: str) -> bool:
    """Two to five words, each a capitalised name, an initial or a particle ('van', 'de')."""
    words = text.split()
    return (
        2 <= len(words) <= 5
        and all(_NAME_WORD.fullmatch(word) for word in words)
        and words[0][:1].isupper()
        and not _NOT_NAMES & set(words)
    )


def _clean_name(text: str) -> str:
    name = _NAME_END_RE.split(text, maxsplit=1)[0].strip(" .:;-–")
    if not name or len(name) > 60 or any(ch.isdigit() for ch in name):
        return ""
    return " ".join(name.split())


def _next_filled(lines: list[str], start: int) -> str:
    return next((line.strip() for line in lines[start : start + 3] if line.strip()), "")


_AUTHORITY_IN_TITLE_RE = re.compile(
    r"(?:inspection of|visit to) (?:the )?(.{2,80}?) local authority children", re.IGNORECASE
)
_AUTHORITY_BEFORE_TITLE_RE = re.compile(
    r"^\s*(\S.{1,80}?)\s+(?:re-)?inspection of\b", re.IGNORECASE
)
_AUTHORITY_LINE_RE = re.compile(
    r"\b(?:council|borough|county|city|corporation|isles? of|metropolitan)\b", re.IGNORECASE
)


def _read_authority(doc: _Document) -> str:
    """The council's name as the report writes it: from the title ('Inspection of Oldham local
    authority ...'), else the words before the title, else a cover line naming a council."""
    match = _AUTHORITY_IN_TITLE_RE.search(doc.flat[:3000]) or _AUTHORITY_BEFORE_TITLE_RE.match(
        doc.flat[:300]
    )
    if match:
        return match[1].strip()
    filled = [line.strip() for line in doc.lines[:80] if line.strip()]
    for line in filled[:15]:
        if _AUTHORITY_LINE_RE.search(line) and len(line) <= 80 and not line.startswith("©"):
            return line
    doc.problem("authority", "the local authority's name was not found")
    return ""


# --- judgements


@dataclass(frozen=True)
class _Vocabulary:
    """A framework's (or several frameworks') areas and grade words as compiled patterns."""

    areas: tuple[tuple[str, re.Pattern[str], bool], ...]  # name, area then grade, required
    headings: tuple[re.Pattern[str], ...]
    ends_with_grade: re.Pattern[str]
    grade_of: object  # (text) -> canonical grade


@cache
def _vocabulary(frameworks: tuple[FrameworkSpec, ...]) -> _Vocabulary:
    """The patterns for the areas and grade words of `frameworks`, compiled once."""
    grade = "(?:" + "|".join(f.grade_pattern for f in frameworks if f.grades) + ")"
    if grade == "(?:)":
        grade = "(?!)"
    areas = []
    for framework in frameworks:
        for area in framework.areas:
            wording = "|".join(f"(?:{w})" for w in area.wordings)
            pattern = re.compile(
                rf"\b(?:{wording})\s*(?:[:\-–])?\s*(?:\d{{1,2}}\s+)?\b({framework.grade_pattern})",
                re.IGNORECASE,
            )
            areas.append((area.name, pattern, area.required))
    any_area = (
        "|".join(
            f"(?:{w})"
            for framework in frameworks
            for area in framework.areas
            for w in area.wordings
        )
        or "(?!)"
    )
    headings = (
        re.compile(  # "The experiences and progress of children in care: good"
            rf"(?:\d(?:\.\d)?\.?\s+)?(?P<title>(?:the\s+)?(?:{any_area}))"
            rf"\s*(?:[:\-–]|\bis\b|\bare\b)?\s*(?P<grade>{grade})\s*\.?",
            re.IGNORECASE,
        ),
        re.compile(  # SIF: "The graded judgement for adoption performance is that it is good"
            rf"the graded judgement (?:for|about|on) (?P<title>(?:the )?(?:{any_area}))"
            rf" is that (?:it|they) (?:is |are )?(?P<grade>{grade})\s*\.?",
            re.IGNORECASE,
        ),
        re.compile(  # before 2014: "Capacity to improve Grade 4 (inadequate)"
            r"(?P<title>[A-Z][^.:]{3,120}?)\s+(?P<grade>grade\s+[1-4]\s*\(\s*[a-z]+\s*\))",
            re.IGNORECASE,
        ),
    )

    def grade_of(text: str) -> str:
        for framework in frameworks:
            found = framework.grade_of(text)
            if found:
                return found
        return ""

    return _Vocabulary(
        tuple(areas),
        headings,
        re.compile(rf"\b{grade}\s*\.?$", re.IGNORECASE),
        grade_of,
    )


_FRONT_TABLE_CHARS = 6000  # the judgement table is on the first page or two


def _judgements_for(doc: _Document, framework: FrameworkSpec, *, titled: bool) -> _Reading:
    """Each area's grade as `framework` words them: its first mention with a grade, which is
    the table on the cover; later mentions (the section headings) are checked against it. Also
    the overall grade, and the line after the cover table, where the body of the report starts.
    Letters and visits are not graded: nothing is read, nothing invented."""
    reading = _Reading(framework, titled=titled)
    if not framework.graded:
        return reading
    table_end = 0
    for area in framework.areas:
        wording = "|".join(f"(?:{w})" for w in area.wordings)
        pattern = re.compile(
            rf"\b(?:{wording})\s*(?:[:\-–])?\s*(?:\d{{1,2}}\s+)?\b({framework.grade_pattern})",
            re.IGNORECASE,
        )
        matches = list(pattern.finditer(doc.flat))
        if not matches:
            continue
        first = matches[0]
        grade = framework.grade_of(first[1])
        reading.judgements.append(Judgement(area.name, grade, " ".join(first[1].split())))
        _check_agreement(doc, reading, area.name, grade, matches[1:])
        if area.required and first.end() < _FRONT_TABLE_CHARS:
            table_end = max(table_end, first.end())
    reading.overall = _read_overall(doc, framework)
    if reading.overall and table_end and reading.overall.end < _FRONT_TABLE_CHARS:
        table_end = max(table_end, reading.overall.end)
    reading.table_end = doc.line_at(table_end) + 1 if table_end else 0
    return reading


def _check_agreement(
    doc: _Document, reading: _Reading, area: str, grade: str, later: list[re.Match[str]]
) -> None:
    """The cover table and the section heading should give the same grade."""
    if reading.framework is None:
        return
    for match in later:
        other = reading.framework.grade_of(match[1])
        if other and other != grade:
            reading.problems.append(
                Problem(
                    f"{doc.source}: judgements",
                    f"{area}: the table says {grade} but '{match[0][-80:]}' says {other}",
                )
            )
            return


def _read_overall(doc: _Document, framework: FrameworkSpec) -> _Overall | None:
    """The overall effectiveness grade, in the first of the framework's wordings that the
    report uses ('Overall effectiveness Good'; SIF: 'Children's services in X are …', 'The
    overall judgement is …'). None where the framework gives none (ILACS from April 2026)."""
    if not framework.overall:
        return None
    for pattern in framework.overall_res:
        match = pattern.search(doc.flat)
        if match:
            written = " ".join(match["grade"].split())
            grade = framework.grade_of(written)
            if grade:
                return _Overall(grade, written, match.end())
    return None


def _check_completeness(
    doc: _Document, framework: FrameworkSpec, judgements: list[Judgement], overall
) -> None:
    """Name what a graded report of this framework should have but this one seems not to. A
    framework without an overall grade (ILACS from April 2026) is not missing one."""
    if not framework.graded:
        return
    found = {j.area for j in judgements}
    for area in framework.areas:
        if area.required and area.name not in found:
            doc.problem("judgements", f"no grade found for '{area.name}'")
    if framework.overall and not overall:
        doc.problem("overall", "no overall effectiveness grade found")


# --- headings shared by findings and paragraphs


_BOILERPLATE_RE = re.compile(
    r"^\s*(?:The Office for Standards in Education, Children|Any complaints about the inspection"
    r"|If you would like a copy of this document|Ofsted will take the findings"
    r"|Yours sincerely)",
    re.IGNORECASE,
)
_SECTION_BREAKS = (  # headings that end a finding or paragraph without being graded
    "summary",
    "inspection findings",
    "summary for children and young people",
    "summary of findings",
    "executive summary",
    "contents",
    "information about this inspection",
    "information about this local authority area",
    "the local authority",
    "progress since the last inspection",
    "inspection judgements about the local authority",
    "record of main findings",
    "main findings",
    "the inspection team",
    "about this inspection",
    "service information",
    "the local safeguarding children board",
    "the local safeguarding children board (lscb)",
    "headline findings",
    "findings and evaluation of progress",
    "evaluation of progress",
    "next steps",
    "background",
    "context",
)


def _heading_at(lines: list[str], index: int, vocabulary: _Vocabulary) -> tuple[str, int] | None:
    """A graded judgement heading starting at `lines[index]`, wrapped over up to four
    lines: its title (without the grade) and how many lines it takes."""
    joined = ""
    for count in range(1, 5):
        if index + count > len(lines) or not lines[index + count - 1].strip():
            return None
        joined = f"{joined} {lines[index + count - 1].strip()}".strip()
        if len(joined) > 250:
            return None
        if not vocabulary.ends_with_grade.search(joined):
            continue
        for pattern in vocabulary.headings:
            match = pattern.fullmatch(joined)
            if match:
                title = " ".join(match["title"].split())
                return title[:1].upper() + title[1:], count
    return None


def _is_section_break(line: str) -> bool:
    words = " ".join(line.lower().replace("’", "'").split()).rstrip(" :?")
    return words in _SECTION_BREAKS or words.startswith("inspection findings")


def _join(parts: list[str]) -> str:
    """Wrapped lines as one text. Line-end hyphens are real hyphens in these reports
    ('well-' + 'being'), so they are kept and no space is added after them."""
    text = ""
    for part in parts:
        part = " ".join(part.split())
        if not part:
            continue
        glue = "" if not text or (text[-1] == "-" and text[-2:-1].isalpha()) else " "
        text = f"{text}{glue}{part}"
    return text


# --- findings: recommendations, areas for improvement and priority action, strengths …


# Headings that say what follows asks for action, for a report whose framework is not known.
_GENERIC_FINDINGS = (
    (
        re.compile(
            r"(?:what needs to improve(?: in [^?]{1,80})?|recommendations|areas? for improvement"
            r"|what does the local authority need to improve|priority and immediate action)"
            r"\s*\??\s*:?",
            re.IGNORECASE,
        ),
        "recommendation",
    ),
    (re.compile(r"areas? for priority action\s*:?", re.IGNORECASE), "priority"),
)
_NUMBERED_RE = re.compile(r"^\s*(?:•\s*)?(\d{1,3})\.(?:\s+(.*))?$")
_BULLET_LINE_RE = re.compile(r"^\s*•\s*(.*)$")
_MAX_LINES_BEFORE_FIRST_ITEM = 8
_THEME_RE = re.compile(r"^[A-Z0-9‘'\"(][^.;]{2,90}$")  # "Children who need help and protection"
_PARAGRAPH_KINDS = {"priority", "progress"}  # a letter's may be paragraphs
_RUNNING_REPORT_TITLE_RE = re.compile(r"^\s*(?:re-)?inspection of\b.{0,130}$", re.IGNORECASE)


def _starts_item(line: str) -> bool:
    return bool(_BULLET_LINE_RE.match(line) or _NUMBERED_RE.match(line))


_SENTENCE_END_RE = re.compile(r"[.!?]['’”)]?$")
_ATTRIBUTES = {
    "recommendation": "recommendations",
    "priority": "priority_actions",
    "improvement": "areas_for_improvement",
    "reviewed": "areas_reviewed",
    "progress": "progress_findings",
    "strength": "strengths",
    "development": "areas_for_development",
}


def _finding_headings(framework: FrameworkSpec | None) -> tuple[tuple[re.Pattern[str], str], ...]:
    return framework.finding_res if framework is not None else _GENERIC_FINDINGS


def _finding_heading(line: str, headings) -> str | None:
    """The kind of finding a heading line introduces, if it is one."""
    text = line.strip()
    for pattern, kind in headings:
        if pattern.fullmatch(text):
            return kind
    return None


def _read_findings(
    doc: _Document,
    report: InspectionReport,
    framework: FrameworkSpec | None,
    vocabulary: _Vocabulary,
) -> None:
    """Each heading of the framework's findings with the items under it: bullets, numbered
    items (recommendations, themed sub-headings between them) or paragraphs. A report's
    recommendations are the first list of them (a SIF report's later LSCB list is the board's,
    not the council's); a letter's findings are every list its headings introduce."""
    headings = _finding_headings(framework)
    letter = framework is not None and not framework.graded
    taken: set[str] = set()
    index = 0
    while index < len(doc.lines):
        kind = _finding_heading(doc.lines[index], headings)
        if kind is None or (kind in taken and not letter):
            index += 1
            continue
        block = _FindingBlock(doc, vocabulary, headings, kind)
        items, next_index = block.read(index + 1)
        if not items and doc.lines[index].strip().lower().startswith("what needs to improve"):
            items = _unbulleted_items(doc, vocabulary, index + 1)
        if items:
            taken.add(kind)
            getattr(report, _ATTRIBUTES[kind]).extend(items)
            index = next_index
        else:
            index += 1
    _check_recommendations(doc, report, framework)


class _FindingBlock:
    """Reads the items under one findings heading until the text plainly moves on: another
    heading (of findings, of a section, a graded one), Ofsted's closing words, or (after
    bullets) the first numbered paragraph. Numbered items must follow on (1, 2, 3 …): a
    number out of turn is text carried on. A short line between numbered items whose next
    line is the next item is a themed sub-heading ("Leadership and management") and is passed
    over; bullets under a numbered item are its own points."""

    def __init__(self, doc: _Document, vocabulary: _Vocabulary, headings, kind: str) -> None:
        self.doc, self.vocabulary, self.headings, self.kind = doc, vocabulary, headings, kind
        self.items: list[list[str]] = []
        self.numbered = False
        self.bulleted = False
        self.number = 0
        self.current: list[str] | None = None
        self.themes = 0
        self.paragraphs = False  # the findings are paragraphs of text, not a list
        self.widest = 0
        self.before_first = 0  # lines read before the first item

    def paragraph(self, line: str) -> None:
        """A line of a paragraph; a short line ending a sentence ends the paragraph (the last
        line of a paragraph is seldom as wide as the others)."""
        if self.current is None:
            self.current = []
            self.items.append(self.current)
        self.current.append(line)
        self.widest = max(self.widest, len(line))
        if _SENTENCE_END_RE.search(line) and len(line) < 0.8 * self.widest:
            self.current = None

    def read(self, start: int) -> tuple[list[str], int]:
        """The items, and the line where the list ended."""
        index = start
        while index < len(self.doc.lines):
            outcome = self.step(index)
            if outcome == "stop":
                break
            if outcome == "not a list":  # a contents page, say
                return [], index
            index += 1
        return self.texts(), index

    def step(self, index: int) -> str:
        """Read one line: "next", "stop" (the list is over) or "not a list"."""
        line = self.doc.lines[index].strip()
        if not line or _RUNNING_REPORT_TITLE_RE.match(line):  # a page's running title
            return "next"
        kind = _finding_heading(line, self.headings)
        if kind is not None:
            if kind != self.kind:
                return "stop"  # the next list: strengths after the recommendations
            if self.numbered:  # "Priority and immediate action" then "Areas for improvement"
                self.current = None
            return "next"
        if self.ends(index):
            return "stop"
        if self.read_paragraph(line) or self.take(self.doc.lines, index, line):
            return "next"
        if self.current is None and not self.items:
            self.before_first += 1
            return "not a list" if self.before_first > _MAX_LINES_BEFORE_FIRST_ITEM else "next"
        return "stop"

    def read_paragraph(self, line: str) -> bool:
        """A letter's area for priority action or headline findings, written as paragraphs."""
        if self.kind in _PARAGRAPH_KINDS and not self.items and not _starts_item(line):
            self.paragraphs = True
        if not self.paragraphs:
            return False
        if _starts_item(line) and not self.items:
            self.paragraphs = False
            return False
        self.paragraph(line)
        return True

    def ends(self, index: int) -> bool:
        line = self.doc.lines[index]
        return bool(
            _BOILERPLATE_RE.match(line)
            or _is_section_break(line)
            or _heading_at(self.doc.lines, index, self.vocabulary)
        )

    def take(self, lines: list[str], index: int, line: str) -> bool:
        """Whether the line belongs to the list (and it is added)."""
        bullet, number = _BULLET_LINE_RE.match(line), _NUMBERED_RE.match(line)
        if number and self._in_turn(int(number[1])):
            if self.bulleted and not self.numbered:
                return False  # ILACS: the first numbered paragraph after the bullets
            self.numbered, self.number = True, int(number[1])
            self.current = [number[2] or ""]
            self.items.append(self.current)
            return True
        if bullet:
            if self.numbered and self.current is not None:
                self.current.append(f"\n• {bullet[1]}")  # a point of the numbered item
            else:
                self.bulleted = True
                self.current = [bullet[1]]
                self.items.append(self.current)
            return True
        if self.current is None:
            return False
        if line.endswith(":") and len(line) < 60:
            return True  # "Within three months:" groups items without being one
        if (self.numbered or self.bulleted) and self._theme(lines, index, line):
            self.themes += 1
            self.current = None
            return True
        if _continues(self.current, line):
            self.current.append(line)
            return True
        if not self.numbered and not self.bulleted:
            return False
        return False

    def _in_turn(self, number: int) -> bool:
        """The next number, a list starting (again) at 1, or the first item of the list (a
        2014 report numbers its strengths on from its recommendations: 26, 27 …)."""
        return not self.items or number == self.number + 1 or (number == 1 and self.current is None)

    def _theme(self, lines: list[str], index: int, line: str) -> bool:
        if not _THEME_RE.match(line) or _SENTENCE_END_RE.search(line):
            return False
        following = next(
            (text.strip() for text in lines[index + 1 : index + 4] if text.strip()), ""
        )
        if self.bulleted and not self.numbered:
            return bool(_BULLET_LINE_RE.match(following))
        number = _NUMBERED_RE.match(following)
        return bool(number and (int(number[1]) == self.number + 1 or int(number[1]) == 1))

    def texts(self) -> list[str]:
        items = [_segments(item) for item in self.items]
        if self.numbered and len(items) == 1 and len(items[0]) >= 3:
            # One numbered paragraph introducing a list ("15. … the local authority should take
            # the following action."): its points are the findings.
            items = [[point] for point in items[0][1:]]
        out = []
        for segments in items:
            head, points = segments[0], segments[1:]
            text = "\n".join([_join(head), *(f"• {_join(point)}" for point in points)]).strip()
            if text:
                out.append(text)
        return out


def _segments(item: list[str]) -> list[list[str]]:
    """An item's own lines, then each of its bulleted points with the lines carrying it on."""
    segments: list[list[str]] = [[]]
    for part in item:
        if part.startswith("\n• "):
            segments.append([part[3:]])
        else:
            segments[-1].append(part)
    return segments


def _unbulleted_items(doc: _Document, vocabulary: _Vocabulary, start: int) -> list[str]:
    """ILACS items whose bullet glyphs the PDF's font lost: each is one sentence, so an item
    ends at a line that ends with a full stop."""
    items: list[list[str]] = [[]]
    for index in range(start, len(doc.lines)):
        line = doc.lines[index].strip()
        if line and (
            _BOILERPLATE_RE.match(line)
            or _is_section_break(line)
            or _heading_at(doc.lines, index, vocabulary)
            or _NUMBERED_RE.match(line)
        ):
            break
        if line:
            items[-1].append(line)
            if line.endswith("."):
                items.append([])
    return [text for text in (_join(item) for item in items) if text]


def _continues(item: list[str], line: str) -> bool:
    """A line carries on an item unless the item ended a sentence and a new one starts."""
    text = _join([part for part in item if not part.startswith("\n• ")] or [""])
    if item and item[-1].startswith("\n• "):
        text = item[-1]
    return not re.search(r"[.!?]['’”)]?$", text) or not line[:1].isupper()


def _check_recommendations(
    doc: _Document, report: InspectionReport, framework: FrameworkSpec | None
) -> None:
    """Say where the count of recommendations may be wrong: none in a graded report, or an
    item that looks like a fragment (it starts in lower case, or is a few words)."""
    asks = framework is not None and any(kind == "recommendation" for _, kind in framework.findings)
    if asks and framework.graded and not report.recommendations:
        doc.problem("recommendations", "no recommendations found: check the report")
    texts = report.recommendations
    lower_case_style = sum(text[:1].islower() for text in texts) * 2 >= len(texts)
    for number, text in enumerate(texts, 1):
        if (text[:1].islower() and not lower_case_style) or len(text) < 25:
            doc.problem(
                "recommendations",
                f"recommendation {number} ('{text[:60]}') may be a fragment of another: check "
                "the number of recommendations",
            )


# --- numbered paragraphs


_MAX_NUMBER_GAP = 2


def _read_paragraphs(doc: _Document, body_start: int, vocabulary: _Vocabulary) -> list[Paragraph]:
    """Paragraphs numbered 1, 2, 3 … at line starts, each with the judgement heading above it.
    Numbers must follow on (a line that merely starts with a number continues its paragraph);
    headings, section titles and Ofsted's closing boilerplate end a paragraph."""
    numbered: list[tuple[int, str, list[str]]] = []  # number, section, lines
    open_lines: list[str] | None = None  # the lines of the paragraph still being read
    section = ""
    index = body_start
    headings = _GENERIC_FINDINGS
    while index < len(doc.lines):
        line = doc.lines[index]
        if _BOILERPLATE_RE.match(line) and not line.lower().lstrip().startswith("ofsted will"):
            break
        heading = _heading_at(doc.lines, index, vocabulary)
        if heading:
            section, open_lines = heading[0], None
            index += heading[1]
            continue
        start = _paragraph_start(doc, line, numbered[-1][0] if numbered else 0)
        if start:
            open_lines = [start[1]]
            numbered.append((start[0], section, open_lines))
        elif _finding_heading(line, headings) == "recommendation" and line.strip().lower() in (
            "recommendations",
            "recommendations:",
        ):
            section, open_lines = section or "Recommendations", None
        elif _finding_heading(line, headings) is not None:
            section, open_lines = section or "Recommendations", None
        elif _is_section_break(line):
            open_lines = None
        elif open_lines is not None and line.strip():
            open_lines.append(line)
        index += 1
    return [Paragraph(number, _join(lines), section) for number, section, lines in numbered]


def _paragraph_start(doc: _Document, line: str, previous: int) -> tuple[int, str] | None:
    """The number and first text of a line that starts the next numbered paragraph."""
    match = _NUMBERED_RE.match(line)
    if not match:
        return None
    number, expected = int(match[1]), previous + 1
    if number != expected:
        if not previous or not expected < number <= expected + _MAX_NUMBER_GAP:
            return None
        doc.problem("paragraphs", f"paragraph {expected} was not found before {number}")
    return number, match[2] or ""
