"""A plan's actions as they stood at a moment, read from history: what the board saw on 14 March.

`ActionQuerySet.with_status(on)` derives ratings and states from today's rows (fast, filterable,
for pages). Board packs need the rows as they were at a past moment: an update written since, or
a sign-off made since, must not change a pack for a meeting already held. This module reads the
history tables (django-simple-history) as at the moment and applies the same rules in Python;
`tests/plans/test_as_at.py` checks on generated histories that, read at the present moment, both
give the same answer, so the two forms of the rule cannot drift apart.

Links between objects (an action's lead posts, the recommendations it answers) are read as they
are now: history records them, but packs show them as context, not as findings.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date, datetime

from g2g.core.dates import month_start

from .models import Action, Plan, ProgressUpdate, Rating
from .querysets import counts, gives_ratings, update_due


@dataclass(frozen=True)
class ActionState:
    """An action's content and derived states at a moment (as `with_status` names them)."""

    pk: int
    ref: str
    title: str
    order: int
    priority_id: int
    start: date | None
    end: date | None
    timescale_text: str
    closed_on: date | None
    action_rating: str
    impact_rating: str
    last_period: date | None
    awaiting_sign_off: bool
    updated_this_period: bool
    update_missing: bool
    is_overdue: bool
    slipped: bool


def actions_as_at(plan: Plan, moment: datetime, on: date) -> list[ActionState]:
    """The plan's actions at `moment`, rated for the month of `on`, in plan order. Four queries
    whatever the number of actions or updates."""
    rows = list(
        Action.history.filter(plan_id=plan.pk, history_date__lte=moment)
        .order_by("history_date", "history_id")
        .values(
            "id",
            "ref",
            "title",
            "order",
            "priority_id",
            "start",
            "end",
            "timescale_text",
            "closed_on",
            "history_type",
        )
    )
    latest: dict[int, dict] = {}
    ends: dict[int, list[date]] = defaultdict(list)
    for row in rows:
        latest[row["id"]] = row
        if row["end"]:
            ends[row["id"]].append(row["end"])
    actions = {pk: row for pk, row in latest.items() if row["history_type"] != "-"}
    updates = _updates_as_at(list(actions), moment, on)
    # The month's round deadline, as it is now (rounds are a higher layer: read through the
    # plan's reverse relation).
    deadline = plan.rounds.filter(period=month_start(on)).values_list("deadline", flat=True).first()
    states = []
    for pk, row in actions.items():
        ratings = rate(updates.get(pk, []), on, deadline)
        end = row["end"]
        states.append(
            ActionState(
                pk=pk,
                ref=row["ref"],
                title=row["title"],
                order=row["order"],
                priority_id=row["priority_id"],
                start=row["start"],
                end=end,
                timescale_text=row["timescale_text"],
                closed_on=row["closed_on"],
                slipped=bool(end) and any(earlier < end for earlier in ends[pk]),
                is_overdue=bool(end)
                and end < on
                and row["closed_on"] is None
                and ratings.action_rating != Rating.BLUE,
                **asdict(ratings),
            )
        )
    return sorted(states, key=lambda state: (state.order, state.ref))


@dataclass(frozen=True)
class UpdateRow:
    period: date
    created_at: datetime
    status: str
    action_rating: str
    impact_rating: str


@dataclass(frozen=True)
class Ratings:
    action_rating: str
    impact_rating: str
    last_period: date | None
    awaiting_sign_off: bool
    updated_this_period: bool
    update_missing: bool


def counted_updates(updates: list[UpdateRow], on: date) -> list[UpdateRow]:
    """One action's updates up to the month of `on` that count, newest first (by period, then
    time written): the order `with_status` reads them in."""
    period = month_start(on)
    return sorted(
        (u for u in updates if u.period <= period and counts(u)),
        key=lambda u: (u.period, u.created_at),
        reverse=True,
    )


def rate(updates: list[UpdateRow], on: date, deadline: date | None = None) -> Ratings:
    """The rule of `ActionQuerySet.with_status`, for one action's updates: the latest update up
    to `on` that gives ratings (`querysets.gives_ratings`) gives them. `deadline` is the month's
    round's, if there is one (`querysets.update_due`)."""
    counted = counted_updates(updates, on)
    rated = next((u for u in counted if gives_ratings(u)), None)
    updated = any(u.period == month_start(on) for u in counted)
    return Ratings(
        action_rating=rated.action_rating if rated else "",
        impact_rating=rated.impact_rating if rated else "",
        last_period=rated.period if rated else None,
        awaiting_sign_off=bool(counted) and not gives_ratings(counted[0]),
        updated_this_period=updated,
        update_missing=not updated and update_due(on, deadline),
    )


def _updates_as_at(action_ids: list[int], moment: datetime, on: date) -> dict[int, list]:
    rows = (
        ProgressUpdate.history.filter(
            action_id__in=action_ids, history_date__lte=moment, period__lte=month_start(on)
        )
        .order_by("history_date", "history_id")
        .values(
            "id",
            "action_id",
            "period",
            "created_at",
            "status",
            "action_rating",
            "impact_rating",
            "history_type",
        )
    )
    latest = {row["id"]: row for row in rows}
    updates: dict[int, list[UpdateRow]] = defaultdict(list)
    for row in latest.values():
        if row["history_type"] != "-":
            updates[row["action_id"]].append(
                UpdateRow(
                    row["period"],
                    row["created_at"],
                    row["status"],
                    row["action_rating"],
                    row["impact_rating"],
                )
            )
    return updates
