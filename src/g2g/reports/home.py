"""Each role's home: its work in one authority, straight after sign-in, and what needs a person
in each of several authorities.

Why the home lives in `reports`: it shows the open round (`rounds`), the next board meeting
(`governance`), off-track measures (`measures`) and the latest saved board pack (`reports`).
`reports` is the lowest layer that can read all four without importing upwards; `tenancy`, which
held the bare list of authorities, would have needed a registry of panels filled by the layers
above for the same page, and nothing else needs such a registry.

Every rule is read, not restated: which update counts and the action states from
`plans.querysets` (`with_status`, `exceptions`, `led_by`), a task's state, lateness and the
sign-off queue from `rounds` (`task_rows`, `OUTSTANDING`), a measure's rating from
`measures.scorecard.status_of`. Each home is a fixed number of queries, whatever the number of
actions (tests/reports/test_home.py counts them).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from g2g.core.dates import add_months, month_start
from g2g.governance.models import Meeting
from g2g.measures.reads import measures_for_scorecard
from g2g.measures.scorecard import MeasureStatus, status_of
from g2g.plans.models import Action, Plan, Priority, ProgressUpdate, rating_look
from g2g.plans.reads import RATING_KEYS, current_plan
from g2g.rounds.models import Round
from g2g.rounds.querysets import OUTSTANDING
from g2g.rounds.reads import Progress, TaskRow, my_task_rows, progress_of, task_rows
from g2g.tenancy.access import Access, Capability
from g2g.tenancy.models import Role

from .models import SavedPack

# Which home a role gets, by what it may do (tenancy.access.ROLE_CAPABILITIES).
IMPROVEMENT_LEAD = "improvement_lead"  # runs the round: improvement leads and administrators
ACTION_LEAD = "action_lead"  # writes their own actions' updates
VIEWER = "viewer"  # reads: viewers (board members), regional viewers

PACK_FILES = ("html", "docx", "xlsx", "pdf")  # never loaded for a list


def home_kind(access: Access) -> str:
    if access.can(Capability.SIGN_OFF_UPDATE):
        return IMPROVEMENT_LEAD
    if access.can(Capability.WRITE_OWN_UPDATE):
        return ACTION_LEAD
    return VIEWER


@dataclass
class PriorityProgress:
    priority: Priority
    progress: Progress


@dataclass
class Home:
    """What one person sees first in one authority; only the parts for their `kind` are read."""

    access: Access
    kind: str
    on: date
    plan: Plan | None = None
    round: Round | None = None  # the plan's round being chased (`RoundQuerySet.live`)
    # An action lead's: updates outstanding from them this round, updates returned to them, and
    # their actions that are overdue or Red.
    due: list[TaskRow] = field(default_factory=list)
    returned: list[ProgressUpdate] = field(default_factory=list)
    my_actions: list[Action] = field(default_factory=list)
    # An improvement lead's: the round's progress (in all and by priority; a viewer's: in all),
    # the sign-off queue, the next board meeting and the pack saved for it.
    progress: Progress | None = None
    by_priority: list[PriorityProgress] = field(default_factory=list)
    sign_off: list[TaskRow] = field(default_factory=list)
    next_meeting: Meeting | None = None
    meeting_pack: SavedPack | None = None
    # Red, overdue (and, for improvement leads, slipped) actions: everyone but action leads.
    exceptions: list[Action] = field(default_factory=list)
    # A viewer's: the latest saved pack and the measures off track.
    latest_pack: SavedPack | None = None
    off_track: list[MeasureStatus] = field(default_factory=list)


def home_for(access: Access, on: date) -> Home:
    """The home of `access.user` in `access.authority` on `on`."""
    home = Home(access, home_kind(access), on, plan=current_plan(access))
    if home.plan is None:
        return home
    if not home.plan.is_closed:
        # The round being chased (`RoundQuerySet.live`) of one plan: its newest round. Read here
        # without `live()`'s subquery over every plan's rounds, so each query stays in the
        # authority (the query check, tests/security/test_query_scoping.py).
        home.round = (
            access.scope(Round.objects.filter(plan=home.plan))
            .select_related("plan__authority")
            .order_by("-period")
            .first()
        )
    {ACTION_LEAD: _action_lead, IMPROVEMENT_LEAD: _improvement_lead, VIEWER: _viewer}[home.kind](
        home
    )
    return home


def _open_actions(home: Home):
    return home.access.scope(Action.objects.filter(plan=home.plan).open())


def _action_lead(home: Home) -> None:
    access, on = home.access, home.on
    if home.round is not None:
        rows = my_task_rows(access, home.round, on)
        home.due = [row for row in rows if row.state in OUTSTANDING]
    mine = _open_actions(home).led_by(access.user, on)
    home.returned = list(
        access.scope(
            ProgressUpdate.objects.filter(
                action__in=mine.values("pk"), status=ProgressUpdate.Status.RETURNED
            )
        )
        .select_related("action", "returned_by")
        .order_by("-period", "action__order")
    )
    home.my_actions = list(
        mine.with_status(on).exceptions(slipped=False).select_related("priority").order_by("order")
    )


def _improvement_lead(home: Home) -> None:
    access, on = home.access, home.on
    if home.round is not None:
        rows = task_rows(home.round, on)
        home.progress = progress_of(rows)
        home.sign_off = [row for row in rows if row.state == ProgressUpdate.Status.SUBMITTED]
        by_priority: dict[int, Progress] = {}
        for row in rows:
            by_priority.setdefault(row.action.priority_id, Progress()).add(row.state, row.late)
        priorities = access.scope(Priority.objects.filter(pk__in=by_priority)).order_by("number")
        home.by_priority = [PriorityProgress(p, by_priority[p.pk]) for p in priorities]
    home.exceptions = _exceptions(home, slipped=True)
    home.next_meeting = (
        access.scope(Meeting.objects.filter(held_on__gte=on))
        .select_related("board")
        .order_by("held_on", "pk")
        .first()
    )
    if home.next_meeting is not None:
        home.meeting_pack = pack_for_meeting(access, home.plan, home.next_meeting)


def _viewer(home: Home) -> None:
    home.latest_pack = _packs(home.access).first()
    if home.round is not None:  # the round's progress, read only
        home.progress = progress_of(task_rows(home.round, home.on))
    home.exceptions = _exceptions(home, slipped=False)
    statuses = (status_of(measure) for measure in measures_for_scorecard(home.access))
    home.off_track = [status for status in statuses if status.assessment.rating == "red"]


def _exceptions(home: Home, *, slipped: bool) -> list[Action]:
    return list(
        _open_actions(home)
        .with_status(home.on)
        .exceptions(slipped=slipped)
        .select_related("priority")
        .order_by("order")
    )


def _packs(access: Access):
    return access.scope(SavedPack.objects.defer(*PACK_FILES)).order_by("-created_at", "-pk")


def pack_for_meeting(access: Access, plan: Plan, meeting: Meeting) -> SavedPack | None:
    """The pack saved for a meeting: the newest saved pack of the plan for the month before the
    meeting's month or later (a board reads the last full month), or None when none is saved."""
    since = add_months(month_start(meeting.held_on), -1)
    return _packs(access).filter(plan=plan, period__gte=since).first()


# ---------------------------------------------------------------------------------------------
# Several authorities


@dataclass
class RegionRow:
    """One authority beside the others in a regional viewer's region."""

    access: Access
    plan: Plan | None
    ratings: list[tuple[str, str, int]]  # (rating key, word, open actions with that Action rating)
    overdue: int

    @property
    def authority(self):
        return self.access.authority


def region_rows(accesses: list[Access], on: date) -> list[RegionRow]:
    """Each authority's open actions by Action rating, and how many are overdue: two queries an
    authority (its plan, its counts), none per action."""
    rows = []
    for access in accesses:
        plan = current_plan(access)
        counts: Counter = Counter()
        overdue = 0
        if plan is not None:
            states = (
                access.scope(Action.objects.filter(plan=plan).open())
                .with_status(on)
                .values_list("action_rating", "is_overdue")
            )
            for rating, is_overdue in states:
                counts[rating or ""] += 1
                overdue += bool(is_overdue)
        ratings = [(key, rating_look(key).word, counts[key]) for key in RATING_KEYS]
        rows.append(RegionRow(access, plan, ratings, overdue))
    return rows


@dataclass
class Homes:
    """A person's homes across authorities: one card each where they do or oversee the work,
    and their regional viewer authorities side by side."""

    homes: list[Home]
    region: list[RegionRow]


def homes_for(accesses: list[Access], on: date) -> Homes:
    regional = [a for a in accesses if a.role == Role.REGIONAL_VIEWER]
    others = [a for a in accesses if a.role != Role.REGIONAL_VIEWER]
    return Homes([home_for(access, on) for access in others], region_rows(regional, on))
