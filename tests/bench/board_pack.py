"""Board pack timings: one authority with 60 actions, 50 measures and three years of history
(36 monthly updates per action, 36 monthly values per measure), as issue 6 sets the bar."""

from __future__ import annotations

import time
from decimal import Decimal

from django.core.cache import cache
from simple_history.utils import bulk_create_with_history

from g2g.core.dates import current_period
from g2g.measures.models import Measure, MeasureValue
from g2g.measures.services import add_months
from g2g.plans.models import ProgressUpdate, Rating

ACTIONS, MEASURES, MONTHS = 60, 50, 36
RATINGS = [Rating.RED, Rating.AMBER, Rating.GREEN, Rating.GREEN, Rating.BLUE]


def _history_plan():
    from tests.conftest import build_world
    from tests.factories import ActionFactory, MeasureFactory

    world = build_world("Packshire")
    months = [add_months(current_period(), -back) for back in reversed(range(MONTHS))]
    actions = [ActionFactory(priority=world.led_action.priority) for _ in range(ACTIONS - 2)]
    updates = [
        ProgressUpdate(
            action=action,
            period=month,
            narrative="Progress this month.",
            status=ProgressUpdate.Status.SIGNED_OFF,
            action_rating=RATINGS[(index + number) % len(RATINGS)],
            impact_rating=RATINGS[(index + number + 1) % len(RATINGS)],
        )
        for index, action in enumerate(actions)
        for number, month in enumerate(months)
    ]
    bulk_create_with_history(updates, ProgressUpdate, batch_size=1000)
    measures = [
        MeasureFactory(authority=world.authority, plan=world.plan) for _ in range(MEASURES - 1)
    ]
    values = [
        MeasureValue(measure=measure, period=month, value=Decimal(50 + (number % 30)))
        for measure in [*measures, world.measure]
        for number, month in enumerate(months)
    ]
    bulk_create_with_history(values, MeasureValue, batch_size=1000)
    assert Measure.objects.filter(authority=world.authority).count() == MEASURES
    return world.plan


def _seconds(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def bench_board_pack() -> list[str]:
    from g2g.reports.outputs import pack_docx, pack_pdf, pack_print_html, pack_xlsx
    from g2g.reports.services import pack_for

    plan = _history_plan()
    cache.clear()

    def build():
        return pack_for(plan, current_period(), None)

    pack = build()
    cold_html = _seconds(lambda: pack_print_html(build()))
    rows = [
        ("read from history (sections only)", _seconds(build)),
        ("web page, charts not yet drawn (cold cache)", cold_html),
        ("web page, charts cached", _seconds(lambda: pack_print_html(build()))),
        ("Word (.docx)", _seconds(lambda: pack_docx(build()))),
        ("Excel (.xlsx)", _seconds(lambda: pack_xlsx(build()))),
        ("PDF, chart images not yet drawn", _seconds(lambda: pack_pdf(build()))),
        ("PDF, chart images cached", _seconds(lambda: pack_pdf(build()))),
    ]
    lines = [
        f"{ACTIONS} actions, {MEASURES} measures, {MONTHS} months of updates and values "
        f"({len(pack.scorecard)} measures in the pack).",
        "",
        "| output | seconds |",
        "|---|---|",
    ]
    lines += [f"| {name} | {seconds:.2f} |" for name, seconds in rows]
    return lines
