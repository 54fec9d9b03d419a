"""The app servers and the worker settle the garbage collector once started (core.collector), so
its pauses stay out of requests and tasks (docs/performance.md)."""

import gc

import pytest

from g2g.core.collector import settle_garbage_collector
from g2g.core.management.commands import worker


@pytest.fixture
def collector():
    """The process's own collector settings, put back afterwards."""
    thresholds = gc.get_threshold()
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_start_up_is_frozen_and_young_objects_are_collected_less_often(collector):
    assert gc.get_freeze_count() == 0
    settle_garbage_collector()
    assert gc.get_freeze_count() > 100_000  # Django, every app and every view
    assert gc.get_threshold() == (10_000, 10, 10)


def test_the_worker_settles_the_collector_before_it_takes_a_task(collector, monkeypatch):
    taken = []
    monkeypatch.setattr(worker, "recover_stale_tasks", lambda worker_id: 0)
    monkeypatch.setattr(
        worker.DatabaseWorkerCommand,
        "handle",
        lambda self, *args, **options: taken.append(gc.get_threshold()),
    )
    worker.Command().handle(worker_id="test-worker", verbosity=0)
    assert taken == [(10_000, 10, 10)]
