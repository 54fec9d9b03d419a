"""Every benchmarked page at 5, 60 and 600 actions: SQL queries (which must not change with the
number of actions) and server time through the Django test client."""

from __future__ import annotations

from tests.bench.common import get_counting_queries, timed

SIZES = (5, 60, 600)


def page_urls(slug: str, action_pk: int) -> dict[str, str]:
    """The pages the issues name; "regional comparison" is the benchmarking page (Ofsted grades
    beside the statistical neighbours'), "how we compare" DfE's published figures (issue 14)."""
    return {
        "plan overview": f"/{slug}/",
        "action list": f"/{slug}/actions/",
        "action page": f"/{slug}/actions/{action_pk}/",
        "scorecard": f"/{slug}/measures/",
        "regional comparison": f"/{slug}/measures/benchmarking/",
        "how we compare": f"/{slug}/compare/",
        "board pack": f"/{slug}/reports/board-pack/",
    }


def repeats(page: str) -> int:
    return 5 if page == "board pack" else 20


def bench_pages() -> list[str]:
    from django.test import Client

    from tests.conftest import build_world
    from tests.plans.test_query_counts import grow_plan

    world = build_world("Benchshire")
    client = Client()
    client.force_login(world.users["improvement_lead"])
    pages = page_urls(world.authority.slug, world.led_action.pk)
    queries: dict[str, list[int]] = {name: [] for name in pages}
    times: dict[str, list[str]] = {name: [] for name in pages}
    size = 2
    for target in SIZES:
        grow_plan(world, target - size)
        size = target
        for name, url in pages.items():
            queries[name].append(get_counting_queries(client, url))
            median, p95 = timed(lambda url=url: client.get(url), repeats(name))
            times[name].append(f"{median:.0f} / {p95:.0f}")
    sizes = " / ".join(str(size) for size in SIZES)
    lines = [
        f"| page | SQL queries at {sizes} actions | equal? | median / p95 ms at {sizes} actions |",
        "|---|---|---|---|",
    ]
    for name in pages:
        counts = queries[name]
        equal = "yes" if len(set(counts)) == 1 else "**no**"
        lines.append(
            f"| {name} | {' / '.join(map(str, counts))} | {equal} | {' · '.join(times[name])} |"
        )
    return lines
