"""Measures' data changed: their charts are drawn again in the background, not when a page or a
board pack next shows them.

A chart is cached under what it shows (`scorecard.chart_of`), so new values, targets,
comparators or a new name make its cached drawing unused. Every write of a measure, a value, a
target (milestone) or a comparator, one row at a time (`post_save`, `post_delete`) or in bulk (the
services that bulk-create call `charts_outdated` themselves), collects the measure's id; when the
transaction commits, the ids collected are sent as one `measures_changed` signal, and
`measures.tasks` enqueues one task that draws their charts into the cache. A write that is rolled
back sends nothing (its ids go out with the thread's next commit: drawn once more, harmlessly).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from .models import ComparatorValue, Measure, MeasureValue, Milestone

# Sent after a commit that changed measures' data, with `measure_ids` (a sorted list).
measures_changed = Signal()

_pending = threading.local()  # each thread's ids waiting for a commit (a connection per thread)


def charts_outdated(measure_ids: Iterable[int]) -> None:
    """The measures' charts show old data: draw them again once this transaction commits (at
    once outside a transaction). Every write registers a callback; the first to run when the
    transaction commits sends every id collected, the others find none left."""
    ids = getattr(_pending, "ids", None)
    if ids is None:
        ids = _pending.ids = set()
    ids.update(measure_ids)
    transaction.on_commit(_send)


def _send() -> None:
    ids = getattr(_pending, "ids", None)
    if ids:
        _pending.ids = set()
        measures_changed.send(sender=Measure, measure_ids=sorted(ids))


@receiver(post_save, sender=MeasureValue)
@receiver(post_save, sender=ComparatorValue)
@receiver(post_save, sender=Milestone)
@receiver(post_delete, sender=MeasureValue)
@receiver(post_delete, sender=ComparatorValue)
@receiver(post_delete, sender=Milestone)
def _data_written(sender, instance, raw=False, **kwargs) -> None:
    if not raw:  # not while loading fixtures
        charts_outdated([instance.measure_id])


@receiver(post_save, sender=Measure)
def _measure_written(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        charts_outdated([instance.pk])
