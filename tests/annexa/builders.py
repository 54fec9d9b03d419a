"""Small Annex A workbooks and typed lists built by hand for tests."""

from __future__ import annotations

import io
from datetime import date

import polars as pl
import xlsxwriter

from g2g.annexa.spec import load_spec


def workbook(sheets: dict[str, list[list]]) -> bytes:
    """An .xlsx with a sheet per entry: the first row is the header row."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for index, row in enumerate(rows):
            sheet.write_row(index, 0, row)
    book.close()
    return output.getvalue()


def headers(list_key: str) -> list[str]:
    return [column.header for column in load_spec().list(list_key).columns]


def typed(list_key: str, rows: list[dict]) -> pl.DataFrame:
    """A typed list as the reader makes it: every spec column, blank where not given."""
    spec = load_spec().list(list_key)
    kinds = {"date": pl.Date, "int": pl.Int64}
    schema = {"_row": pl.UInt32} | {c.key: kinds.get(c.kind, pl.String) for c in spec.columns}
    records = [{"_row": index + 2, **row} for index, row in enumerate(rows)]
    return pl.DataFrame(records, schema=schema)


D = date
