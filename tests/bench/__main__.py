"""`make bench`: measure, print and record figures in docs/performance.md. Never a pass/fail test.

Runs against a throwaway test database (SQLite by default; DATABASE_URL to use PostgreSQL).
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "g2g.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
SEEDS = Path(os.environ.get("G2G_SEEDS", ROOT.parent / "shared" / "seeds"))
REPORTS = Path(os.environ.get("G2G_REPORTS", ROOT.parent / "shared" / "inspection-reports"))
REPORT = ROOT / "docs" / "performance.md"
MARKER = "<!-- bench:start -->"


def timed(function, repeat: int) -> tuple[float, float]:
    """Median and 95th percentile, in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def bench_imports() -> list[str]:
    from django.db import transaction

    from g2g.importers.services import read_plan_file, write_plan
    from tests.factories import AuthorityFactory

    lines = ["| seed | read (ms, median) | read + write (ms, median) |", "|---|---|---|"]
    for seed in ("oldham-improvement-plan-2019-21.txt", "tameside-improvement-plan-2023.txt"):
        path = SEEDS / seed

        def read(path=path):
            return read_plan_file(path)

        def read_and_write(path=path):
            with transaction.atomic():
                write_plan(AuthorityFactory(), read_plan_file(path))
                transaction.set_rollback(True)

        read_ms, _ = timed(read, 20)
        write_ms, _ = timed(read_and_write, 10)
        lines.append(f"| {seed} | {read_ms:.1f} | {write_ms:.1f} |")
    return lines


def bench_office_and_reports() -> list[str]:
    """The same seed plan as Word and Excel, and every Ofsted report PDF."""
    from g2g.importers.services import read_plan_file
    from g2g.inspections.parser import read_report_file
    from tests.importers.builders import docx_from_seed, xlsx_by_priority

    lines = ["| file | read (ms, median) |", "|---|---|"]
    seed = SEEDS / "tameside-improvement-plan-2023.txt"
    text = seed.read_text()
    with tempfile.TemporaryDirectory() as folder:
        for suffix, build in ((".docx", docx_from_seed), (".xlsx", xlsx_by_priority)):
            path = Path(folder) / f"tameside{suffix}"
            path.write_bytes(build(text))
            median, _ = timed(lambda path=path: read_plan_file(path), 10)
            lines.append(f"| Tameside plan as {suffix} | {median:.1f} |")
    for report in sorted(REPORTS.glob("*.pdf")):
        median, _ = timed(lambda report=report: read_report_file(report), 3)
        lines.append(f"| {report.name} | {median:.1f} |")
    return lines


def bench_pages() -> list[str]:
    from tests.conftest import build_world
    from tests.plans.test_query_counts import grow_plan

    world = build_world("Benchshire")
    client = Client()
    client.force_login(world.users["improvement_lead"])
    slug = world.authority.slug
    pages = {
        "plan overview": f"/{slug}/",
        "action list": f"/{slug}/actions/",
        "action page": f"/{slug}/actions/{world.led_action.pk}/",
    }
    lines = [
        "| actions | page | SQL queries | median ms | p95 ms |",
        "|---|---|---|---|---|",
    ]
    size = 2
    for target in (5, 60, 600):
        grow_plan(world, target - size)
        size = target
        for name, url in pages.items():
            queries = []

            def count(execute, sql, *args, queries=queries):
                queries.append(sql)
                return execute(sql, *args)

            with connection.execute_wrapper(count):
                client.get(url)
            median, p95 = timed(lambda url=url: client.get(url), 30)
            lines.append(f"| {target} | {name} | {len(queries)} | {median:.1f} | {p95:.1f} |")
    return lines


def main() -> None:
    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    vendor = connection.vendor
    header = [
        MARKER,
        f"Measured {datetime.now().astimezone():%Y-%m-%d %H:%M %Z} on {platform.node()} "
        f"({platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{vendor}).",
        "",
        "### Seed plan import",
        "",
    ]
    body = header + bench_imports()
    body += ["", "### Word, Excel and Ofsted report reading", ""] + bench_office_and_reports()
    body += ["", "### Plan pages (server time, Django test client)", ""]
    body += bench_pages()
    from tests.bench.annexa import bench_annexa

    body += ["", "### Annex A: read, check and KPIs (synthetic return)", ""] + bench_annexa()
    from tests.bench.board_pack import bench_board_pack

    body += ["", "### Board pack (issue 6 bar: page and Word < 2 s, PDF < 5 s)", ""]
    body += bench_board_pack()
    text = "\n".join(body) + "\n"
    print(text)
    if REPORT.exists():
        intro = REPORT.read_text().split(MARKER)[0]
        REPORT.write_text(intro + text)
    sys.exit(0)


if __name__ == "__main__":
    main()
