"""Figures read from a plan's whole history, kept until the plan changes.

Pace and "changes since" read every historical row of a plan's actions and updates: the number
of queries is fixed, but the rows grow with actions × months, and the plan overview shows both on
every visit. Between two writes they cannot change, so they are cached under the plan's revision.

A revision is read from the history tables in three small queries. History is append-only and
every write goes through code that records it (docs/security.md #12), so any write from any process
gives a new revision: nothing has to be invalidated, and a per-process cache is never stale.
The revision counts rows as well as taking the newest id, because on PostgreSQL transactions can
commit their ids out of order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from django.core.cache import cache
from django.db import connection

from .models import Action, Plan, Post, Priority, ProgressUpdate

T = TypeVar("T")
KEEP_SECONDS = 24 * 60 * 60
# Part of every key: raise it when the markup of the page fragments cached under a revision
# changes (`{% cache %}` on the plan overview), so a release never serves the old markup for the
# day a fragment is kept. 2: tables in scroll regions (issue 16).
MARKUP_VERSION = 2


@dataclass(frozen=True)
class PlanRevision:
    plan_pk: int
    stamp: tuple

    @property
    def key(self) -> str:
        """Names this revision in cache keys (and in `{% cache %}` fragments of pages)."""
        return ":".join(
            map(str, [MARKUP_VERSION, self.plan_pk, *(n for pair in self.stamp for n in pair)])
        )

    def remember(self, name: str, compute: Callable[[], T], *args) -> T:
        """`compute()`'s answer for this revision and `args` (the dates it was asked for)."""
        key = ":".join(map(str, ["g2g:plan", self.key, name, *args]))
        found = cache.get(key)
        if found is None:
            found = compute()
            cache.set(key, found, KEEP_SECONDS)
        return found


@lru_cache
def _history_table(model) -> str:
    """Asked once: django-simple-history makes a new manager class on every `model.history`."""
    return model.history.model._meta.db_table


def revision_of(plan: Plan) -> PlanRevision:
    """The plan as its history now stands: its actions, their updates, its priorities and the
    authority's lead posts. One query, on indexed columns (written in SQL because the ORM would
    spend longer composing four aggregates than the database spends answering them)."""
    history = {model: _history_table(model) for model in (Action, Priority, Post)}
    updates = _history_table(ProgressUpdate)
    actions = Action._meta.db_table
    # Table names come from our own models; every value is a parameter.
    sql = f"""
        SELECT 1, COUNT(*), MAX(history_id) FROM {history[Action]} WHERE plan_id = %s
        UNION ALL
        SELECT 2, COUNT(*), MAX(history_id) FROM {updates}
         WHERE action_id IN (SELECT id FROM {actions} WHERE plan_id = %s)
        UNION ALL
        SELECT 3, COUNT(*), MAX(history_id) FROM {history[Priority]} WHERE plan_id = %s
        UNION ALL
        SELECT 4, COUNT(*), MAX(history_id) FROM {history[Post]} WHERE authority_id = %s
        ORDER BY 1"""  # noqa: S608  # nosec
    with connection.cursor() as cursor:
        cursor.execute(sql, [plan.pk, plan.pk, plan.pk, plan.authority_id])
        return PlanRevision(plan.pk, tuple((rows, newest) for _, rows, newest in cursor))
