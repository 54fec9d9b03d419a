"""Where each measure stands: its latest value against the trajectory, which way it is going,
and its trend chart. One place that pages (and later board packs) read measures through."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import groupby

from django.core.cache import cache

from .charts import Series, chart_summary, chart_table_rows, trend_chart_png, trend_chart_svg
from .models import ComparatorValue, Measure, MeasureValue
from .models import Milestone as MilestoneModel
from .rating import Assessment, Milestone, Polarity, assess, direction_of_travel, expected_value


@dataclass
class MeasureStatus:
    measure: Measure
    latest: MeasureValue | None
    assessment: Assessment
    direction: tuple[str, str]  # ("↑", "improving")
    synthetic: bool  # any value or comparator shown is synthetic demo data
    milestones: list[Milestone]
    values: list[MeasureValue]  # oldest first
    comparators: list[ComparatorValue]


def status_of(
    measure: Measure,
    *,
    values: Iterable[MeasureValue] | None = None,
    milestones: Iterable[MilestoneModel] | None = None,
    comparators: Iterable[ComparatorValue] | None = None,
) -> MeasureStatus:
    """Where the measure stands on its latest value. Reads the measure's prefetched `values`,
    `milestones` and `comparators` (see reads.py) unless given them, as a board pack "as at" a
    past date does from history."""
    values = sorted(measure.values.all() if values is None else values, key=lambda v: v.period)
    if milestones is None:
        milestones = measure.milestones.all()
    targets = sorted(Milestone(m.due, m.value) for m in milestones)
    latest = values[-1] if values else None
    expected = expected_value(targets, latest.period) if latest and targets else None
    polarity = Polarity(measure.polarity)
    assessment = assess(latest.value if latest else None, expected, polarity, unit=measure.unit)
    return MeasureStatus(
        measure=measure,
        latest=latest,
        assessment=assessment,
        direction=direction_of_travel([v.value for v in values[-2:]], polarity),
        synthetic=any(v.source == MeasureValue.Source.SYNTHETIC for v in values),
        milestones=targets,
        values=values,
        comparators=list(measure.comparators.all() if comparators is None else comparators),
    )


@dataclass
class Chart:
    svg: str
    summary: str
    headers: list[str]
    rows: list[list[str]]
    png: bytes = b""  # only when asked for (print documents)

    @property
    def png_data_uri(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode()


SMALL = (300, 200)  # a small multiple on the scorecard, in pixels
LARGE = (640, 320)


def chart_of(status: MeasureStatus, *, small: bool = False, png: bool = False) -> Chart:
    """The measure's trend: values, trajectory and comparators, with a table and a summary.
    Drawing takes ~50 ms, so the SVG is cached by what it shows: new data draws afresh."""
    measure, values = status.measure, status.values
    series = [Series("Actual", [(v.period, v.value) for v in values])]
    if status.milestones and values:
        trajectory = [(v.period, expected_value(status.milestones, v.period)) for v in values]
        series.append(Series("Trajectory", trajectory, style="trajectory"))
    by_kind: dict[str, list[ComparatorValue]] = {}
    for comparator in status.comparators:
        by_kind.setdefault(comparator.label or comparator.get_kind_display(), []).append(comparator)
    for label, points in by_kind.items():
        points.sort(key=lambda c: c.period)
        series.append(Series(label, [(c.period, c.value) for c in points], style="comparator"))
    headers, rows = chart_table_rows(series)
    width, height = SMALL if small else LARGE
    drawing = (measure.name, measure.unit, series, status.synthetic, measure.pk, width, height)
    key = "chart:" + hashlib.sha256(repr(drawing).encode()).hexdigest()
    svg = _cached(
        f"{key}:svg",
        lambda: trend_chart_svg(
            measure.name,
            measure.unit,
            series,
            width_px=width,
            height_px=height,
            synthetic=status.synthetic,
            chart_id=f"measure-{measure.pk}{'-small' if small else ''}",
        ),
    )
    image = b""
    if png:
        image = _cached(
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
        png=image,
        svg=svg,
        summary=chart_summary(measure.name, measure.unit, series),
        headers=headers,
        rows=rows,
    )


def _cached(key: str, draw: Callable[[], str | bytes]):
    drawn = cache.get(key)
    if drawn is None:
        drawn = draw()
        cache.set(key, drawn, timeout=None)
    return drawn


# ---------------------------------------------------------------------------------------------
# The scorecard page: groups and filters

GROUPINGS = {"focus_area": "Focus area", "priority": "Priority", "none": "No grouping"}
RATINGS = {"green": "On track (green)", "amber": "Close (amber)", "red": "Off track (red)"}
RATINGS["none"] = "Not rated"
LAST = 10**12  # sorts "not in a group" after every real group


def _focus_area(status: MeasureStatus) -> tuple[int, str]:
    areas = status.measure.focus_areas.all()
    return (areas[0].pk, str(areas[0])) if areas else (LAST, "Not in a focus area")


def _priority(status: MeasureStatus) -> tuple[int, str]:
    """The priority of the first action the measure evidences."""
    actions = status.measure.actions.all()
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
