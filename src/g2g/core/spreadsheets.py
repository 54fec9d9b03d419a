"""Cells written to spreadsheets and CSV files: one rule against formula injection.

A text cell beginning with `=`, `+`, `-` or `@` (or a tab or carriage return, which some
programs skip before reading a formula) is run as a formula when Excel, LibreOffice or Power
BI's Excel connector opens the file: `=HYPERLINK(...)` can send data away, `=cmd|...` (DDE)
can run programs. OWASP's advice is to put an apostrophe in front, so the cell is plain text.
Every CSV feed and Excel export writes its text cells through `safe_cell`; every CSV file is
written by `csv_response` (UTF-8 with a byte-order mark, ISO dates, one header row).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime

from django.http import HttpResponse

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value as a spreadsheet may hold it: text that a spreadsheet would run as a formula
    gets a leading apostrophe. Numbers, dates and None pass through unchanged, so a negative
    number stays a number."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def csv_text(value) -> str:
    """One cell: ISO dates and times (UTC), true/false, and text that cannot run a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(safe_cell(value))


def csv_response(
    name: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([csv_text(cell) for cell in row] for row in rows)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


_NUMBERED_ROW = re.compile(rb'<(?:\w+:)?row\s[^>]*?\br="([0-9]{1,7})"')


def last_numbered_row(sheet_xml: bytes) -> int:
    """The highest number an .xlsx sheet's XML gives its rows (`<row r="…">`), read as text
    before any parser builds a cell (the readers' size checks); 0 when no row is numbered."""
    return max((int(number) for number in _NUMBERED_ROW.findall(sheet_xml)), default=0)
