"""`make bench`: measure, print and record figures in docs/performance.md. Never a pass/fail test.

One module per section: `imports` (seed plans, Word, Excel, Ofsted PDFs), `pages` (six pages at
5, 60 and 600 actions), `board_pack`, `national` (the synthetic national dataset on SQLite and
on PostgreSQL, with gunicorn + wrk throughput, `throughput`) and `annexa`. The in-process sections
run against a throwaway in-memory SQLite test database; the national section runs in a process of
its own per database (var/bench/g2g_bench.sqlite3 and PostgreSQL's `g2g_bench`, when reachable).
`BENCH_SECTIONS=board_pack,pages` runs only those sections (named as their functions, without
`bench_`) and prints them without touching docs/performance.md.
Sizes: BENCH_AUTHORITIES, BENCH_WRK_SECONDS, BENCH_ANNEXA_CHILDREN, BENCH_ANNEXA_REGION_CHILDREN,
BENCH_ANNEXA_REFERENCE_CHILDREN; BENCH_POSTGRES_URL names the PostgreSQL database.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from datetime import datetime

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "g2g.settings.test")
os.environ.setdefault("DATABASE_URL", "sqlite:///:memory:")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from tests.bench.common import ROOT, machine_speed, setting  # noqa: E402

REPORT = ROOT / "docs" / "performance.md"
MARKER = "<!-- bench:start -->"
SQLITE_URL = f"sqlite:///{ROOT / 'var' / 'bench' / 'g2g_bench.sqlite3'}"
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/g2g_bench")
# A bound for a hang, per step and database: generating the national dataset takes about 6
# minutes a database on this two-core machine, both at once (7 December), and took 10 to 20 before
# it stopped drawing every chart as it went; a shared machine can take several times as long.
NATIONAL_TIMEOUT = 3600
NATIONAL_PAGES = [
    "plan overview",
    "action list",
    "action page",
    "scorecard",
    "regional comparison",
    "how we compare",
    "board pack",
]


def load() -> str:
    one, five, _fifteen = os.getloadavg()
    return (
        f"load average {one:.1f} (5 min: {five:.1f}), ten million additions in "
        f"{machine_speed():.2f} s of CPU"
    )


def postgres_missing() -> str:
    """Why PostgreSQL cannot be measured, or "" when it can."""
    try:
        import psycopg

        server = POSTGRES_URL.rsplit("/", 1)[0] + "/postgres"
        psycopg.connect(server, connect_timeout=3).close()
    except Exception as error:  # noqa: BLE001 - any failure means: skip, and say why
        return f"PostgreSQL not reachable at {POSTGRES_URL} ({type(error).__name__}): skipped"
    return ""


def _national(step: str, url: str) -> subprocess.Popen:
    """A step of the national section in its own process (its own settings and database)."""
    command = [sys.executable, "-m", "tests.bench.national", step, url]
    # Our own interpreter and module; waited for with a time limit.
    return subprocess.Popen(  # noqa: S603
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _result(process: subprocess.Popen) -> dict:
    try:
        out, err = process.communicate(timeout=NATIONAL_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        return {"missing": f"not measured: over {NATIONAL_TIMEOUT} s"}
    lines = out.strip().splitlines()
    if process.returncode or not lines or not lines[-1].startswith("{"):
        return {"missing": f"failed: {err.strip()[-500:]}"}
    return json.loads(lines[-1])


def run_national() -> dict[str, dict]:
    """Both databases are filled at the same time (so `make bench` ends within 15 minutes on
    two cores), then measured one after the other."""
    urls = {"SQLite": SQLITE_URL}
    missing = postgres_missing()
    if not missing:
        urls["PostgreSQL"] = POSTGRES_URL
    filling = {name: _national("generate", url) for name, url in urls.items()}
    runs = {name: _result(process) for name, process in filling.items()}
    for name, url in urls.items():
        if "missing" not in runs[name]:
            measured = _result(_national("measure", url))
            runs[name] = measured if "missing" in measured else runs[name] | measured
    if missing:
        runs["PostgreSQL"] = {"missing": missing}
    return runs


def bench_national() -> list[str]:
    runs = run_national()
    together = sum("generate_s" in figures for figures in runs.values()) > 1
    measured = {name: figures for name, figures in runs.items() if "missing" not in figures}
    lines = []
    for name, figures in runs.items():
        if name not in measured:
            lines.append(f"- {name}: {figures['missing']}.")
            continue
        made = figures["generated"]
        lines.append(
            f"- {name} {figures['version']}: `generate_national` wrote {made['authorities']} "
            f"authorities, {made['actions']:,} actions, {made['updates']:,} progress updates, "
            f"{made['measures']:,} measures, {made['values']:,} values, "
            f"{made['comparators']:,} comparator values and {made['users']:,} users (each with "
            f"its history row) in {figures['generate_s']:.0f} s"
            + (", both databases filled at the same time." if together else ".")
        )
        loaded = figures.get("figures")
        if loaded:
            lines.append(
                f"  DfE's published figures (`load_published_figures`): {loaded['figures']:,} "
                f"figures loaded in {loaded['load_s']:.1f} s; loading again (nothing changes) "
                f"{loaded['reload_s']:.1f} s."
            )
    if not measured:
        return lines
    authority = next(iter(measured.values()))["authority"]
    names = list(measured)
    lines += [
        "",
        f"Pages of {authority}'s plan (60 actions, 36 months of updates, 50 measures), signed in "
        "as its improvement lead; server time through the Django test client after one "
        "request to warm caches (the first request's time is shown apart: the board pack draws "
        "its charts then).",
        "",
        "| page | " + " | ".join(f"{n} median ms | {n} p95 ms | {n} queries" for n in names) + " |",
        "|---|" + "---|---|---|" * len(names),
    ]
    for page in NATIONAL_PAGES:
        cells = []
        for name in names:
            figures = measured[name]["pages"][page]
            cells.append(f"{figures['median']:.0f} | {figures['p95']:.0f} | {figures['queries']}")
        lines.append(f"| {page} | " + " | ".join(cells) + " |")
    firsts = ", ".join(
        f"{name} {measured[name]['pages']['board pack']['first'] / 1000:.1f} s" for name in names
    )
    lines += ["", f"First board pack request (charts drawn): {firsts}."]
    # (issue, what, page, bound, whether the bound itself misses): p95 to a tenth of a
    # millisecond, so that a figure over its bar never reads as the bar itself.
    bars = [
        (14, "how we compare", "how we compare", 50, False),
        (8, "plan overview", "plan overview", 100, True),
        (19, "scorecard", "scorecard", 50, False),
        (19, "action list", "action list", 50, False),
        (19, "warm board pack", "board pack", 300, False),
    ]
    for issue, what, page, bound, under in bars:
        found = []
        for name in names:
            p95 = measured[name]["pages"][page]["p95"]
            met = p95 < bound if under else p95 <= bound
            found.append(f"{name} {p95:.1f} ms ({'met' if met else 'not met'})")
        limit = "under" if under else "at most"
        lines += ["", f"Issue {issue}'s bar, {what} p95 {limit} {bound} ms: {', '.join(found)}."]
    return lines + ["", "#### Throughput (gunicorn on loopback, wrk)", "", *throughput(measured)]


def throughput(measured: dict[str, dict]) -> list[str]:
    lines, rows = [], []
    for name in measured:
        load_ = measured[name]["throughput"]
        if "missing" in load_:
            lines.append(f"- {name}: {load_['missing']}.")
            continue
        overview, trivial = load_["overview"], load_["trivial"]
        ratio = overview["rps"] / trivial["rps"] if trivial["rps"] else float("nan")
        errors = overview["non_2xx"] + trivial["non_2xx"]
        rows.append(
            f"| {name} | {load_['workers']} | {overview['rps']:.1f} | "
            f"{overview['median_ms']:.0f} | {trivial['rps']:.1f} | {trivial['median_ms']:.0f} | "
            f"{ratio:.2f} | {errors} |"
        )
        seconds = load_["seconds"]
    if rows:
        lines += [
            f"wrk -t2 -c4 -d{seconds}s per URL against gunicorn (sync workers, one per core) "
            "serving `tests.bench.settings`; the trivial view (`tests/bench/urls.py`, a "
            'plain-text "ok") goes through the same middleware with the same session cookie, in '
            "the same run. Requests per second:",
            "",
            "| database | workers | plan overview req/s | overview median ms | trivial view req/s "
            "| trivial median ms | overview ÷ trivial | non-2xx responses |",
            "|---|---|---|---|---|---|---|---|",
            *rows,
            "",
            "Issue 8's bar: the overview's throughput at least a fifth (0.20) of the trivial "
            "view's in the same run; issue 19's: at least 0.40.",
        ]
    return lines


def section(title: str, lines: list[str], seconds: float) -> list[str]:
    print(f"{title}: {seconds:.0f} s", file=sys.stderr, flush=True)
    return ["", f"### {title}", "", *lines]


def main() -> None:
    from tests.bench.annexa import bench_annexa
    from tests.bench.board_pack import bench_board_pack
    from tests.bench.imports import bench_imports, bench_office_and_reports
    from tests.bench.pages import bench_pages

    setup_test_environment()
    connection.creation.create_test_db(verbosity=0)
    started = time.perf_counter()
    at_start = load()
    body = []
    sections = [
        ("Seed plan import", bench_imports),
        ("Word, Excel and Ofsted report reading", bench_office_and_reports),
        ("Plan pages at 5, 60 and 600 actions (Django test client)", bench_pages),
        ("Board pack (issue 6 bar: page and Word < 2 s, PDF < 5 s)", bench_board_pack),
        (f"National scale ({setting('BENCH_AUTHORITIES', 153)} authorities)", bench_national),
        ("Annex A: read, check and KPIs (synthetic return)", bench_annexa),
    ]
    only = [name for name in os.environ.get("BENCH_SECTIONS", "").split(",") if name]
    if only:  # e.g. BENCH_SECTIONS=board_pack: those sections, printed, docs left alone
        sections = [(t, b) for t, b in sections if b.__name__.removeprefix("bench_") in only]
    for title, bench in sections:
        start = time.perf_counter()
        lines = bench()
        body += section(title, lines, time.perf_counter() - start)
    minutes = (time.perf_counter() - started) / 60
    header = [
        MARKER,
        f"Measured {datetime.now().astimezone():%Y-%m-%d %H:%M %Z} on {platform.node()} "
        f"({platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}) "
        f"by `make bench` in {minutes:.0f} minutes. The machine is shared: {at_start} at the "
        f"start, {load()} at the end; repeated runs differ by tens of percent.",
    ]
    text = "\n".join(header + body) + "\n"
    print(text)
    if REPORT.exists() and not only:
        intro = REPORT.read_text().split(MARKER)[0]
        REPORT.write_text(intro + text)
    sys.exit(0)


if __name__ == "__main__":
    main()
