"""A series whose source changes shows the break: the scorecard (and so the board pack) never
reads a jump between two sources as a change in performance (issue 15)."""

from datetime import date
from decimal import Decimal

import pytest

from g2g.measures.models import Measure, MeasureValue
from g2g.measures.scorecard import SOURCE_BREAK, status_of

Source = MeasureValue.Source


def values(*rows) -> list[MeasureValue]:
    return [
        MeasureValue(period=date(2025, month, 1), value=Decimal(value), source=source)
        for month, value, source in rows
    ]


@pytest.mark.parametrize(
    ("rows", "words"),
    [
        ([(11, "45.6", Source.SYNTHETIC), (12, "87.5", Source.COMPUTED)], SOURCE_BREAK),
        ([(11, "45.6", Source.ENTERED), (12, "87.5", Source.IMPORTED)], SOURCE_BREAK),
        ([(11, "45.6", Source.SYNTHETIC), (12, "87.5", Source.SYNTHETIC)], "improving"),
        ([(11, "87.5", Source.COMPUTED), (12, "45.6", Source.COMPUTED)], "worse than last month"),
    ],
)
def test_a_change_of_source_is_a_break_not_an_improvement(rows, words):
    measure = Measure(name="Audits good or better")  # a percentage, higher is better
    status = status_of(measure, values=values(*rows), milestones=[], comparators=[])
    assert status.direction[1] == words
    if words == SOURCE_BREAK:
        assert status.direction[0] == ""
        assert "improving" not in status.direction[1]
