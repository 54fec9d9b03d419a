"""Background tasks of measures: draw charts into the cache when their data changes.

`signals.measures_changed` (sent after a commit that wrote a measure's values, targets or
comparators) enqueues `draw_charts`; the worker (`g2g worker`) draws each measure's chart as
pages and board packs show it (the large SVG and its PNG for print, the scorecard's small
multiple) into the shared cache, keyed by what it shows. A page asking for it then reads it
instead of drawing it in the request."""

from __future__ import annotations

from django.dispatch import receiver
from django_tasks import task

from g2g.tenancy.access import operator_access

from .models import Measure
from .scorecard import chart_of, status_of
from .signals import measures_changed


@task()
def draw_charts(measure_ids: list[int]) -> int:
    """Draw the charts of the measures that still exist; returns how many measures were drawn.
    Run again after a worker died, it draws what is missing (the cache keeps what was drawn).
    Each authority's measures are read through an operator's `Access` for that authority."""
    by_authority: dict[int, list[int]] = {}
    for pk, authority_id in Measure.objects.filter(pk__in=measure_ids).values_list(
        "pk", "authority_id"
    ):
        by_authority.setdefault(authority_id, []).append(pk)
    drawn = 0
    for ids in by_authority.values():
        measures = Measure.objects.filter(pk__in=ids).select_related("authority")
        access = operator_access(measures[0].authority)
        for measure in access.scope(measures).prefetch_related(
            "values", "milestones", "comparators"
        ):
            status = status_of(measure)
            if status.latest is None:
                continue
            chart_of(status, png=True)
            chart_of(status, small=True)
            drawn += 1
    return drawn


@receiver(measures_changed)
def _enqueue_drawing(sender, measure_ids: list[int], **kwargs) -> None:
    draw_charts.enqueue(measure_ids)
