"""Writes for DfE's published figures: loading the files, and making the published figures the
comparators of the measures that track a published indicator.

`load_published_figures(folder)` reads every file of the folder (`published_files`), then, in one
transaction, writes what changed: the figures (created, updated, removed) and DfE's statistical
neighbour model when its file is there (`tenancy.services.load_neighbour_model`), and refreshes
the published comparators of every measure tracking a loaded indicator. A bad file writes
nothing. Loading the same folder twice writes nothing the second time.

`attach_published_figures(measures)` gives each measure that tracks a published indicator the
published series as comparators, one a year (dated in the month the publication's year ends):
England, its region, its statistical neighbours' average (the current model), and its own
published figure ("Oldham (published)"), each with the source "Published (DfE, <year>): ...".
They replace any synthetic or earlier published comparators of those kinds; imported or entered
comparators in other months are kept. A measure whose indicator only England's cited file gives
(`england.py`) gets England's figures from there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.db import connection, transaction
from simple_history.utils import bulk_create_with_history

from g2g.core.history import delete_with_history, save_with_history
from g2g.tenancy.models import Authority
from g2g.tenancy.services import NeighbourLoad, load_neighbour_model

from .comparison import compare, plain
from .england import attach_england_figures
from .indicators import BY_KEY, PUBLISHED_KEYS
from .models import PUBLISHED_SOURCE, ComparatorValue, Measure, PublishedFigure
from .published_files import Figure, FileReport, read_published_folder
from .signals import charts_outdated

FIELDS = ("level", "area_name", "value", "suppression", "note", "rank_low", "rank_high", "ranked")
FIELDS += ("source_file", "source_row")  # what a load may change on a stored figure


@dataclass
class PublishedLoad:
    reports: list[FileReport]
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    neighbours: NeighbourLoad | None = None
    neighbours_note: str = ""
    comparators: int = 0
    measures: int = 0
    indicators: list[str] = field(default_factory=list)

    def summary(self) -> str:
        total = self.created + self.updated + self.unchanged
        text = (
            f"{total:,} figures of {len(self.indicators)} indicators ({self.created:,} new, "
            f"{self.updated:,} changed, {self.removed:,} removed)"
        )
        if self.neighbours:
            text += f"; {self.neighbours}"
        return text

    def lines(self) -> list[str]:
        lines = [str(report) for report in self.reports]
        lines.append(
            f"Figures: {self.created:,} created, {self.updated:,} updated, "
            f"{self.unchanged:,} unchanged, {self.removed:,} removed "
            f"({len(self.indicators)} indicators)"
        )
        if self.neighbours:
            lines.append(f"Statistical neighbours: {self.neighbours}")
        elif self.neighbours_note:
            lines.append(f"Statistical neighbours: {self.neighbours_note}")
        lines.append(
            f"Measures tracking a published indicator: {self.measures}, "
            f"{self.comparators:,} comparator values written"
        )
        return lines

    def as_dict(self) -> dict:
        return {
            "files": [report.as_dict() for report in self.reports],
            "figures": {
                "created": self.created,
                "updated": self.updated,
                "unchanged": self.unchanged,
                "removed": self.removed,
            },
            "indicators": self.indicators,
            "neighbours": str(self.neighbours) if self.neighbours else self.neighbours_note,
            "measures": self.measures,
            "comparators": self.comparators,
        }


def load_published_figures(folder: Path) -> PublishedLoad:
    """Read the folder, then write what changed in one transaction (see the module docstring).
    Raises ReadError, having written nothing, when any file has a problem (or the neighbour
    model names an authority that is not loaded)."""
    data = read_published_folder(folder)
    with transaction.atomic():
        result = PublishedLoad(data.reports, indicators=data.indicators)
        if data.neighbour_model is not None:
            if Authority.objects.exclude(la_number="").exists():
                result.neighbours = load_neighbour_model(data.neighbour_model)
            else:
                result.neighbours_note = (
                    "not loaded: load the authorities first (g2g load_authorities PATH)"
                )
        _write_figures(data.figures, data.indicators, result)
        measures = Measure.objects.filter(indicator__in=data.indicators).select_related("authority")
        result.measures = len(measures)
        result.comparators = attach_published_figures(measures)
    return result


def _write_figures(figures: list[Figure], indicators: list[str], result: PublishedLoad) -> None:
    """Create, update and remove figures so the loaded indicators hold exactly `figures`; a
    figure already stored as it is now is not written."""
    stored = PublishedFigure.objects.filter(indicator__in=indicators)
    existing = {
        (row[0], row[1], row[2]): row[3:]
        for row in stored.values_list("indicator", "area_code", "year", "pk", *FIELDS)
    }
    new, changed = [], []
    for figure in figures:
        wanted = _fields(figure)
        found = existing.pop((figure.indicator, figure.area_code, figure.year), None)
        if found is None:
            new.append(wanted)
        elif tuple(found[1:]) != tuple(wanted[name] for name in FIELDS):
            changed.append(PublishedFigure(pk=found[0], **wanted))
    _insert(new)
    PublishedFigure.objects.bulk_update(changed, FIELDS, batch_size=2000)
    gone = [found[0] for found in existing.values()]
    for start in range(0, len(gone), 500):
        PublishedFigure.objects.filter(pk__in=gone[start : start + 500]).delete()
    result.created, result.updated, result.removed = len(new), len(changed), len(gone)
    result.unchanged = len(figures) - len(new) - len(changed)


def _insert(figures: list[dict]) -> None:
    """Insert new figures (their field values) with one prepared statement: a first load writes
    some 20,000, and building them as models for `bulk_create` takes seconds (this takes a
    fifth of that). The table and column names come from the model; every value is a
    parameter."""
    if not figures:
        return
    fields = [f for f in PublishedFigure._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    table = quote(PublishedFigure._meta.db_table)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608  # nosec B608
    rows = [[figure[f.attname] for f in fields] for figure in figures]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _fields(figure: Figure) -> dict:
    return {
        "indicator": figure.indicator,
        "year": figure.year,
        "area_code": figure.area_code,
        "level": figure.level,
        "area_name": figure.area_name[:100],
        "value": figure.cell.value,
        "suppression": figure.cell.symbol,
        "note": figure.note[:200],
        "rank_low": figure.rank_low,
        "rank_high": figure.rank_high,
        "ranked": figure.ranked,
        "source_file": figure.file[:300],
        "source_row": figure.row,
    }


# ---------------------------------------------------------------------------------------------
# Published figures as measures' comparators


def published_label(authority: Authority) -> str:
    """The label of the authority's own published figure among its measure's comparators."""
    return f"{authority.name} (published)"[:100]


@transaction.atomic
def attach_published_figures(measures: Iterable[Measure], user=None) -> int:
    """Make each measure's comparators the published figures for its indicator (see the module
    docstring); return how many comparator values were written. Measures without a published
    indicator are left as they are; those with one England's cited file gives get England's."""
    measures = list(measures)
    wanted = [m for m in measures if m.indicator in PUBLISHED_KEYS]
    others = [m for m in measures if m.indicator not in PUBLISHED_KEYS]
    written = attach_england_figures(others, user=user)
    if not wanted:
        if written:
            charts_outdated(measure.pk for measure in others)
        return written
    by_authority: dict[int, list[Measure]] = defaultdict(list)
    for measure in wanted:
        by_authority[measure.authority_id].append(measure)
    existing: dict[int, list[ComparatorValue]] = defaultdict(list)
    for comparator in ComparatorValue.objects.filter(measure__in=wanted):
        existing[comparator.measure_id].append(comparator)
    new: list[ComparatorValue] = []
    for group in by_authority.values():
        authority = group[0].authority
        comparison = compare(authority, sorted({m.indicator for m in group}))
        for measure in group:
            figures = comparison.get(measure.indicator)
            target = _published_comparators(measure, figures, authority, comparison)
            written += _replace(measure, target, existing[measure.pk], new, user)
    bulk_create_with_history(new, ComparatorValue, batch_size=500, default_user=user)
    if written or new:
        charts_outdated(measure.pk for measure in measures)
    return written + len(new)


def _published_comparators(measure, figures, authority, comparison) -> dict[tuple, tuple]:
    """(period, kind, label) -> (value, source) for every published figure of the measure."""
    if figures is None:
        return {}
    indicator = BY_KEY[measure.indicator]
    title = indicator.publication.title if indicator.publication else "DfE"
    kinds = ComparatorValue.Kind
    target = {}
    for year in figures.years:
        period = date(year.year, indicator.month, 1)
        cited = f"{PUBLISHED_SOURCE}, {year.year}): {title}"
        if year.value is not None:
            target[(period, kinds.AUTHORITY, published_label(authority))] = (
                plain(year.value),
                cited,
            )
        if year.england is not None:
            target[(period, kinds.ENGLAND, "")] = (plain(year.england), cited)
        if year.region is not None:
            target[(period, kinds.REGION, "")] = (
                plain(year.region),
                f"{cited}; {authority.region}",
            )
        if year.sn_average is not None:
            of = (
                f"{year.sn_count} of its {year.neighbours}"
                if year.sn_count < year.neighbours
                else f"its {year.neighbours}"
            )
            target[(period, kinds.NEIGHBOURS, "")] = (
                year.sn_average,
                f"{cited}; the mean of {of} statistical neighbours with a figure "
                f"({comparison.neighbour_model})",
            )
    return {key: value for key, value in target.items() if _fits(value[0])}


def _fits(value: Decimal) -> bool:
    """ComparatorValue keeps 2 decimal places and 10 digits before the point."""
    return value == value.quantize(Decimal("0.01")) and abs(value) < Decimal(10) ** 10


def _replace(
    measure: Measure,
    target: dict[tuple, tuple],
    current: list[ComparatorValue],
    new: list[ComparatorValue],
    user,
) -> int:
    """Write `target` over the measure's comparators: the same rows kept, changed ones saved,
    synthetic and no-longer-published ones of the published kinds deleted. Returns how many
    were saved (new ones are added to `new`, for one bulk insert)."""
    written = 0
    for comparator in current:
        key = (comparator.period, comparator.kind, comparator.label)
        if key in target:
            value, source = target.pop(key)
            if (comparator.value, comparator.source) != (value, source):
                comparator.value, comparator.source = value, source
                save_with_history(comparator, user)
                written += 1
        elif comparator.published or comparator.synthetic:
            delete_with_history(comparator, user)
    for (period, kind, label), (value, source) in target.items():
        new.append(
            ComparatorValue(
                measure=measure, period=period, kind=kind, label=label, value=value, source=source
            )
        )
    return written
