"""A stored return as people read it: KPI rows with their definitions, data-quality rows with
list and column names, and the data-quality workbook. Shared by the page and the download."""

from __future__ import annotations

import io
from dataclasses import dataclass

import xlsxwriter

from g2g.measures.indicators import BY_KEY

from .kpis import KPIS, Kpi
from .models import AnnexAReturn
from .quality import CHECKS
from .spec import load_spec

SHOWN_ROWS = 10  # row numbers shown on the page per problem; the workbook has all that were kept


@dataclass(frozen=True)
class KpiRow:
    key: str
    name: str
    numerator: int
    denominator: int
    value: float | None
    definition: Kpi | None


@dataclass(frozen=True)
class ProblemRow:
    list_title: str
    column: str
    problem: str
    count: int
    rows: list[int]

    @property
    def shown_rows(self) -> str:
        text = ", ".join(str(row) for row in self.rows[:SHOWN_ROWS])
        return text + (" …" if self.count > SHOWN_ROWS else "")


def kpi_rows(record: AnnexAReturn) -> list[KpiRow]:
    rows = []
    for key, result in record.kpis.items():
        name = BY_KEY[key].name if key in BY_KEY else key
        rows.append(
            KpiRow(
                key,
                name,
                result["numerator"],
                result["denominator"],
                result["value"],
                KPIS.get(key),
            )
        )
    return rows


def problem_rows(record: AnnexAReturn) -> list[ProblemRow]:
    spec = load_spec(record.spec_version)
    titles = {item.key: item.title for item in spec.lists}
    rows = []
    for issue in record.quality.get("issues", []):
        list_key, column = issue["list"], issue["column"]
        header = column
        if list_key in titles:
            header = next(
                (c.header for c in spec.list(list_key).columns if c.key == column), column
            )
        rows.append(
            ProblemRow(
                titles.get(list_key, list_key),
                header,
                CHECKS.get(issue["check"], issue["check"]),
                issue["count"],
                issue["rows"],
            )
        )
    return rows


def count_rows(record: AnnexAReturn) -> list[tuple[str, int]]:
    """Problems by kind, all lists together."""
    counts = record.quality.get("counts", {})
    return [(CHECKS.get(check, check), count) for check, count in counts.items()]


def list_rows(record: AnnexAReturn) -> list[tuple[str, int]]:
    spec = load_spec(record.spec_version)
    titles = {item.key: item.title for item in spec.lists}
    return [(titles.get(key, key), count) for key, count in record.rows.items()]


def quality_workbook(record: AnnexAReturn) -> bytes:
    """The data-quality report as .xlsx: a summary and one line per problem row. Every cell is
    written as a string or number, never a formula, so a hostile header stays text."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        output, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = workbook.add_format({"bold": True})
    summary = workbook.add_worksheet("Summary")
    summary.write_string(0, 0, str(record), bold)
    summary.write_string(1, 0, f"sha256 {record.sha256}")
    summary.write_string(3, 0, "Problem", bold)
    summary.write_string(3, 1, "Rows", bold)
    for index, (problem, count) in enumerate(count_rows(record), start=4):
        summary.write_string(index, 0, problem)
        summary.write_number(index, 1, count)
    line = 5 + len(count_rows(record))
    for label, entries in _not_read(record):
        summary.write_string(line, 0, label)
        summary.write_string(line, 1, entries)
        line += 1
    sheet = workbook.add_worksheet("Problems")
    headers = ("List", "Column", "Problem", "Rows with this problem", "Row number")
    for column, header in enumerate(headers):
        sheet.write_string(0, column, header, bold)
    line = 1
    for problem in problem_rows(record):
        for row in problem.rows:
            sheet.write_string(line, 0, problem.list_title)
            sheet.write_string(line, 1, problem.column)
            sheet.write_string(line, 2, problem.problem)
            sheet.write_number(line, 3, problem.count)
            sheet.write_number(line, 4, row)
            line += 1
    sheet.autofit()
    workbook.close()
    return output.getvalue()


def _not_read(record: AnnexAReturn) -> list[tuple[str, str]]:
    """Sheets the file had that are not Annex A lists, as the file named them, and how many
    columns of each list are not Annex A's (their headings are never kept)."""
    quality = record.quality
    found = [("Sheet not read", sheet) for sheet in quality.get("unknown_sheets", [])]
    for list_key, count in quality.get("unknown_columns", {}).items():
        found.append((f"Columns not read ({list_key})", unknown_columns_text(count)))
    for list_key, keys in quality.get("missing_columns", {}).items():
        found += [(f"Column missing ({list_key})", key) for key in keys]
    return found


def unknown_columns_text(count: int) -> str:
    """How many columns were not read, in words; their headings were not kept."""
    if count == 1:
        return "1 column is not in Annex A and was not read (its heading is not kept)"
    return f"{count} columns are not in Annex A and were not read (their headings are not kept)"
