"""A board pack as a web page, Word, Excel and PDF: one `BoardPack`, four renderings.

- HTML: the page template, with each measure's trend chart (SVG, cached) and its words.
- PDF: WeasyPrint from the same section template in a print document (`board_pack_print.html`
  with `reports/print.css`), so the PDF says what the page says.
- Word: python-docx, A4 portrait with the marking, authority and page number in every header and
  footer, real headings and tables whose first row is marked as a header row that repeats on
  every page, so screen readers and Word's accessibility checker can navigate it, and the pack
  stays editable. Rating cells are shaded with the rating's colour and keep its word. Charts are
  left out of Word: each measure's words say the same.
- Excel: openpyxl, a cover sheet and one sheet per section with a frozen header row; numbers
  stay numbers with number formats (`excel_value`); every text cell through
  `core.spreadsheets.safe_cell`.
- JSON: the same sections as data, for a program to check a pack: dates ISO 8601, ratings as
  their words, values as numbers with their unit beside them (`pack_data`).
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from g2g.core import collector
from g2g.core.spreadsheets import safe_cell
from g2g.measures.models import ComparatorValue
from g2g.measures.rating import format_value
from g2g.measures.scorecard import chart_of
from g2g.plans.models import rating_look
from g2g.plans.reads import RATING_KEYS

from .board_pack import BoardPack
from .plan_export import add_table, new_document, save_document, shade

PRINT_CSS = Path(__file__).parent / "print.css"
FORMATS = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


OFF_TRACK = ("amber", "red")


def draws_chart(status) -> bool:
    """The G2G_PACK_CHARTS setting: a chart for each measure "off-track" (rated Amber or Red
    for the month, the default), for "all", or for "none"; the others are in words only."""
    choice = settings.G2G_PACK_CHARTS
    if not status.latest or choice == "none":
        return False
    return choice == "all" or status.assessment.rating in OFF_TRACK


@dataclass(frozen=True)
class ScorecardRow:
    """A row of the scorecard table on the page and in the PDF."""

    status: object  # MeasureStatus
    neighbours: object  # ComparatorValue | None, published where there is one
    england: object

    @property
    def neighbours_note(self) -> str:
        return comparator_note(self.neighbours)

    @property
    def england_note(self) -> str:
        return comparator_note(self.england)


def pack_context(pack: BoardPack, *, png: bool = False, drawn_only: bool = False) -> dict:
    """The page's and the print document's context: the pack, the scorecard's rows, and each
    measure with its chart when the G2G_PACK_CHARTS setting draws one (`charts`: those only).
    `drawn_only`: charts not drawn yet (reports.background draws them) are left out and
    counted in `undrawn`, rather than drawn in the request."""
    measures = [
        (s, chart_of(s, png=png, drawn_only=drawn_only) if draws_chart(s) else None)
        for s in pack.scorecard
    ]
    undrawn = sum(1 for s, chart in measures if chart is None and draws_chart(s))
    rows = [
        ScorecardRow(
            status,
            scorecard_comparator(status, ComparatorValue.Kind.NEIGHBOURS),
            scorecard_comparator(status, ComparatorValue.Kind.ENGLAND),
        )
        for status in pack.scorecard
    ]
    charts = [(status, chart) for status, chart in measures if chart]
    return {
        "pack": pack,
        "measures": measures,
        "scorecard_rows": rows,
        "charts": charts,
        "ratings": _ratings_table(pack),
        "rating_keys": RATING_KEYS,
        "summary_note": summary_note(pack),
        "png": png,
        "undrawn": undrawn,
    }


def pack_print_html(pack: BoardPack) -> str:
    """A whole HTML document for printing, with its own small stylesheet: a cover, the
    contents, then the sections in one column, the charts as inline SVG."""
    return print_html(pack_context(pack))


def print_html(context: dict) -> str:
    """The print document of a pack's context (`pack_context`). From a context made with
    `png=True`, the PDF's: the charts as images (WeasyPrint does not apply the style attributes
    of matplotlib's SVG), each referred to by its private address (`Chart.png_url`), which only
    `pack_pdf` serves."""
    context = context | {"css": PRINT_CSS.read_text(encoding="utf-8")}
    return render_to_string("reports/board_pack_print.html", context)


def pack_pdf(pack: BoardPack) -> bytes:
    """A4 portrait, tagged as PDF/UA-1 (structure tree, title shown, language en-GB from the
    document), with the protective marking, the authority and "Page x of y" on every page.
    The charts' PNGs, already drawn, are handed to WeasyPrint by their private addresses."""
    from weasyprint import HTML  # loads Pango on first use; only PDF needs it

    context = pack_context(pack, png=True)
    images = {chart.png_url: chart.png for _, chart in context["charts"]}
    with collector.full_collections_paused():
        document = HTML(string=print_html(context), url_fetcher=_charts_only(images))
        return document.write_pdf(pdf_variant="pdf/ua-1")


def _charts_only(images: dict[str, bytes]):
    """WeasyPrint's URL fetcher for a pack: the charts' PNGs by their addresses
    (`Chart.png_url`), and nothing else: no file, no network."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class ChartsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url not in images:
                raise ValueError(f"not one of the pack's charts: {url[:100]}")
            return URLFetcherResponse(url, images[url], {"Content-Type": "image/png"})

    return ChartsOnly()


# ---------------------------------------------------------------------------------------------
# Tables: the cells every non-HTML rendering writes. A cell is text, a whole number, a date, or
# one of the small types below, which Word and the PDF show as words and Excel as a number with a
# number format (a percentage is 0.668 shown "66.8%", never the text "66.8%").


@dataclass(frozen=True)
class Amount:
    """A measure's value in its unit: "66.8%", "12 days", "45.2 per 10,000"."""

    value: Decimal
    unit: str

    def __str__(self) -> str:
        return format_value(self.value, self.unit)


@dataclass(frozen=True)
class RatingWord:
    """A BRAG rating: its word, shaded with its colour in Word and Excel. `unrated`: what to say
    when there is no rating instead of "Not rated" (a measure's month: "No target", from
    `Assessment.unrated_words`, as the page says)."""

    key: str
    unrated: str = ""

    def __str__(self) -> str:
        if not self.key and self.unrated:
            return self.unrated
        return rating_look(self.key).word


@dataclass(frozen=True)
class Change:
    """The change in a count since the previous pack; None when there is nothing to compare."""

    difference: int | None

    def __str__(self) -> str:
        if self.difference is None:
            return "–"
        return f"{self.difference:+d}" if self.difference else "no change"


@dataclass(frozen=True)
class Count:
    """A count of open actions with its change since the previous pack: "3 (+1)" in Word and
    the PDF; in Excel two number columns, the count and the change."""

    now: int
    change: Change

    def __str__(self) -> str:
        if self.change.difference is None:
            return str(self.now)
        return f"{self.now} ({self.change})"


@dataclass(frozen=True)
class Month:
    day: date

    def __str__(self) -> str:
        return f"{self.day:%b %Y}"


@dataclass
class PackTable:
    section: str  # the pack's section ("Summary by priority" holds one table per priority)
    heading: str
    header: list[str]
    rows: list[list]
    description: str  # the table's alternative text in Word
    # The columns Word and the PDF show on a portrait page (default all); Excel has them all.
    narrow: list[int] | None = None
    group: str = "Priority"  # Excel's first column, naming each table of a several-table section
    # Said once under the table in Word (the page and the PDF say them from the same pack);
    # Excel has them in a column of their own.
    notes: list[str] = field(default_factory=list)

    def text_columns(self) -> tuple[list[str], list[list]]:
        keep = self.narrow if self.narrow is not None else range(len(self.header))
        return [self.header[i] for i in keep], [[row[i] for i in keep] for row in self.rows]


SECTIONS = (
    "Summary",
    "Ratings by priority",
    "Exceptions",
    "Slippage log",
    "Scorecard",
    "Recommendation coverage",
    "Last governance meeting",
    "Upcoming deadlines",
    "Progress by action",
)


def _change_since(summary, key: str, which: str) -> Change:
    before = getattr(summary, f"before_{which}")
    if before is None:
        return Change(None)
    return Change(getattr(summary, which)[key] - before[key])


def _ratings_table(pack: BoardPack) -> PackTable:
    """One table: a row each for the Action and the Impact ratings of each priority's open
    actions, a column per rating with the change since the last pack, then the whole plan."""
    rows = []
    for summary in pack.priorities:
        for which, label in (("action", "Action"), ("impact", "Impact")):
            rows.append(
                [
                    f"{summary.number}. {summary.title}",
                    label,
                    *(Count(getattr(summary, which)[key], _change_since(summary, key, which))
                      for key in RATING_KEYS),
                    summary.total,
                ]
            )  # fmt: skip
    if len(pack.priorities) > 1:
        for which, label in (("action", "Action"), ("impact", "Impact")):
            counts = [sum(getattr(s, which)[key] for s in pack.priorities) for key in RATING_KEYS]
            befores = [getattr(s, f"before_{which}") for s in pack.priorities]
            changes = [
                Change(None)
                if any(b is None for b in befores)
                else Change(counts[n] - sum(b[key] for b in befores))
                for n, key in enumerate(RATING_KEYS)
            ]
            rows.append(
                [
                    "Whole plan",
                    label,
                    *(Count(c, d) for c, d in zip(counts, changes, strict=True)),
                    sum(s.total for s in pack.priorities),
                ]
            )
    return PackTable(
        "Ratings by priority",
        "Ratings by priority",
        ["Priority", "Rating of", *(rating_look(key).word for key in RATING_KEYS), "Open"],
        rows,
        "Open actions of each priority by Action and Impact rating, with the change since "
        "the last pack in brackets",
    )


def _meeting_table(pack: BoardPack) -> PackTable:
    meeting = pack.meeting
    rows = []
    if meeting:
        rows += [[f"Decision: {line}", "", None, "Decided"] for line in meeting.decisions]
        rows += [[a.description, a.owner, a.due, a.status] for a in meeting.actions]
    heading = (
        f"{meeting.board}, {meeting.held_on:%-d %B %Y}" if meeting else "Last governance meeting"
    )
    return PackTable(
        "Last governance meeting",
        heading,
        ["Decision or action arising", "Owner", "Due", "Status"],
        rows,
        "The decisions of the last governance meeting and the actions arising from it",
        group="Meeting",
    )


def _amount(value: Decimal | None, unit: str) -> Amount | None:
    return None if value is None else Amount(value, unit)


def section_tables(pack: BoardPack) -> list[PackTable]:
    """The pack's tables, in pack order."""
    tables = [_ratings_table(pack)]
    tables.append(
        PackTable(
            "Exceptions",
            "Exceptions",
            [
                "Ref",
                "Action",
                "Action rating",
                "Impact rating",
                "Why it is listed",
                "Next steps, risks and support needed",
            ],  # fmt: skip
            [
                [
                    e.action.ref,
                    e.action.title,
                    RatingWord(e.action.action_rating),
                    RatingWord(e.action.impact_rating),
                    "; ".join(e.reasons),
                    e.notes_in_words,
                ]
                for e in pack.exceptions
            ],
            "Actions that are red, overdue, slipped, without an update this month, or whose "
            "update was returned",
        )
    )
    tables.append(
        PackTable(
            "Slippage log",
            "Slippage log",
            [
                "Ref",
                "Action",
                "End date was",
                "End date now",
                "Reason",
                "Agreed by",
                "Changed by",
                "Changed on",
            ],
            [
                [
                    slip.ref,
                    slip.title,
                    slip.old_end,
                    slip.new_end,
                    slip.reason,
                    slip.agreed_by,
                    slip.changed_by,
                    timezone.localdate(slip.changed_at),
                ]
                for slip in pack.slippage
            ],
            "End dates moved since the last pack, with the reason and who agreed",
        )
    )
    tables.append(_scorecard_table(pack))
    tables.append(
        PackTable(
            "Recommendation coverage",
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
            "Recommendations that no open action answers, or only red actions answer",
        )
    )
    tables.append(_meeting_table(pack))
    tables.append(
        PackTable(
            "Upcoming deadlines",
            "Upcoming deadlines",
            ["Ref", "Action", "Due", "Action rating"],
            [[a.ref, a.title, a.end, RatingWord(a.action_rating)] for a in pack.deadlines],
            "Open actions due in the next three months",
        )
    )
    tables.append(_progress_table(pack))
    return tables


def _progress_table(pack: BoardPack) -> PackTable:
    """Each open action's ratings and the text of its update for the month that counts."""
    return PackTable(
        "Progress by action",
        "Progress by action",
        [
            "Ref",
            "Action",
            "Action rating",
            "Impact rating",
            "Update",
            f"Progress in {pack.period:%B %Y}",
            "Note",
        ],  # fmt: skip
        [
            [
                item.action.ref,
                item.action.title,
                RatingWord(item.action.action_rating),
                RatingWord(item.action.impact_rating),
                item.status or "None",
                item.shown,
                item.note,
            ]
            for item in pack.progress
        ],
        "Each open action's ratings and its progress this month, in the words of its update",
        narrow=[0, 1, 2, 3, 5],
        notes=pack.progress_notes,
    )


def scorecard_comparator(status, kind: str):
    """The latest comparator of a kind that is an average (England, the statistical neighbours,
    the region: no label), DfE's published figure where there is one, else the latest given."""
    found = [c for c in status.comparators if c.kind == kind and not c.label]
    published = [c for c in found if c.published]
    return max(published or found, key=lambda c: c.period, default=None)


def comparator_note(comparator) -> str:
    """ "Mar 2025, published (DfE, 2025)": when the figure is for, and where it is from."""
    if comparator is None:
        return ""
    mark = f", {comparator.mark}" if comparator.mark else ""
    return f"{comparator.period:%b %Y}{mark}"


def _figure(comparator, unit: str) -> Amount | None:
    return None if comparator is None else Amount(comparator.value, unit)


def _scorecard_table(pack: BoardPack) -> PackTable:
    header = [
        "Measure", "Unit", "Latest", "Month", "Target", "Rating", "Against target",
        "Direction", "Statistical neighbours", "Neighbours' figure for", "England",
        "England's figure for", "Region", "Compared with",
    ]  # fmt: skip
    rows = []
    for status in pack.scorecard:
        unit, latest = status.measure.unit, status.latest
        neighbours = scorecard_comparator(status, ComparatorValue.Kind.NEIGHBOURS)
        england = scorecard_comparator(status, ComparatorValue.Kind.ENGLAND)
        rows.append(
            [
                status.measure.name,
                status.measure.get_unit_display(),
                Amount(latest.value, unit) if latest else "No value",
                Month(latest.period) if latest else None,
                _amount(status.assessment.target, unit),
                RatingWord(status.assessment.rating, status.assessment.unrated_words),
                status.assessment.words,
                status.direction.words,
                _figure(neighbours, unit),
                comparator_note(neighbours),
                _figure(england, unit),
                comparator_note(england),
                _figure(scorecard_comparator(status, ComparatorValue.Kind.REGION), unit),
                status.comparators_in_words,
            ]
        )
    return PackTable(
        "Scorecard",
        "Scorecard",
        header,
        rows,
        "Each measure's latest value, target or trajectory, statistical neighbours (DfE's "
        "published figure where there is one), England, direction of travel and rating",
        narrow=[0, 2, 3, 4, 8, 10, 7, 5],
    )


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value:%-d %B %Y}"
    return str(value)


def column_widths(header: list[str], rows: list[list[str]]) -> list[int]:
    """About how many characters wide each column wants to be: its header's longest word or
    its longest cell (its average, for long text that will wrap), plus a little."""
    widths = []
    for number, heading in enumerate(header):
        cells = [len(row[number]) for row in rows] or [0]
        longest_word = max(len(word) for word in heading.split() or [""])
        widths.append(max(longest_word, min(max(cells), 2 * sum(cells) // len(cells))) + 2)
    return widths


# ---------------------------------------------------------------------------------------------
# Word


def pack_docx(pack: BoardPack) -> bytes:
    """A4 portrait, British English on every style, a cover, real headings, and the marking,
    the authority and "Page x of y" (Word's PAGE and NUMPAGES fields) in every header and
    footer. Tables' header rows repeat on each page; rating cells keep their word and are shaded
    with the rating's colour."""
    document = new_document(title=pack.title, subject=f"Board pack, {pack.period:%B %Y}")
    document.core_properties.keywords = pack.marking
    document.core_properties.author = pack.authority.name
    _british_styles(document)
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for margin in ("left_margin", "right_margin"):
        setattr(section, margin, Mm(18))
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    section.header_distance = section.footer_distance = Mm(10)
    _running_lines(section, pack)
    _docx_cover(document, pack)
    document.add_heading("Summary", level=1)
    for paragraph in pack.summary.paragraphs:
        document.add_paragraph(paragraph)
    document.add_paragraph(summary_note(pack)).runs[0].italic = True
    current = None
    for table in section_tables(pack):
        if table.section != current:
            current = table.section
            document.add_heading(current, level=1)
        if table.heading != table.section:
            document.add_heading(table.heading, level=2)
        header, rows = table.text_columns()
        if not rows:
            document.add_paragraph("None.")
            continue
        _docx_table(document, header, rows, table.description)
        for note in table.notes:
            document.add_paragraph(note).runs[0].italic = True
    return save_document(document)


def summary_note(pack: BoardPack) -> str:
    """Who wrote the summary: the lead who last saved it, or the data."""
    summary = pack.summary
    if summary.edited:
        when = f" on {timezone.localtime(summary.edited_at):%-d %B %Y}" if summary.edited_at else ""
        who = f" by {summary.edited_by}" if summary.edited_by else ""
        return f"Written{who}{when} (version {summary.version}), from a draft drawn from the data."
    return "Drafted from the data; not yet edited."


def _british_styles(document) -> None:
    """en-GB on the document's defaults and on each paragraph and character style, so that a
    style based on none (or a template's own) still checks spelling in British English."""
    for style in document.styles:
        if style.type not in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER):
            continue
        run_properties = style.element.get_or_add_rPr()
        language = run_properties.find(qn("w:lang"))
        if language is None:
            language = OxmlElement("w:lang")
            run_properties.append(language)
        language.set(qn("w:val"), "en-GB")


def _docx_cover(document, pack: BoardPack) -> None:
    marking = document.add_paragraph()
    marking.add_run(pack.marking).bold = True
    document.add_paragraph(pack.authority.name, style="Subtitle")
    document.add_heading(pack.title, level=0)
    for label, value in (
        ("Plan", pack.plan.title),
        ("Period", f"{pack.period:%B %Y}"),
        ("As at", f"{timezone.localtime(pack.as_at):%-d %B %Y, %H:%M}"),
        (
            "Changes since",
            f"{timezone.localtime(pack.previous):%-d %B %Y}" if pack.previous else "",
        ),
        ("Protective marking", pack.marking),
    ):
        if value:
            line = document.add_paragraph()
            line.add_run(f"{label}: ").bold = True
            line.add_run(value)
        if label == "Plan" and pack.plan.synthetic_note:
            line = document.add_paragraph()
            line.add_run("Synthetic: ").bold = True
            line.add_run(pack.plan.synthetic_note)
    if pack.synthetic:
        document.add_paragraph("Values marked synthetic are made-up demo data.")
    document.add_heading("Contents", level=1)
    for number, name in enumerate(SECTIONS, start=1):
        document.add_paragraph(f"{number}. {name}")
    document.add_page_break()


def _running_lines(section, pack: BoardPack) -> None:
    """Header: the marking, centred, over the authority and month. Footer: the marking, then
    the authority and "Page x of y"."""
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    header.add_run(pack.marking).bold = True
    below = section.header.add_paragraph(f"{pack.authority.name} · board pack {pack.period:%B %Y}")
    below.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(pack.marking).bold = True
    line = section.footer.add_paragraph(f"{pack.authority.name} · Page ")
    line.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(line, "PAGE")
    line.add_run(" of ")
    _field(line, "NUMPAGES")


def _field(paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in on every page."""
    run = paragraph.add_run()
    for tag, attributes in (
        ("w:fldChar", {"w:fldCharType": "begin"}),
        ("w:instrText", {"xml:space": "preserve"}),
        ("w:fldChar", {"w:fldCharType": "separate"}),
        ("w:t", {}),
        ("w:fldChar", {"w:fldCharType": "end"}),
    ):
        element = OxmlElement(tag)
        for name, value in attributes.items():
            element.set(qn(name), value)
        if tag == "w:instrText":
            element.text = f" {instruction} "
        elif tag == "w:t":
            element.text = "1"
        run._r.append(element)


def _docx_table(document, header: list[str], rows: list[list], description: str) -> None:
    texts = [[cell_text(value) for value in row] for row in rows]
    weights = [min(max(w, 10), 30) for w in column_widths(header, texts)]
    # The page less its margins (174 mm), shared by how much each column holds.
    widths = [17.4 * weight / sum(weights) for weight in weights]
    table = add_table(
        document,
        header,
        texts,
        widths_cm=widths,
        description=description,
        font_pt=9,
    )
    fills = {rating_look(key).word: rating_look(key).fill for key in RATING_KEYS}
    for cell in table.rows[0].cells:  # the ratings table's columns are headed by ratings
        if fills.get(cell.text):
            shade(cell, fills[cell.text])
    for word_row, row in zip(table.rows[1:], rows, strict=True):
        for cell, value in zip(word_row.cells, row, strict=True):
            if isinstance(value, RatingWord):
                shade(cell, rating_look(value.key).fill)


# ---------------------------------------------------------------------------------------------
# Excel

EXCEL_UNIT_FORMATS = {
    "%": "0.0%",
    "count": "#,##0",
    "days": '#,##0.0" days"',
    "rate per 10,000": "#,##0.0",
    "FTE ratio": "0.0",
}
CHANGE_FORMAT = '+0;-0;"no change"'
WRAPPED = Alignment(wrap_text=True, vertical="top")


def excel_value(value) -> tuple[object, str | None, str | None]:
    """(the cell's value, its number format, its fill) for one table cell."""
    if isinstance(value, Amount):
        # Excel's percentages are fractions: 66.8% is 0.668 (divided exactly, then a float).
        number = float(value.value / 100 if value.unit == "%" else value.value)
        return number, EXCEL_UNIT_FORMATS.get(value.unit, "#,##0.0"), None
    if isinstance(value, RatingWord):
        return str(value), None, rating_look(value.key).fill or None
    if isinstance(value, Change):
        if value.difference is None:
            return str(value), None, None
        return value.difference, CHANGE_FORMAT, None
    if isinstance(value, Month):
        return value.day, "mmm yyyy", None
    if isinstance(value, date):
        return value, "d mmm yyyy", None
    if isinstance(value, int):
        return value, "0", None
    return safe_cell(value), None, None


def pack_xlsx(pack: BoardPack) -> bytes:
    """A cover sheet, then a sheet per section with its header row frozen; numbers, dates and
    percentages are numbers with number formats, ratings their words on their colours; the
    protective marking in every sheet's printed header and footer."""
    workbook = Workbook()
    cover = workbook.active
    cover.title = "Cover"
    _print_setup(cover, pack)
    for row in (
        [pack.marking],
        [pack.title],
        ["Authority", pack.authority.name],
        ["Plan", pack.plan.title],
        ["Period", pack.period],
        ["As at", timezone.localtime(pack.as_at).replace(tzinfo=None)],
        ["Protective marking", pack.marking],
    ):
        cover.append([safe_cell(value) for value in row])
    if pack.plan.synthetic_note:
        cover.append([safe_cell(value) for value in ("Synthetic", pack.plan.synthetic_note)])
        cover.cell(cover.max_row, 2).alignment = WRAPPED
    cover["A1"].font = Font(bold=True)
    cover["A2"].font = Font(bold=True, size=14)
    cover["B5"].number_format = "mmmm yyyy"
    cover["B6"].number_format = "d mmmm yyyy hh:mm"
    cover.column_dimensions["A"].width = 22
    cover.column_dimensions["B"].width = 60
    names: set[str] = {"Cover"}
    by_section: dict[str, list[PackTable]] = {}
    for table in section_tables(pack):
        by_section.setdefault(table.section, []).append(table)
    summary = workbook.create_sheet(_sheet_name("Summary", names))
    _print_setup(summary, pack)
    summary.append([safe_cell("Summary")])
    summary["A1"].font = Font(bold=True, size=14)
    for paragraph in [*pack.summary.paragraphs, summary_note(pack)]:
        summary.append([safe_cell(paragraph)])
        summary.cell(summary.max_row, 1).alignment = WRAPPED
    summary.column_dimensions["A"].width = 120
    for section, tables in by_section.items():
        several = len(tables) > 1 or tables[0].heading != section
        header = ([tables[0].group] if several else []) + _excel_header(tables[0])
        sheet = workbook.create_sheet(_sheet_name(section, names))
        _print_setup(sheet, pack)
        sheet.append([safe_cell(section)])
        sheet["A1"].font = Font(bold=True, size=14)
        sheet.append([safe_cell(text) for text in header])
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for table in tables:
            for row in table.rows:
                _excel_row(sheet, ([table.heading] if several else []) + _excel_cells(row))
        sheet.freeze_panes = "A3"
        if sheet.max_row > 2:
            sheet.auto_filter.ref = f"A2:{get_column_letter(len(header))}{sheet.max_row}"
        texts = [
            ([table.heading] if several else []) + [cell_text(v) for v in _excel_cells(row)]
            for table in tables
            for row in table.rows
        ]
        for number, width in enumerate(column_widths(header, texts), start=1):
            sheet.column_dimensions[get_column_letter(number)].width = min(max(width, 10), 60)
    buffer = io.BytesIO()
    workbook.properties.title = pack.title
    workbook.properties.creator = pack.authority.name
    workbook.properties.keywords = pack.marking
    workbook.properties.language = "en-GB"
    workbook.save(buffer)
    return buffer.getvalue()


def _excel_header(table: PackTable) -> list[str]:
    """The table's header, with a "change" column after each column of counts (`Count`)."""
    first = table.rows[0] if table.rows else []
    header = []
    for number, name in enumerate(table.header):
        header.append(name)
        if number < len(first) and isinstance(first[number], Count):
            header.append(f"{name} change")
    return header


def _excel_cells(row: list) -> list:
    """A row's cells for Excel: each `Count` as two numbers, the count and its change."""
    cells = []
    for value in row:
        cells += [value.now, value.change] if isinstance(value, Count) else [value]
    return cells


def _excel_row(sheet, row: list) -> None:
    sheet.append([excel_value(value)[0] for value in row])
    for cell, value in zip(sheet[sheet.max_row], row, strict=False):
        _, number_format, fill = excel_value(value)
        cell.alignment = WRAPPED
        if number_format:
            cell.number_format = number_format
        if fill:
            cell.fill = PatternFill("solid", fgColor=fill)


def _print_setup(sheet, pack: BoardPack) -> None:
    """A4 portrait when printed, with the marking and authority at the top and bottom."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.oddHeader.center.text = pack.marking
    sheet.oddHeader.left.text = pack.authority.name.replace("&", "&&")
    sheet.oddFooter.center.text = pack.marking
    sheet.oddFooter.right.text = "Page &P of &N"


def _sheet_name(heading: str, taken: set[str]) -> str:
    """Excel allows 31 characters and no []:*?/\\ in a sheet's name, unique in the workbook."""
    name = "".join(c for c in heading if c not in "[]:*?/\\")[:31]
    candidate, number = name, 2
    while candidate in taken:
        candidate = f"{name[:28]} {number}"
        number += 1
    taken.add(candidate)
    return candidate


# ---------------------------------------------------------------------------------------------
# JSON: the sections as data


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _iso(moment: date | datetime | None) -> str | None:
    if moment is None:
        return None
    if isinstance(moment, datetime):
        return timezone.localtime(moment).isoformat()
    return moment.isoformat()


def _quantity(value: Decimal | None, unit: str) -> dict | None:
    """A value as data: the number, its unit, and the words the other formats show."""
    if value is None:
        return None
    return {"value": _number(value), "unit": unit, "text": format_value(value, unit)}


def _change(now: int, before) -> int | None:
    return None if before is None else now - before


def _action_data(state) -> dict:
    return {
        "ref": state.ref,
        "title": state.title,
        "start": _iso(state.start),
        "end": _iso(state.end),
        "timescale": state.timescale_text,
        "action_rating": rating_look(state.action_rating).word,
        "impact_rating": rating_look(state.impact_rating).word,
        "awaiting_sign_off": state.awaiting_sign_off,
    }


def _measure_data(status) -> dict:
    measure, unit = status.measure, status.measure.unit
    latest = status.latest
    return {
        "code": measure.code,
        "name": measure.name,
        "unit": unit,
        "polarity": measure.polarity,
        "latest": (
            _quantity(latest.value, unit) | {"period": f"{latest.period:%Y-%m}"} if latest else None
        ),
        "target": _quantity(status.assessment.target, unit),
        "against_target": {
            "rating": status.assessment.rating or None,
            "gap": _quantity(status.assessment.gap, unit),
            "words": status.assessment.words,
        },
        "direction": {"arrow": status.direction.arrow, "words": status.direction.words},
        "statistical_neighbours": _chosen_data(
            scorecard_comparator(status, ComparatorValue.Kind.NEIGHBOURS), unit
        ),
        "england": _chosen_data(scorecard_comparator(status, ComparatorValue.Kind.ENGLAND), unit),
        "synthetic": status.synthetic,
        "comparators": [
            {
                "kind": comparator.kind,
                "label": comparator.label or comparator.get_kind_display(),
                "period": f"{comparator.period:%Y-%m}",
                "mark": comparator.mark,
            }
            | _quantity(comparator.value, unit)
            for comparator in status.latest_comparators
        ],
    }


def _chosen_data(comparator, unit: str) -> dict | None:
    """The comparator the scorecard shows for a kind (published where there is one)."""
    if comparator is None:
        return None
    return _quantity(comparator.value, unit) | {
        "period": f"{comparator.period:%Y-%m}",
        "published": comparator.published,
        "mark": comparator.mark,
    }


def pack_data(pack: BoardPack) -> dict:
    """The pack's sections as data: what the page, Word, Excel and PDF say, from the same
    `BoardPack`."""
    return {
        "title": pack.title,
        "authority": {"name": pack.authority.name, "slug": pack.authority.slug},
        "plan": {
            "id": pack.plan.pk,
            "title": pack.plan.title,
            "status": pack.plan.status,
            "synthetic_note": pack.plan.synthetic_note or None,
        },
        "period": f"{pack.period:%Y-%m}",
        "protective_marking": pack.marking,
        "as_at": _iso(pack.as_at),
        "compared_with": _iso(pack.previous),
        "synthetic": pack.synthetic,
        "open_actions": sum(summary.total for summary in pack.priorities),
        "summary": {
            "paragraphs": pack.summary.paragraphs,
            "edited": pack.summary.edited,
            "edited_by": pack.summary.edited_by or None,
            "edited_at": _iso(pack.summary.edited_at),
            "version": pack.summary.version or None,
            "note": summary_note(pack),
        },
        "pace": _pace_data(pack.pace),
        "summary_by_priority": [
            {
                "number": summary.number,
                "title": summary.title,
                "open_actions": summary.total,
                "ratings": [
                    {
                        "rating": row["label"],
                        "action": row["action"],
                        "action_change": _change(
                            row["action"],
                            None
                            if summary.before_action is None
                            else summary.before_action[row["key"]],
                        ),
                        "impact": row["impact"],
                        "impact_change": _change(
                            row["impact"],
                            None
                            if summary.before_impact is None
                            else summary.before_impact[row["key"]],
                        ),
                    }
                    for row in summary.rows()
                ],
            }
            for summary in pack.priorities
        ],
        "exceptions": [
            _action_data(item.action)
            | {
                "reasons": item.reasons,
                "notes": [{"label": label, "text": text} for label, text in item.notes],
            }
            for item in pack.exceptions
        ],
        "slippage": [
            {
                "ref": slip.ref,
                "title": slip.title,
                "old_end": _iso(slip.old_end),
                "new_end": _iso(slip.new_end),
                "reason": slip.reason,
                "agreed_by": slip.agreed_by,
                "changed_by": slip.changed_by,
                "changed_at": _iso(slip.changed_at),
            }
            for slip in pack.slippage
        ],
        "scorecard": [_measure_data(status) for status in pack.scorecard],
        "recommendation_coverage": [
            {
                "inspection": gap.inspection,
                "number": gap.number,
                "text": gap.text,
                "answered_by": [_action_data(state) for state in gap.actions],
            }
            for gap in pack.coverage
        ],
        "last_meeting": _meeting_data(pack.meeting),
        "upcoming_deadlines": [_action_data(state) for state in pack.deadlines],
        "progress": [
            _action_data(item.action)
            | {"update": item.status or None, "progress": item.text or None, "note": item.note}
            for item in pack.progress
        ],
    }


def _pace_data(pace) -> dict | None:
    if pace is None:
        return None
    return {
        "open_actions": pace.total,
        "complete": pace.complete,
        "percent_complete": pace.percent_complete,
        "percent_time_elapsed": pace.percent_elapsed,
        "start": _iso(pace.start),
        "end": _iso(pace.end),
        "verdict": pace.verdict,
    }


def _meeting_data(meeting) -> dict | None:
    if meeting is None:
        return None
    return {
        "board": meeting.board,
        "held_on": _iso(meeting.held_on),
        "decisions": meeting.decisions,
        "actions_arising": [
            {"description": a.description, "owner": a.owner, "due": _iso(a.due), "status": a.status}
            for a in meeting.actions
        ],
    }


def pack_json(pack: BoardPack) -> bytes:
    return json.dumps(pack_data(pack), indent=2, ensure_ascii=False).encode()


def render_file(pack: BoardPack, kind: str) -> bytes:
    """The pack as a file of `kind` (one of FORMATS)."""
    if kind == "html":
        return pack_print_html(pack).encode()
    renderers = {"pdf": pack_pdf, "docx": pack_docx, "xlsx": pack_xlsx, "json": pack_json}
    return renderers[kind](pack)
