"""Reading and writing plans: the seed plans as text, Word and Excel, and Ofsted reports."""

from __future__ import annotations

import tempfile
from pathlib import Path

from tests.bench.common import REPORTS, SEEDS, timed


def bench_imports() -> list[str]:
    from django.db import transaction

    from g2g.importers.services import read_plan_file, write_plan
    from g2g.tenancy.access import operator_access
    from tests.factories import AuthorityFactory

    lines = ["| seed | read (ms, median) | read + write (ms, median) |", "|---|---|---|"]
    for seed in ("oldham-improvement-plan-2019-21.txt", "tameside-improvement-plan-2023.txt"):
        path = SEEDS / seed

        def read(path=path):
            return read_plan_file(path)

        def read_and_write(path=path):
            with transaction.atomic():
                write_plan(operator_access(AuthorityFactory()), read_plan_file(path))
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
