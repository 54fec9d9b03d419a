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
judgements) raises `InspectionParseError`, the one exception that leaves this module.
"""

from __future__ import annotations

import io
import re
import unicodedata
import warnings
from bisect import bisect_right
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import NoReturn

from pypdf import PasswordType, PdfReader, apply_configuration
from pypdf.errors import DependencyError, LimitReachedError

MAX_FILE_BYTES = 50 * 1024 * 1024  # the largest Ofsted report PDFs are about 2 MB
MAX_PAGES = 200  # SIF reports, the longest, run to about 60 pages
MAX_TEXT_CHARS = 2_000_000  # about 400 pages of report text
MAX_CONTENT_BYTES = 1536 * 1024  # all pages' drawing instructions; the longest has 0.9 MB
# pypdf's own limits, lowered from what any PDF may need to what a report needs, so a hostile
# file fails in a fraction of a second rather than after 75 MB or two million operators.
_PDF_LIMITS = {
    "zlib_maximum_output_length": 8 * 1024 * 1024,  # one stream, unpacked; pages use < 50 KB
    "lzw_maximum_output_length": 8 * 1024 * 1024,
    "run_length_maximum_output_length": 8 * 1024 * 1024,
    "brotli_maximum_output_length": 8 * 1024 * 1024,
    "array_based_stream_maximum_output_length": 8 * 1024 * 1024,
    "stream_decoding_work_maximum_length": 16 * 1024 * 1024,
    "stream_parsing_work_maximum_count": 300_000,  # one page; a report's have about 10,000
    "page_tree_maximum_entries": 1_000,
    "xform_maximum_invocations_per_extraction": 100,
    "outline_maximum_entries": 10_000,
}

# ---------------------------------------------------------------------------------------------
# Public data


@dataclass(frozen=True)
class Problem:
    where: str  # e.g. "oldham.pdf: judgements" or "oldham.pdf: page 3"
    message: str


class InspectionParseError(Exception):
    """The input is not an inspection report at all; `problems` says why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.where}: {p.message}" for p in problems))


@dataclass
class Judgement:
    area: str  # a canonical area from AREA_WORDINGS, or OVERALL_EFFECTIVENESS
    grade: str  # one of GRADES


@dataclass
class Paragraph:
    number: int
    text: str
    section: str  # the judgement heading it sits under, as the report words it


@dataclass
class InspectionReport:
    type: str  # "ILACS", "SIF", "Focused visit", "Monitoring visit", "JTAI" or "Unknown"
    framework: str  # "ILACS standard", "ILACS short", "SIF" or ""
    authority: str
    start: date | None
    end: date | None
    lead_inspector: str
    judgements: list[Judgement] = field(default_factory=list)  # as the table: overall last
    overall: str = ""  # the overall effectiveness grade, or "" for ungraded visits
    recommendations: list[str] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # A focused visit's findings (read by visit_findings.py, not from Ofsted's reports).
    strengths: list[str] = field(default_factory=list)
    areas_for_development: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        """The facts people compare with the published report, as JSON-ready values."""
        return {
            "type": self.type,
            "start": self.start.isoformat() if self.start else None,
            "end": self.end.isoformat() if self.end else None,
            "lead_inspector": self.lead_inspector,
            "overall": self.overall,
            "judgements": [asdict(j) for j in self.judgements],
            "recommendations": list(self.recommendations),
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
GRADES = (OUTSTANDING, GOOD, REQUIRES_IMPROVEMENT, INADEQUATE, ADEQUATE)

# A grade as reports write it. "Requires improvement" is SIF's wording of the same grade, and
# "Grade 4 (inadequate)" the older inspections'. The plural "require improvement" is left out
# on purpose: SIF covers use it in sentences that describe a grade, not award it.
GRADE = (
    r"(?:requires\s+improvement(?:,?\s+to\s+(?:be|become)\s+good)?"
    r"|inadequate|outstanding|good|adequate"
    r"|grade\s+[1-4]\s*\(\s*(?:inadequate|adequate|good|outstanding)\s*\))(?![\w-])"
)

ILACS, SIF, LEGACY = "ILACS", "SIF", "legacy"  # families of judgement areas

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

_EP = "experiences? and progress of "  # "experience" in some headings

# The one table of judgement areas: (family, canonical area, the wordings reports use).
# The order is the order judgements are listed in. Wordings are lower case regular
# expressions, matched against text whose whitespace is collapsed to single spaces.
AREA_WORDINGS: tuple[tuple[str, str, str], ...] = (
    (
        ILACS,
        IMPACT_OF_LEADERS,
        r"impact of leaders on social work practice(?: with children and families)?",
    ),
    (ILACS, HELP_AND_PROTECTION, _EP + "children who need help and protection"),
    # ILACS until 2023 graded children in care and care leavers together, then apart.
    (ILACS, IN_CARE_AND_CARE_LEAVERS, _EP + "children in care and care leavers"),
    (ILACS, IN_CARE, _EP + "children in care"),
    (ILACS, CARE_LEAVERS, _EP + "care leavers"),
    (SIF, SIF_HELP_AND_PROTECTION, f"(?:the {_EP})?children who need help and protection"),
    (SIF, SIF_LOOKED_AFTER, f"(?:the {_EP})?children looked after and achieving permanence"),
    (SIF, ADOPTION, "adoption performance"),
    (SIF, CARE_LEAVERS, _EP + "care leavers"),
    (SIF, LEADERSHIP, "leadership, management and governance"),
    (
        SIF,
        LSCB,
        r"(?:the effectiveness of )?(?:the )?local safeguarding children board(?: \(lscb\))?",
    ),
    # Inspections of looked after children services, 2012–2013.
    (LEGACY, "Capacity to improve", "capacity (?:to|for) improve(?:ment)?"),
    (
        LEGACY,
        "Outcomes for looked after children and young people",
        "outcomes for looked after children(?: and young people)?",
    ),
    (LEGACY, "Quality of provision", "quality of provision"),
    (LEGACY, "Leadership and management", "leadership and management"),
)

# The areas each framework always grades; a report missing one gets a Problem.
REQUIRED_AREAS = {
    ILACS: (IMPACT_OF_LEADERS, HELP_AND_PROTECTION),
    SIF: (SIF_HELP_AND_PROTECTION, SIF_LOOKED_AFTER, ADOPTION, CARE_LEAVERS, LEADERSHIP),
}

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


def read_report_file(path: Path) -> InspectionReport:
    """Read a report file, choosing PDF or UTF-8 text by its first bytes, not its name."""
    return read_report_bytes(report_file_bytes(path), source=Path(path).name)


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


def read_report_bytes(data: bytes, *, source: str) -> InspectionReport:
    """Read a report from its bytes (an upload or a file): PDF by its first bytes, else text."""
    if b"%PDF-" in data[:1024]:
        return read_report_pdf(data, source=source)
    if not data.strip():
        _refuse(source, "the file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        _refuse(source, "the file is neither a PDF nor UTF-8 text")
    return read_report_text(text, source=source)


def read_report_pdf(data: bytes, *, source: str = "report.pdf") -> InspectionReport:
    """Read a report PDF: its text by pypdf, then the same reading as `read_report_text`."""
    problems: list[Problem] = []
    pages = _pdf_pages(data, source, problems)
    report = _read_pages(pages, source)
    report.problems[:0] = problems
    return report


def read_report_text(text: str, *, source: str = "report") -> InspectionReport:
    """Read a report's text, such as a converter's output; form feeds mark page breaks."""
    if len(text) > MAX_TEXT_CHARS:
        _refuse(source, f"the text has {len(text)} characters; the limit is {MAX_TEXT_CHARS}")
    if not text.strip():
        _refuse(source, "the text is empty")
    if _looks_binary(text):
        _refuse(source, "the text looks like binary data, not a report")
    return _read_pages(text.split("\f"), source)


def _refuse(source: str, message: str) -> NoReturn:
    raise InspectionParseError([Problem(source, message)])


def _looks_binary(text: str) -> bool:
    """Control characters other than line and page breaks are rare in text, common in binary."""
    controls = sum(1 for ch in text if ch < " " and ch not in "\n\r\t\f")
    return "\x00" in text or controls > max(2, len(text) // 100)


# ---------------------------------------------------------------------------------------------
# Step 1: PDF bytes → pages of text


def _pdf_pages(data: bytes, source: str, problems: list[Problem]) -> list[str]:
    """The text of each page. pypdf raises many exception types on damaged files, so every
    pypdf call is guarded here and any failure becomes an InspectionParseError or a Problem."""
    if not data:
        _refuse(source, "the file is empty")
    if len(data) > MAX_FILE_BYTES:
        _refuse(source, f"the file is {len(data)} bytes; a report is at most {MAX_FILE_BYTES}")
    if b"%PDF-" not in data[:1024]:
        _refuse(source, "not a PDF: it does not start with %PDF-")
    end = data.rfind(b"%%EOF")
    if end < 0:  # pypdf would read the whole file backwards, line by line, looking for it
        _refuse(source, "the PDF is damaged or truncated: it has no end marker (%%EOF)")
    data = data[: end + len(b"%%EOF")]  # what follows the last end marker is not the PDF's
    with warnings.catch_warnings(), apply_configuration(**_PDF_LIMITS):
        warnings.simplefilter("ignore")  # pypdf warns about every small defect it repairs
        reader = _open_pdf(data, source)
        pages = _count(reader, source)
        _check_content_size(reader, pages, source)
        texts = [_page_text(reader, number, source, problems) for number in range(pages)]
    if not any(text.strip() for text in texts):
        _refuse(source, "the PDF has no text layer (a scanned image?), so nothing can be read")
    return texts


_AES_MESSAGE = "the PDF is AES-encrypted; reading it needs the 'cryptography' package"


def _open_pdf(data: bytes, source: str) -> PdfReader:
    """A reader for the PDF. Encryption with an empty user password (permissions only) reads
    fine; a PDF that needs a password to open is refused."""
    try:
        reader = PdfReader(io.BytesIO(data))
        unlocked = not reader.is_encrypted or reader.decrypt("") != PasswordType.NOT_DECRYPTED
    except DependencyError as error:
        raise InspectionParseError([Problem(source, _AES_MESSAGE)]) from error
    except Exception as error:  # pypdf's errors on damaged files are many
        raise InspectionParseError(
            [Problem(source, f"the PDF is damaged or truncated and cannot be opened ({error})")]
        ) from error
    if not unlocked:
        _refuse(source, "the PDF is encrypted with a password, so its text cannot be read")
    return reader


def _count(reader: PdfReader, source: str) -> int:
    try:
        pages = len(reader.pages)
    except Exception as error:  # a broken page tree fails here
        raise InspectionParseError(
            [Problem(source, f"the PDF's page list is damaged ({error})")]
        ) from error
    if pages == 0:
        _refuse(source, "the PDF has no pages")
    if pages > MAX_PAGES:
        _refuse(source, f"the PDF has {pages} pages; a report has at most {MAX_PAGES}")
    return pages


def _check_content_size(reader: PdfReader, pages: int, source: str) -> None:
    """Refuse a PDF whose pages hold far more drawing instructions than any report, before
    any text is extracted (extraction is the slow part: about a second for a long report)."""
    total = 0
    for number in range(pages):
        try:
            total += _content_size(reader.pages[number])
        except LimitReachedError:
            _refuse(source, f"page {number + 1} of the PDF unpacks to far more than a report page")
        if total > MAX_CONTENT_BYTES:
            _refuse(
                source,
                f"the PDF's pages hold more than {MAX_CONTENT_BYTES / 1024 / 1024:.1f} MB of "
                "drawing instructions; a report holds far less",
            )


def _content_size(page) -> int:
    """The bytes of a page's drawing instructions, unpacked (0 for a damaged page, which is
    reported when its text is read)."""
    try:
        contents = page.get_contents()
        return len(contents.get_data()) if contents is not None else 0
    except LimitReachedError:
        raise
    except Exception:  # noqa: BLE001 - pypdf's errors on damaged pages are many
        return 0


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
        offset = 0
        parts = []
        for line in self.lines:
            self.starts.append(offset)
            part = " ".join(line.split())
            parts.append(part)
            offset += len(part) + 1
        self.flat = " ".join(parts)

    def line_at(self, offset: int) -> int:
        return max(0, bisect_right(self.starts, offset) - 1)

    def problem(self, topic: str, message: str) -> None:
        self.problems.append(Problem(f"{self.source}: {topic}", message))


# ---------------------------------------------------------------------------------------------
# Step 3: the facts


def _read_pages(pages: list[str], source: str) -> InspectionReport:
    doc = _Document(source, _clean_lines(pages))
    kind = _read_type(doc)
    start, end = _read_dates(doc, kind)
    judgements, table_end = _read_judgements(doc, kind)
    kind = _type_from_judgements(doc, kind, judgements)
    overall = _read_overall(doc, kind)
    if kind == "Unknown" and start is None:
        _refuse(source, "not an Ofsted inspection report: no report title or inspection dates")
    if start is None and not judgements and not overall:
        _refuse(source, "no inspection dates and no judgements found: not an inspection report")
    _check_completeness(doc, kind, judgements, overall)
    if overall:  # the last row of the judgement table, so it is listed with the others too
        judgements.append(Judgement(OVERALL_EFFECTIVENESS, overall))
    return InspectionReport(
        type=kind,
        framework=_framework(doc, kind, start, end),
        authority=_read_authority(doc),
        start=start,
        end=end,
        lead_inspector=_read_lead_inspector(doc),
        judgements=judgements,
        overall=overall,
        recommendations=_read_recommendations(doc),
        paragraphs=_read_paragraphs(doc, table_end),
        problems=doc.problems,
    )


# --- type and framework


def _read_type(doc: _Document) -> str:
    """The kind of report, from its title on the first page."""
    head = doc.flat[:1500].lower()
    opening = "\n".join(doc.lines[:200])[:4000]
    if "inspection of services for children in need of help and protection" in head:
        return "SIF"
    if re.search(r"^\s*Joint targeted area inspection\b", opening, re.MULTILINE):
        return "JTAI"
    if re.search(r"^\s*Focused visit to\b", opening, re.MULTILINE):
        return "Focused visit"
    if re.search(r"^\s*Monitoring visit (?:to|of)\b", opening, re.MULTILINE):
        return "Monitoring visit"
    if re.search(
        r"\binspection of (?:[^.]{0,120}? )?children['’]s (?:social care )?services", head
    ):
        return "ILACS"
    return "Unknown"


def _type_from_judgements(doc: _Document, kind: str, judgements: list[Judgement]) -> str:
    """A report whose title was not recognised but whose grades are clearly ILACS or SIF."""
    if kind != "Unknown":
        return kind
    families = Counter(_family_of(j.area) for j in judgements)
    for family in (ILACS, SIF):
        if families[family] >= 3:
            doc.problem("type", f"the report title was not recognised; its grades are {family}'s")
            return family
    return kind


def _family_of(area: str) -> str:
    return next((family for family, canonical, _ in AREA_WORDINGS if canonical == area), "")


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


def _read_lead_inspector(doc: _Document) -> str:
    """'Lead inspector: Andy Waugh, His Majesty's Inspector' → 'Andy Waugh'."""
    for index, line in enumerate(doc.lines):
        match = _LEAD_RE.match(line)
        if not match:
            continue
        rest = match[1].strip() or _next_filled(doc.lines, index + 1)
        name = _clean_name(rest)
        if name:
            return name
    signature = _SIGNATURE_RE.search("\n".join(doc.lines))
    return _clean_name(signature[1]) if signature else ""


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


def _area_pattern(area: str, wording: str) -> re.Pattern[str]:
    """An area wording followed by its grade, as in a table ('children in care Good'), a
    heading ('children in care: good') or with a footnote mark ('governance 1 Outstanding').
    Only the LSCB's grade is given in a sentence ('The ... Board is good')."""
    verb = r"|\bis\b|\bare\b" if area == LSCB else ""
    return re.compile(
        rf"\b(?:{wording})\s*(?:[:\-–]{verb})?\s*(?:\d{{1,2}}\s+)?\b({GRADE})",
        re.IGNORECASE,
    )


_AREA_PATTERNS = [
    (family, area, _area_pattern(area, wording)) for family, area, wording in AREA_WORDINGS
]
_OVERALL_RE = re.compile(rf"\boverall effectiveness\s*:?\s*\b({GRADE})", re.IGNORECASE)
_SIF_OVERALL_RE = re.compile(
    r"(?:children['’]s services in [^.]{1,60}?|overall judgement is that children['’]s services)"
    r"\s+(?:are|is|requires?)\s+(improvement(?:\s+to\s+be\s+good)?|inadequate|good|outstanding)\b",
    re.IGNORECASE,
)
_FRONT_TABLE_CHARS = 6000  # the judgement table is on the first page or two


def _grade(text: str) -> str:
    """The canonical grade for any wording of it."""
    words = " ".join(text.lower().split())
    if "improvement" in words:
        return REQUIRES_IMPROVEMENT
    for grade in (INADEQUATE, ADEQUATE, OUTSTANDING, GOOD):
        if grade.lower() in words:
            return grade
    return ""


def _read_judgements(doc: _Document, kind: str) -> tuple[list[Judgement], int]:
    """Each area's grade: its first mention with a grade, which is the table on the cover;
    later mentions (the section headings) are checked against it. Also returns the line
    after the cover table, where the body of the report starts."""
    if kind in ("Focused visit", "Monitoring visit", "JTAI"):
        return [], 0  # visits are not graded
    family = _family_for(doc, kind)
    judgements: list[Judgement] = []
    table_end = 0
    for area_family, area, pattern in _AREA_PATTERNS:
        if area_family != family:
            continue
        matches = list(pattern.finditer(doc.flat))
        if not matches:
            continue
        first = matches[0]
        grade = _grade(first[1])
        judgements.append(Judgement(area, grade))
        _check_agreement(doc, area, grade, matches[1:])
        if family in (ILACS, SIF) and area != LSCB and first.end() < _FRONT_TABLE_CHARS:
            table_end = max(table_end, first.end())
    overall = _OVERALL_RE.search(doc.flat, 0, _FRONT_TABLE_CHARS)
    if overall and family == ILACS:
        table_end = max(table_end, overall.end())
    return judgements, doc.line_at(table_end) + 1 if table_end else 0


def _family_for(doc: _Document, kind: str) -> str:
    """Which framework's areas to look for; for an unknown report, the one that fits best."""
    if kind in (ILACS, SIF):
        return kind
    counts = {
        family: sum(
            1 for f, _, pattern in _AREA_PATTERNS if f == family and pattern.search(doc.flat)
        )
        for family in (ILACS, SIF, LEGACY)
    }
    return max(counts, key=lambda family: counts[family])


def _check_agreement(doc: _Document, area: str, grade: str, later: list[re.Match[str]]) -> None:
    """The cover table and the section heading should give the same grade."""
    for match in later:
        other = _grade(match[1])
        if other and other != grade:
            doc.problem(
                "judgements",
                f"{area}: the table says {grade} but '{match[0][-80:]}' says {other}",
            )
            return


def _read_overall(doc: _Document, kind: str) -> str:
    """ILACS has an 'Overall effectiveness' row; SIF says 'Children's services in X are ...'."""
    if kind in ("Focused visit", "Monitoring visit", "JTAI"):
        return ""
    if kind == "SIF":
        match = _SIF_OVERALL_RE.search(doc.flat)
        if match:
            return _grade(match[1])
    match = _OVERALL_RE.search(doc.flat)
    return _grade(match[1]) if match else ""


def _check_completeness(
    doc: _Document, kind: str, judgements: list[Judgement], overall: str
) -> None:
    """Name what a graded report should have but this one seems not to."""
    if kind not in (ILACS, SIF):
        return
    found = {j.area for j in judgements}
    for area in REQUIRED_AREAS[kind]:
        if area not in found:
            doc.problem("judgements", f"no grade found for '{area}'")
    if kind == ILACS and not found & {IN_CARE_AND_CARE_LEAVERS, IN_CARE}:
        doc.problem("judgements", "no grade found for the experiences of children in care")
    if not overall:
        doc.problem("overall", "no overall effectiveness grade found")


# --- headings shared by recommendations and paragraphs


_ANY_AREA = "|".join(f"(?:{wording})" for _, _, wording in AREA_WORDINGS)
_HEADING_RES = (
    re.compile(  # "The experiences and progress of children in care: good"
        rf"(?:\d(?:\.\d)?\.?\s+)?(?P<title>(?:the\s+)?(?:{_ANY_AREA}))"
        rf"\s*(?:[:\-–]|\bis\b|\bare\b)?\s*(?P<grade>{GRADE})\s*\.?",
        re.IGNORECASE,
    ),
    re.compile(  # SIF: "The graded judgement for adoption performance is that it is good"
        rf"the graded judgement (?:for|about|on) (?P<title>(?:the )?(?:{_ANY_AREA}))"
        rf" is that (?:it|they) (?:is |are )?(?P<grade>{GRADE})\s*\.?",
        re.IGNORECASE,
    ),
    re.compile(  # before 2014: "Capacity to improve Grade 4 (inadequate)"
        r"(?P<title>[A-Z][^.:]{3,120}?)\s+(?P<grade>grade\s+[1-4]\s*\(\s*[a-z]+\s*\))",
        re.IGNORECASE,
    ),
)
_ENDS_WITH_GRADE_RE = re.compile(rf"\b{GRADE}\s*\.?$", re.IGNORECASE)
_BOILERPLATE_RE = re.compile(
    r"^\s*(?:The Office for Standards in Education, Children|Any complaints about the inspection"
    r"|If you would like a copy of this document)",
    re.IGNORECASE,
)
_SECTION_BREAKS = (  # headings that end a recommendation or paragraph without being graded
    "summary",
    "inspection findings",
    "summary for children and young people",
    "summary of findings",
    "executive summary",
    "contents",
    "information about this inspection",
    "information about this local authority area",
    "the local authority",
    "the local authority's strengths",
    "progress since the last inspection",
    "inspection judgements about the local authority",
    "record of main findings",
    "main findings",
    "the inspection team",
    "about this inspection",
    "service information",
    "the local safeguarding children board",
    "the local safeguarding children board (lscb)",
)


def _heading_at(lines: list[str], index: int) -> tuple[str, int] | None:
    """A graded judgement heading starting at `lines[index]`, wrapped over up to four
    lines: its title (without the grade) and how many lines it takes."""
    joined = ""
    for count in range(1, 5):
        if index + count > len(lines) or not lines[index + count - 1].strip():
            return None
        joined = f"{joined} {lines[index + count - 1].strip()}".strip()
        if len(joined) > 250:
            return None
        if not _ENDS_WITH_GRADE_RE.search(joined):
            continue
        for pattern in _HEADING_RES:
            match = pattern.fullmatch(joined)
            if match:
                title = " ".join(match["title"].split())
                return title[:1].upper() + title[1:], count
    return None


def _is_section_break(line: str) -> bool:
    words = " ".join(line.lower().replace("’", "'").split()).rstrip(" :")
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


# --- recommendations


_RECOMMENDATIONS_HEADING_RE = re.compile(
    r"(?:what needs to improve(?: in [^?]{1,80})?|recommendations|areas? for improvement"
    r"|what does the local authority need to improve|priority and immediate action"
    r"|areas for priority action)\s*\??\s*:?",
    re.IGNORECASE,
)
_NUMBERED_RE = re.compile(r"^\s*(?:•\s*)?(\d{1,3})\.(?:\s+(.*))?$")
_BULLET_LINE_RE = re.compile(r"^\s*•\s*(.*)$")
_MAX_LINES_BEFORE_FIRST_ITEM = 8


def _read_recommendations(doc: _Document) -> list[str]:
    """The bullets under 'What needs to improve' (ILACS), or the numbered 'Recommendations'
    or 'Areas for improvement' (SIF and older). The first such heading with items wins, so a
    SIF report's later LSCB recommendations are not the council's."""
    for index, line in enumerate(doc.lines):
        heading = line.strip()
        if _RECOMMENDATIONS_HEADING_RE.fullmatch(heading):
            items = _recommendation_block(doc.lines, index + 1)
            if not items and heading.lower().startswith("what needs to improve"):
                items = _unbulleted_items(doc.lines, index + 1)
            if items:
                return items
    return []


def _recommendation_block(lines: list[str], start: int) -> list[str]:
    """Items after a heading until the text plainly moves on: a heading, a finished sentence
    followed by a new one, or (after bullets) the first numbered paragraph."""
    bullets: list[list[str]] = []
    numbered: list[list[str]] = []
    current: list[str] | None = None
    before_first = 0
    for index in range(start, len(lines)):
        line = lines[index].strip()
        if not line or _RECOMMENDATIONS_HEADING_RE.fullmatch(line):
            continue
        if _ends_block(lines, index):
            break
        bullet, number = _BULLET_LINE_RE.match(line), _NUMBERED_RE.match(line)
        if bullet:
            current = [bullet[1]]
            bullets.append(current)
        elif number:
            if bullets:
                break  # ILACS: the first numbered paragraph after the bullets
            current = [number[2] or ""]
            numbered.append(current)
        elif current is None:
            before_first += 1
            if before_first > _MAX_LINES_BEFORE_FIRST_ITEM:
                return []  # not a list after all (a contents page, say)
        elif line.endswith(":") and len(line) < 60:
            continue  # "Within three months:" groups items without being one
        elif _continues(current, line):
            current.append(line)
        else:
            break
    return [text for text in (_join(item) for item in (bullets or numbered)) if text]


def _unbulleted_items(lines: list[str], start: int) -> list[str]:
    """ILACS items whose bullet glyphs the PDF's font lost: each is one sentence, so an item
    ends at a line that ends with a full stop."""
    items: list[list[str]] = [[]]
    for index in range(start, len(lines)):
        line = lines[index].strip()
        if line and (_ends_block(lines, index) or _NUMBERED_RE.match(line)):
            break
        if line:
            items[-1].append(line)
            if line.endswith("."):
                items.append([])
    return [text for text in (_join(item) for item in items) if text]


def _ends_block(lines: list[str], index: int) -> bool:
    line = lines[index]
    return bool(_BOILERPLATE_RE.match(line) or _is_section_break(line) or _heading_at(lines, index))


def _continues(item: list[str], line: str) -> bool:
    """A line carries on an item unless the item ended a sentence and a new one starts."""
    text = _join(item)
    return not re.search(r"[.!?]['’”)]?$", text) or not line[:1].isupper()


# --- numbered paragraphs


_MAX_NUMBER_GAP = 2


def _read_paragraphs(doc: _Document, body_start: int) -> list[Paragraph]:
    """Paragraphs numbered 1, 2, 3 … at line starts, each with the judgement heading above it.
    Numbers must follow on (a line that merely starts with a number continues its paragraph);
    headings, section titles and Ofsted's closing boilerplate end a paragraph."""
    numbered: list[tuple[int, str, list[str]]] = []  # number, section, lines
    open_lines: list[str] | None = None  # the lines of the paragraph still being read
    section = ""
    index = body_start
    while index < len(doc.lines):
        line = doc.lines[index]
        if _BOILERPLATE_RE.match(line):
            break
        heading = _heading_at(doc.lines, index)
        if heading:
            section, open_lines = heading[0], None
            index += heading[1]
            continue
        start = _paragraph_start(doc, line, numbered[-1][0] if numbered else 0)
        if start:
            open_lines = [start[1]]
            numbered.append((start[0], section, open_lines))
        elif _RECOMMENDATIONS_HEADING_RE.fullmatch(line.strip()):
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
