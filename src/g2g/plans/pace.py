"""Pace: how far behind each action is, and whether the plan is completing actions as fast as
its time is running out.

Per action (read in bulk: one query on the action history, one on progress updates, whatever
the number of actions):
- days overdue: days since the end date of an action `with_status` calls overdue;
- slips: how many times the end date was moved later, and by how many days in all (from the
  action's history; a date brought forward is not a slip and does not cancel one);
- months without a rating change: months since the action and impact ratings last changed, as
  `with_status` reads ratings month by month (only updates that give ratings, by the one rule in
  `querysets`, make or break the run: a returned update, a draft or a Blue awaiting sign-off
  does not).

Per plan and per priority: % of open actions complete (Blue, as `with_status` reads ratings, so
sign-off rules there apply here) against % of the time elapsed between the earliest start date
and the latest end date of those actions; for the whole plan, the plan's own start and end
where it has them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from g2g.core.dates import end_of_day, month_start, months_between

from .as_at import UpdateRow, counted_updates
from .models import Action, Plan, Priority, ProgressUpdate, Rating
from .querysets import gives_ratings

# Complete minus elapsed, in percentage points, within which a plan is "keeping pace".
PACE_TOLERANCE = 10


@dataclass(frozen=True)
class ActionPace:
    days_overdue: int  # 0 when not overdue
    slips: int  # times the end date moved later
    slip_days: int  # days it moved later, in all
    original_end: date | None  # the first end date the action had
    rating_since: date | None  # month from which the current ratings have held
    months_without_rating_change: int | None  # None: never rated

    @property
    def needs_attention(self) -> bool:
        return bool(self.days_overdue or self.slips)


def pace_of_actions(actions: Iterable[Action], on: date) -> dict[int, ActionPace]:
    """Pace of each action (annotated by `with_status(on)`), keyed by id. Two queries."""
    actions = list(actions)
    ids = [action.pk for action in actions]
    slips = _slips(ids, on)
    ratings = _rating_since(ids, on)
    result = {}
    for action in actions:
        count, days, original = slips.get(action.pk, (0, 0, action.end))
        since = ratings.get(action.pk)
        overdue = getattr(action, "is_overdue", False) and action.end is not None
        result[action.pk] = ActionPace(
            days_overdue=(on - action.end).days if overdue else 0,
            slips=count,
            slip_days=days,
            original_end=original,
            rating_since=since,
            months_without_rating_change=months_between(since, month_start(on)) if since else None,
        )
    return result


def _slips(ids: list[int], on: date) -> dict[int, tuple[int, int, date | None]]:
    """(times slipped, days slipped, first end date) per action, from its history up to `on`."""
    rows = (
        Action.history.filter(id__in=ids, history_date__lte=end_of_day(on))
        .order_by("id", "history_date", "history_id")
        .values_list("id", "end")
    )
    found: dict[int, tuple[int, int, date | None]] = {}
    previous: dict[int, date] = {}  # the last end date the action had (a blank one is skipped)
    for action_id, end in rows:
        count, days, original = found.get(action_id, (0, 0, None))
        last = previous.get(action_id)
        if end is not None:
            if last is not None and end > last:
                count, days = count + 1, days + (end - last).days
            previous[action_id] = end
            original = original or end
        found[action_id] = (count, days, original)
    return found


def _rating_since(ids: list[int], on: date) -> dict[int, date]:
    """The month each action's current (action, impact) ratings were first given: the start of
    the run of updates giving ratings, up to `on`, that gave the same pair (the run ends at the
    update `with_status` rates the action by). Actions never rated are left out."""
    rows = ProgressUpdate.objects.filter(
        action_id__in=ids, period__lte=month_start(on)
    ).values_list("action_id", "period", "created_at", "status", "action_rating", "impact_rating")
    updates: dict[int, list[UpdateRow]] = defaultdict(list)
    for action_id, *row in rows:
        updates[action_id].append(UpdateRow(*row))
    since: dict[int, date] = {}
    for action_id, action_updates in updates.items():
        run = [u for u in counted_updates(action_updates, on) if gives_ratings(u)]
        if not run or not (run[0].action_rating or run[0].impact_rating):
            continue
        pair = (run[0].action_rating, run[0].impact_rating)
        for update in run:
            if (update.action_rating, update.impact_rating) != pair:
                break
            since[action_id] = update.period
    return since


@dataclass(frozen=True)
class Pace:
    """% of actions complete against % of time elapsed, for a plan or a priority."""

    total: int
    complete: int
    start: date | None
    end: date | None
    on: date

    @property
    def percent_complete(self) -> int | None:
        return round(100 * self.complete / self.total) if self.total else None

    @property
    def percent_elapsed(self) -> int | None:
        if not (self.start and self.end) or self.end <= self.start:
            return None
        share = (self.on - self.start).days / (self.end - self.start).days
        return round(100 * min(max(share, 0), 1))

    @property
    def gap(self) -> int | None:
        """Points complete ahead (+) or behind (−) the time elapsed."""
        if self.percent_complete is None or self.percent_elapsed is None:
            return None
        return self.percent_complete - self.percent_elapsed

    @property
    def verdict(self) -> str:
        if self.gap is None:
            return "Cannot tell"
        if self.gap < -PACE_TOLERANCE:
            return "Behind"
        if self.gap > PACE_TOLERANCE:
            return "Ahead"
        return "Keeping pace"


@dataclass(frozen=True)
class PlanPace:
    plan: Pace
    priorities: list[tuple[Priority, Pace]]
    behind: list[tuple[Action, ActionPace]]  # the open actions most overdue, then most slipped


def plan_pace(plan: Plan, on: date, behind_limit: int = 5) -> PlanPace:
    """Pace of the plan, each priority and the actions furthest behind. Four queries."""
    actions = list(
        Action.objects.filter(plan=plan)
        .open()
        .with_status(on)
        .only("pk", "ref", "title", "priority_id", "start", "end", "order")
        .order_by("order")
    )
    priorities = list(plan.priorities.all())
    paces = pace_of_actions(actions, on)
    by_priority = [
        (priority, _pace([a for a in actions if a.priority_id == priority.pk], on))
        for priority in priorities
    ]
    attention = [(a, paces[a.pk]) for a in actions if paces[a.pk].needs_attention]
    attention.sort(key=lambda pair: (-pair[1].days_overdue, -pair[1].slip_days, pair[0].order))
    return PlanPace(whole_plan_pace(plan, actions, on), by_priority, attention[:behind_limit])


def whole_plan_pace(plan: Plan, actions: list[Action], on: date) -> Pace:
    """The plan's pace: its open `actions` (annotated by `with_status`) against the time from
    the plan's start to its end; where the plan has no date of its own, its actions' earliest
    start or latest end stands in."""
    return _pace(actions, on, plan.start, plan.end)


def _pace(
    actions: list[Action], on: date, start: date | None = None, end: date | None = None
) -> Pace:
    starts = [a.start for a in actions if a.start]
    ends = [a.end for a in actions if a.end]
    return Pace(
        total=len(actions),
        complete=sum(a.action_rating == Rating.BLUE for a in actions),
        start=start or min(starts, default=None),
        end=end or max(ends, default=None),
        on=on,
    )
