"""Annex A benchmark (`make bench`): one authority's synthetic return (BENCH_ANNEXA_CHILDREN
children: the default, 100,000, gives about 190,000 rows; far larger, one list is above the
reader's per-sheet cap) and a region's returns pooled (BENCH_ANNEXA_REGION_CHILDREN, 532,000
children, about 1,000,000 rows, as one return per authority of at most 40,000 children; most of
its time is writing the workbooks), each read alone and read + checked + all KPIs, as .xlsx
(calamine via fastexcel) and as CSV (polars), each in its own process so its peak memory is its
own; and liiatools' Annex A cleaner, the field's reference, on a smaller workbook (it is far
slower) beside ours on the same file.

Run one measurement by hand: `python -m tests.bench.annexa read|analyse PATH`, or
`read-region|analyse-region FOLDER` for a folder of returns.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIIATOOLS = ROOT / "var" / "liiatools-venv" / "bin" / "python"
SNAPSHOT = date(2025, 3, 31)
# `make bench` must finish within 15 minutes: the full-size figures come from
# `make bench BENCH_ANNEXA_CHILDREN=532000 BENCH_ANNEXA_REFERENCE_CHILDREN=5000`.
CHILDREN = int(os.environ.get("BENCH_ANNEXA_CHILDREN", 100_000))  # one authority's return
# A region's returns pooled (issue 19): about 1,000,000 rows, as one return per authority of at
# most REGION_AUTHORITY_CHILDREN children each, so every list is within the reader's caps.
REGION_CHILDREN = int(os.environ.get("BENCH_ANNEXA_REGION_CHILDREN", 532_000))
REGION_AUTHORITY_CHILDREN = 40_000
REFERENCE_CHILDREN = int(os.environ.get("BENCH_ANNEXA_REFERENCE_CHILDREN", 1_000))
REFERENCE_TIMEOUT = 3600
# Each figure is the median of this many runs, reads and analyses taking turns: on this shared
# two-core machine one run's ratio ranged from 1.4 to 2.5 on the same files (7 December).
REPEATS = int(os.environ.get("BENCH_ANNEXA_REPEATS", 5))


def _measure(*command: str, timeout: float | None = None) -> tuple[dict, float, float]:
    """Run a command; its JSON output, wall seconds and peak memory (MB). The command prints
    its own peak (VmHWM, which starts afresh at exec; `ru_maxrss` would include the memory of
    this process, which forked it)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        # The commands are this benchmark's own: this interpreter and liiatools' venv.
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT)  # noqa: S603
        timer = threading.Timer(timeout, process.kill) if timeout else None
        if timer:
            timer.start()
        _pid, status, _usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        if timer:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        output, errors = out.read().decode(), err.read().decode()
    if process.returncode:
        raise RuntimeError(f"exit {process.returncode}: {errors[-2000:]}")
    text = output.strip().splitlines()
    result = json.loads(text[-1]) if text and text[-1].startswith("{") else {}
    return result, seconds, result.get("peak_mb", float("nan"))


def peak_mb() -> float:
    """This process's peak resident memory so far (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


# liiatools' command run inside a wrapper that prints its peak memory the same way.
LIIATOOLS_WRAPPER = """
import json, runpy, sys
sys.argv = ["liiatools", *sys.argv[1:]]
try:
    runpy.run_module("liiatools", run_name="__main__")
except SystemExit as exit:
    if exit.code:
        raise
status = open("/proc/self/status").read().split("VmHWM:")[1].split()[0]
print(json.dumps({"peak_mb": int(status) / 1024}))
"""


def _ours(step: str, path: Path) -> tuple[dict, float, float]:
    return _measure(sys.executable, "-m", "tests.bench.annexa", step, str(path))


def _read_and_analyse(label: str, path: Path, read_step: str, analyse_step: str) -> list[str]:
    """The table's two rows for one file or folder: read alone, and read + check + all KPIs,
    each the median of `REPEATS` runs in processes of their own, taking turns; peak memory is
    the largest of the runs."""
    reads, analyses = [], []
    for _ in range(REPEATS):
        reads.append(_ours(read_step, path))
        analyses.append(_ours(analyse_step, path))
    read_s = statistics.median(result["seconds"] for result, _s, _mb in reads)
    all_s = statistics.median(result["seconds"] for result, _s, _mb in analyses)
    read_mb = max(mb for _r, _s, mb in reads)
    all_mb = max(mb for _r, _s, mb in analyses)
    return [
        f"| {label} | read | {read_s:.2f} | 1.00 | {read_mb:.0f} |",
        f"| {label} | read + check + all KPIs | {all_s:.2f} | {all_s / read_s:.2f} "
        f"| {all_mb:.0f} |",
    ]


def bench_annexa() -> list[str]:
    from g2g.annexa.generator import generate, write_csv_folder, write_xlsx

    lines = []
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        start = time.perf_counter()
        generated = generate("Benchshire", CHILDREN, seed=1, snapshot=SNAPSHOT)
        generate_s = time.perf_counter() - start
        start = time.perf_counter()
        csv = write_csv_folder(generated, folder / "csv")
        csv_s = time.perf_counter() - start
        start = time.perf_counter()
        xlsx = write_xlsx(generated, folder / "annex-a.xlsx")
        xlsx_s = time.perf_counter() - start
        rows = generated.rows
        del generated
        lines += [
            f"Synthetic return: {rows:,} rows across 10 lists "
            f"({xlsx.stat().st_size / 1e6:.0f} MB as .xlsx). Generated in {generate_s:.1f} s; "
            f"written as CSV in {csv_s:.1f} s and as .xlsx (xlsxwriter) in {xlsx_s:.1f} s.",
            "",
            "| file | step | seconds | × read alone | peak memory (MB) |",
            "|---|---|---|---|---|",
        ]
        for label, path in (("CSV folder (polars)", csv), (".xlsx (calamine)", xlsx)):
            lines += _read_and_analyse(label, path, "read", "analyse")
        lines += ["", *bench_region(folder / "region")]
        lines += ["", *bench_reference(folder, rows)]
    lines += [
        "",
        "Seconds are inside the process (Python and Django start-up excluded), each the median "
        f"of {REPEATS} runs, reads and analyses taking turns, every run in a new process; peak "
        "memory is the process's maximum resident set (VmHWM), Python and Django included, the "
        "largest of the runs. The machine is shared: one run's ratio differs from the next by "
        "tens of percent. Issue 19's bar: read + check + all KPIs at most 1.5 times the read "
        "alone, for one return and for the region.",
    ]
    return lines


def bench_region(folder: Path) -> list[str]:
    """A region's returns pooled: one CSV folder and one workbook per authority."""
    from g2g.annexa.generator import generate, write_csv_folder, write_xlsx

    if not REGION_CHILDREN:
        return ["Region: not measured (BENCH_ANNEXA_REGION_CHILDREN=0)."]
    sizes = [REGION_AUTHORITY_CHILDREN] * (REGION_CHILDREN // REGION_AUTHORITY_CHILDREN)
    if REGION_CHILDREN % REGION_AUTHORITY_CHILDREN:
        sizes.append(REGION_CHILDREN % REGION_AUTHORITY_CHILDREN)
    rows, start = 0, time.perf_counter()
    (folder / "xlsx").mkdir(parents=True)
    for number, children in enumerate(sizes, start=1):
        generated = generate(f"Borough {number:02}", children, seed=number, snapshot=SNAPSHOT)
        rows += generated.rows
        write_csv_folder(generated, folder / "csv" / f"borough-{number:02}")
        write_xlsx(generated, folder / "xlsx" / f"borough-{number:02}.xlsx")
    made_s = time.perf_counter() - start
    lines = [
        f"A region's returns pooled: {len(sizes)} authorities' returns of at most "
        f"{REGION_AUTHORITY_CHILDREN:,} children each, {rows:,} rows in all (generated and "
        f"written as CSV folders and as workbooks in {made_s:.0f} s), read one return at a "
        "time, and analysed two at a time with the KPIs pooled "
        "(`annexa.analysis.analyse_pooled`):",
        "",
        "| files | step | seconds | × read alone | peak memory (MB) |",
        "|---|---|---|---|---|",
    ]
    for label, path in (
        ("CSV folders (polars)", folder / "csv"),
        (".xlsx (calamine)", folder / "xlsx"),
    ):
        lines += _read_and_analyse(label, path, "read-region", "analyse-region")
    return lines


def bench_reference(folder: Path, full_rows: int) -> list[str]:
    """liiatools 0.2.0's `annex-a cleanfile` against ours on the same (smaller) workbook."""
    from g2g.annexa.generator import generate, write_xlsx

    title = "liiatools 0.2.0 Annex A cleaner (reference)"
    if not LIIATOOLS.exists():
        return [
            f"{title}: not measured: {LIIATOOLS.parent.parent} is missing (make bench-reference)."
        ]
    sample = generate("Benchshire", REFERENCE_CHILDREN, seed=2, snapshot=SNAPSHOT)
    path = write_xlsx(sample, folder / "reference.xlsx")
    out, logs = folder / "liia-out", folder / "liia-log"
    out.mkdir()
    logs.mkdir()
    command = (str(LIIATOOLS), "-c", LIIATOOLS_WRAPPER, "annex-a", "cleanfile", "--i", str(path))
    command += ("--la_code", "bar", "--la_log_dir", str(logs), "--o", str(out))
    try:
        _none, theirs_s, theirs_mb = _measure(*command, timeout=REFERENCE_TIMEOUT)
    except (RuntimeError, OSError) as error:
        return [f"{title}: not measured: it failed to run ({str(error).strip()[-300:]})."]
    ours, ours_wall, ours_mb = _ours("analyse", path)
    return [
        f"Reference: the same {sample.rows:,}-row workbook through liiatools 0.2.0's Annex A "
        "cleaner (`liiatools annex-a cleanfile`, in its own Python 3.10 venv) and through "
        "ours (read + check + all KPIs), each timed from process start:",
        "",
        "| tool | seconds | peak memory (MB) |",
        "|---|---|---|",
        f"| liiatools 0.2.0 cleanfile | {theirs_s:.1f} | {theirs_mb:.0f} |",
        f"| Getting to Good (process) | {ours_wall:.1f} | {ours_mb:.0f} |",
        "",
        f"Ours is {theirs_s / ours_wall:.0f}× faster on this file "
        f"({theirs_s / ours['seconds']:.0f}× "
        "counting only the work, not Python and Django start-up). liiatools was not run on the "
        f"{full_rows:,}-row file: at its measured rate that would take about "
        f"{theirs_s / sample.rows * full_rows / 3600:.1f} hours.",
    ]


def _step(step: str, path: Path) -> dict:
    from g2g.annexa.analysis import analyse, analyse_pooled, returns_in
    from g2g.annexa.reader import read_annexa

    start = time.perf_counter()
    if step == "read":
        raw = read_annexa(path)
        rows = raw.rows
    elif step == "read-region":
        rows = sum(read_annexa(one).rows for one in returns_in(path))  # one at a time
    elif step == "analyse-region":
        rows = sum(analyse_pooled(path, snapshot=SNAPSHOT).rows.values())
    else:
        analysis = analyse(path, snapshot=SNAPSHOT)
        rows = sum(analysis.rows.values())
    return {"seconds": time.perf_counter() - start, "rows": rows, "peak_mb": peak_mb()}


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "g2g.settings.test")
    os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")
    import django

    django.setup()
    print(json.dumps(_step(sys.argv[1], Path(sys.argv[2]))))
