"""Read the ILACS overview workbook (Data to Insight's scrape of Ofsted's published reports).

Pure: reads and checks, writes nothing. One `AuthorityRow` per authority, ready for
`services.load_authorities`. A problem that would load wrong data raises `ReadError`
listing every such problem; a merely missing value is loaded blank and kept as a warning on its
row (`AuthorityRow.problems`). Every problem names the file, sheet, row and column.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.utils.text import slugify
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from g2g.core.problems import Problem, ReadError
from g2g.tenancy.models import Authority

# The nine English regions' official names by ONS code (ONS Register of Geographic Codes, entity
# E12 "RGN"). The workbook's region_code column uses short codes instead (NW, GL...).
REGIONS = {
    "E12000001": ("NE", "North East"),
    "E12000002": ("NW", "North West"),
    "E12000003": ("YH", "Yorkshire and The Humber"),
    "E12000004": ("EM", "East Midlands"),
    "E12000005": ("WM", "West Midlands"),
    "E12000006": ("E", "East of England"),
    "E12000007": ("GL", "London"),
    "E12000008": ("SE", "South East"),
    "E12000009": ("SW", "South West"),
}
# Any of the three spellings, lower-cased -> the official name.
REGION_NAMES = {
    key.lower(): name for code, (short, name) in REGIONS.items() for key in (code, short, name)
}

# Ofsted's wording for its four-point scale. The care leavers judgement began in January 2023;
# the workbook says "inspection_pre_dates_judgement" for earlier inspections: no grade.
GRADES = {
    "outstanding": "Outstanding",
    "good": "Good",
    "requires improvement": "Requires improvement to be good",
    "requires improvement to be good": "Requires improvement to be good",
    "inadequate": "Inadequate",
    "inspection_pre_dates_judgement": "",
}
FRAMEWORKS = {"standard": "ILACS standard", "short": "ILACS short"}

MISSING = {"", "none", "nan", "null"}
SMALL_WORDS = {"and", "of", "on", "upon", "with", "the", "in"}
NEIGHBOURS = 10

# Workbook column -> AuthorityRow field. Other columns (stat_neighbour_judgement,
# local_link_to_all_inspections, inspectors_inspections_count) are derived or local: ignored.
COLUMNS = {
    "local_authority": "name",
    "la_code": "la_number",
    "ltla23cd": "ons_code",
    "region_code": "region",
    "urn": "ofsted_urn",
    "stat_neighbours": "neighbours",
    "inspection_framework": "inspection_framework",
    "inspection_start_date": "inspection_start",
    "inspection_end_date": "inspection_end",
    "publication_date": "inspection_published",
    "inspection_link": "inspection_link",
    "inspector_name": "lead_inspector",
    "overall_effectiveness_grade": "grade_overall",
    "impact_of_leaders_grade": "grade_leaders",
    "help_and_protection_grade": "grade_help_and_protection",
    "in_care_grade": "grade_in_care",
    "care_leavers_grade": "grade_care_leavers",
}
REQUIRED = {"local_authority", "la_code"}  # a row without these cannot be loaded


@dataclass(frozen=True)
class AuthorityRow:
    """One authority as the workbook gives it, in the model's terms."""

    name: str
    la_number: str
    ons_code: str = ""
    region: str = ""
    ofsted_urn: str = ""
    inspection_framework: str = ""
    inspection_start: date | None = None
    inspection_end: date | None = None
    inspection_published: date | None = None
    inspection_link: str = ""
    lead_inspector: str = ""
    grade_overall: str = ""
    grade_leaders: str = ""
    grade_help_and_protection: str = ""
    grade_in_care: str = ""
    grade_care_leavers: str = ""
    neighbours: tuple[str, ...] = ()  # LA numbers, rank 1 first
    row: int | None = field(default=None, compare=False)
    problems: tuple[Problem, ...] = field(default=(), compare=False)  # warnings

    @property
    def slug(self) -> str:
        return slugify(self.name)

    def model_fields(self) -> dict:
        """The Authority field values this row sets (neighbours aside)."""
        values = {name: getattr(self, name) for name in COLUMNS.values() if name != "neighbours"}
        return values | {"slug": self.slug}


def read_ilacs_overview(path: Path | str) -> list[AuthorityRow]:
    """Every authority in the workbook, in file order; raises ReadError on any error."""
    path = Path(path)
    file = path.name
    if not path.is_file():
        raise ReadError.at(file, f"no such file: {path}")
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as error:
        message = f"not an Excel .xlsx workbook ({type(error).__name__}: {error})"
        raise ReadError.at(file, message) from error
    try:
        sheets = [(sheet.title, list(sheet.iter_rows(values_only=True))) for sheet in workbook]
    finally:
        workbook.close()
    return _read_sheet(path, *_find_sheet(path, sheets))


def _find_sheet(path: Path, sheets: list[tuple[str, list[tuple]]]) -> tuple[str, list[tuple]]:
    """The first sheet whose first row holds every column we load."""
    problems = []
    for title, rows in sheets:
        headings = {_heading(cell) for cell in rows[0]} if rows else set()
        missing = [column for column in COLUMNS if column not in headings]
        if not missing:
            return title, rows
        problems += [
            Problem.at(
                path.name, "no such column in the header row", sheet=title, row=1, column=name
            )
            for name in missing
        ]
    if not sheets:
        problems = [Problem.at(path.name, "the workbook has no sheets")]
    raise ReadError(problems)


def _read_sheet(path: Path, title: str, rows: list[tuple]) -> list[AuthorityRow]:
    positions = {_heading(cell): index for index, cell in enumerate(rows[0])}
    reader = _RowReader(path.name, title, {column: positions[column] for column in COLUMNS})
    authorities = [
        reader.read(number, cells)
        for number, cells in enumerate(rows[1:], start=2)
        if any(not _missing(cell) for cell in cells)
    ]
    problems = reader.errors + _check_across_rows(reader, authorities)
    if not authorities:
        problems.append(Problem.at(path.name, "no authorities below the header row", sheet=title))
    if problems:
        raise ReadError(problems)
    return authorities


def _check_across_rows(reader: _RowReader, authorities: list[AuthorityRow]) -> list[Problem]:
    """Duplicates, and neighbours that are not in the file (those are errors)."""
    errors = []
    for column, key, what in [
        ("la_code", "la_number", "LA code"),
        ("local_authority", "slug", "name"),
    ]:
        first: dict[str, int | None] = {}
        for row in authorities:
            value = getattr(row, key)
            if value in first:
                message = f"same {what} as row {first[value]}"
                errors.append(reader.problem(row.row, column, message))
            elif value:
                first[value] = row.row
    known = {row.la_number for row in authorities}
    for row in authorities:
        unknown = [code for code in row.neighbours if code not in known]
        if unknown:
            message = f"neighbour LA code(s) {', '.join(unknown)} are not authorities in this file"
            errors.append(reader.problem(row.row, "stat_neighbours", message))
    return errors


class _RowReader:
    """Turns one sheet row into an AuthorityRow, collecting errors (all rows) and warnings."""

    def __init__(self, file: str, sheet: str, positions: dict[str, int]):
        self.file, self.sheet, self.positions = file, sheet, positions
        self.errors: list[Problem] = []
        self.ons_codes: dict[str, int] = {}  # -> the first row that gave it

    def problem(self, row: int | None, column: str, message: str) -> Problem:
        letter = get_column_letter(self.positions[column] + 1)
        return Problem.at(
            self.file, message, sheet=self.sheet, row=row, column=f"{letter} ({column})"
        )

    def read(self, number: int, cells: tuple) -> AuthorityRow:
        values: dict = {}
        warnings: list[Problem] = []
        for column, name in COLUMNS.items():
            index = self.positions[column]
            cell = cells[index] if index < len(cells) else None
            if _missing(cell) and column in REQUIRED:
                self.errors.append(self.problem(number, column, "no value"))
            elif _missing(cell):
                warnings.append(self.problem(number, column, "no value; left blank"))
            else:
                try:
                    values[name] = _convert(name, cell)
                except ValueError as error:
                    self.errors.append(self.problem(number, column, str(error)))
        warnings += self._check_row(number, values)
        values.setdefault("name", "")
        values.setdefault("la_number", "")
        return AuthorityRow(**values, row=number, problems=tuple(warnings))

    def _check_row(self, number: int, values: dict) -> list[Problem]:
        warnings = []
        start, end = values.get("inspection_start"), values.get("inspection_end")
        published = values.get("inspection_published")
        if start and end and start > end:
            warnings.append(self.problem(number, "inspection_end_date", "ends before it starts"))
        if end and published and end > published:
            message = "published before the inspection ended"
            warnings.append(self.problem(number, "publication_date", message))
        if values.get("la_number") in values.get("neighbours", ()):
            self.errors.append(self.problem(number, "stat_neighbours", "lists itself"))
        ons_code = values.get("ons_code")
        if ons_code in self.ons_codes:
            message = f"{ons_code} is also the ONS code in row {self.ons_codes[ons_code]}"
            warnings.append(self.problem(number, "ltla23cd", message))
        elif ons_code:
            self.ons_codes[ons_code] = number
        return warnings


def _convert(name: str, cell: object) -> object:
    """One cell's value for AuthorityRow field `name`; ValueError says what is wrong."""
    if name in DATE_FIELDS:
        return _date(cell)
    value = PARSERS[name](" ".join(_text(cell).split()))
    if isinstance(value, str) and len(value) > Authority._meta.get_field(name).max_length:
        raise ValueError(f"longer than {Authority._meta.get_field(name).max_length} characters")
    return value


def _matching(pattern: str, what: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if re.fullmatch(pattern, text):
            return text
        raise ValueError(f"not {what}: {text!r}")

    return parse


def _one_of(choices: dict[str, str], what: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text.lower() in choices:
            return choices[text.lower()]
        raise ValueError(f"not {what}: {text!r}")

    return parse


def _neighbours(text: str) -> tuple[str, ...]:
    codes = tuple(code.strip() for code in text.split(","))
    if len(codes) != NEIGHBOURS or not all(re.fullmatch(r"\d{3}", code) for code in codes):
        raise ValueError(f"not {NEIGHBOURS} three-digit LA codes separated by commas: {text!r}")
    if len(set(codes)) != NEIGHBOURS:
        raise ValueError(f"lists a neighbour twice: {text!r}")
    return codes


def _capitalise(text: str) -> str:
    """The workbook lower-cases names ("kingston upon hull"); mixed case is kept as given."""
    if text != text.lower():
        return text
    return " ".join(
        "-".join(
            part if (i or j) and part in SMALL_WORDS else part[:1].upper() + part[1:]
            for j, part in enumerate(word.split("-"))
        )
        for i, word in enumerate(text.split(" "))
    )


DATE_FIELDS = {"inspection_start", "inspection_end", "inspection_published"}
# Field -> what turns its cell's text into the field's value (or raises ValueError).
PARSERS: dict[str, Callable[[str], object]] = {
    "name": _capitalise,
    "lead_inspector": _capitalise,
    "la_number": _matching(r"\d{3}", "a three-digit DfE LA code"),
    "ons_code": _matching(r"E\d{8}", "an ONS code like E08000004"),
    "ofsted_urn": _matching(r"\d+", "an Ofsted URN (digits)"),
    "inspection_link": _matching(r"https?://\S+", "a web address"),
    "region": _one_of(REGION_NAMES, "an English region (code or name)"),
    "inspection_framework": _one_of(FRAMEWORKS, "standard or short"),
    "neighbours": _neighbours,
} | {
    name: _one_of(GRADES, "an Ofsted grade")
    for name in COLUMNS.values()
    if name.startswith("grade_")
}


def _date(cell: object) -> date:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})", _text(cell))
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return date(year if year > 99 else 2000 + year, month, day)
        except ValueError:
            pass
    raise ValueError(f"not a date (dd/mm/yyyy or dd/mm/yy): {cell!r}")


def _text(cell: object) -> str:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)  # a code re-saved as a number: 353.0 -> "353"
    return str(cell).strip()


def _missing(cell: object) -> bool:
    return cell is None or _text(cell).lower() in MISSING


def _heading(cell: object) -> str:
    return "" if cell is None else str(cell).strip().lower()
