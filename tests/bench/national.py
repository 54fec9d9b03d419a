"""National scale, on one database: generate the synthetic national dataset (`generate_national`),
then time the six pages through the Django test client and, with wrk, the plan overview's
throughput under gunicorn. Runs in its own process per database:

    python -m tests.bench.national generate sqlite:////path/to/file.sqlite3
    python -m tests.bench.national measure postgres://postgres@127.0.0.1:5432/g2g_bench

`generate` drops and creates the database named afresh: only ever name the benchmark's own.
Each step prints one JSON line of figures.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from tests.bench.common import REFERENCE, get_counting_queries, setting, timed
from tests.bench.pages import page_urls, repeats

AUTHORITY = "Tameside"  # the authority whose pages are timed (any other is as large)
SEED = 1


def recreate(database_url: str) -> None:
    """Start from an empty benchmark database."""
    parts = urlsplit(database_url)
    if parts.scheme.startswith("sqlite"):
        path = Path(parts.path[1:] if parts.path.startswith("//") else parts.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    name = parts.path.lstrip("/")
    if name in ("test", "test_test", "postgres", "") or not name.startswith("g2g_bench"):
        raise ValueError(f"refusing to recreate database {name!r}: not the benchmark's own")
    server = parts._replace(path="/postgres").geturl()
    with psycopg.connect(server, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.bench.settings"
    import django

    django.setup()


# Writing measure values queues their charts' drawing. A deployment's worker draws them after
# the writes; the test settings' immediate backend would draw all 7,650 measures' charts here,
# into this process's own cache that ends with it (10 minutes of the step's 15). So the tasks are
# queued nowhere: the pages measured draw what they need, as on a site whose worker is behind.
NO_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def generate(database_url: str) -> dict:
    """An empty database, migrated, then the national dataset."""
    recreate(database_url)
    _setup(database_url)
    from django.core.management import call_command
    from django.db import connection
    from django.test import override_settings

    from g2g.measures.models import ComparatorValue
    from g2g.measures.published import load_published_figures
    from g2g.operations.national import generate_national

    call_command("migrate", verbosity=0)
    authorities = setting("BENCH_AUTHORITIES", 153)
    with override_settings(TASKS=NO_TASKS):
        start = time.perf_counter()
        result = generate_national(
            authorities, seed=SEED, reference=REFERENCE / "ilacs-overview.xlsx", log=lambda _: None
        )
        generate_s = time.perf_counter() - start
        start = time.perf_counter()  # DfE's published figures (issue 14): a first load, again
        loaded = load_published_figures(REFERENCE / "dfe")
        figures_s = time.perf_counter() - start
        start = time.perf_counter()
        load_published_figures(REFERENCE / "dfe")
        reload_s = time.perf_counter() - start
    with connection.cursor() as cursor:  # as a live database would be after its first day
        cursor.execute("PRAGMA journal_mode=WAL" if connection.vendor == "sqlite" else "ANALYZE")
    return {
        "generated": vars(result) | {"comparators": ComparatorValue.objects.count()},
        "generate_s": generate_s,
        "figures": {"figures": loaded.created, "load_s": figures_s, "reload_s": reload_s},
    }


def measure(database_url: str) -> dict:
    """The six pages through the test client, then throughput under gunicorn and wrk."""
    _setup(database_url)
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    import g2g.wsgi  # noqa: F401 - start up as the app servers do (g2g/wsgi.py: gc.freeze)
    from g2g.plans.models import Action
    from g2g.tenancy.models import Membership, Role

    membership = (
        Membership.objects.filter(role=Role.IMPROVEMENT_LEAD, authority__plans__isnull=False)
        .select_related("authority", "user")
        .order_by("-authority__name")
    )
    membership = membership.filter(authority__name=AUTHORITY).first() or membership.first()
    authority = membership.authority
    action = Action.objects.filter(plan__authority=authority).order_by("order").first()
    setup_test_environment()
    client = Client()
    client.force_login(membership.user)
    pages = {}
    for name, url in page_urls(authority.slug, action.pk).items():
        start = time.perf_counter()
        queries = get_counting_queries(client, url)  # the first request: cold caches
        first_ms = (time.perf_counter() - start) * 1000
        median, p95 = timed(lambda url=url: client.get(url), repeats(name) * 2)
        pages[name] = {"queries": queries, "first": first_ms, "median": median, "p95": p95}
    figures = {
        "vendor": connection.vendor,
        "version": ".".join(map(str, connection.Database.sqlite_version_info))
        if connection.vendor == "sqlite"
        else str(connection.pg_version // 10000),
        "authority": authority.name,
        "pages": pages,
    }
    from tests.bench.throughput import measure_throughput, wrk_missing

    missing = wrk_missing()
    if missing:
        figures["throughput"] = {"missing": missing}
    else:
        cookie = f"sessionid={client.cookies['sessionid'].value}"
        try:
            figures["throughput"] = measure_throughput(database_url, f"/{authority.slug}/", cookie)
        except (RuntimeError, OSError) as error:
            figures["throughput"] = {"missing": f"not measured: {error}"}
    return figures


if __name__ == "__main__":
    step = {"generate": generate, "measure": measure}[sys.argv[1]]
    print(json.dumps(step(sys.argv[2])))
