"""The monthly board pack: everything a board needs to judge the programme, as it stood at a
moment. Read from history (`plans.as_at`, measures' history), so a pack for a past date equals
the pack generated on that date, and a stored pack never changes.

Sections: summary by priority (Action and Impact ratings, with the change since the previous
pack), exceptions (red, slipped, overdue, no update, returned updates), slippage log (end dates
moved since the previous pack), scorecard (each measure's
latest value, target, words for how far off, direction, chart), recommendation coverage
(recommendations no action answers, or only red actions), the last governance meeting's
decisions and actions arising, upcoming deadlines, and each open action's progress this month
(the text of the month's update that counts, as the lead wrote it). The same `BoardPack`
renders as a web page, Word, Excel, PDF and JSON (`reports/outputs.py`).

It opens with a one-page summary in words: the text an improvement lead saved for the plan and
month (`PackSummary`, edited on the summary page, every save kept in history), else the draft
`draft_summary` writes from the data (ratings now and at the last pack, % complete against time
elapsed, what moved, what is off track, the measures furthest from target). The saved text is
read as it stands now, not as at the pack's moment: a December pack's summary is written after
December ends, and a pack saved for the record keeps the text it had.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Prefetch, Q
from django.utils import timezone

from g2g.core.dates import end_of_day, month_end, month_start
from g2g.governance.models import Board, Meeting, MeetingAction
from g2g.inspections.models import Finding
from g2g.measures.models import ComparatorValue, Measure, MeasureValue, Milestone
from g2g.measures.rating import Polarity
from g2g.measures.reads import rows_as_at
from g2g.measures.scorecard import MeasureStatus, status_of
from g2g.plans.as_at import ActionState, actions_as_at
from g2g.plans.models import Action, Plan, Priority, ProgressUpdate, Rating, rating_look
from g2g.plans.pace import Pace, whole_plan_pace
from g2g.plans.querysets import COUNTED_STATUSES
from g2g.plans.reads import RATING_KEYS
from g2g.tenancy.models import Authority

from .models import PackSummary

DEADLINE_WINDOW = timedelta(days=92)  # "upcoming": due in the next three months


@dataclass
class PrioritySummary:
    number: int
    title: str
    total: int
    action: Counter
    impact: Counter
    before_action: Counter | None  # at the previous pack, for "change since"
    before_impact: Counter | None

    def rows(self) -> list[dict]:
        """One row per rating: this pack's counts and the change since the previous pack."""
        return [
            {
                "key": key,
                "label": rating_look(key).word,
                "action": self.action[key],
                "impact": self.impact[key],
                "action_change": _change(self.action[key], self.before_action, key),
                "impact_change": _change(self.impact[key], self.before_impact, key),
            }
            for key in RATING_KEYS
        ]


def _change(now: int, before: Counter | None, key: str) -> str:
    if before is None:
        return "–"
    difference = now - before[key]
    return f"{difference:+d}" if difference else "no change"


# What the writer of an action's update for the month said beside the progress, in pack order.
LEAD_NOTES = (
    ("next_steps", "Next steps"),
    ("risks", "Risks and issues"),
    ("support_needed", "Support needed"),
)


@dataclass(frozen=True)
class Exception_:
    action: ActionState
    reasons: list[str]
    # (label, text) from the month's update that was submitted or signed off: next steps, risks
    # and issues, support needed; only those written.
    notes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def notes_in_words(self) -> str:
        return "\n".join(f"{label}: {text}" for label, text in self.notes)


NO_UPDATE = "No update this month."


@dataclass(frozen=True)
class Progress:
    """An open action's progress for the pack's month: the text of its update for the month
    that counts (submitted or signed off by the pack's moment; a draft or a returned update is
    not shared), with the update's status and its note (what of it is synthetic, in the demo)."""

    action: ActionState
    text: str  # "" when no update for the month counts
    status: str  # the update's status word: "Signed off", "Submitted"; "" when none
    note: str = ""

    @property
    def shown(self) -> str:
        """The text, or what every format says where there is none."""
        return self.text or NO_UPDATE


@dataclass(frozen=True)
class Slip:
    """An end date moved between the previous pack and this one, from the action's history."""

    action_id: int
    ref: str
    title: str
    old_end: date | None
    new_end: date | None
    reason: str
    agreed_by: str
    changed_by: str  # who saved the change ("Import" when no one did)
    changed_at: datetime


@dataclass(frozen=True)
class Coverage:
    inspection: str
    number: int
    text: str
    actions: list[ActionState]  # the open actions answering it, all red when listed


@dataclass(frozen=True)
class ArisingAction:
    """An action arising from the last meeting, as it stood at the pack's moment."""

    description: str
    owner: str
    due: date | None
    status: str  # "Done", "Overdue", "Open"


@dataclass(frozen=True)
class LastMeeting:
    """The latest governance meeting held by the pack's day: its decisions and actions arising."""

    board: str
    held_on: date
    decisions: list[str]
    actions: list[ArisingAction]


@dataclass(frozen=True)
class Summary:
    """The pack's one-page summary: paragraphs of words, and whether a person edited them."""

    paragraphs: list[str]
    edited: bool = False
    edited_by: str = ""
    edited_at: datetime | None = None
    version: int = 0  # the saved version, 0 for the draft

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass
class BoardPack:
    authority: Authority
    plan: Plan
    period: date  # the month reported on
    as_at: datetime  # the moment the data is read as at
    previous: datetime | None  # the moment "change since" compares with
    priorities: list[PrioritySummary] = field(default_factory=list)
    exceptions: list[Exception_] = field(default_factory=list)
    slippage: list[Slip] = field(default_factory=list)
    scorecard: list[MeasureStatus] = field(default_factory=list)
    coverage: list[Coverage] = field(default_factory=list)
    deadlines: list[ActionState] = field(default_factory=list)
    progress: list[Progress] = field(default_factory=list)
    pace: Pace | None = None  # % of open actions complete against % of the plan's time elapsed
    moved: list[tuple[ActionState, str]] = field(default_factory=list)  # (action, rating before)
    meeting: LastMeeting | None = None
    summary: Summary = field(default_factory=lambda: Summary([]))
    # The protective marking on every page (the G2G_PROTECTIVE_MARKING setting when made).
    marking: str = field(default_factory=lambda: settings.G2G_PROTECTIVE_MARKING)

    @property
    def title(self) -> str:
        return f"{self.authority.name} improvement board pack: {self.period:%B %Y}"

    def filename(self, extension: str) -> str:
        """ "tameside-board-pack-2025-12.pdf": the authority and the month, for downloads."""
        return f"{self.authority.slug}-board-pack-{self.period:%Y-%m}.{extension}"

    @property
    def synthetic(self) -> bool:
        return any(status.synthetic for status in self.scorecard)

    @property
    def progress_notes(self) -> list[str]:
        """The notes on the month's updates, each once, in pack order: said once under the
        progress table rather than on every row."""
        return list(dict.fromkeys(item.note for item in self.progress if item.note))


def build_board_pack(
    plan: Plan, period: date, *, as_at: datetime | None = None, previous: datetime | None = None
) -> BoardPack:
    """The pack for `period` (a month) as the data stood at `as_at` (default: now, or the end
    of the period if that has passed). `previous` is the moment of the last pack, for the change
    since; by default the end of the month before."""
    period = month_start(period)
    period_end = month_end(period)
    now = timezone.now()
    as_at = as_at or min(now, end_of_day(period_end))
    on = min(timezone.localdate(as_at), period_end)
    previous = previous or end_of_day(period - timedelta(days=1))
    states = actions_as_at(plan, as_at, on)
    open_states = [state for state in states if state.closed_on is None]
    before = actions_as_at(plan, previous, timezone.localdate(previous))
    pack = BoardPack(plan.authority, plan, period, as_at, previous)
    pack.priorities = _priorities(plan, open_states, before)
    updates = _period_updates(states, period, as_at)
    pack.slippage = _slippage(plan, previous, as_at)
    pack.exceptions = _exceptions(open_states, updates, pack.slippage)
    pack.scorecard = _scorecard(plan, as_at, period, live=as_at >= now)
    pack.coverage = _coverage(plan, {state.pk: state for state in open_states})
    pack.deadlines = [
        state
        for state in open_states
        if state.end
        and on <= state.end <= on + DEADLINE_WINDOW
        and state.action_rating != Rating.BLUE
    ]
    pack.deadlines.sort(key=lambda state: (state.end, state.order))
    pack.progress = [_progress(state, updates.get(state.pk)) for state in open_states]
    pack.pace = whole_plan_pace(plan, open_states, on)
    then = {state.pk: state.action_rating for state in before if state.closed_on is None}
    pack.moved = [
        (state, then[state.pk])
        for state in open_states
        if state.pk in then and then[state.pk] != state.action_rating
    ]
    pack.meeting = _last_meeting(plan, as_at, on)
    pack.summary = saved_summary(plan, period) or Summary(draft_summary(pack))
    return pack


def saved_summary(plan: Plan, period: date) -> Summary | None:
    """The summary an improvement lead saved for the plan and month, if any. One query."""
    saved = (
        PackSummary.objects.filter(plan=plan, period=month_start(period))
        .select_related("updated_by")
        .first()
    )
    if saved is None:
        return None
    user = saved.updated_by
    return Summary(
        paragraphs=paragraphs(saved.text),
        edited=True,
        edited_by=(user.get_full_name() or user.get_username()) if user else "",
        edited_at=saved.updated_at,
        version=saved.version,
    )


def paragraphs(text: str) -> list[str]:
    """Text as paragraphs: split at blank lines, each paragraph's lines joined."""
    chunks = text.replace("\r\n", "\n").split("\n\n")
    return [
        " ".join(line.strip() for line in chunk.split("\n") if line.strip())
        for chunk in chunks
        if chunk.strip()
    ]


# ---------------------------------------------------------------------------------------------
# The summary drafted from the data

LISTED = 6  # actions named in a sentence before "and N more"


def _counts_in_words(counts: Counter) -> str:
    parts = [f"{counts[key]} {rating_look(key).word}" for key in RATING_KEYS if counts[key]]
    return _join(parts) if parts else "none"


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _refs(states: list, limit: int = LISTED) -> str:
    refs = [state.ref or state.title[:40] for state in states]
    if len(refs) > limit:
        return ", ".join(refs[:limit]) + f" and {len(refs) - limit} more"
    return _join(refs)


def _plural(count: int, noun: str, plural: str | None = None) -> str:
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def _shortfall(status: MeasureStatus) -> float:
    """How far a measure is behind its trajectory, as a share of the trajectory's value (points
    for a measure whose target is zero), for ranking the furthest from target."""
    gap, target = status.assessment.gap, status.assessment.target
    if gap is None or target is None:
        return 0.0
    behind = -gap if status.measure.polarity == Polarity.HIGHER else gap
    return float(behind / abs(target)) if target else float(behind)


def draft_summary(pack: BoardPack) -> list[str]:
    """The overall position in words, from the pack's own sections: ratings now and at the last
    pack, % complete against time elapsed, what moved, what is off track and the measures
    furthest from target. A paragraph each."""
    texts = [_position_in_words(pack), _pace_in_words(pack.pace)]
    texts += [_moves_in_words(pack), _off_track_in_words(pack), _measures_in_words(pack)]
    return [text for text in texts if text]


def _position_in_words(pack: BoardPack) -> str:
    now, before, impact = Counter(), Counter(), Counter()
    for summary in pack.priorities:
        now.update(summary.action)
        before.update(summary.before_action or Counter())
        impact.update(summary.impact)
    day = min(timezone.localdate(pack.as_at), month_end(pack.period))
    text = (
        f"At {day:%-d %B %Y} the plan has {_plural(sum(now.values()), 'open action')}. "
        f"Action ratings: {_counts_in_words(now)}."
    )
    if pack.previous and any(s.before_action is not None for s in pack.priorities):
        then = timezone.localdate(pack.previous)
        text += f" At the last pack ({then:%-d %B %Y}): {_counts_in_words(before)}."
    return text + f" Impact ratings: {_counts_in_words(impact)}."


def _pace_in_words(pace: Pace | None) -> str:
    if not pace or not pace.total:
        return ""
    if pace.gap is None:
        return (
            f"{pace.complete} of {pace.total} open actions are complete (Blue); the plan has no "
            "start and end dates to measure the time elapsed against."
        )
    verdict = {
        "Behind": f"behind by {-pace.gap} points",
        "Ahead": f"ahead by {pace.gap} points",
        "Keeping pace": "keeping pace",
    }[pace.verdict]
    return (
        f"{pace.complete} of {pace.total} open actions ({pace.percent_complete}%) are "
        f"complete (Blue) against {pace.percent_elapsed}% of the plan's time elapsed "
        f"({pace.start:%B %Y} to {pace.end:%B %Y}): {verdict}."
    )


def _moves_in_words(pack: BoardPack) -> str:
    if pack.moved:
        better = [s for s, was in pack.moved if _rank(s.action_rating) < _rank(was)]
        worse = [s for s, was in pack.moved if _rank(s.action_rating) > _rank(was)]
        moves = "; ".join(
            f"{state.ref} {rating_look(was).word} to {rating_look(state.action_rating).word}"
            for state, was in pack.moved[:LISTED]
        )
        more = f" and {len(pack.moved) - LISTED} more" if len(pack.moved) > LISTED else ""
        text = (
            f"Since the last pack {_plural(len(pack.moved), 'action')} changed action rating "
            f"({len(better)} better, {len(worse)} worse): {moves}{more}."
        )
    else:
        text = "No action's rating changed since the last pack."
    if pack.slippage:
        text += f" {_plural(len(pack.slippage), 'end date')} moved (see the slippage log)."
    return text


def _off_track_in_words(pack: BoardPack) -> str:
    actions = [item.action for item in pack.exceptions]
    groups = (
        ("Red", [a for a, e in zip(actions, pack.exceptions, strict=True) if "Red" in e.reasons]),
        ("overdue", [a for a in actions if a.is_overdue]),
        ("no update this month", [a for a in actions if a.update_missing]),
    )
    parts = [
        f"{why}: {_plural(len(found), 'action')} ({_refs(found)})" for why, found in groups if found
    ]
    if parts:
        text = (
            f"Off track: {'; '.join(parts)}. {_plural(len(pack.exceptions), 'action')} in all "
            "are listed as exceptions."
        )
    else:
        text = "No action is Red, overdue or without its update this month."
    if pack.coverage:
        have = "has" if len(pack.coverage) == 1 else "have"
        text += (
            f" {_plural(len(pack.coverage), 'inspection recommendation')} {have} no open "
            "action, or only Red ones."
        )
    return text


def _rank(key: str) -> int:
    """Blue best, then Green, Amber, Red; not rated last."""
    return RATING_KEYS.index(key) if key in RATING_KEYS else len(RATING_KEYS)


def _measures_in_words(pack: BoardPack) -> str:
    measured = [s for s in pack.scorecard if s.latest]
    behind = sorted(
        (s for s in measured if s.assessment.rating in ("amber", "red")),
        key=_shortfall,
        reverse=True,
    )
    worse = [s for s in measured if s.direction.words == "worse than last month"]
    rated = [s for s in measured if s.assessment.rating]
    if behind:
        named = "; ".join(
            f"{s.measure.name} ({rating_look(s.assessment.rating).word}: "
            f"{s.assessment.words[:1].lower()}{s.assessment.words[1:]})"
            for s in behind[:3]
        )
        text = (
            f"{_plural(len(behind), 'measure is', 'measures are')} behind trajectory of "
            f"{len(rated)} with a target this month. Furthest from target: {named}."
        )
    elif rated:
        text = f"All {_plural(len(rated), 'measure')} with a target this month are on trajectory."
    elif measured:
        text = (
            f"None of the {_plural(len(measured), 'measure')} with a value has a target for "
            f"{pack.period:%B %Y}."
        )
    else:
        return "No measure has a value yet."
    if worse:
        text += f" {_plural(len(worse), 'measure')} got worse than last month."
    return text


def _last_meeting(plan: Plan, as_at: datetime, on: date) -> LastMeeting | None:
    """The latest meeting of the authority's boards held on or before `on`, with its decisions
    and its actions arising, as they stood at `as_at` (from history). Three queries."""
    boards = dict(Board.objects.filter(authority=plan.authority).values_list("pk", "name"))
    rows = (
        Meeting.history.filter(board_id__in=list(boards), history_date__lte=as_at)
        .order_by("history_date", "history_id")
        .values("id", "board_id", "held_on", "decisions", "history_type")
    )
    latest = {row["id"]: row for row in rows}
    held = [row for row in latest.values() if row["history_type"] != "-" and row["held_on"] <= on]
    if not held:
        return None
    meeting = max(held, key=lambda row: (row["held_on"], row["id"]))
    action_rows = (
        MeetingAction.history.filter(meeting_id=meeting["id"], history_date__lte=as_at)
        .select_related("owner_post")
        .order_by("history_date", "history_id")
    )
    actions = {row.id: row for row in action_rows}
    arising = []
    for row in sorted(actions.values(), key=lambda r: (r.due or date.max, r.id)):
        if row.history_type == "-":
            continue
        if row.done_on and row.done_on <= on:
            status = "Done"
        elif row.due and row.due < on:
            status = "Overdue"
        else:
            status = "Open"
        owner = row.owner_post.title if row.owner_post else row.owner_text
        arising.append(ArisingAction(row.description, owner, row.due, status))
    decisions = [line.strip() for line in meeting["decisions"].splitlines() if line.strip()]
    return LastMeeting(boards[meeting["board_id"]], meeting["held_on"], decisions, arising)


def _priorities(
    plan: Plan, states: list[ActionState], before: list[ActionState]
) -> list[PrioritySummary]:
    then_open = [state for state in before if state.closed_on is None]
    summaries = []
    for priority in Priority.objects.filter(plan=plan).order_by("number"):
        mine = [state for state in states if state.priority_id == priority.pk]
        earlier = [state for state in then_open if state.priority_id == priority.pk]
        summaries.append(
            PrioritySummary(
                number=priority.number,
                title=priority.title,
                total=len(mine),
                action=Counter(state.action_rating for state in mine),
                impact=Counter(state.impact_rating for state in mine),
                before_action=Counter(s.action_rating for s in earlier) if before else None,
                before_impact=Counter(s.impact_rating for s in earlier) if before else None,
            )
        )
    return summaries


def _period_updates(states: list[ActionState], period: date, as_at: datetime) -> dict[int, dict]:
    """Each action's update for the period as it stood at `as_at` (status, progress text, note
    and the writer's notes), by action: the one that counts where one does (the newest written,
    the rule of `plans.as_at.counted_updates`), else the newest. One query."""
    rows = (
        ProgressUpdate.history.filter(
            action_id__in=[state.pk for state in states], period=period, history_date__lte=as_at
        )
        .order_by("history_date", "history_id")
        .values(
            "id",
            "action_id",
            "status",
            "history_type",
            "created_at",
            "narrative",
            "synthetic_note",
            *(key for key, _ in LEAD_NOTES),
        )
    )
    latest = {row["id"]: row for row in rows}
    chosen: dict[int, dict] = {}
    for row in sorted(
        (row for row in latest.values() if row["history_type"] != "-"),
        key=lambda row: (row["status"] in COUNTED_STATUSES, row["created_at"], row["id"]),
    ):
        chosen[row["action_id"]] = row
    return chosen


def _progress(state: ActionState, update: dict | None) -> Progress:
    """The action's progress this month from its update for the month, once that counts."""
    if not update or update["status"] not in COUNTED_STATUSES:
        return Progress(state, "", "")
    status = ProgressUpdate.Status(update["status"]).label
    return Progress(state, update["narrative"].strip(), status, update["synthetic_note"])


def _notes(update: dict | None) -> list[tuple[str, str]]:
    """The writer's notes, once the update is submitted or signed off (a draft is not shared)."""
    if not update or update["status"] not in COUNTED_STATUSES:
        return []
    return [(label, update[key]) for key, label in LEAD_NOTES if update[key]]


def _exceptions(
    states: list[ActionState], updates: dict[int, dict], slippage: list[Slip]
) -> list[Exception_]:
    """The open actions a board must look at, each with why: Red (action or impact), overdue,
    an end date moved since the last pack (the slippage log), no update once one is due (the
    rule of `with_status`: the round's deadline has passed, or the month is over), or the
    month's update returned."""
    moved: dict[int, list[Slip]] = {}
    for slip in slippage:
        moved.setdefault(slip.action_id, []).append(slip)
    returned = {
        action for action, row in updates.items() if row["status"] == ProgressUpdate.Status.RETURNED
    }
    found = []
    for state in states:
        reasons = []
        if Rating.RED in (state.action_rating, state.impact_rating):
            reasons.append("Red")
        if state.is_overdue:
            reasons.append(f"Overdue (due {state.end:%-d %B %Y})")
        if state.pk in moved:
            first, last = moved[state.pk][0], moved[state.pk][-1]
            reasons.append(f"End date moved from {_day(first.old_end)} to {_day(last.new_end)}")
        if state.update_missing:
            reasons.append("No update this month")
        if state.pk in returned:
            reasons.append("Update returned")
        if reasons:
            found.append(Exception_(state, reasons, _notes(updates.get(state.pk))))
    return found


def _slippage(plan: Plan, since: datetime, until: datetime) -> list[Slip]:
    """Every end date moved after `since` (the previous pack) up to `until` (this pack's "as
    at"), oldest first: the old and new dates, the reason and who agreed (recorded on the history
    row by `plans.services.edit_action`), who saved it and when. One query, read from history."""
    rows = (
        Action.history.filter(plan_id=plan.pk, history_date__lte=until)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    last_end: dict[int, date | None] = {}
    slips = []
    for row in rows:
        seen = row.id in last_end
        before = last_end.get(row.id)
        last_end[row.id] = row.end
        if row.history_type != "~" or not seen or before is None or row.end == before:
            continue  # a first end date is given, not moved (the rule of edit_action)
        if row.history_date <= since:
            continue
        user = row.history_user
        slips.append(
            Slip(
                action_id=row.id,
                ref=row.ref,
                title=row.title,
                old_end=before,
                new_end=row.end,
                reason=row.history_change_reason or "",
                agreed_by=row.change_agreed_by,
                changed_by=(user.get_full_name() or user.get_username()) if user else "Import",
                changed_at=row.history_date,
            )
        )
    return slips


def _day(day: date | None) -> str:
    return f"{day:%-d %B %Y}" if day else "none"


def _scorecard(
    plan: Plan, as_at: datetime, period: date, *, live: bool = False
) -> list[MeasureStatus]:
    """Each measure with the values, targets and comparators it had at `as_at`, up to the
    period (`live`: `as_at` is now, see `measures.reads.rows_as_at`). Four queries whatever the
    number of measures or months."""
    measures = list(
        Measure.objects.filter(authority=plan.authority).order_by("order", "name", "pk")
    )
    ids = [measure.pk for measure in measures]
    rows = {
        name: rows_as_at(model, ids, as_at, live=live)
        for name, model in (
            ("values", MeasureValue),
            ("milestones", Milestone),
            ("comparators", ComparatorValue),
        )
    }
    by_measure = {
        name: _group(items, period if name != "milestones" else None)
        for name, items in rows.items()
    }
    return [
        status_of(
            measure,
            values=by_measure["values"].get(measure.pk, []),
            milestones=by_measure["milestones"].get(measure.pk, []),
            comparators=by_measure["comparators"].get(measure.pk, []),
        )
        for measure in measures
    ]


def _group(items: list, up_to: date | None) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for item in items:
        if up_to is None or item.period <= up_to:
            grouped.setdefault(item.measure_id, []).append(item)
    return grouped


def _coverage(plan: Plan, open_states: dict[int, ActionState]) -> list[Coverage]:
    """Recommendations the plan answers for (those of the inspections it says it answers; else
    those of the inspections its actions cite, and the latest inspection's) that no open action
    answers, or that only red actions answer."""
    recommendations = Finding.objects.filter(
        inspection__authority=plan.authority, kind__in=Finding.TO_ANSWER
    )
    answered = recommendations.filter(inspection__plans=plan)
    if answered.exists():
        chosen = Q(inspection__plans=plan)
    else:
        cited = recommendations.filter(actions__plan=plan).values("inspection")
        latest = recommendations.order_by("-inspection__end").values("inspection")[:1]
        chosen = Q(inspection__in=cited) | Q(inspection__in=latest)
    findings = (
        recommendations.filter(chosen)
        .select_related("inspection")
        .prefetch_related(Prefetch("actions", to_attr="answering"))
        .order_by("-inspection__end", "number")
    )
    gaps = []
    for finding in findings:
        answering = [open_states[a.pk] for a in finding.answering if a.pk in open_states]
        all_red = answering and all(s.action_rating == Rating.RED for s in answering)
        if not answering or all_red:
            gaps.append(Coverage(str(finding.inspection), finding.number, finding.text, answering))
    return gaps
