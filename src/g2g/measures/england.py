"""England's published figures as comparators: the DfE statistics for the standard indicators,
kept in a small cited file (`data/england-kpis.csv`) so the scorecard can say "England: 85.7%"
with the source beside it.

A measure gets England's figures when it names an indicator England publishes
(`Measure.indicator`). They are stored as the measure's "england" comparators, replacing any
synthetic England series, so charts, tables and board packs read them like any other comparator.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

from django.db import transaction

from g2g.core.history import delete_with_history, save_with_history

from .indicators import BY_KEY
from .models import PUBLISHED_SOURCE, ComparatorValue, Measure

DATA = Path(__file__).parent / "data" / "england-kpis.csv"


@dataclass(frozen=True)
class EnglandFigure:
    name: str  # the indicator's name as the file gives it
    period: date
    value: Decimal
    note: str
    source: str  # the page the figure was taken from

    @property
    def citation(self) -> str:
        """ "Published (DfE, 2025): <page> (note)", as every published comparator is cited."""
        note = f" ({self.note})" if self.note else ""
        return f"{PUBLISHED_SOURCE}, {self.period.year}): {self.source}{note}"


@cache
def england_figures() -> dict[str, list[EnglandFigure]]:
    """The file's figures by indicator name, oldest first."""
    lines = [line for line in DATA.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    figures: dict[str, list[EnglandFigure]] = {}
    months = {i.england_name: i.england_month for i in BY_KEY.values() if i.england_name}
    for row in csv.DictReader(lines):
        name = row["measure"]
        period = date(int(row["year"]), months.get(name, 3), 1)
        figure = EnglandFigure(name, period, Decimal(row["value"]), row["note"], row["source"])
        figures.setdefault(name, []).append(figure)
    for rows in figures.values():
        rows.sort(key=lambda figure: figure.period)
    return figures


def figures_for(indicator: str) -> list[EnglandFigure]:
    known = BY_KEY.get(indicator)
    return england_figures().get(known.england_name, []) if known else []


@transaction.atomic
def attach_england_figures(measures: Iterable[Measure], user=None) -> int:
    """Make each measure's England comparators England's published figures for its indicator;
    return how many figures were written. Measures without a published indicator are left as
    they are."""
    written = 0
    for measure in measures:
        figures = figures_for(measure.indicator)
        if not figures:
            continue
        england = ComparatorValue.objects.filter(
            measure=measure, kind=ComparatorValue.Kind.ENGLAND, label=""
        )
        existing = {comparator.period: comparator for comparator in england}
        published = {figure.period for figure in figures}
        for period, comparator in existing.items():
            if period not in published:  # synthetic or hand-typed: the published series wins
                delete_with_history(comparator, user)
        for figure in figures:
            comparator = existing.get(figure.period) or ComparatorValue(
                measure=measure, period=figure.period, kind=ComparatorValue.Kind.ENGLAND, label=""
            )
            unchanged = (comparator.value, comparator.source) == (figure.value, figure.citation)
            if comparator.pk and unchanged:
                continue
            comparator.value, comparator.source = figure.value, figure.citation
            save_with_history(comparator, user)
            written += 1
    return written
