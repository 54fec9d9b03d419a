"""Where each measure stands: its latest value against the trajectory, which way it is going,
and its trend chart. One place that pages (and later board packs) read measures through."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import groupby

from django.core.cache import cache

from g2g.core.dates import add_months

from .charts import (
    DRAWING_VERSION,
    Series,
    chart_summary,
    chart_table_rows,
    trend_chart_png,
    trend_chart_svg,
)
from .models import ComparatorValue, Measure, MeasureValue
from .models import Milestone as MilestoneModel
from .rating import (
    Assessment,
    Direction,
    Milestone,
    Polarity,
    assess,
    direction_of_travel,
    expected_value,
    format_value,
)


@dataclass
class MeasureStatus:
    measure: Measure
    latest: MeasureValue | None
    assessment: Assessment
    direction: Direction
    synthetic: bool  # any value or comparator shown is synthetic demo data
    milestones: list[Milestone]
    values: list[MeasureValue]  # oldest first
    comparators: list[ComparatorValue]

    @property
    def latest_comparators(self) -> list[ComparatorValue]:
        """The latest comparator of each kind and label (England, the neighbours' average, the
        region, the authority's own published figure ...), each marked by `mark`."""
        latest: dict[tuple[str, str], ComparatorValue] = {}
        for comparator in sorted(self.comparators, key=lambda c: c.period):
            latest[(comparator.kind, comparator.label)] = comparator
        order = {kind: n for n, kind in enumerate(ComparatorValue.Kind.values)}
        return sorted(latest.values(), key=lambda c: (order.get(c.kind, 9), c.label))

    @property
    def published(self) -> bool:
        return any(comparator.published for comparator in self.comparators)

    @property
    def comparators_in_words(self) -> str:
        """ "England 10% (Mar 2025, published (DfE, 2025)); ...": the latest comparators as one
        cell, for the board pack's Word and Excel tables."""
        unit = self.measure.unit
        return "; ".join(
            f"{c.label or c.get_kind_display()} {format_value(c.value, unit)} "
            f"({c.period:%b %Y}{', ' + c.mark if c.mark else ''})"
            for c in self.latest_comparators
        )


SOURCE_BREAK = "source changed: not comparable with last month"


def _direction(last_two: list[MeasureValue], polarity: Polarity) -> Direction:
    """Which way the latest value moved, unless its source is not the one before's (a computed
    series after a synthetic one, an entered figure after an imported one): a break in the
    series is shown as one, never described as a change in performance."""
    if len({value.source for value in last_two}) > 1:
        return Direction("", SOURCE_BREAK)
    return direction_of_travel([v.value for v in last_two], polarity)


def status_of(
    measure: Measure,
    *,
    values: Iterable[MeasureValue] | None = None,
    milestones: Iterable[MilestoneModel] | None = None,
    comparators: Iterable[ComparatorValue] | None = None,
) -> MeasureStatus:
    """Where the measure stands on its latest value. Reads the measure's values, milestones and
    comparators as `reads.measures_for_scorecard` read them (or as prefetched) unless given
    them, as a board pack "as at" a past date does from history. Whether any value is synthetic
    is the measure's `any_synthetic` when it was read with it (`reads.measures_for_scorecard`
    reads only the latest values), else read from the values."""
    read_with_it = values is None and hasattr(measure, "any_synthetic")
    if values is None:
        values = related(measure, "values")
    values = sorted(values, key=lambda v: v.period)
    if milestones is None:
        milestones = related(measure, "milestones")
    targets = sorted(Milestone(m.due, m.value) for m in milestones)
    latest = values[-1] if values else None
    expected = expected_value(targets, latest.period) if latest and targets else None
    polarity = Polarity(measure.polarity)
    assessment = assess(latest.value if latest else None, expected, polarity, unit=measure.unit)
    return MeasureStatus(
        measure=measure,
        latest=latest,
        assessment=assessment,
        direction=_direction(values[-2:], polarity),
        synthetic=measure.any_synthetic
        if read_with_it
        else any(v.source == MeasureValue.Source.SYNTHETIC for v in values),
        milestones=targets,
        values=values,
        comparators=list(related(measure, "comparators") if comparators is None else comparators),
    )


def related(measure: Measure, name: str) -> list:
    """The measure's `name` rows (values, milestones, comparators, focus areas, actions): the
    list `reads.measures_for_scorecard` read them into, else its related manager's."""
    read = getattr(measure, f"{name.removesuffix('s')}_list", None)
    return read if read is not None else list(getattr(measure, name).all())


def comparator_sources(comparators: Iterable[ComparatorValue]) -> list[str]:
    """Where the comparators come from, each once: published figures are cited once per source
    with their years ("Published (DfE, 2021–2025): Children looked after ..."), others as
    given."""
    years: dict[str, set[int]] = {}
    others = set()
    for comparator in comparators:
        if comparator.published and "): " in comparator.source:
            head, rest = comparator.source.split("): ", 1)
            years.setdefault(rest, set()).add(int(head.rsplit(" ", 1)[-1]))
        elif comparator.source:
            others.add(comparator.source)
    cited = []
    for rest, found in years.items():
        span = f"{min(found)}" if len(found) == 1 else f"{min(found)}–{max(found)}"
        cited.append(f"Published (DfE, {span}): {rest}")
    return sorted(cited) + sorted(others)


# The scheme of a chart's PNG's address in a print document: the PDF's renderer is handed the
# drawn PNG by it (reports.outputs), rather than decoding it from a base64 data: URI.
CHART_URL_SCHEME = "g2g-chart"


@dataclass
class Chart:
    svg: str
    summary: str
    headers: list[str]
    rows: list[list[str]]
    png: bytes = b""  # only when asked for (print documents)
    key: str = ""  # what the drawing shows, hashed: the same drawing, the same key

    @property
    def png_url(self) -> str:
        """The PNG's private address in a print document, by what it shows."""
        return f"{CHART_URL_SCHEME}:{self.key}.png"


SMALL = (300, 240)  # a small multiple on the scorecard, in pixels (its legend one series a line)
COMPARATOR_LEAD_MONTHS = 12
LARGE = (640, 320)


def chart_of(
    status: MeasureStatus, *, small: bool = False, png: bool = False, drawn_only: bool = False
) -> Chart | None:
    """The measure's trend: values, trajectory and comparators, with a table and a summary.
    Drawing takes ~50 ms, so the SVG is cached by what it shows: new data draws afresh.
    Charts are drawn in the background when a measure's data changes (`measures.tasks`);
    `drawn_only` returns None rather than draw one that is not drawn yet."""
    measure, values = status.measure, status.values
    series = [Series("Actual", [(v.period, v.value) for v in values])]
    if status.milestones and values:
        trajectory = [(v.period, expected_value(status.milestones, v.period)) for v in values]
        series.append(Series("Trajectory", trajectory, style="trajectory"))
    by_kind: dict[str, list[ComparatorValue]] = {}
    # Annual published figures go back to 2013: beside monthly values, draw those from a year
    # before the first value (the "how we compare" page shows every year).
    since = add_months(values[0].period, -COMPARATOR_LEAD_MONTHS) if values else None
    kinds = dict(ComparatorValue.Kind.choices)  # get_kind_display, without its cost per row
    for comparator in status.comparators:
        if since and comparator.period < since:
            continue
        label = comparator.label or str(kinds.get(comparator.kind, comparator.kind))
        if comparator.published and not comparator.label:
            label += " (published)"
        by_kind.setdefault(label, []).append(comparator)
    for label, points in by_kind.items():
        points.sort(key=lambda c: c.period)
        series.append(Series(label, [(c.period, c.value) for c in points], style="comparator"))
    headers, rows = chart_table_rows(series)
    width, height = SMALL if small else LARGE
    drawing = (
        DRAWING_VERSION,
        measure.name,
        measure.unit,
        series,
        status.synthetic,
        measure.pk,
        width,
        height,
    )
    digest = hashlib.sha256(repr(drawing).encode()).hexdigest()
    key = f"chart:{digest}"
    if drawn_only and not all(
        cache.has_key(f"{key}:{kind}") for kind in (("svg", "png") if png else ("svg",))
    ):
        return None
    svg = cached(
        f"{key}:svg",
        lambda: trend_chart_svg(
            measure.name,
            measure.unit,
            series,
            width_px=width,
            height_px=height,
            synthetic=status.synthetic,
            chart_id=f"measure-{measure.pk}{'-small' if small else ''}",
            show_title=not small,  # the small multiple's heading names the measure
        ),
    )
    image = b""
    if png:
        image = cached(
            f"{key}:png",
            lambda: trend_chart_png(
                measure.name,
                measure.unit,
                series,
                width_px=width,
                height_px=height,
                synthetic=status.synthetic,
            ),
        )
    return Chart(
        key=digest,
        png=image,
        svg=svg,
        summary=chart_summary(measure.name, measure.unit, series),
        headers=headers,
        rows=rows,
    )


# A drawing's key is what it shows, so it is never stale; kept this long after it was drawn so
# that a shared cache (Redis keeps a key with no timeout for ever) lets drawings nobody shows go.
CHART_KEEP_SECONDS = 30 * 24 * 60 * 60


def cached(key: str, draw: Callable[[], str | bytes]):
    drawn = cache.get(key)
    if drawn is None:
        drawn = draw()
        cache.set(key, drawn, timeout=CHART_KEEP_SECONDS)
    return drawn


# ---------------------------------------------------------------------------------------------
# The scorecard page: groups and filters

GROUPINGS = {"focus_area": "Focus area", "priority": "Priority", "none": "No grouping"}
RATINGS = {"green": "On track (green)", "amber": "Close (amber)", "red": "Off track (red)"}
RATINGS["none"] = "Not rated"
LAST = 10**12  # sorts "not in a group" after every real group


def _focus_area(status: MeasureStatus) -> tuple[int, str]:
    areas = related(status.measure, "focus_areas")
    return (areas[0].pk, str(areas[0])) if areas else (LAST, "Not in a focus area")


def _priority(status: MeasureStatus) -> tuple[int, str]:
    """The priority of the first action the measure evidences."""
    actions = related(status.measure, "actions")
    if not actions:
        return (LAST, "Not linked to an action")
    priority = actions[0].priority
    return (priority.number, f"Priority {priority.number}: {priority.title}")


_GROUP_KEYS: dict[str, Callable[[MeasureStatus], tuple[int, str]]] = {
    "focus_area": _focus_area,
    "priority": _priority,
    "none": lambda status: (0, "All measures"),
}


def scorecard_groups(
    statuses: Iterable[MeasureStatus], *, group: str = "focus_area", rating: str = ""
) -> list[tuple[str, list[MeasureStatus]]]:
    """The statuses with the rating asked for ("none": not rated), grouped in the measures' own
    order within each group."""
    chosen = [
        status
        for status in statuses
        if not rating or (status.assessment.rating or "none") == rating
    ]
    key = _GROUP_KEYS.get(group, _focus_area)
    chosen.sort(key=key)  # stable: keeps each group's own order
    return [(name, list(items)) for (_, name), items in groupby(chosen, key=key)]
