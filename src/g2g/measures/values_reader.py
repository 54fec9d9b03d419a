"""Read a file of monthly measure values (CSV or Excel) into rows and problems, before anything
is looked up or written.

Why a reader of its own: scorecards arrive in two shapes, and councils will not reshape them.
- long: one row per measure and month, with columns measure (code or name), period, value, and
  optionally numerator, denominator, note and comparators (england, neighbours, region, and a
  column headed with any English authority's name for that authority's figure);
- wide: the measure in the first column, then one column per month ("2023-09", "Sep 23",
  "September 2023", or an Excel date).
Headings are matched leniently ("Measure code", "Month", "Value"), and may sit below a title.

The reader knows nothing of the authority's measures: it turns cells into typed rows and names
each bad cell by file, row and column as the user sees them ("values.csv, row 7, column
'value'"), so every problem in a file can be fixed in one pass. `services.import_values` then
matches the measures and writes. The file is checked by `safe_files.check_upload` before any
parser opens it; anything wrong with the file as a whole raises `ReadError`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NamedTuple

import openpyxl
from openpyxl.utils import get_column_letter

from g2g.core.problems import Problem, ReadError
from g2g.core.safe_files import check_upload
from g2g.core.spreadsheets import last_numbered_row

MB = 1024 * 1024
MAX_VALUES_BYTES = 10 * MB
MAX_ROWS = 20_000  # 80 measures over 20 years in long layout; openpyxl reads about 10,000
# rows a second, so a sheet at the limit is read, or refused, within a few seconds
MAX_COLUMNS = 500  # wide layout: 40 years of months
MAX_PROBLEMS = 1_000  # beyond this the list helps nobody; the count is still given
HEADER_SEARCH_ROWS = 10  # a header row may sit below a title and a blank row or two
LARGEST = Decimal(10) ** 10  # MeasureValue holds 12 digits, 2 after the point
CENTS = Decimal("0.01")
COMPARATORS = ("neighbours", "england", "region")  # ComparatorValue.Kind values


class Cell(NamedTuple):
    """A cell's value as the file holds it; `percent` when Excel shows it as a percentage, so
    0.853 in a "0.0%" cell is read as 85.3."""

    value: Any
    percent: bool = False


@dataclass(frozen=True)
class ValueRow:
    """One measure's value for one month, as the file gives it."""

    row: int  # the row's number as a spreadsheet shows it
    measure: str  # a code or a name, as written
    period: date  # the month's first day
    value: Decimal
    also: str = ""  # the measure's name when the file has both a code and a name column
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    note: str = ""
    comparators: dict[str, Decimal] = field(default_factory=dict)  # kind -> value
    authorities: dict[str, Decimal] = field(default_factory=dict)  # authority's name -> value
    places: dict[str, str] = field(default_factory=dict)  # field -> "file, row 7, column 'x'"

    def where(self, name: str) -> str:
        """Where a field of this row is in the file, for a problem about it."""
        return self.places.get(name) or self.places["row"]


@dataclass
class ValuesFile:
    """What a file holds: the rows that could be read, and a problem for every cell that could
    not. Nothing may be written while there are problems."""

    source: str
    layout: str  # "long" or "wide"
    rows: list[ValueRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def add_problem(self, where: str, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(where, message))
        elif len(self.problems) == MAX_PROBLEMS:
            self.problems.append(Problem(self.source, "has more problems; fix these first"))


# ---------------------------------------------------------------------------------------------
# The file


def read_values_file(path: Path, authorities: Collection[str] = ()) -> ValuesFile:
    """Read a values file from disk; any failure is a `ReadError`."""
    where = path.name
    try:
        size = path.stat().st_size
        if size > MAX_VALUES_BYTES:  # refused before it is read at all
            raise ReadError([Problem(where, _too_large())])
        with path.open("rb") as file:  # a pipe says size 0: then read up to the limit
            data = file.read((size or MAX_VALUES_BYTES) + 1)
    except OSError as error:
        raise ReadError([Problem(where, f"cannot be read: {error.strerror}")]) from error
    return read_values(where, data, authorities)


def _too_large() -> str:
    return f"is larger than {MAX_VALUES_BYTES // MB} MB; is it really a file of measure values?"


def read_values(name: str, data: bytes, authorities: Collection[str] = ()) -> ValuesFile:
    """Read the values in a CSV file or the first sheet of an Excel workbook named `name`.

    `authorities` are the names a long-layout column may be headed with to give that
    authority's figure as a comparator (reference data: every English authority)."""
    kind = check_upload(name, data, max_bytes=MAX_VALUES_BYTES, what="a file of measure values")
    if kind == "xlsx":
        rows = _xlsx_rows(name, data)
    elif kind == "csv":
        rows = _csv_rows(name, data)
    else:
        message = "is not a CSV file or an Excel workbook: save the values as .csv or .xlsx"
        raise ReadError([Problem(name, message)])
    return _read_table(name, rows, authorities)


def _csv_rows(name: str, data: bytes) -> list[tuple[int, list[Cell]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = (
            f"is not UTF-8 text (byte {error.start} cannot be read): "
            "in Excel, save it as 'CSV UTF-8 (Comma delimited)'"
        )
        raise ReadError([Problem(name, message)]) from error
    if text.count("\n") > MAX_ROWS:  # refused before a single row is parsed
        raise ReadError([Problem(name, _too_many_rows())])
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = ((n, [Cell(c) for c in row[:MAX_COLUMNS]]) for n, row in enumerate(reader, 1))
        return _limited(name, rows)
    except csv.Error as error:
        raise ReadError([Problem(name, f"cannot be read as CSV ({error})")]) from error


def _too_many_rows() -> str:
    return f"has more than {MAX_ROWS:,} rows; is it really a file of measure values?"


def _xlsx_rows(name: str, data: bytes) -> list[tuple[int, list[Cell]]]:
    """The first sheet's rows, streamed by openpyxl's read-only mode."""
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            if _rows_past_the_limit(workbook, sheet):
                raise ReadError([Problem(name, _too_many_rows())])
            sheet.reset_dimensions()  # trust the rows, not the size the file claims
            return _limited(name, _xlsx_filled_rows(name, sheet))
        finally:
            workbook.close()
    except ReadError:
        raise
    except Exception as error:  # openpyxl and lxml fail in many ways on a damaged file
        detail = str(error)[:200] or type(error).__name__
        message = f"cannot be read as an Excel workbook ({detail}); save it again and import that"
        raise ReadError([Problem(name, message)]) from error


_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")


def _rows_past_the_limit(workbook: Any, sheet: Any) -> bool:
    """Whether the sheet's XML has a row past `MAX_ROWS` (by its number, or by counting rows),
    read as text before openpyxl builds a cell: openpyxl takes seconds to reach row 20,000,
    this a few milliseconds (docs/security.md #4). openpyxl names the sheet's part only
    privately; without it, `_xlsx_filled_rows` refuses the rows as it reads them."""
    archive, part = getattr(workbook, "_archive", None), getattr(sheet, "_worksheet_path", None)
    if archive is None or part is None:
        return False
    xml = archive.read(part)
    return max(last_numbered_row(xml), len(_ROW.findall(xml))) > MAX_ROWS


def _xlsx_filled_rows(name: str, sheet: Any) -> Iterator[tuple[int, list[Cell]]]:
    """The rows that hold something. openpyxl hands over one shared empty row for every row a
    file leaves out, so a file with a value in row 1,048,576 is refused after counting, not
    after building a million rows of cells; and rows are not padded to `MAX_COLUMNS` (that
    made 500 cells of every row of a narrow sheet)."""
    empty = None
    for number, row in enumerate(sheet.iter_rows(), 1):  # rows as long as their last cell
        if number > MAX_ROWS:
            raise ReadError([Problem(name, _too_many_rows())])
        if row is empty:
            continue
        cells = row[:MAX_COLUMNS]
        if all(cell.value is None for cell in cells):
            empty = row
            continue
        yield number, [_xlsx_cell(c) for c in cells]


def _xlsx_cell(cell: Any) -> Cell:
    return Cell(cell.value, "%" in (getattr(cell, "number_format", "") or ""))


def _limited(name: str, rows: Iterator[tuple[int, list[Cell]]]) -> list[tuple[int, list[Cell]]]:
    """Non-empty rows, trailing empty cells dropped; refuse a file with more rows than any
    scorecard before it fills the memory."""
    kept = []
    for number, cells in rows:
        if number > MAX_ROWS:
            raise ReadError([Problem(name, _too_many_rows())])
        cells = cells[:MAX_COLUMNS]
        while cells and _blank(cells[-1].value):
            cells.pop()
        if cells:
            kept.append((number, cells))
    return kept


# ---------------------------------------------------------------------------------------------
# Headings

_LONG_HEADINGS = {
    "code": ("code", "measure code", "kpi code", "scorecard code", "ref", "reference", "id"),
    "measure": ("measure", "measure name", "name", "indicator", "kpi"),
    "period": ("period", "month", "date", "period start", "month start", "reporting period"),
    "value": ("value", "actual", "result", "figure", "performance", "this month"),
    "numerator": ("numerator",),
    "denominator": ("denominator",),
    "note": ("note", "notes", "comment", "comments"),
    "england": ("england", "england average", "national", "national average"),
    "neighbours": (
        "neighbours",
        "neighbors",
        "statistical neighbours",
        "statistical neighbours average",
        "statistical neighbour average",
        "stat neighbours",
        "sn",
        "sn average",
    ),
    "region": ("region", "regional", "region average", "regional average"),
}
_HEADING_FIELDS = {alias: name for name, aliases in _LONG_HEADINGS.items() for alias in aliases}
# Columns a wide table may have beside its months that hold no values to import.
_WIDE_LABELS = {"unit", "units", "polarity", "target", "source", "data source", "definition"}
_WIDE_LABELS |= {"frequency", "rag", "trend", "direction", "focus area", "note", "notes"}


def _heading(value: Any) -> str:
    """A heading as compared: lower case, words separated by single spaces, no punctuation."""
    return re.sub(r"[^a-z0-9]+", " ", str(value or "").lower()).strip()


@dataclass
class _Table:
    """Where each thing is in the table: the header row, and fields or months by column."""

    source: str
    header_row: int
    labels: list[str]  # each column's heading as written, or its letter when it has none
    fields: dict[str, int] = field(default_factory=dict)  # long layout: field -> column
    months: dict[int, date] = field(default_factory=dict)  # wide layout: column -> month
    skipped: set[int] = field(default_factory=set)  # wide: columns known to hold no values
    authorities: dict[int, str] = field(default_factory=dict)  # long: column -> authority

    @property
    def layout(self) -> str:
        return "wide" if self.months else "long"

    def place(self, row: int, column: int | None = None) -> str:
        where = f"{self.source}, row {row}"
        return where if column is None else f"{where}, column {self.labels[column]}"


def _labels(cells: Sequence[Cell]) -> list[str]:
    labels = []
    for index, cell in enumerate(cells):
        if isinstance(cell.value, date):
            labels.append(f"'{cell.value:%b %Y}'")
        elif _blank(cell.value):
            labels.append(get_column_letter(index + 1))
        else:
            labels.append(f"'{str(cell.value).strip()}'")
    return labels


def _find_header(
    source: str, rows: list[tuple[int, list[Cell]]], authorities: Collection[str]
) -> tuple[int, _Table]:
    """The first row, among the first few, that reads as a long or a wide header."""
    named = {_heading(name): name for name in authorities}
    for index, (number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        table = _Table(source, number, _labels(cells))
        fields = {}
        for column, cell in enumerate(cells):
            name = _HEADING_FIELDS.get(_heading(cell.value))
            if name and name not in fields:
                fields[name] = column
        if {"period", "value"} <= fields.keys() and fields.keys() & {"code", "measure"}:
            table.fields = fields
            for column, cell in enumerate(cells):
                if (authority := named.get(_heading(cell.value))) and column not in fields.values():
                    table.authorities[column] = authority
            return index, table
        months = {c: parse_month(cell.value) for c, cell in enumerate(cells) if c > 0}
        if parse_month(cells[0].value) is None and any(months.values()):
            table.months = {column: month for column, month in months.items() if month}
            return index, table
    raise ReadError(
        [
            Problem(
                source,
                "has no header row: give columns measure, period and value (one row per "
                "measure and month), or measure then one column per month (2023-09, Sep 23)",
            )
        ]
    )


def _check_header(table: _Table, cells: list[Cell], found: ValuesFile) -> None:
    """Headings that cannot be read safely: a field or a month given twice, and in the wide
    layout a heading that is neither a month nor a known label (it may be a mistyped month)."""
    row = table.header_row
    seen: dict[Any, int] = {}
    for column, cell in enumerate(cells):
        if table.layout == "long":
            key: Any = _HEADING_FIELDS.get(_heading(cell.value))
        else:
            key = table.months.get(column)
            if column > 0 and key is None and not _blank(cell.value):
                _check_wide_label(table, column, cell, found)
        if key is None:
            continue
        if key in seen:
            message = f"says the same as column {table.labels[seen[key]]}; rename or remove one"
            found.add_problem(table.place(row, column), message)
        else:
            seen[key] = column


def _check_wide_label(table: _Table, column: int, cell: Cell, found: ValuesFile) -> None:
    heading = _heading(cell.value)
    table.skipped.add(column)
    if _HEADING_FIELDS.get(heading) in ("code", "measure"):
        table.fields.setdefault("also", column)  # a name beside a code, or a code beside a name
        return
    if heading in _WIDE_LABELS:
        return
    message = f"{cell.value!r} is not a month: write it like 2023-09 or Sep 2023"
    found.add_problem(table.place(table.header_row, column), message)


# ---------------------------------------------------------------------------------------------
# Rows


def _read_table(
    source: str, rows: list[tuple[int, list[Cell]]], authorities: Collection[str] = ()
) -> ValuesFile:
    if not rows:
        raise ReadError([Problem(source, "is empty")])
    start, table = _find_header(source, rows, authorities)
    found = ValuesFile(source, table.layout)
    _check_header(table, rows[start][1], found)
    read = _long_row if table.layout == "long" else _wide_rows
    for number, cells in rows[start + 1 :]:
        if not all(_blank(cell.value) for cell in cells):
            read(table, number, cells, found)
    return found


def _cell(cells: list[Cell], column: int | None) -> Cell:
    if column is None or column >= len(cells):
        return Cell(None)
    return cells[column]


def _long_row(table: _Table, number: int, cells: list[Cell], found: ValuesFile) -> None:
    """One row of the long layout: a value, or a problem for each cell that cannot be read."""
    fields = table.fields
    before = len(found.problems)
    places = {"row": table.place(number)}
    places |= {name: table.place(number, column) for name, column in fields.items()}
    places["measure"] = places.get("code") or places["measure"]  # the one matched first
    code = _text(_cell(cells, fields.get("code")).value)
    name = _text(_cell(cells, fields.get("measure")).value)
    measure, also = (code, name) if code else (name, "")
    if not measure:
        found.add_problem(places.get("code") or places["measure"], "gives no measure")
    period = _month(_cell(cells, fields["period"]), places["period"], found)
    value = _number(_cell(cells, fields["value"]), places["value"], found, required=True)
    numbers = {}
    for key in ("numerator", "denominator", *COMPARATORS):
        if key in fields:
            scale = key in COMPARATORS
            numbers[key] = _number(_cell(cells, fields[key]), places[key], found, scale=scale)
    named = {}
    for column, authority in table.authorities.items():
        place = table.place(number, column)
        named[authority] = _number(_cell(cells, column), place, found, scale=True)
    if len(found.problems) > before or period is None or value is None:
        return
    found.rows.append(
        ValueRow(
            row=number,
            measure=measure,
            also=also,
            period=period,
            value=value,
            numerator=numbers.get("numerator"),
            denominator=numbers.get("denominator"),
            note=_text(_cell(cells, fields.get("note")).value),
            comparators={k: v for k in COMPARATORS if (v := numbers.get(k)) is not None},
            authorities={k: v for k, v in named.items() if v is not None},
            places=places,
        )
    )


def _wide_rows(table: _Table, number: int, cells: list[Cell], found: ValuesFile) -> None:
    """One row of the wide layout: a value for each month with one; gaps are months without."""
    measure = _text(cells[0].value)
    also = _text(_cell(cells, table.fields.get("also")).value)
    if not measure:
        measure, also = also, ""
    where = {"row": table.place(number), "measure": table.place(number, 0)}
    if not measure:
        found.add_problem(where["measure"], "gives no measure")
    values = 0
    for column, cell in enumerate(cells[1:], 1):
        month = table.months.get(column)
        if month is None:
            if column not in table.skipped and not _blank(cell.value):
                message = "has a value but its column has no month heading"
                found.add_problem(table.place(number, column), message)
            continue
        place = table.place(number, column)
        value = _number(cell, place, found)
        if value is None:
            continue
        values += 1
        if measure:
            places = where | {"period": place, "value": place}
            found.rows.append(ValueRow(number, measure, month, value, also=also, places=places))
    if measure and not values:
        found.add_problem(where["row"], f"gives no values for {measure!r}")


# ---------------------------------------------------------------------------------------------
# Cells

_EMPTY = {"", "-", "–", "—", "n/a", "na", "..", "none", "null"}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in _EMPTY)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _number(
    cell: Cell, where: str, found: ValuesFile, *, required: bool = False, scale: bool = True
) -> Decimal | None:
    """A cell as a number with two decimal places, or None with a problem for what is wrong.
    Numerators and denominators are counts: never `scale`d from an Excel percentage."""
    if _blank(cell.value):
        if required:
            found.add_problem(where, "is empty: give the value, or leave the row out")
        return None
    number = parse_number(cell.value)
    if number is None:
        found.add_problem(where, f"{_shown(cell.value)} is not a number")
        return None
    if cell.percent and scale:
        number *= 100
    if abs(number) >= LARGEST:
        found.add_problem(where, f"{_shown(cell.value)} is too large")
        return None
    return number.quantize(CENTS, rounding=ROUND_HALF_UP)


def _shown(value: Any) -> str:
    return repr(value.strip() if isinstance(value, str) else value)


_THOUSANDS = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def parse_number(value: Any) -> Decimal | None:
    """A number from a cell: 85, 85.3, "85.3", "85.3%", "1,234"; None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip().removesuffix("%").strip()
        if _THOUSANDS.fullmatch(text):
            text = text.replace(",", "")
    else:
        return None
    if not _NUMBER.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _month(cell: Cell, where: str, found: ValuesFile) -> date | None:
    if _blank(cell.value):
        found.add_problem(where, "is empty: give the month, like 2023-09 or Sep 2023")
        return None
    month = parse_month(cell.value)
    if month is None:
        message = f"{_shown(cell.value)} is not a month: write it like 2023-09 or Sep 2023"
        found.add_problem(where, message)
    return month


# Written out rather than taken from `calendar`, whose names follow the server's locale.
_FULL_MONTHS = (
    "january february march april may june july august september october november december".split()
)
_MONTH_NUMBERS = {name: number for number, name in enumerate(_FULL_MONTHS, 1)}
_MONTH_NUMBERS |= {name[:3]: number for number, name in enumerate(_FULL_MONTHS, 1)}
_MONTH_NUMBERS["sept"] = 9
_NAMES = "|".join(sorted(_MONTH_NUMBERS, key=len, reverse=True))
_MONTH_PATTERNS = (  # each gives (year, month) or (day, month, year) by group name
    re.compile(r"(?P<year>\d{4})[-/](?P<month>\d{1,2})"),  # 2023-09
    re.compile(r"(?P<year>\d{4})-(?P<month>\d{1,2})-(?P<day>\d{1,2})(?:[T ][\d:.]+)?"),
    re.compile(r"(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4}|\d{2})"),  # 01/09/23
    re.compile(r"(?P<month>\d{1,2})[/-](?P<year>\d{4})"),  # 09/2023
    re.compile(
        rf"(?:(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+)?(?P<name>{_NAMES})\.?[\s,'/.-]*"
        r"(?P<year>\d{4}|\d{2})",
        re.IGNORECASE,
    ),  # Sep 2023, Sep-23, September 2023, 1 Sept 2023
)
FIRST_YEAR, LAST_YEAR = 1990, 2100  # any other year is a typing mistake


def parse_month(value: Any) -> date | None:
    """The first day of the month a cell names, or None: a date (any day of it), 2023-09,
    09/2023, 01/09/2023 (day first, as in England), Sep 2023, Sep-23, September 2023."""
    if isinstance(value, date):  # Excel dates, datetimes included
        return _checked(value.year, value.month, 1)
    if not isinstance(value, str):
        return None
    text = value.strip()
    for pattern in _MONTH_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            parts = match.groupdict()
            month = _MONTH_NUMBERS[parts["name"].lower()] if parts.get("name") else parts["month"]
            year = int(parts["year"])
            year += 2000 if year < 100 else 0
            return _checked(year, int(month), int(parts.get("day") or 1))
    return None


def _checked(year: int, month: int, day: int) -> date | None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    try:
        date(year, month, day)  # 31/02/2023 is not a date, so not a month either
    except ValueError:
        return None
    return date(year, month, 1)
