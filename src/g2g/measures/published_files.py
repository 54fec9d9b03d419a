"""Read DfE's published children's social care files into figures for the indicator catalogue.

Pure: reads and checks, writes nothing (`published.load_published_figures` writes). Each file in
the folder is matched by name to a `DataFile` of the catalogue (`indicators.DATA_FILES`; next
year's file, with a new year in its name, matches the same way), read with polars, and must have
exactly the columns the catalogue knows: a missing or unknown column is an error naming the file
and the column, and nothing is written. Every indicator's rows are found by their breakdown
values (a breakdown value the file no longer has is an error too).

A cell is a number (kept exactly as written, as a Decimal) or one of DfE's symbols for a figure
that is not given (`SYMBOLS`): it is kept as suppressed with its symbol, never read as zero. A
blank cell is kept as "left blank". Anything else is an error naming the file, row and column.
Every problem in every file is reported at once (`ReadError`).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import polars as pl

from g2g.core.problems import Problem, ReadError
from g2g.tenancy.neighbours import NeighbourModel, is_neighbour_model, read_neighbour_model

from .indicators import DATA_FILES, OTHER_FILES, PUBLISHED, DataFile, Indicator, Source

# DfE's symbols (explore-education-statistics and the GSS guidance), as their files use them.
SYMBOLS = {
    "c": "suppressed to protect confidential data (small numbers)",
    "k": "less than 0.5%, shown as k rather than 0",
    "low": "rounds to 0, but is not 0",
    "u": "low reliability",
    "x": "not available",
    "z": "not applicable",
    "": "left blank in the published file",
}
NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")  # ASCII digits only
PLACES = (
    4  # decimal places kept (PublishedFigure.value); a figure with more is refused, not rounded
)
DIGITS = 12  # digits before the point kept
LEVELS = {"National": "national", "Regional": "regional", "Local authority": "local"}
ENGLAND = "E92000001"
AREA_CODE = {
    "national": re.compile(r"E92\d{6}"),
    "regional": re.compile(r"E1[23]\d{6}"),
    "local": re.compile(r"\d{3}(?: / \d{3})*"),
}
YEAR = re.compile(r"\d{4}")
TIME_IDENTIFIER = "Reporting year"
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class Cell:
    """A published cell: a value, or no value and DfE's symbol ("" for a blank cell)."""

    value: Decimal | None
    symbol: str = ""

    @property
    def suppressed(self) -> bool:
        return self.value is None


def parse_cell(text: str | None) -> Cell:
    """One cell of a published file. Raises ValueError for anything that is neither a number nor
    one of DfE's symbols (`SYMBOLS`); never reads a symbol or a blank as zero, never rounds."""
    cleaned = (text or "").strip()
    symbol = cleaned.lower()
    if symbol in SYMBOLS:
        return Cell(None, symbol)
    if not NUMBER.fullmatch(cleaned):
        shown = cleaned if len(cleaned) <= 40 else cleaned[:40] + "…"
        raise ValueError(
            f"not a number or one of DfE's symbols ({', '.join(SYMBOLS)[:-2]}): {shown!r}"
        )
    whole, _, fraction = cleaned.lstrip("-").partition(".")
    if len(fraction) > PLACES or len(whole.lstrip("0")) > DIGITS:
        raise ValueError(f"more digits than are kept ({DIGITS}.{PLACES}): {cleaned!r}")
    return Cell(Decimal(cleaned))


@dataclass(slots=True)
class Figure:
    """One figure as read; `_ranked` fills in its place among the authorities."""

    indicator: str
    year: int
    level: str  # PublishedFigure.Level value
    area_code: str
    area_name: str
    cell: Cell
    note: str
    file: str
    row: int | None
    rank_low: int | None = None
    rank_high: int | None = None
    ranked: int | None = None


@dataclass
class FileReport:
    """What was read from one file: rows read, rows that gave a figure, figures loaded, and how
    many of those are suppressed (or not applicable, or blank)."""

    file: str
    rows_read: int = 0
    rows_used: int = 0
    figures: int = 0
    suppressed: int = 0
    note: str = ""
    indicators: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_used,
            "figures": self.figures,
            "suppressed": self.suppressed,
            "indicators": self.indicators,
            "note": self.note,
        }

    def __str__(self) -> str:
        if self.note and not self.figures:
            read = f"{self.rows_read:,} rows read; " if self.rows_read else ""
            return f"{self.file}: {read}{self.note}"
        return (
            f"{self.file}: {self.rows_read:,} rows read, {self.rows_used:,} loaded "
            f"({self.figures:,} figures, {self.suppressed:,} suppressed) for "
            f"{', '.join(self.indicators)}"
        )


@dataclass
class PublishedData:
    figures: list[Figure]
    reports: list[FileReport]
    neighbour_model: NeighbourModel | None
    indicators: list[str]  # the indicators whose files were in the folder


@dataclass(frozen=True)
class _Place:
    """Where a cell was: an area and year, and its row."""

    year: int
    level: str
    area_code: str
    area_name: str
    note: str
    row: int


def read_published_folder(folder: Path) -> PublishedData:
    """Every figure the catalogue's indicators take from the files in `folder`, ranked among
    authorities; the statistical neighbour model if its file is there. Raises ReadError listing
    every problem (nothing should then be written)."""
    if not folder.is_dir():
        raise ReadError.at(str(folder), "no such folder")
    problems: list[Problem] = []
    reports: list[FileReport] = []
    found, model = _sort_folder(folder, problems, reports)
    frames = {}
    for key, path in found.items():
        frame = _read_frame(path, _file(key), problems)
        if frame is not None:
            frames[key] = frame
    indicators = [
        indicator
        for indicator in PUBLISHED
        if all(source.file in frames for source in indicator.sources)
    ]
    reader = _Reader(frames, found, problems)
    figures = [figure for indicator in indicators for figure in reader.read(indicator)]
    if problems:
        raise ReadError(_capped(problems, folder))
    for key, path in sorted(found.items(), key=lambda item: item[1].name):
        reports.append(reader.report(key, path, _file(key)))
    reports.sort(key=lambda report: report.file)
    missing = [i.key for i in PUBLISHED if i not in indicators]
    if missing:
        note = f"no file in the folder for {', '.join(missing)}: left as loaded before"
        reports.append(FileReport("(missing)", note=note))
    return PublishedData(
        _ranked(figures), reports, model, [indicator.key for indicator in indicators]
    )


def _sort_folder(
    folder: Path, problems: list[Problem], reports: list[FileReport]
) -> tuple[dict[str, Path], NeighbourModel | None]:
    """The catalogue's data files in the folder by key, and the neighbour model, read; every
    other file gets a report saying why it is not read."""
    found: dict[str, Path] = {}
    model = None
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if not path.is_file():
            continue
        data_file = _data_file(path.name)
        if data_file is not None:
            if data_file.key in found:
                message = f"is the same kind of file as {found[data_file.key].name}: keep one"
                problems.append(Problem.at(path.name, message))
            found[data_file.key] = path
        elif is_neighbour_model(path):
            try:
                model = read_neighbour_model(path)
            except ReadError as error:
                problems += error.problems
            else:
                note = f"statistical neighbour model {model.name}: {len(model.rows)} authorities"
                reports.append(FileReport(path.name, len(model.rows), len(model.rows), note=note))
        else:
            reports.append(FileReport(path.name, note=_other_note(path.name)))
    return found, model


def _data_file(name: str) -> DataFile | None:
    return next((f for f in DATA_FILES if re.fullmatch(f.pattern, name)), None)


def _file(key: str) -> DataFile:
    return next(f for f in DATA_FILES if f.key == key)


def _other_note(name: str) -> str:
    for pattern, note in OTHER_FILES.items():
        if re.fullmatch(pattern, name):
            return note
    return "not a file this service reads: left alone"


def _read_frame(path: Path, data_file: DataFile, problems: list[Problem]) -> pl.DataFrame | None:
    try:
        frame = pl.read_csv(path, infer_schema=False, raise_if_empty=True)
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError) as error:
        problems.append(Problem.at(path.name, f"not a readable CSV file ({error})"))
        return None
    expected, columns = set(data_file.columns), set(frame.columns)
    changed = [
        Problem.at(path.name, "no such column in the header row: was it renamed?", column=name)
        for name in data_file.columns
        if name not in columns
    ] + [
        Problem.at(path.name, "a column this reader does not know", column=name)
        for name in frame.columns
        if name not in expected
    ]
    problems += changed
    return None if changed else frame


class _Reader:
    """Reads the catalogue's sources from the files' frames, noting problems and what was used."""

    def __init__(self, frames: dict[str, pl.DataFrame], paths: dict[str, Path], problems):
        self.frames, self.paths, self.problems = frames, paths, problems
        self.used_rows: dict[str, set[int]] = defaultdict(set)
        self.by_file: dict[str, list[Figure]] = defaultdict(list)
        self._cells: dict[Source, dict[tuple[str, int], tuple[_Place, Cell]]] = {}
        self.indicators: dict[str, list[str]] = defaultdict(list)
        self._known_places: dict[tuple[str, int], list[_Place]] = {}

    def read(self, indicator: Indicator) -> list[Figure]:
        """The indicator's figures: as published, or calculated from published figures."""
        return self._published(indicator) if indicator.published else self._calculated(indicator)

    def _published(self, indicator: Indicator) -> list[Figure]:
        source = indicator.published
        file = self.paths[source.file].name
        figures = []
        for place, cell in self.cells(source).values():
            figures.append(_figure(indicator.key, place, cell, file))
            self.used_rows[source.file].add(place.row)
        self._note(source.file, indicator.key, figures)
        return figures

    def _calculated(self, indicator: Indicator) -> list[Figure]:
        calculation = indicator.calculated
        numerators, denominators = (
            self.cells(calculation.numerator),
            self.cells(calculation.denominator),
        )
        files = " and ".join(
            self.paths[source.file].name
            for source in (calculation.numerator, calculation.denominator)
        )
        figures = []
        for key, (place, top) in numerators.items():
            if key not in denominators:
                continue
            below, bottom = denominators[key]
            figures.append(_figure(indicator.key, place, _divide(top, bottom, calculation), files))
            self.used_rows[calculation.numerator.file].add(place.row)
            self.used_rows[calculation.denominator.file].add(below.row)
        self._note(calculation.numerator.file, indicator.key, figures)
        self.indicators[calculation.denominator.file].append(indicator.key)
        return figures

    def _note(self, file_key: str, indicator: str, figures: list[Figure]) -> None:
        self.indicators[file_key].append(indicator)
        self.by_file[file_key].extend(figures)

    def cells(self, source: Source) -> dict[tuple[str, int], tuple[_Place, Cell]]:
        """The source's cells by (area code, year), read once."""
        if source not in self._cells:
            self._cells[source] = self._read_cells(source)
        return self._cells[source]

    def _read_cells(self, source: Source) -> dict[tuple[str, int], tuple[_Place, Cell]]:
        frame = self.frames[source.file].with_row_index("row", offset=2)
        file = self.paths[source.file].name
        for column, value in source.rows:
            present = frame.get_column(column).unique().to_list()
            if value not in present:
                message = f"no rows where {column} is {value!r}: was the breakdown renamed?"
                self.problems.append(Problem.at(file, message, column=column))
        condition = pl.lit(True)
        for column, value in source.rows:
            condition = condition & (pl.col(column) == value)
        wanted = ["row", *_GEOGRAPHY_READ, source.column]
        cells: dict[tuple[str, int], tuple[_Place, Cell]] = {}
        for record in frame.filter(condition).select(wanted).iter_rows(named=True):
            row = record["row"]
            try:
                cell = parse_cell(record[source.column])
            except ValueError as error:
                self.problems.append(Problem.at(file, str(error), row=row, column=source.column))
                continue
            for place in self.places(file, record):
                key = (place.area_code, place.year)
                if key in cells:
                    first = cells[key][0].row
                    message = f"{place.area_name} {place.year} is also in row {first}"
                    self.problems.append(Problem.at(file, message, row=row))
                    continue
                cells[key] = (place, cell)
        return cells

    def places(self, file: str, record: dict) -> list[_Place]:
        """The area(s) and year of a row: one area, or each authority of a figure published
        jointly for several ("314 / 318"). Read once per row (several indicators share rows)."""
        key = (file, record["row"])
        if key not in self._known_places:
            self._known_places[key] = self._places(file, record)
        return self._known_places[key]

    def _places(self, file: str, record: dict) -> list[_Place]:
        row = record["row"]

        def problem(column: str, message: str) -> list[_Place]:
            self.problems.append(Problem.at(file, message, row=row, column=column))
            return []

        period = (record["time_period"] or "").strip()
        if not YEAR.fullmatch(period):
            return problem("time_period", f"not a year: {period!r}")
        if (record["time_identifier"] or "").strip() != TIME_IDENTIFIER:
            return problem("time_identifier", f"not {TIME_IDENTIFIER!r}")
        level = LEVELS.get((record["geographic_level"] or "").strip())
        if level is None:
            found = record["geographic_level"]
            return problem("geographic_level", f"not one of {', '.join(LEVELS)}: {found!r}")
        column, name_column = _AREA_COLUMNS[level]
        code = " ".join((record[column] or "").split())
        name = " ".join((record[name_column] or "").split()) or "England"
        if not AREA_CODE[level].fullmatch(code):
            return problem(column, f"not a {level} area code: {code!r}")
        codes = code.split(" / ")
        if len(codes) == 1:
            return [_Place(int(period), level, code, name, "", row)]
        names = name.split(" / ")
        if len(names) != len(codes):
            names = [name] * len(codes)
        note = f"published jointly for {' and '.join(names)}"
        return [
            _Place(int(period), level, one, named, note, row)
            for one, named in zip(codes, names, strict=True)
        ]

    def report(self, key: str, path: Path, data_file: DataFile) -> FileReport:
        figures = self.by_file.get(key, [])
        report = FileReport(
            path.name,
            rows_read=self.frames[key].height,
            rows_used=len(self.used_rows[key]),
            figures=len(figures),
            suppressed=sum(figure.cell.suppressed for figure in figures),
            indicators=list(dict.fromkeys(self.indicators[key])),
        )
        if not report.indicators:
            report.note = data_file.note or "no indicator in the catalogue is read from it"
        return report


_GEOGRAPHY_READ = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "la_name",
)
_AREA_COLUMNS = {
    "national": ("country_code", "country_name"),
    "regional": ("region_code", "region_name"),
    "local": ("old_la_code", "la_name"),
}


def _figure(indicator: str, place: _Place, cell: Cell, file: str) -> Figure:
    return Figure(
        indicator,
        place.year,
        place.level,
        place.area_code,
        place.area_name,
        cell,
        place.note,
        file,
        place.row,
    )


def _divide(top: Cell, bottom: Cell, calculation) -> Cell:
    """numerator ÷ denominator × per, half up to the calculation's places; a suppressed part
    suppresses the result (with the part's symbol), as does a zero denominator ("z")."""
    if top.suppressed:
        return top
    if bottom.suppressed:
        return bottom
    if bottom.value == 0:
        return Cell(None, "z")
    exact = top.value * calculation.per / bottom.value
    return Cell(exact.quantize(Decimal(1).scaleb(-calculation.places), rounding=ROUND_HALF_UP))


def _ranked(figures: list[Figure]) -> list[Figure]:
    """Each authority's figure with its place among all authorities with a value for the
    indicator that year: 1 + how many are lower, 1 + how many are higher, and how many."""
    values: dict[tuple[str, int], list[Decimal]] = defaultdict(list)
    for figure in figures:
        if figure.level == "local" and figure.cell.value is not None:
            values[(figure.indicator, figure.year)].append(figure.cell.value)
    for known in values.values():
        known.sort()
    for figure in figures:
        known = values.get((figure.indicator, figure.year))
        if figure.level != "local" or figure.cell.value is None or not known:
            continue
        value, count = figure.cell.value, len(known)
        figure.rank_low = 1 + bisect_left(known, value)
        figure.rank_high = 1 + count - bisect_right(known, value)
        figure.ranked = count
    return figures


def _capped(problems: list[Problem], folder: Path) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    more = len(problems) - MAX_PROBLEMS
    return [*problems[:MAX_PROBLEMS], Problem(str(folder), f"and {more:,} more problems")]
