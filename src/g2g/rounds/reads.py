"""Named reads for the round pages, each in a fixed number of queries whatever the number of
actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Prefetch
from django.utils import timezone

from g2g.core.looks import status_look
from g2g.plans.models import Plan, Post, ProgressUpdate
from g2g.tenancy.access import Access

from .models import Round, Task
from .querysets import NOT_STARTED


def is_late(state: str, submitted_at: datetime | None, deadline: date, on: date) -> bool:
    """Submitted after the deadline day, or not submitted and the deadline has passed.

    The first submission counts: an update returned for more work is not late for that.
    """
    if submitted_at is not None:
        return timezone.localdate(submitted_at) > deadline
    return state != "signed_off" and on > deadline


@dataclass
class Progress:
    """How far a round has got: counts of tasks by state, and how many are late."""

    total: int = 0
    not_started: int = 0
    draft: int = 0
    submitted: int = 0  # awaiting sign-off
    returned: int = 0
    signed_off: int = 0
    late: int = 0

    def add(self, state: str, late: bool) -> None:
        self.total += 1
        setattr(self, state, getattr(self, state) + 1)
        self.late += late

    @property
    def in_hand(self) -> int:
        """Submitted at least once and not sent back: awaiting sign-off or signed off."""
        return self.submitted + self.signed_off

    def rows(self) -> list[tuple[str, str, int]]:
        """(state, words, count) in the order the workflow goes."""
        order = (NOT_STARTED, "draft", "submitted", "returned", "signed_off")
        return [(state, status_look(state).word, getattr(self, state)) for state in order]


@dataclass
class TaskRow:
    task: Task
    update: ProgressUpdate | None
    state: str
    late: bool

    @property
    def action(self):
        return self.task.action


def rounds_with_progress(access: Access, plan: Plan, on: date) -> list[tuple[Round, Progress]]:
    rounds = list(
        access.scope(Round.objects.filter(plan=plan))
        .select_related("opened_by")
        .order_by("-period")
    )
    progress = {round_.pk: Progress() for round_ in rounds}
    deadlines = {round_.pk: round_.deadline for round_ in rounds}
    states = (
        Task.objects.filter(round__in=rounds)
        .with_state()
        .values_list("round_id", "state", "submitted_at")
    )
    for round_id, state, submitted_at in states:
        progress[round_id].add(state, is_late(state, submitted_at, deadlines[round_id], on))
    return [(round_, progress[round_.pk]) for round_ in rounds]


def round_for_page(access: Access, pk: int) -> Round:
    return access.get(Round.objects.select_related("plan__authority", "opened_by"), pk=pk)


def task_rows(round_: Round, on: date, tasks=None) -> list[TaskRow]:
    """Each task with its update (who wrote, submitted, signed off) and state: two queries."""
    tasks = list(
        (tasks if tasks is not None else round_.tasks.all())
        .select_related("action")
        .prefetch_related(Prefetch("action__leads", queryset=Post.objects.order_by("title")))
        .order_by("action__order")
    )
    updates = {
        update.action_id: update
        for update in ProgressUpdate.objects.with_people().filter(
            action__in=[task.action_id for task in tasks], period=round_.period
        )
    }
    rows = []
    for task in tasks:
        update = updates.get(task.action_id)
        state = update.status if update else NOT_STARTED
        submitted_at = update.submitted_at if update else None
        rows.append(TaskRow(task, update, state, is_late(state, submitted_at, round_.deadline, on)))
    return rows


def my_task_rows(access: Access, round_: Round, on: date) -> list[TaskRow]:
    """The tasks of the actions whose lead post the signed-in person holds today."""
    return task_rows(round_, on, round_.tasks.led_by(access.user, on))


def progress_of(rows: list[TaskRow]) -> Progress:
    progress = Progress()
    for row in rows:
        progress.add(row.state, row.late)
    return progress


def round_for_update(access: Access, update: ProgressUpdate) -> Round | None:
    """The round that asked for this update, if one did."""
    return (
        access.scope(Round.objects.filter(plan_id=update.action.plan_id, period=update.period))
        .select_related("plan__authority")
        .first()
    )
