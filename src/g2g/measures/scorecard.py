"""Where each measure stands: its latest value against the trajectory, which way it is going,
and its trend chart. One place that pages (and later board packs) read measures through."""

from __future__ import annotations

from dataclasses import dataclass

from .charts import Series, chart_summary, chart_table_rows, trend_chart_svg
from .models import ComparatorValue, Measure, MeasureValue
from .rating import Assessment, Milestone, Polarity, assess, direction_of_travel, expected_value


@dataclass
class MeasureStatus:
    measure: Measure
    latest: MeasureValue | None
    assessment: Assessment
    direction: tuple[str, str]  # ("↑", "improving")
    synthetic: bool  # any value or comparator shown is synthetic demo data
    milestones: list[Milestone]


def status_of(measure: Measure) -> MeasureStatus:
    """Needs `values`, `milestones` and `comparators` prefetched (see reads.py)."""
    values = sorted(measure.values.all(), key=lambda v: v.period)
    latest = values[-1] if values else None
    milestones = [Milestone(m.due, m.value) for m in measure.milestones.all()]
    expected = expected_value(milestones, latest.period) if latest and milestones else None
    polarity = Polarity(measure.polarity)
    assessment = assess(latest.value if latest else None, expected, polarity, unit=measure.unit)
    return MeasureStatus(
        measure=measure,
        latest=latest,
        assessment=assessment,
        direction=direction_of_travel([v.value for v in values[-2:]], polarity),
        synthetic=any(v.source == MeasureValue.Source.SYNTHETIC for v in values),
        milestones=milestones,
    )


@dataclass
class Chart:
    svg: str
    summary: str
    headers: list[str]
    rows: list[list[str]]


def chart_of(status: MeasureStatus) -> Chart:
    """The measure's trend: values, trajectory and comparators, with a table and a summary."""
    measure = status.measure
    values = sorted(measure.values.all(), key=lambda v: v.period)
    series = [Series("Actual", [(v.period, v.value) for v in values])]
    if status.milestones and values:
        trajectory = [(v.period, expected_value(status.milestones, v.period)) for v in values]
        series.append(Series("Trajectory", trajectory, style="trajectory"))
    by_kind: dict[str, list[ComparatorValue]] = {}
    for comparator in measure.comparators.all():
        by_kind.setdefault(comparator.label or comparator.get_kind_display(), []).append(comparator)
    for label, points in by_kind.items():
        points.sort(key=lambda c: c.period)
        series.append(Series(label, [(c.period, c.value) for c in points], style="comparator"))
    headers, rows = chart_table_rows(series)
    return Chart(
        svg=trend_chart_svg(
            measure.name,
            measure.unit,
            series,
            synthetic=status.synthetic,
            chart_id=f"measure-{measure.pk}",
        ),
        summary=chart_summary(measure.name, measure.unit, series),
        headers=headers,
        rows=rows,
    )
