"""Cells written to spreadsheets and CSV files: one rule against formula injection.

A text cell beginning with `=`, `+`, `-` or `@` (or a tab or carriage return, which some
programs skip before reading a formula) is run as a formula when Excel, LibreOffice or Power
BI's Excel connector opens the file: `=HYPERLINK(...)` can send data away, `=cmd|...` (DDE)
can run programs. OWASP's advice is to put an apostrophe in front, so the cell is plain text.
Every CSV feed and Excel export writes its text cells through `safe_cell`.
"""

from __future__ import annotations

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value as a spreadsheet may hold it: text that a spreadsheet would run as a formula
    gets a leading apostrophe. Numbers, dates and None pass through unchanged, so a negative
    number stays a number."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
