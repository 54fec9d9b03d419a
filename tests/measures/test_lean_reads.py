"""The scorecard's table reads only each measure's latest rows (issue 19): what it shows must be
what reading every row shows. The board pack's measure rows as at a moment: one instance a
row, and today's rows when the moment is now."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from g2g.measures.models import ComparatorValue, MeasureValue, Milestone
from g2g.measures.reads import measures_for_scorecard, rows_as_at
from g2g.measures.scorecard import status_of
from g2g.tenancy.access import operator_access
from tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db


def shown(status) -> tuple:
    """What a row of the scorecard's table shows."""
    latest = status.latest
    return (
        status.measure.pk,
        (latest.period, latest.value) if latest else None,
        status.assessment.rating,
        status.assessment.words,
        status.direction,
        status.synthetic,
        [(c.kind, c.label, c.period, c.value, c.mark) for c in status.latest_comparators],
    )


def test_the_table_shows_what_reading_every_row_shows(world):
    source = MeasureValue.Source
    measures = [world.measure] + [
        MeasureFactory(authority=world.authority, plan=world.plan) for _ in range(3)
    ]
    full, one_value, no_values = measures[0], measures[1], measures[3]
    for month in range(1, 13):  # synthetic only in the first months: still a synthetic measure
        kind = source.SYNTHETIC if month < 3 else source.ENTERED
        MeasureValue.objects.create(
            measure=full, period=date(2024, month, 1), value=50 + month % 5, source=kind
        )
        for kind_, label in (("england", ""), ("authority", "Oldham"), ("authority", "Bury")):
            ComparatorValue.objects.create(
                measure=full, period=date(2024, month, 1), kind=kind_, label=label, value=month
            )
    ComparatorValue.objects.create(
        measure=full,
        period=date(2023, 3, 1),
        kind="region",
        value=1,
        source="Published (DfE, 2023): x",
    )
    Milestone.objects.create(measure=full, due=date(2024, 12, 31), value=Decimal(70))
    MeasureValue.objects.create(measure=one_value, period=date(2024, 5, 1), value=3)
    access = operator_access(world.authority)
    lean = [shown(status_of(m)) for m in measures_for_scorecard(access)]
    whole = [shown(status_of(m)) for m in measures_for_scorecard(access, history=True)]
    assert lean == whole
    statuses = {m.pk: status_of(m) for m in measures_for_scorecard(access)}
    assert statuses[full.pk].synthetic is True
    assert len(statuses[full.pk].values) == 2  # the last two: latest and direction
    assert statuses[no_values.pk].latest is None


def test_rows_as_at_a_moment_and_now(world):
    value = MeasureValue.objects.create(measure=world.measure, period=date(2024, 1, 1), value=10)
    before_edit = timezone.now()
    value.value = 20
    value.save()
    later = MeasureValue.objects.create(measure=world.measure, period=date(2024, 2, 1), value=30)
    ids = [world.measure.pk]
    then = rows_as_at(MeasureValue, ids, before_edit)
    assert [(row.pk, row.period, row.value) for row in then] == [(value.pk, date(2024, 1, 1), 10)]
    now = timezone.now() + timedelta(seconds=1)
    from_history = [(r.pk, r.period, r.value) for r in rows_as_at(MeasureValue, ids, now)]
    live = [(r.pk, r.period, r.value) for r in rows_as_at(MeasureValue, ids, now, live=True)]
    assert (
        from_history == live == [(value.pk, date(2024, 1, 1), 20), (later.pk, date(2024, 2, 1), 30)]
    )
    MeasureValue.objects.filter(pk=value.pk).get().delete()
    assert [r.value for r in rows_as_at(MeasureValue, ids, timezone.now())] == [30]


def test_rows_as_at_come_in_the_models_order_within_each_measure_as_now(world):
    """History gives the latest written first; a past month's pack lists a measure's
    comparators by kind, label and period, as the current month's does."""
    written = [
        ("neighbours", "", date(2024, 2, 1)),
        ("england", "", date(2024, 2, 1)),
        ("neighbours", "", date(2024, 1, 1)),
        ("england", "", date(2024, 1, 1)),
    ]
    for kind, label, period in written:
        ComparatorValue.objects.create(
            measure=world.measure, kind=kind, label=label, period=period, value=1
        )
    ids = [world.measure.pk]
    now = timezone.now() + timedelta(seconds=1)
    in_order = sorted(written)
    for live in (False, True):
        rows = rows_as_at(ComparatorValue, ids, now, live=live)
        assert [(row.kind, row.label, row.period) for row in rows] == in_order
