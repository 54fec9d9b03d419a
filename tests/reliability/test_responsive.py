"""The server keeps answering while a large import runs: the import writes in one long
transaction in one thread while people keep reading pages from the live server in another.

No timing is asserted (machines differ): every page must answer, correctly, before the import
ends. The figures (page times during the import) are printed with -s and given in docs/deploy.md.
"""

import threading
import time
import urllib.request
from datetime import date

import pytest
from django.conf import settings
from django.db import connection

from g2g.importers.draft import ActionDraft, PlanDraft, PriorityDraft, ProgressDraft
from g2g.importers.services import write_plan
from g2g.plans.models import Plan
from g2g.tenancy.access import operator_access
from g2g.tenancy.models import Role

pytestmark = pytest.mark.django_db(transaction=True)

PRIORITIES, ACTIONS_PER_PRIORITY, MONTHS = 6, 100, 2  # 600 actions, 1,200 updates


def large_plan(title: str) -> PlanDraft:
    """A synthetic plan far larger than any council's (Tameside 2019: about 120 actions)."""
    priorities = [
        PriorityDraft(
            number=p,
            title=f"Priority {p}",
            actions=[
                ActionDraft(
                    ref=f"{p}.{a}",
                    title=f"Synthetic action {p}.{a}",
                    text="• Do the thing\n• Check it worked",
                    leads=[f"Post {a % 12}"],
                    start=date(2024, 4, 1),
                    end=date(2025, 3, 31),
                    progress=[
                        ProgressDraft(date(2024, m, 1), f"Progress in month {m}", "green", "amber")
                        for m in range(4, 4 + MONTHS)
                    ],
                )
                for a in range(1, ACTIONS_PER_PRIORITY + 1)
            ],
        )
        for p in range(1, PRIORITIES + 1)
    ]
    return PlanDraft(title=title, priorities=priorities)


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="SQLite (in memory, as the suite runs it) locks whole tables: runs in the PostgreSQL "
    "pass, the database a council's server uses",
)
def test_pages_answer_while_a_large_import_runs(world, foreign_world, live_server, client):
    client.force_login(world.users[Role.VIEWER])
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    url = f"{live_server.url}/{world.authority.slug}/actions/"
    draft = large_plan("A very large plan")
    finished, failures = threading.Event(), []

    def run_import():
        try:
            write_plan(operator_access(foreign_world.authority), draft)
        except Exception as error:  # noqa: BLE001 - reported by the test below
            failures.append(error)
        finally:
            connection.close()
            finished.set()

    importer = threading.Thread(target=run_import)
    started = time.perf_counter()
    importer.start()
    times = []
    while not finished.is_set():
        request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
        began = time.perf_counter()
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
            body = response.read().decode()
            assert response.status == 200
        times.append(time.perf_counter() - began)
        assert world.other_action.ref in body
    importer.join(timeout=600)
    took = time.perf_counter() - started
    assert not failures, failures
    assert Plan.objects.filter(title="A very large plan").exists()
    assert len(times) >= 2, f"the import took {took:.1f} s; too short to overlap requests"
    print(
        f"\nimport {took:.1f} s; {len(times)} pages answered during it, "
        f"slowest {max(times) * 1000:.0f} ms, median {sorted(times)[len(times) // 2] * 1000:.0f} ms"
    )
