"""Read DfE's statistical neighbour model file (`sn_model_2025_wide.csv`): for each authority,
its ten statistical neighbours in rank order, each with DfE's closeness band.

Pure: reads and checks, writes nothing (`services.load_neighbour_model` writes). The model is
named by the year in the file's name, so a later model's file loads beside this one without a
code change. Every problem names the file, row and column; any problem raises `ReadError`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from g2g.core.problems import Problem, ReadError

FILE_NAME = re.compile(r"sn_model_(?P<year>\d{4})_wide\.csv")
NEIGHBOURS = 10
COLUMNS = (
    "old_la_code",
    "la_name",
    "region_ind",
    "region_name",
    *(name for rank in range(1, NEIGHBOURS + 1) for name in (f"SN_{rank}", f"SN_{rank}P")),
)
# DfE's bands, closest first. The file writes "Close " with a trailing space: spaces are trimmed.
BANDS = ("Extremely close", "Very close", "Close", "Somewhat close", "Not close")
LA_CODE = re.compile(r"\d{3}")


@dataclass(frozen=True)
class NeighbourRow:
    la_number: str
    name: str
    neighbours: tuple[tuple[str, str], ...]  # (LA code, closeness band), rank 1 first
    row: int


@dataclass(frozen=True)
class NeighbourModel:
    name: str  # the model's year, e.g. "2025"
    file: str
    rows: list[NeighbourRow]

    def codes(self) -> Iterator[tuple[str, int, str]]:
        """Every LA code the file names, with its row and column."""
        for row in self.rows:
            yield row.la_number, row.row, "old_la_code"
            for rank, (code, _band) in enumerate(row.neighbours, start=1):
                yield code, row.row, f"SN_{rank}"


def is_neighbour_model(path: Path) -> bool:
    return FILE_NAME.fullmatch(path.name) is not None


def read_neighbour_model(path: Path) -> NeighbourModel:
    """Every authority's ranked neighbours and bands; raises ReadError listing every problem."""
    match = FILE_NAME.fullmatch(path.name)
    if match is None:
        raise ReadError.at(path.name, "not named like sn_model_2025_wide.csv")
    try:
        frame = pl.read_csv(path, infer_schema=False)
    except (pl.exceptions.PolarsError, OSError, UnicodeDecodeError) as error:
        raise ReadError.at(path.name, f"not a readable CSV file ({error})") from error
    problems = [
        Problem.at(path.name, "no such column in the header row", row=1, column=name)
        for name in COLUMNS
        if name not in frame.columns
    ] + [
        Problem.at(path.name, "a column this reader does not know", row=1, column=name)
        for name in frame.columns
        if name not in COLUMNS
    ]
    if problems:
        raise ReadError(problems)
    rows = []
    seen: dict[str, int] = {}
    for number, record in enumerate(frame.iter_rows(named=True), start=2):
        row = _read_row(path.name, number, record, problems)
        if row is None:
            continue
        if row.la_number in seen:
            message = f"LA code {row.la_number} is also in row {seen[row.la_number]}"
            problems.append(Problem.at(path.name, message, row=number, column="old_la_code"))
        seen[row.la_number] = number
        rows.append(row)
    if not rows and not problems:
        problems.append(Problem.at(path.name, "no authorities below the header row"))
    if problems:
        raise ReadError(problems)
    return NeighbourModel(match["year"], path.name, rows)


def _read_row(file: str, number: int, record: dict, problems: list[Problem]) -> NeighbourRow | None:
    found: list[Problem] = []

    def problem(column: str, message: str) -> None:
        found.append(Problem.at(file, message, row=number, column=column))

    code = (record["old_la_code"] or "").strip()
    if not LA_CODE.fullmatch(code):
        problem("old_la_code", f"not a three-digit DfE LA code: {code!r}")
    neighbours = []
    for rank in range(1, NEIGHBOURS + 1):
        neighbour = (record[f"SN_{rank}"] or "").strip()
        band = " ".join((record[f"SN_{rank}P"] or "").split())
        if not LA_CODE.fullmatch(neighbour):
            problem(f"SN_{rank}", f"not a three-digit DfE LA code: {neighbour!r}")
        elif neighbour == code:
            problem(f"SN_{rank}", "the authority is listed as its own neighbour")
        if band not in BANDS:
            problem(f"SN_{rank}P", f"not one of DfE's bands ({', '.join(BANDS)}): {band!r}")
        neighbours.append((neighbour, band))
    if len({code for code, _band in neighbours}) != len(neighbours):
        problem("SN_1", "lists a neighbour twice")
    problems += found
    if found:
        return None
    name = " ".join((record["la_name"] or "").split())
    return NeighbourRow(code, name, tuple(neighbours), number)
