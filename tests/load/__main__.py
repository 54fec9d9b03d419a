"""`make load`: a bounded load test on loopback, never part of `make test`.

Two gunicorn app servers (LOAD_WORKERS sync workers each) serve one PostgreSQL database and
share the machine's Redis as their cache, as docs/deploy.md's "Scaling out" runs them; Locust
(`tests/load/locustfile.py`, pinned in the dev extras) plays LOAD_USERS people for LOAD_MINUTES,
each request sent to either server at random. The database (LOAD_POSTGRES_URL, default
`g2g_load`; only a database whose name starts with `g2g_load` is ever dropped) is filled afresh
with `generate_national` for LOAD_AUTHORITIES authorities of ten people each, this month's
updates taken out so that there is writing to do. The figures (requests, failures, p95 and
throughput, in all and per kind of request) are printed and written into docs/performance.md
between its load markers. The run fails when any request failed.

    python -m tests.load            # 50 users, 10 minutes (the issue's run)
    LOAD_MINUTES=1 python -m tests.load
"""

from __future__ import annotations

import csv
import json
import os
import platform
import secrets
import shutil
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from tests.bench.common import REFERENCE, ROOT, setting

URL = os.environ.get("LOAD_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/g2g_load")
REDIS_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/6")
OUT = ROOT / "var" / "load"
REPORT = ROOT / "docs" / "performance.md"
START, END = "<!-- load:start -->", "<!-- load:end -->"
PER_AUTHORITY = 10  # generate_national's people per authority


def recreate(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    if not name.startswith("g2g_load"):
        raise SystemExit(f"refusing to recreate database {name!r}: not the load test's own")
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def fill(authorities: int, password: str) -> dict:
    """The synthetic authorities, their people and API tokens, and who writes which update."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from g2g.api.services import create_token
    from g2g.core.dates import current_period
    from g2g.operations.national import generate_national
    from g2g.plans.models import Action, PostHolder, ProgressUpdate
    from g2g.tenancy.models import Membership, Role

    call_command("migrate", verbosity=0)
    generate_national(
        authorities,
        seed=1,
        reference=REFERENCE / "ilacs-overview.xlsx",
        password=password,
        log=lambda _: None,
    )
    period = current_period()
    ProgressUpdate.objects.filter(period=period).delete()  # this month's updates: to be written
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    holders = {
        holder.post_id: holder.user_id
        for holder in PostHolder.objects.filter(user__isnull=False, until__isnull=True)
    }
    writes: dict[int, list[int]] = {}  # each action written by one of its leads only
    for action in Action.objects.prefetch_related("leads").order_by("pk"):
        users = sorted(holders[post.pk] for post in action.leads.all() if post.pk in holders)
        if users:
            writes.setdefault(users[0], []).append(action.pk)
    people, actions = [], {}
    memberships = Membership.objects.select_related("user", "authority").order_by("user__pk")
    seen_leads: dict[str, int] = {}
    for membership in memberships:
        slug = membership.authority.slug
        actions.setdefault(
            slug,
            list(Action.objects.filter(plan__authority__slug=slug).values_list("pk", flat=True)),
        )
        work = "reader"
        if membership.role == Role.ACTION_LEAD and writes.get(membership.user_id):
            work = "action_lead"
        elif membership.role == Role.IMPROVEMENT_LEAD:
            seen_leads[slug] = seen_leads.get(slug, 0) + 1
            work = "improvement_lead" if seen_leads[slug] == 1 else "pack_reader"
        _token, key = create_token(membership.user, name="Load test")
        people.append(
            {
                "username": membership.user.username,
                "authority": slug,
                "role": membership.role,
                "work": work,
                "writes": writes.get(membership.user_id, []),
                "token": key,
            }
        )
    return {"people": people, "actions": actions, "period": period.isoformat()}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_servers(env: dict, workers: int) -> list[tuple[str, subprocess.Popen]]:
    servers = []
    for name in ("a", "b"):
        port = free_port()
        command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}"]
        command += ["--workers", str(workers), "--chdir", str(ROOT), "--log-level", "warning"]
        # A cold board pack draws ~50 charts: on a busy shared machine that can pass gunicorn's
        # default 30 s, which kills the worker. The run warms each pack first (`warm`).
        command += ["--timeout", "120"]
        log = (OUT / f"gunicorn-{name}.log").open("w")
        server = subprocess.Popen(  # noqa: S603 - our own gunicorn on loopback
            [*command, "g2g.wsgi:application"], env=env, cwd=ROOT, stderr=log
        )
        servers.append((f"http://127.0.0.1:{port}", server))
    deadline = time.monotonic() + 60
    for url, server in servers:
        port = int(url.rsplit(":", 1)[1])
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"gunicorn did not start: see {OUT}") from None
                time.sleep(0.3)
    return servers


def warm(server: str, people: dict) -> None:
    """Each authority's board pack opened once before the run, as its first reader would: the
    charts are drawn then, and kept in the shared cache (the run measures the warm pack)."""
    import re

    import requests

    leads = {p["authority"]: p for p in people["people"] if p["work"] == "pack_reader"}
    for person in leads.values():
        session = requests.Session()
        page = session.get(f"{server}/sign-in/", timeout=60)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        session.post(
            f"{server}/sign-in/",
            data={
                "csrfmiddlewaretoken": token,
                "username": person["username"],
                "password": people["password"],
            },
            timeout=60,
        )
        pack = session.get(f"{server}/{person['authority']}/reports/board-pack/", timeout=600)
        if pack.status_code != 200:
            raise RuntimeError(f"warming {person['authority']}'s board pack: {pack.status_code}")


def stop(servers) -> None:
    for _url, server in servers:
        server.terminate()
    for _url, server in servers:
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", newline="") as file:
        return list(csv.DictReader(file))


def exceptions(prefix: Path) -> int:
    """Errors in the simulated people's own steps (Locust counts them apart from requests)."""
    with open(f"{prefix}_exceptions.csv", newline="") as file:
        return sum(int(row["Count"]) for row in csv.DictReader(file))


def report(
    rows: list[dict], users: int, minutes: float, workers: int, loads: tuple, errors: int
) -> str:
    total = next(row for row in rows if row["Name"] == "Aggregated")
    lines = [
        START,
        f"Measured {datetime.now().astimezone():%Y-%m-%d %H:%M %Z} on {platform.node()} "
        f"({platform.machine()}, {os.cpu_count()} cores) by `make load`: {users} simulated "
        f"people for {minutes:g} minutes against two gunicorn app servers ({workers} sync "
        "workers each) on one PostgreSQL database and the machine's Redis, each request sent to "
        f"either server at random. The machine is shared: {loads[0]} at the start, {loads[1]} at "
        "the end.",
        "",
        f"**{int(total['Request Count']):,} requests, {int(total['Failure Count'])} failed "
        f"and {errors} errors in the simulated people's own steps; "
        f"{float(total['Requests/s']):.1f} requests a second; median "
        f"{float(total['50%']):.0f} ms, p95 {float(total['95%']):.0f} ms, p99 "
        f"{float(total['99%']):.0f} ms.**",
        "",
        "| request | count | failures | median ms | p95 ms | max ms | req/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        if row["Name"] == "Aggregated":
            continue
        lines.append(
            f"| {row['Type']} {row['Name']} | {int(row['Request Count']):,} | "
            f"{int(row['Failure Count'])} | {float(row['50%']):.0f} | {float(row['95%']):.0f} | "
            f"{float(row['Max Response Time']):.0f} | {float(row['Requests/s']):.2f} |"
        )
    return "\n".join([*lines, END])


def load() -> str:
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.1f} (5 min: {five:.1f})"


def main() -> None:
    users = setting("LOAD_USERS", 50)
    minutes = float(os.environ.get("LOAD_MINUTES", 10))
    workers = setting("LOAD_WORKERS", 2)
    authorities = -(-users // PER_AUTHORITY)
    OUT.mkdir(parents=True, exist_ok=True)
    password = secrets.token_urlsafe(16)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.bench.settings",
        "DATABASE_URL": URL,
        "G2G_TEST_CACHE_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": f"g2g-load-{secrets.token_hex(4)}",
        "G2G_TEST_MEDIA_ROOT": str(OUT / "media"),
    }
    os.environ.update(env)
    recreate(URL)
    start = time.perf_counter()
    people = fill(authorities, password)
    print(f"filled {authorities} authorities in {time.perf_counter() - start:.0f} s", flush=True)
    servers = start_servers(env, workers)
    loads = [load()]
    try:
        people |= {"servers": [url for url, _server in servers], "password": password}
        people["people"] = people["people"][:users]
        (OUT / "people.json").write_text(json.dumps(people))
        start = time.perf_counter()
        warm(people["servers"][0], people)
        print(f"board packs warmed in {time.perf_counter() - start:.0f} s", flush=True)
        loads = [load()]
        prefix = OUT / "locust"
        command = [shutil.which("locust") or str(Path(sys.executable).parent / "locust")]
        command += ["-f", str(ROOT / "tests" / "load" / "locustfile.py"), "--headless"]
        command += [
            "--users",
            str(users),
            "--spawn-rate",
            "5",
            "--run-time",
            f"{minutes * 60:.0f}s",
        ]
        command += ["--csv", str(prefix), "--only-summary", "--stop-timeout", "30"]
        locust_env = env | {"G2G_LOAD_PEOPLE": str(OUT / "people.json")}
        ran = subprocess.run(command, env=locust_env, cwd=ROOT, check=False)  # noqa: S603
        loads.append(load())
        for _url, server in servers:
            if server.poll() is not None:
                raise SystemExit(f"an app server stopped during the run: see {OUT}")
    finally:
        stop(servers)
    rows = read_stats(prefix)
    text = report(rows, users, minutes, workers, tuple(loads), exceptions(prefix))
    print(text)
    if minutes >= 10 and users >= 50 and REPORT.exists():  # only the run is recorded
        current = REPORT.read_text()
        if START in current:
            head, rest = current.split(START, 1)
            current = head + text + rest.split(END, 1)[1]
        else:
            current = current.rstrip("\n") + "\n\n## Load test (`make load`)\n\n" + text + "\n"
        REPORT.write_text(current)
    failures = int(next(r for r in rows if r["Name"] == "Aggregated")["Failure Count"])
    sys.exit(1 if failures or exceptions(prefix) or ran.returncode else 0)


if __name__ == "__main__":
    main()
