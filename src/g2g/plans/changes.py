"""What changed in a plan between two dates, read from history: for the plan overview, the
changes page and board packs ("since the last board").

"As at" a date means at the end of that day (Europe/London). Changes are those after the end of
`since` up to the end of `until`.

- Action content (whether it exists, its end date, whether it is closed) is read from the
  action history: the latest historical row up to the end of each date.
- Ratings are read as they stood at the end of each date, from history, with the rules of
  `ActionQuerySet.with_status` (`plans.as_at`): an update written or signed off later does not
  change what the plan said then.

Rating order, for "up" and "down": Red < Amber < Green < Blue. A rating given for the first time
(or taken away) is neither up nor down. "Completed" means the Action rating became Blue.

Seven queries whatever the number of actions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from g2g.core.dates import end_of_day, months_before

from .as_at import actions_as_at
from .models import Action, Plan, Rating

RATING_ORDER = {rating: -best_first for best_first, rating in enumerate(Rating)}  # higher is better


@dataclass(frozen=True)
class ActionRef:
    """An action as history last knew it (it may since have been deleted)."""

    pk: int
    ref: str
    title: str
    order: int
    exists: bool  # still in the plan now, so it can be linked to


@dataclass(frozen=True)
class RatingMove:
    action: ActionRef
    kind: str  # "Action" or "Impact"
    old: str
    new: str


@dataclass(frozen=True)
class Slip:
    action: ActionRef
    old_end: date
    new_end: date
    reason: str = ""  # the latest move's, as recorded by change control (`edit_action`)
    agreed_by: str = ""

    @property
    def days(self) -> int:
        return (self.new_end - self.old_end).days


@dataclass
class Changes:
    since: date
    until: date
    ratings_up: list[RatingMove] = field(default_factory=list)
    ratings_down: list[RatingMove] = field(default_factory=list)
    completed: list[ActionRef] = field(default_factory=list)
    slipped: list[Slip] = field(default_factory=list)
    new_actions: list[ActionRef] = field(default_factory=list)
    closed_actions: list[ActionRef] = field(default_factory=list)

    def rating_lists(self) -> list[tuple[str, str, list[RatingMove]]]:
        """(anchor, heading, moves) for pages."""
        return [
            ("ratings-up", "Ratings up", self.ratings_up),
            ("ratings-down", "Ratings down", self.ratings_down),
        ]

    def action_lists(self) -> list[tuple[str, str, list[ActionRef]]]:
        """(anchor, heading, actions) for pages."""
        return [
            ("completed", "Actions completed", self.completed),
            ("new", "New actions", self.new_actions),
            ("closed", "Closed actions", self.closed_actions),
        ]

    @property
    def count(self) -> int:
        return sum(
            len(items)
            for items in (
                self.ratings_up,
                self.ratings_down,
                self.completed,
                self.slipped,
                self.new_actions,
                self.closed_actions,
            )
        )


def rating_move(old: str | None, new: str | None) -> int:
    """+1 up, -1 down, 0 for no move or when either side is not rated (or not a BRAG rating)."""
    if old not in RATING_ORDER or new not in RATING_ORDER:
        return 0
    return (RATING_ORDER[new] > RATING_ORDER[old]) - (RATING_ORDER[new] < RATING_ORDER[old])


def changes_between(plan: Plan, since: date, until: date) -> Changes:
    """Ratings up and down, actions completed, end dates slipped, new and closed actions."""
    if until < since:
        raise ValueError("`until` is before `since`")
    changes = Changes(since, until)
    at_since, at_until, first_end, agreements = _states(plan, since, until)
    before = _ratings(plan, since)
    after = _ratings(plan, until)
    refs = {pk: _ref(row, pk in after) for pk, row in at_until.items()}
    since_end = end_of_day(since)
    for pk, now in sorted(at_until.items(), key=lambda item: item[1]["order"]):
        then = at_since.get(pk)
        existed = then is not None and then["history_type"] != "-"
        exists = now["history_type"] != "-"
        if not existed and now["history_date"] <= since_end:
            continue  # deleted before the period
        ref = refs[pk]
        if exists and not existed:
            changes.new_actions.append(ref)
        if existed and then["closed_on"] is None and (not exists or now["closed_on"]):
            changes.closed_actions.append(ref)
        # The end date as at `since`; for an action with none then, the first it was given.
        old_end = (then["end"] if existed else None) or first_end.get(pk)
        if exists and old_end and now["end"] and now["end"] > old_end:
            changes.slipped.append(Slip(ref, old_end, now["end"], *agreements.get(pk, ("", ""))))
        if not (exists and pk in after):
            continue
        old = before.get(pk, ("", "")) if existed else ("", "")
        new = after[pk]
        for kind, old_rating, new_rating in zip(("Action", "Impact"), old, new, strict=True):
            move = rating_move(old_rating, new_rating)
            if move:
                target = changes.ratings_up if move > 0 else changes.ratings_down
                target.append(RatingMove(ref, kind, old_rating, new_rating))
        if new[0] == Rating.BLUE and old[0] != Rating.BLUE:
            changes.completed.append(ref)
    return changes


def _states(plan: Plan, since: date, until: date):
    """Each action's historical row as at `since` and as at `until`, the first end date it was
    given after `since`, and the (reason, who agreed) of the latest move of its end date after
    `since`. One query."""
    since_end, until_end = end_of_day(since), end_of_day(until)
    rows = (
        Action.history.filter(plan_id=plan.pk, history_date__lte=until_end)
        .order_by("history_date", "history_id")
        .values(
            "id",
            "ref",
            "title",
            "order",
            "end",
            "closed_on",
            "history_type",
            "history_date",
            "history_change_reason",
            "change_agreed_by",
        )
    )
    at_since, at_until, first_end, agreements = {}, {}, {}, {}
    for row in rows:
        earlier = at_until.get(row["id"])
        if row["history_date"] <= since_end:
            at_since[row["id"]] = row
        else:
            if row["end"]:
                first_end.setdefault(row["id"], row["end"])
            if earlier and earlier["end"] and row["end"] != earlier["end"]:
                reason = row["history_change_reason"] or ""
                agreements[row["id"]] = (reason, row["change_agreed_by"])
        at_until[row["id"]] = row
    return at_since, at_until, first_end, agreements


def _ratings(plan: Plan, on: date) -> dict[int, tuple[str, str]]:
    """(action rating, impact rating) of each action as they stood at the end of `on`, read
    from history with the rules of `with_status` (`plans.as_at`). Three queries."""
    return {
        state.pk: (state.action_rating, state.impact_rating)
        for state in actions_as_at(plan, end_of_day(on), on)
    }


def _ref(row: dict, exists: bool) -> ActionRef:
    return ActionRef(row["id"], row["ref"], row["title"], row["order"], exists)


def one_month_before(day: date) -> date:
    """The changes page's default start: the same day a month earlier (`core.dates`)."""
    return months_before(day, 1)
