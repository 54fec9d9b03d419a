"""The data-quality report: what is wrong in a return, where, and how often.

Each problem is located by list, column and the spreadsheet row numbers of the rows that have
it: never by any of the child's data, so the report can be kept and shared after the file is
gone. (Councils find the rows in their own file.)
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import reduce

import polars as pl

from .kpis import Frames
from .reader import ROW, RawAnnexA, has_unread_cells

MAX_ROWS_KEPT = 1000  # row numbers kept per problem; the count is always whole
INVALID = {"code": "invalid_code", "date": "invalid_date", "int": "invalid_number"}
_TEXT = "text "  # a list's text beside its typed columns, while its checks run


CHECKS = {
    "missing": "Required value missing",
    "invalid_code": "Not one of the allowed codes",
    "invalid_date": "Not a date",
    "invalid_number": "Not a whole number",
    "future_date": "Date after the snapshot date",
    "birth_after_event": "Date of birth after the date the list is about",
    "end_before_start": "End date before start date",
    "duplicate": "Same child and dates as an earlier row",
    "cp_plan_without_icpc": "Child protection plan started in the window with no ICPC (List 5)",
    "icpc_plan_not_in_cp_list": "ICPC resulted in a plan, but the child is not on List 7",
    "icpc_without_s47": "ICPC date with no section 47 start date",
}


@dataclass
class Issue:
    list_key: str
    column: str
    check: str
    count: int
    rows: list[int]

    @property
    def description(self) -> str:
        return CHECKS[self.check]

    def as_dict(self) -> dict:
        return {
            "list": self.list_key,
            "column": self.column,
            "check": self.check,
            "count": self.count,
            "rows": self.rows,
        }


@dataclass
class QualityReport:
    issues: list[Issue] = field(default_factory=list)
    unknown_sheets: list[str] = field(default_factory=list)
    unknown_columns: dict[str, int] = field(default_factory=dict)  # a count: no headings
    missing_columns: dict[str, list[str]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Rows with each kind of problem, all lists together."""
        counter: Counter[str] = Counter()
        for issue in self.issues:
            counter[issue.check] += issue.count
        return dict(sorted(counter.items()))

    def count_of(self, list_key: str, check: str, column: str | None = None) -> int:
        return sum(
            issue.count
            for issue in self.issues
            if issue.list_key == list_key
            and issue.check == check
            and (column is None or issue.column == column)
        )

    def as_dict(self) -> dict:
        return {
            "counts": self.counts(),
            "issues": [issue.as_dict() for issue in self.issues],
            "unknown_sheets": self.unknown_sheets,
            "unknown_columns": self.unknown_columns,
            "missing_columns": self.missing_columns,
        }


def check_quality(
    raw: RawAnnexA,
    typed: dict[str, pl.DataFrame],
    snapshot: date,
    each: Callable[..., Iterable] = map,
) -> QualityReport:
    """Every check of every list. `each` maps a function over the lists: `map`, or a thread
    pool's, to check two lists at once (polars works without Python's lock)."""
    found = each(lambda key: _list_issues(raw, key, typed[key], snapshot), typed)
    report = QualityReport(
        issues=[issue for issues in found for issue in issues],
        unknown_sheets=list(raw.unknown_sheets),
        unknown_columns=dict(raw.unknown_columns),
        missing_columns=dict(raw.missing_columns),
    )
    _check_across_lists(report, Frames(typed, snapshot))
    return report


def _add(report: QualityReport, key: str, column: str, check: str, rows: pl.Series) -> None:
    if rows.len():
        kept = rows.head(MAX_ROWS_KEPT).to_list()
        report.issues.append(Issue(key, column, check, rows.len(), kept))


def _list_issues(raw: RawAnnexA, key: str, frame: pl.DataFrame, snapshot: date) -> list[Issue]:
    """Every check of one list as a mask, and for each mask the count and first row numbers of
    the rows it finds, all in one query over the list (polars runs the masks in parallel): a
    query per mask cost more in calls than in checking. A check that its column's figures show
    can find nothing is left out: a column's nulls are counted without reading its cells
    (`has_unread_cells`), and a date column's latest date is one pass; most checks of a clean
    list find nothing, and each mask costs as much to set up as to run on a short list."""
    list_spec = raw.spec.list(key)
    text = raw.lists[key]
    absent = set(raw.missing_columns.get(key, ()))
    masks: dict[tuple[str, str], pl.Expr] = {}
    for column in list_spec.columns:
        if column.key in absent:
            continue  # reported once as a missing column, not once per row
        given = pl.col(_TEXT + column.key).is_not_null()
        if column.required and text.get_column(column.key).null_count():
            masks[column.key, "missing"] = ~given
        if column.kind in INVALID and has_unread_cells(text, frame, column.key):
            masks[column.key, INVALID[column.kind]] = given & pl.col(column.key).is_null()
        latest = frame.get_column(column.key).max() if column.kind == "date" else None
        if latest is not None and latest > snapshot:
            masks[column.key, "future_date"] = pl.col(column.key) > snapshot
    if list_spec.event and "birth_date" in frame.columns:
        masks["birth_date", "birth_after_event"] = pl.col("birth_date") > pl.col(list_spec.event)
    for start, end in list_spec.periods:
        masks[end, "end_before_start"] = pl.col(end) < pl.col(start)
    found = {place: pl.col(ROW).filter(mask.fill_null(False)) for place, mask in masks.items()}
    keys = [name for name in list_spec.unique if name not in absent]
    if keys:
        found[list_spec.id_column, "duplicate"] = _repeated_rows(keys)
    if not found:
        return []
    both = frame.hstack(
        [text.get_column(column).alias(_TEXT + column) for column in text.columns if column != ROW]
    )
    lists = both.select(
        rows.implode().alias(str(number)) for number, rows in enumerate(found.values())
    )
    summary = lists.select(
        pl.all().list.len().name.suffix(" count"), pl.all().list.head(MAX_ROWS_KEPT)
    ).row(0)
    counts, kept = summary[: len(found)], summary[len(found) :]
    return [
        Issue(key, column, check, count, rows)
        for (column, check), count, rows in zip(found, counts, kept, strict=True)
        if count
    ]


def _repeated_rows(keys: list[str]) -> pl.Expr:
    """The row numbers of rows whose keys, all given, are an earlier row's. Only rows whose
    keys' hash is repeated are compared in full: rows with equal keys have equal hashes, and
    hashing each key column (a seed each, so that swapped values differ) costs a fraction of
    the time and memory of comparing every row's keys in full."""
    complete = pl.all_horizontal(pl.col(keys).is_not_null())
    hashed = reduce(operator.xor, (pl.col(key).hash(seed=seed) for seed, key in enumerate(keys)))
    maybe = complete & hashed.is_duplicated()
    return pl.col(ROW).filter(maybe).filter(~pl.struct(keys).filter(maybe).is_first_distinct())


def _check_across_lists(report: QualityReport, frames: Frames) -> None:
    s47, plans = frames.get("section_47"), frames.get("child_protection")
    if s47 is not None:
        lone = s47.filter(pl.col("icpc_date").is_not_null() & pl.col("s47_start_date").is_null())
        _add(report, "section_47", "s47_start_date", "icpc_without_s47", lone[ROW])
    if s47 is None or plans is None:
        return
    icpcs = s47.filter(pl.col("icpc_date").is_not_null() & pl.col("child_id").is_not_null())
    started = plans.filter(frames.in_window("start_date") & pl.col("child_id").is_not_null())
    matched = started.join(
        icpcs.select("child_id", "icpc_date"), on="child_id", how="inner"
    ).filter(pl.col("icpc_date") <= pl.col("start_date"))
    without = started.filter(~pl.col(ROW).is_in(matched[ROW].implode()))
    _add(report, "child_protection", "start_date", "cp_plan_without_icpc", without[ROW])
    on_list = plans["child_id"].drop_nulls().unique().implode()
    to_plan = icpcs.filter(
        (pl.col("icpc_to_plan") == "Y")
        & frames.in_window("icpc_date")
        & ~pl.col("child_id").is_in(on_list)
    )
    _add(report, "section_47", "icpc_to_plan", "icpc_plan_not_in_cp_list", to_plan[ROW])
