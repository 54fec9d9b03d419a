"""How the garbage collector is run, so that its pauses stay out of requests and tasks
(docs/performance.md, "What made the slow pages fast"): settled once a long-lived process (an
app server, the background worker) has started, and its full collections paused while a PDF is
made."""

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.urls import get_resolver


def settle_garbage_collector() -> None:
    """Freeze start-up's objects and collect young objects less often.

    What start-up loads (Django, every app's modules, the URLconf and so every view) lives as long
    as the process. Left to the collector, each full collection walks all of it again: ~300,000
    objects, hundreds of milliseconds on a busy two-core machine, landing in whichever request or
    task is running. Frozen, a collection walks only what requests made; garbage from start-up is
    collected first.

    A page's model instances, querysets and template nodes live until its response is sent, so at
    Python's default (a young collection every 700 allocations) they outlive two collections and
    reach the oldest generation, whose collection then ran every dozen requests: on the
    scorecard (50 measures) 25-100 ms each, idle to busy; 2-11 ms a request on average and most
    of its p95. Collecting the young generation every 10,000 allocations lets a request's objects
    die young; reference cycles are still collected, and the memory held between collections is
    a megabyte."""
    get_resolver().url_patterns  # noqa: B018 - imports every view module now, not on a request
    gc.collect()
    gc.freeze()
    gc.set_threshold(10_000, 10, 10)


_PAUSE = threading.Lock()
_pauses: list[tuple[int, int, int]] = []  # one a pause in progress: the thresholds to put back


@contextmanager
def full_collections_paused() -> Iterator[None]:
    """No full garbage collection while WeasyPrint makes a PDF: a 43-page pack is some 600,000
    objects that live until the file is written, and each full collection on the way (four to
    seven a pack, by the collector's own rule) walked all of them and the process's too, about
    a second of the worker's 5 s (docs/performance.md). The young generations are still
    collected; what the PDF leaves behind waits for the next full collection after it."""
    with _PAUSE:
        if not _pauses:
            young, middle, full = gc.get_threshold()
            gc.set_threshold(young, middle, 2**31 - 1)  # the largest the collector takes
            _pauses.append((young, middle, full))
        else:
            _pauses.append(_pauses[-1])
    try:
        yield
    finally:
        with _PAUSE:
            thresholds = _pauses.pop()
            if not _pauses:
                gc.set_threshold(*thresholds)
