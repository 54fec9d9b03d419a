"""Read an Annex A return into one polars frame per list, then type its columns.

An .xlsx workbook (one sheet per list) is read with calamine through fastexcel; a folder of CSV
files (one per list) with polars. Every cell is read as text first, so a council's stray "N/A"
in a date column is reported as an invalid date rather than failing the whole sheet; typing
(`typed_lists`) then turns text into dates, integers and short codes, leaving null where a
cell is blank or cannot be read. Each row keeps its spreadsheet row number (`_row`, the header
being row 1) so problems can be located in the council's own file.

Sheets that are not in the spec are listed and columns that are not are counted, not fatal;
a list with no sheet is simply absent (its KPIs have nothing to count). A heading that is not
Annex A's is never kept, not even as text in memory: without its header row a list's first
row is a child's, so a list whose first row names no Annex A column is refused
(docs/security.md #21).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import fastexcel
import polars as pl

from g2g.core.problems import Problem, ReadError
from g2g.core.spreadsheets import last_numbered_row

from .spec import CodeSet, ColumnSpec, ListSpec, Spec, load_spec

ROW = "_row"
HEADER_ROWS = 1  # data starts on spreadsheet row 2
ANNEX_A_DATE = "%d/%m/%Y"  # the format Annex A asks for
DATE_FORMATS = (ANNEX_A_DATE, "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")
EXCEL_EPOCH = date(1899, 12, 30)
# calamine builds a sheet's whole grid, from A1 to its last cell, before anything is read:
# two cells at A1 and XFD1048576 ask it for 17 billion cells, and it aborts the process.
MAX_GRID_CELLS = 2_000_000  # about 110 MB in calamine; a list of 60,000 rows by 30 columns


@dataclass
class RawAnnexA:
    """What the file holds, as text, by list key."""

    name: str
    spec: Spec
    lists: dict[str, pl.DataFrame] = field(default_factory=dict)
    sheets: dict[str, str] = field(default_factory=dict)  # list key -> sheet or file name
    unknown_sheets: list[str] = field(default_factory=list)
    # How many columns of each list are not Annex A's: a count, never their headings.
    unknown_columns: dict[str, int] = field(default_factory=dict)
    missing_columns: dict[str, list[str]] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return sum(frame.height for frame in self.lists.values())


def read_annexa(source: Path | bytes, name: str = "", spec: Spec | None = None) -> RawAnnexA:
    """Read a workbook (path or bytes of an .xlsx) or a folder of CSV files."""
    spec = spec or load_spec()
    if isinstance(source, Path):
        name = name or source.name
        if source.is_dir():
            return _read_csv_folder(source, spec)
    result = RawAnnexA(name=name, spec=spec)
    data = source if isinstance(source, bytes) else source.read_bytes()
    check_sheet_extents(name, data)
    try:
        workbook = fastexcel.read_excel(data)
        for sheet_name in workbook.sheet_names:
            list_spec = _claim(result, sheet_name)
            if list_spec is None:
                continue
            sheet = workbook.load_sheet(sheet_name, dtypes="string", whitespace_as_null=True)
            _add(result, list_spec, sheet_name, sheet.to_polars(), file=name)
    except (fastexcel.FastExcelError, OSError) as error:
        raise ReadError.at(name, f"cannot be read as an Excel workbook ({error})") from error
    return result


_CELL_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"')
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")


def check_sheet_extents(name: str, data: bytes) -> None:
    """Refuse a workbook with a sheet whose cells span more than `MAX_GRID_CELLS`, before
    calamine opens it. The sheets' XML is read from the zip as it is (safe_files has already
    checked the zip's sizes); any damage is left for calamine to report."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with archive:
        for info in archive.infolist():
            if not info.filename.lower().startswith("xl/worksheets/"):
                continue
            try:
                xml = archive.read(info)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
                continue
            rows, columns = _extent(xml)
            if rows * columns > MAX_GRID_CELLS:
                raise ReadError.at(
                    name,
                    f"has a sheet ('{info.filename}') that spans {rows:,} rows by "
                    f"{columns:,} columns; an Annex A list is far smaller",
                )


def _extent(xml: bytes) -> tuple[int, int]:
    """The last row and column a sheet's cells reach, by their references; a cell without one
    goes after the one before it in its row, as calamine places it."""
    rows = last_numbered_row(xml)
    columns, references = 0, 0
    for letters, row in _CELL_REF.findall(xml):
        columns = max(columns, _column_number(letters))
        rows = max(rows, int(row))
        references += 1
    if len(_CELL.findall(xml)) > references:  # some cells have no reference: count by row
        columns = max(columns, *(len(_CELL.findall(row)) for row in xml.split(b"<row")))
        rows = max(rows, xml.count(b"<row"))
    return rows, columns


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _read_csv_folder(folder: Path, spec: Spec) -> RawAnnexA:
    result = RawAnnexA(name=folder.name, spec=spec)
    for path in sorted(folder.glob("*.csv")):
        list_spec = _claim(result, path.stem)
        if list_spec is None:
            continue
        try:
            frame = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
        except (pl.exceptions.PolarsError, OSError) as error:
            raise ReadError.at(path.name, f"cannot be read as CSV ({error})") from error
        _add(result, list_spec, path.name, frame, file=path.name)
    return result


def read_csv_bytes(data: bytes, name: str, spec: Spec | None = None) -> RawAnnexA:
    """One list as a CSV file, named for the list ("List 3.csv")."""
    spec = spec or load_spec()
    result = RawAnnexA(name=name, spec=spec)
    list_spec = _claim(result, Path(name).stem)
    if list_spec is not None:
        frame = pl.read_csv(io.BytesIO(data), infer_schema=False, encoding="utf8-lossy")
        _add(result, list_spec, name, frame, file=name)
    return result


def _claim(result: RawAnnexA, sheet_name: str) -> ListSpec | None:
    """The list a sheet holds, or None (reported) when no list or a list already read."""
    list_spec = result.spec.match_sheet(sheet_name)
    if list_spec is None or list_spec.key in result.lists:
        result.unknown_sheets.append(sheet_name)
        return None
    return list_spec


def _add(
    result: RawAnnexA, list_spec: ListSpec, sheet_name: str, frame: pl.DataFrame, *, file: str
) -> None:
    """Add one list. Raises `ReadError` when its first row names no Annex A column: the header
    row is missing (or is not Annex A's), so the first row is most likely a child's."""
    headers, unknown, missing = list_spec.match_headers(frame.columns)
    if frame.width and not headers:
        # A CSV file is its own sheet: its place is the file and the row.
        sheet = "" if sheet_name == file else sheet_name
        raise ReadError(
            [
                Problem.at(
                    file,
                    f"is {list_spec.title}, but its first row names none of its columns: put "
                    f"Annex A's header row (such as '{list_spec.columns[0].header}') in row 1. "
                    "Nothing from the file was kept.",
                    sheet=sheet,
                    row=HEADER_ROWS,
                )
            ]
        )
    if unknown:
        result.unknown_columns[list_spec.key] = len(unknown)
    if missing:
        result.missing_columns[list_spec.key] = missing
    blank = [pl.lit(None, pl.String).alias(key) for key in missing]
    frame = frame.select(
        [_text(pl.col(header)).alias(key) for header, key in headers.items()] + blank
    ).with_row_index(ROW, offset=HEADER_ROWS + 1)
    result.lists[list_spec.key] = frame.select(ROW, *[column.key for column in list_spec.columns])
    result.sheets[list_spec.key] = sheet_name


def _text(column: pl.Expr) -> pl.Expr:
    """Text with blank cells (empty or spaces only) as null."""
    stripped = column.cast(pl.String).str.strip_chars()
    return pl.when(stripped.str.len_chars() > 0).then(stripped)


# ---------------------------------------------------------------------------------------------
# Typing


def typed_lists(raw: RawAnnexA) -> dict[str, pl.DataFrame]:
    """Each list with dates as dates, integers as integers and codes as short codes; a cell
    that is blank or cannot be read becomes null (compare with the raw text to tell which)."""
    return {key: typed_list(raw, key) for key in raw.lists}


def typed_list(raw: RawAnnexA, key: str) -> pl.DataFrame:
    """One list typed, in one pass over its cells when they are as Annex A asks, which nearly
    all are: dates in dd/mm/yyyy, whole numbers, codes spelled as the spec spells them. A second
    query gathers the distinct texts that pass left (few, if any), Python reads those once each
    with the full rules (`parse_dates`, `parse_integers`, `CodeSet.find`), and only then does a
    third query fill them in. One query per list for each step: polars runs a query's columns
    in parallel, and a query per column cost more in calls than in reading. A clean list takes
    the first query alone."""
    text = raw.lists[key]
    columns = raw.spec.list(key).columns
    typed = text.select(ROW, *(_fast(column).alias(column.key) for column in columns))
    unread = [
        column
        for column in columns
        if column.kind in KINDS_READ and has_unread_cells(text, typed, column.key)
    ]
    if not unread:
        return typed
    both = text.hstack(
        [typed.get_column(column.key).alias(_TYPED + column.key) for column in unread]
    )
    left = both.select(
        pl.col(column.key)
        .filter(pl.col(_TYPED + column.key).is_null())
        .drop_nulls()
        .unique()
        .implode()
        for column in unread
    ).row(0, named=True)
    filled = {
        column.key: cells
        for column in unread
        if (cells := _slow(pl.col(column.key), column, left[column.key])) is not None
    }
    if not filled:
        return typed
    fills = both.select(
        pl.col(_TYPED + key).fill_null(cells).alias(key) for key, cells in filled.items()
    )
    return typed.with_columns(fills.get_columns())


def has_unread_cells(text: pl.DataFrame, typed: pl.DataFrame, key: str) -> bool:
    """Whether some cell of the column was given but not read: a blank cell is null both as
    text and typed, so the typed column has more nulls than the text. Counted without reading
    the cells."""
    return typed.get_column(key).null_count() > text.get_column(key).null_count()


_TYPED = "typed "  # a column typed beside its text, while both are needed
KINDS_READ = ("code", "date", "int")  # the kinds of column whose texts are typed

# The usual form of a date or whole number, read straight off the whole column. The same as the
# full parser on every cell: it reads the usual form the same way, and what the fast path
# reads is never read differently by the full one (property tests in tests/annexa/test_reader.py).
FAST = {
    "date": lambda cell: cell.str.to_date(ANNEX_A_DATE, strict=False, cache=False),
    "int": lambda cell: cell.cast(pl.Int64, strict=False),
}


def _fast(column: ColumnSpec) -> pl.Expr:
    cells = pl.col(column.key)
    if column.kind in FAST:
        return FAST[column.kind](cells)
    if column.kind == "code":
        # Each cell's place among the spellings (null where none), then the code in that place:
        # about half the time of `replace_strict` with the same mapping.
        spellings, codes = column.codes.spelled_index
        return pl.lit(codes).gather(cells.cast(spellings, strict=False).to_physical())
    return cells


def _slow(cells: pl.Expr, column: ColumnSpec, texts: list[str]) -> pl.Expr | None:
    """The type of each of `texts` read by the full rules, as an expression over `cells`; None
    when the full rules read none of them either."""
    if column.kind == "code":
        mapping = {text: code for text in texts if (code := column.codes.find(text))}
        if not mapping:
            return None
        return cells.replace_strict(mapping, default=None, return_dtype=pl.String)
    texts = pl.Series(texts, dtype=pl.String)
    full = parse_dates if column.kind == "date" else parse_integers
    parsed = pl.select(full(pl.lit(texts))).to_series()
    if parsed.null_count() == parsed.len():
        return None
    return cells.replace_strict(texts, parsed, default=None, return_dtype=parsed.dtype)


def _column(values: pl.Series, kind: str, codes: CodeSet | None = None) -> pl.Series:
    """One column of cells typed as `typed_list` types a list's column."""
    spec = ColumnSpec("cells", "Cells", kind, required=False, codes=codes)
    list_spec = ListSpec(0, "cells", "Cells", (spec,), event="", unique=())
    raw = RawAnnexA("cells", Spec("", "", (list_spec,)))
    raw.lists["cells"] = values.to_frame("cells").with_row_index(ROW)
    return typed_list(raw, "cells")["cells"]


def date_column(values: pl.Series) -> pl.Series:
    """A column of dates read as `typed_lists` reads one."""
    return _column(values, "date")


def integer_column(values: pl.Series) -> pl.Series:
    """A column of whole numbers read as `typed_lists` reads one."""
    return _column(values, "int")


def code_column(values: pl.Series, codes: CodeSet) -> pl.Series:
    """A column of codes read as `typed_lists` reads one."""
    return _column(values, "code", codes)


def parse_dates(column: pl.Expr) -> pl.Expr:
    """dd/mm/yyyy as Annex A asks, ISO dates and date-times (as calamine gives Excel dates),
    and Excel serial numbers; anything else null."""
    text = column.str.strip_chars()
    iso = text.str.slice(0, 10)
    serial = text.str.extract(r"^(\d{5})(?:\.0+)?$", 1).cast(pl.Int32, strict=False)
    attempts = [text.str.to_date(fmt, strict=False) for fmt in DATE_FORMATS if fmt != "%Y-%m-%d"]
    attempts.insert(0, iso.str.to_date("%Y-%m-%d", strict=False))
    from_serial = pl.lit(EXCEL_EPOCH) + pl.duration(days=serial)
    return pl.coalesce(*attempts, from_serial.cast(pl.Date))


def parse_integers(column: pl.Expr) -> pl.Expr:
    """Whole numbers, written "3" or "3.0"; anything else null."""
    return column.str.replace(r"\.0+$", "").cast(pl.Int64, strict=False)


def excel_serial(day: date) -> int:
    """The Excel serial number of a date (for tests and the generator)."""
    return (day - EXCEL_EPOCH) // timedelta(days=1)
