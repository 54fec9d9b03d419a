"""Charts are drawn when measures' data changes, by a background task, not when a page or a
board pack asks for them (issue 17, part 3). Tasks run on the tests' immediate backend."""

from decimal import Decimal

import pytest
from django.core.cache import cache

from g2g.core.dates import add_months, current_period
from g2g.measures.models import ComparatorValue, MeasureValue, Milestone
from g2g.measures.scorecard import chart_of, status_of
from g2g.measures.services import generate_synthetic_values, record_value
from g2g.measures.signals import measures_changed
from g2g.measures.tasks import draw_charts
from g2g.reports.outputs import pack_context
from g2g.reports.services import pack_for
from g2g.tenancy.access import operator_access
from tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db


def drawn(measure) -> bool:
    measure.refresh_from_db()
    return chart_of(status_of(measure), png=True, drawn_only=True) is not None


def test_a_value_written_draws_its_chart_once_committed(
    world, settings, django_capture_on_commit_callbacks
):
    settings.G2G_PACK_CHARTS = "all"
    access = operator_access(world.authority)
    with django_capture_on_commit_callbacks(execute=True):
        MeasureValue.objects.create(
            measure=world.measure, period=add_months(current_period(), -1), value=Decimal("61")
        )
    cache.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        record_value(access, world.measure, period=current_period(), value=Decimal("64"))
    assert callbacks
    assert not drawn(world.measure)
    for callback in callbacks:
        callback()
    assert drawn(world.measure)
    # The board pack (read from history) finds the very drawings: its page draws nothing.
    pack = pack_for(world.plan, current_period(), None)
    context = pack_context(pack, png=True, drawn_only=True)
    assert context["undrawn"] == 0
    assert [chart is not None for _, chart in context["measures"]] == [True]


def test_targets_and_comparators_draw_again_and_one_task_per_commit(
    world, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        MeasureValue.objects.create(
            measure=world.measure, period=current_period(), value=Decimal(5)
        )
        other = MeasureFactory(authority=world.authority, plan=world.plan)
    draw_charts.get_backend().clear()
    sent = []

    def heard(sender, measure_ids, **kwargs):
        sent.append(measure_ids)

    measures_changed.connect(heard)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            Milestone.objects.create(measure=world.measure, due=current_period(), value=10)
            ComparatorValue.objects.create(
                measure=other, period=current_period(), kind="england", value=Decimal(7)
            )
    finally:
        measures_changed.disconnect(heard)
    assert len(sent) == 1
    assert {world.measure.pk, other.pk} <= set(sent[0])
    queued = draw_charts.get_backend().results
    assert [result.args for result in queued] == [[sent[0]]]


def test_synthetic_values_written_in_bulk_draw_their_charts(
    world, django_capture_on_commit_callbacks
):
    access = operator_access(world.authority)
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        written = generate_synthetic_values(access, months=6)
    assert written
    assert drawn(world.measure)


def test_drawing_skips_measures_gone_or_without_values(world):
    empty = MeasureFactory(authority=world.authority, plan=world.plan)
    assert draw_charts.call([empty.pk, 999_999]) == 0
