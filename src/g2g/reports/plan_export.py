"""The plan in the familiar table layout, as Word and Excel, readable again by the plan importer.

Councils keep their plans as tables: Objective | Action | Lead | Timescale | Evidence of success |
Progress | Action RAG | Impact RAG. This module lays the plan out that way (`plan_for_export`, in a
fixed number of queries) and writes it as .docx (`plan_docx`) or .xlsx (`plan_xlsx`).

Each file is written so that `importers.services.read_plan_upload` reads back the same plan, so an
export can be edited offline and re-imported (`docs/exports.md` says what survives):
- the plan title comes first, then a paragraph longer than a title, so the reader stops there;
- the key to ratings is a two-column table before the first priority ("Blue" | "Action: …
  Impact: …"), read back as the plan's own rating definitions; then the focus areas as the
  importer reads a measures table ("FA1: Voice of the child" | "1.1, 1.3");
- each priority is a heading "Priority N: Title", then "Sponsor: …", then its table with a Ref
  column; the recommendation codes an action answers (ILAC, FV1) are its action cell's last line;
- a table's "Progress update <Month Year>" header dates the progress in it, so actions whose
  latest update is for another month go in a table of their own, with that month in its header;
- Start and End columns are added only when some action's dates are not what its timescale text
  says (dates edited in the app, or "From Nov 23" read from a plan's own Start column).

Ratings come only from `Action.objects.with_status` (the rules for which updates count live there).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date

import docx
import openpyxl
from django.db.models import Prefetch
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from g2g.core.spreadsheets import safe_cell
from g2g.core.timescales import parse_timescale
from g2g.plans.models import Action, Plan, Post, ProgressUpdate, Rating, RatingLook, rating_look
from g2g.plans.querysets import COUNTED_STATUSES
from g2g.tenancy.access import Access

FOCUS_AREA_CODE = re.compile(r"FA\d{1,3}")


# ---------------------------------------------------------------------------------------------
# The plan as tables


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width_cm: float  # in Word; Excel widths are derived from it


@dataclass
class ExportRow:
    action: Action
    objective: str
    action_text: str  # the action's text, then its recommendation codes as a last paragraph
    leads: list[str]
    timescale: str
    start: str
    end: str
    evidence: str
    children_will_say: str
    progress: str
    progress_period: date | None
    action_rating: str
    impact_rating: str

    def cell(self, key: str) -> str:
        if key == "ref":
            return self.action.ref
        if key == "lead":
            return "\n".join(self.leads)
        if key in ("action_rating", "impact_rating"):
            rating = getattr(self, key)
            return rating_look(rating).word if rating else ""
        return getattr(self, key)


@dataclass
class ExportTable:
    """Rows of one priority whose latest progress is for the same month (or have none)."""

    period: date | None
    rows: list[ExportRow] = field(default_factory=list)

    def progress_header(self, as_at: date) -> str:
        return f"Progress update {self.period or as_at:%B %Y}"


@dataclass
class ExportPriority:
    number: int
    title: str
    sponsor: str
    tables: list[ExportTable] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"Priority {self.number}: {self.title}"

    @property
    def action_count(self) -> int:
        return sum(len(table.rows) for table in self.tables)


@dataclass
class PlanExport:
    plan: Plan
    authority_name: str
    as_at: date
    priorities: list[ExportPriority]
    rating_definitions: list[tuple[RatingLook, str, str]]  # (rating, action and impact meaning)
    columns: list[Column]
    focus_areas: list[tuple[str, str]] = field(default_factory=list)  # ("FA1: Voice", "1.1, 1.3")

    @property
    def introduction(self) -> str:
        """Longer than any title line, so the importer knows the title has ended. A plan the
        demo made up says so first (`Plan.synthetic_note`), as its pages and packs do."""
        synthetic = f"Synthetic: {self.plan.synthetic_note} " if self.plan.synthetic_note else ""
        return synthetic + (
            f"{self.authority_name}'s improvement plan as at {self.as_at:%-d %B %Y}, exported "
            "from Getting to Good. Each action shows its latest progress update that counts "
            "(submitted, or signed off where it claims Blue) and that update's ratings. This "
            "file can be edited and imported again to update the plan."
        )

    def header_cells(self, table: ExportTable) -> list[str]:
        return [
            table.progress_header(self.as_at) if column.key == "progress" else column.header
            for column in self.columns
        ]


BASE_COLUMNS = [
    Column("ref", "Ref", 1.3),
    Column("objective", "Objective", 3.2),
    Column("action_text", "Action", 5.6),
    Column("lead", "Lead", 2.6),
    Column("timescale", "Timescale", 2.2),
    Column("evidence", "Evidence of success", 4.6),
    Column("progress", "Progress update", 4.6),
    Column("action_rating", "Action RAG", 1.6),
    Column("impact_rating", "Impact RAG", 1.6),
]
DATE_COLUMNS = [Column("start", "Start date", 1.9), Column("end", "End date", 1.9)]
CHILDREN_COLUMN = Column("children_will_say", "What our children will say", 3.4)


def actions_for_export(access: Access, plan: Plan, on: date):
    """The plan's open actions with current ratings and what their rows show, in 4 queries."""
    return (
        access.scope(Action.objects.filter(plan=plan))
        .open()
        .with_status(on)
        .select_related("priority__sponsor", "objective")
        .prefetch_related(
            Prefetch("leads", queryset=Post.objects.order_by("title")),
            "focus_areas",
            Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.filter(status__in=COUNTED_STATUSES),
                to_attr="counted_updates",
            ),
        )
        .order_by("priority__number", "order")
    )


def plan_for_export(access: Access, plan: Plan, on: date) -> PlanExport:
    """The plan as the tables the Word and Excel files show."""
    rows = [_row(action) for action in actions_for_export(access, plan, on)]
    columns = list(BASE_COLUMNS)
    if any(row.start or row.end for row in rows):
        index = columns.index(BASE_COLUMNS[4]) + 1
        columns[index:index] = DATE_COLUMNS
    if any(row.children_will_say for row in rows):
        columns.insert(columns.index(BASE_COLUMNS[5]) + 1, CHILDREN_COLUMN)
    else:
        for row in rows:
            row.children_will_say = ""
    definitions = sorted(plan.rating_definitions.all(), key=lambda d: Rating.values.index(d.rating))
    return PlanExport(
        plan=plan,
        authority_name=access.authority.name,
        as_at=on,
        priorities=_priorities(rows),
        rating_definitions=[
            (rating_look(d.rating), d.action_definition, d.impact_definition) for d in definitions
        ],
        columns=columns,
        focus_areas=_focus_areas(plan, rows),
    )


def _focus_areas(plan: Plan, rows: list[ExportRow]) -> list[tuple[str, str]]:
    """Each focus area that serves an action, as the importer reads a measures table ("FA1:
    Voice" | "1.1, 1.3"); codes in another form cannot be read back, so they are left out."""
    refs: dict[int, list[str]] = {}
    for row in rows:
        for area in row.action.focus_areas.all():
            refs.setdefault(area.pk, []).append(row.action.ref)
    return [
        (f"{area.code}: {area.name}", ", ".join(refs.get(area.pk, [])))
        for area in plan.focus_areas.all()
        if FOCUS_AREA_CODE.fullmatch(area.code) and area.pk in refs
    ]


def _priorities(rows: list[ExportRow]) -> list[ExportPriority]:
    """Rows grouped by priority, then into runs whose progress is for one month."""
    priorities: list[ExportPriority] = []
    for row in rows:
        priority = row.action.priority
        if not priorities or priorities[-1].number != priority.number:
            sponsor = priority.sponsor.title if priority.sponsor else ""
            priorities.append(ExportPriority(priority.number, priority.title, sponsor))
        tables = priorities[-1].tables
        period = row.progress_period
        if not tables or (period and tables[-1].period and period != tables[-1].period):
            tables.append(ExportTable(period))
        elif period and not tables[-1].period:
            tables[-1].period = period
        tables[-1].rows.append(row)
    return priorities


def _row(action: Action) -> ExportRow:
    latest = next((u for u in action.counted_updates if u.period == action.last_period), None)
    start, end = _dates_unless_derived(action)
    text = action.text
    if action.sources:
        text = f"{text}\n\n{', '.join(action.sources)}"
    return ExportRow(
        action=action,
        objective=action.objective.title if action.objective else "",
        action_text=text,
        leads=[post.title for post in action.leads.all()],
        timescale=action.timescale_text,
        start=start,
        end=end,
        evidence=action.evidence_of_success,
        children_will_say=action.children_will_say,
        progress=latest.narrative if latest else "",
        progress_period=latest.period if latest else None,
        action_rating=action.action_rating or "",
        impact_rating=action.impact_rating or "",
    )


def _dates_unless_derived(action: Action) -> tuple[str, str]:
    """Start and end written out, when the timescale text alone would give other dates."""
    derived = parse_timescale(action.timescale_text)
    if (derived.start, derived.end) == (action.start, action.end):
        return "", ""
    return _day(action.start, first=True), _day(action.end, first=False)


def _day(day: date | None, *, first: bool) -> str:
    """'September 2023' for a whole month (the reader takes its first or last day), else the
    day itself; words for no date, which the reader takes as none rather than the timescale's."""
    if day is None:
        return "No start date" if first else "No end date"
    next_day = date.fromordinal(day.toordinal() + 1)
    whole_month = day.day == 1 if first else next_day.day == 1
    return f"{day:%B %Y}" if whole_month else f"{day.day} {day:%B %Y}"


def _key_text(action_meaning: str, impact_meaning: str) -> str:
    """One line, as the importer reads a key row: 'Action: … Impact: …'."""
    if action_meaning == impact_meaning:
        return " ".join(action_meaning.split())
    return f"Action: {' '.join(action_meaning.split())} Impact: {' '.join(impact_meaning.split())}"


def export_filename(export: PlanExport, extension: str) -> str:
    slug = export.plan.authority.slug
    return f"{slug}-improvement-plan-{export.as_at:%Y-%m-%d}.{extension}"


# ---------------------------------------------------------------------------------------------
# Word


def plan_docx(export: PlanExport) -> bytes:
    """A landscape Word document with real headings and tables whose header rows repeat."""
    document = new_document(
        title=export.plan.title, subject=f"Improvement plan as at {export.as_at:%-d %B %Y}"
    )
    landscape(document)
    document.add_heading(export.plan.title, level=1)
    document.add_paragraph(export.introduction)
    if export.rating_definitions:
        document.add_heading("Key to ratings", level=2)
        document.add_paragraph(
            "Each action has two ratings every month: one for the action (is the work on "
            "track?) and one for its impact (is it making a difference?)."
        )
        key = add_table(
            document,
            ["Rating", "What it means"],
            [[look.word, _key_text(a, i)] for look, a, i in export.rating_definitions],
            widths_cm=[2.5, 22.0],
            description="What each rating means for an action and for its impact",
        )
        for row, (look, _a, _i) in zip(key.rows[1:], export.rating_definitions, strict=True):
            shade(row.cells[0], look.fill)
    if export.focus_areas:
        document.add_heading("Focus areas", level=2)
        document.add_paragraph(FOCUS_AREAS_INTRODUCTION)
        add_table(
            document,
            list(FOCUS_AREA_HEADERS),
            [list(area) for area in export.focus_areas],
            widths_cm=[12.0, 14.5],
            description="Focus areas and the actions that serve each one",
        )
    for priority in export.priorities:
        document.add_heading(priority.heading, level=2)
        if priority.sponsor:
            document.add_paragraph(f"Sponsor: {priority.sponsor}")
        for table in priority.tables:
            document.add_paragraph(_table_caption(priority, table), style="Caption")
            word_table = add_table(
                document,
                export.header_cells(table),
                [[row.cell(column.key) for column in export.columns] for row in table.rows],
                widths_cm=[column.width_cm for column in export.columns],
                description=f"Actions in priority {priority.number}: {priority.title}",
                font_pt=8,
            )
            _shade_ratings(word_table, export.columns, table.rows)
    return save_document(document)


FOCUS_AREA_HEADERS = ("Focus area", "Action refs")
FOCUS_AREAS_INTRODUCTION = "Each focus area runs across the priorities; these actions serve it."


def _table_caption(priority: ExportPriority, table: ExportTable) -> str:
    """Between tables, so Word keeps them apart; never read as a heading or an objective."""
    if table.period is None:
        return f"Actions in priority {priority.number}; none has a progress update yet."
    return f"Actions in priority {priority.number}, with progress written for {table.period:%B %Y}."


def _shade_ratings(table, columns: list[Column], rows: list[ExportRow]) -> None:
    for key in ("action_rating", "impact_rating"):
        index = next(i for i, column in enumerate(columns) if column.key == key)
        for word_row, row in zip(table.rows[1:], rows, strict=True):
            shade(word_row.cells[index], rating_look(getattr(row, key)).fill)


def new_document(*, title: str, subject: str = "") -> docx.Document:
    """A Word document titled and marked as British English, for screen readers and search."""
    document = docx.Document()
    properties = document.core_properties
    properties.title = title
    properties.subject = subject
    properties.language = "en-GB"
    properties.author = "Getting to Good"
    properties.comments = ""
    rpr = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    run_properties = rpr.find(qn("w:rPr"))
    language = run_properties.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_properties.append(language)
    language.set(qn("w:val"), "en-GB")
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    return document


def landscape(document) -> None:
    """A4 landscape with narrow margins: plan tables are wide."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))


def add_table(
    document,
    headers: list[str],
    rows: list[list[str]],
    *,
    widths_cm: list[float],
    description: str,
    font_pt: float | None = None,
):
    """A table with a header row marked as such (it repeats on each page and is never split)
    and alt text; each cell's lines become paragraphs, '• ' lines real list items."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    _table_properties(table, description)
    header = table.rows[0]
    _mark_header_row(header)
    for cell, text, width in zip(header.cells, headers, widths_cm, strict=True):
        cell.width = Cm(width)
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        if font_pt:
            run.font.size = Pt(font_pt)
        shade(cell, "D9D9D9")
    for values in rows:
        cells = table.add_row().cells
        for cell, text, width in zip(cells, values, widths_cm, strict=True):
            cell.width = Cm(width)
            fill_cell(cell, text, font_pt=font_pt)
    return table


def fill_cell(cell, text: str, *, font_pt: float | None = None) -> None:
    """One paragraph per line of text (blank lines dropped); '• item' lines as list items."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    first = True
    for line in lines or [""]:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        if line.startswith("•"):
            paragraph.style = "List Bullet"
            line = line.lstrip("• ").strip()
        run = paragraph.add_run(line)
        if font_pt:
            run.font.size = Pt(font_pt)


def _table_properties(table, description: str) -> None:
    """Alt text (title and description) and the "header row" look for the table."""
    properties = table._tbl.tblPr
    look = properties.find(qn("w:tblLook"))
    if look is None:
        look = OxmlElement("w:tblLook")
        properties.append(look)
    look.set(qn("w:firstRow"), "1")
    look.set(qn("w:noVBand"), "1")
    look.set(qn("w:val"), "04A0")
    caption = OxmlElement("w:tblCaption")
    caption.set(qn("w:val"), description[:250])
    summary = OxmlElement("w:tblDescription")
    summary.set(qn("w:val"), description[:250])
    # The schema orders tblCaption and tblDescription last in tblPr.
    properties.append(caption)
    properties.append(summary)


def _mark_header_row(row) -> None:
    tr_properties = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        tr_properties.append(element)


def shade(cell, colour: str | None) -> None:
    """A table cell's fill (RGB hex), for a rating's colour behind its word."""
    if not colour:
        return
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    properties = cell._tc.get_or_add_tcPr()
    for earlier in properties.findall(qn("w:shd")):  # one fill a cell: a header's grey goes
        properties.remove(earlier)
    properties.append(shading)


def save_document(document) -> bytes:
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# Excel

GENERIC_FIRST_SHEET = "Improvement plan"  # the importer leaves such generic tab names out
HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
WRAP = Alignment(wrap_text=True, vertical="top")


def plan_xlsx(export: PlanExport) -> bytes:
    """A workbook: the title and key on the first sheet, then one sheet per priority with its
    header row frozen and filtered. Every text cell goes through `safe_cell` (no formulas)."""
    book = openpyxl.Workbook()
    book.properties.title = export.plan.title
    book.properties.language = "en-GB"
    book.properties.creator = "Getting to Good"
    first = book.active
    first.title = GENERIC_FIRST_SHEET
    _write(first, 1, 1, export.plan.title, font=Font(bold=True, size=16))
    _write(first, 2, 1, export.introduction)
    first.column_dimensions["A"].width = 40
    first.column_dimensions["B"].width = 120
    if export.rating_definitions:
        _write(first, 4, 1, "Key to ratings", font=Font(bold=True, size=13))
        _header_row(first, 5, ["Rating", "What it means"])
        for offset, (look, action_meaning, impact_meaning) in enumerate(export.rating_definitions):
            row = 6 + offset
            _write(first, row, 1, look.word, fill=look.fill)
            _write(first, row, 2, _key_text(action_meaning, impact_meaning))
    if export.focus_areas:
        row = first.max_row + 2
        _write(first, row, 1, "Focus areas", font=Font(bold=True, size=13))
        _write(first, row + 1, 1, FOCUS_AREAS_INTRODUCTION)
        _header_row(first, row + 2, list(FOCUS_AREA_HEADERS))
        for offset, (area, refs) in enumerate(export.focus_areas, start=row + 3):
            _write(first, offset, 1, area)
            _write(first, offset, 2, refs)
    for priority in export.priorities:
        _priority_sheet(book.create_sheet(f"Priority {priority.number}"), export, priority)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _priority_sheet(sheet, export: PlanExport, priority: ExportPriority) -> None:
    """Heading, sponsor, then each table; rows end with the priority number, so none ends in
    empty cells (the importer realigns short rows) and filters work across sheets."""
    columns = [*export.columns, Column("priority", "Priority", 1.6)]
    _write(sheet, 1, 1, priority.heading, font=Font(bold=True, size=14))
    row = 2
    if priority.sponsor:
        _write(sheet, row, 1, f"Sponsor: {priority.sponsor}")
        row += 1
    for number, table in enumerate(priority.tables):
        if number:
            row += 1  # a gap, then the caption that keeps the tables apart
            _write(sheet, row, 1, _table_caption(priority, table))
            row += 1
        header_row = row
        _header_row(sheet, row, [*export.header_cells(table), "Priority"])
        for export_row in table.rows:
            row += 1
            for index, column in enumerate(columns, 1):
                if column.key == "priority":
                    sheet.cell(row=row, column=index, value=priority.number).alignment = WRAP
                    continue
                _write(
                    sheet,
                    row,
                    index,
                    export_row.cell(column.key),
                    fill=rating_look(getattr(export_row, column.key, "")).fill
                    if column.key.endswith("_rating")
                    else None,
                )
        if number == 0:
            sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
            last = get_column_letter(len(columns))
            sheet.auto_filter.ref = f"A{header_row}:{last}{row}"
            sheet.print_title_rows = f"{header_row}:{header_row}"
    for index, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = round(column.width_cm * 5)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _header_row(sheet, row: int, headers: list[str]) -> None:
    for index, text in enumerate(headers, 1):
        cell = _write(sheet, row, index, text, font=Font(bold=True))
        cell.fill = HEADER_FILL


def _write(sheet, row: int, column: int, text: str, *, font=None, fill: str | None = None):
    """A text cell, neutralised so a spreadsheet never runs it as a formula."""
    cell = sheet.cell(row=row, column=column)
    cell.value = safe_cell(text) if text else None
    cell.data_type = "s" if text else cell.data_type
    cell.alignment = WRAP
    if font:
        cell.font = font
    if fill:
        cell.fill = PatternFill("solid", fgColor=fill)
    return cell
