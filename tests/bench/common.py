"""What every benchmark section shares: where things are, and how a page is timed and counted."""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = Path(os.environ.get("G2G_SEEDS", ROOT / "demo-data" / "seeds"))
REPORTS = Path(os.environ.get("G2G_REPORTS", ROOT / "demo-data" / "inspection-reports"))
REFERENCE = Path(os.environ.get("G2G_REFERENCE", ROOT / "demo-data" / "reference"))


def machine_speed() -> float:
    """CPU seconds for ten million additions in pure Python, the best of three. This shared
    machine's speed varies through a day (on 7 December 2026 the trivial view served 983
    requests a second at 08:01 and 579 at 13:20) and every time measured moves with it, so the
    figures are written beside it."""
    best = float("inf")
    for _ in range(3):
        started, total = time.process_time(), 0
        for number in range(10_000_000):
            total += number
        best = min(best, time.process_time() - started)
    return best


def setting(name: str, default: int) -> int:
    """A size the person running `make bench` may change: `make bench BENCH_X=...`."""
    return int(os.environ.get(name, default))


def timed(function, repeat: int) -> tuple[float, float]:
    """Median and 95th percentile (nearest rank), in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, -(-len(samples) * 95 // 100) - 1)]


def get_counting_queries(client, url: str) -> int:
    """GET the page once; how many SQL queries it ran. A page that fails is an error here."""
    from django.db import connection

    queries = []

    def count(execute, sql, *args):
        queries.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(count):
        response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")
    return len(queries)
