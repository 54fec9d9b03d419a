"""The monthly board pack: everything a board needs to judge the programme, as it stood at a
moment. Read from history (`plans.as_at`, measures' history), so a pack for a past date equals
the pack generated on that date, and a stored pack never changes.

Sections: summary by priority (Action and Impact ratings, with the change since the previous
pack), exceptions (red, slipped, overdue, no update, returned updates), scorecard (each measure's
latest value, target, words for how far off, direction, chart), recommendation coverage
(recommendations no action answers, or only red actions), and upcoming deadlines. The same
`BoardPack` renders as a web page, Word, Excel and PDF (`reports/outputs.py`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q
from django.utils import timezone

from g2g.core.dates import month_start
from g2g.inspections.models import Finding
from g2g.measures.models import ComparatorValue, Measure, MeasureValue, Milestone
from g2g.measures.scorecard import MeasureStatus, status_of
from g2g.plans.as_at import ActionState, actions_as_at
from g2g.plans.models import Plan, Priority, ProgressUpdate, Rating
from g2g.plans.reads import RATING_KEYS, RATING_LABELS
from g2g.tenancy.models import Authority

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
                "label": RATING_LABELS[key],
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


@dataclass(frozen=True)
class Exception_:
    action: ActionState
    reasons: list[str]


@dataclass(frozen=True)
class Coverage:
    inspection: str
    number: int
    text: str
    actions: list[ActionState]  # the open actions answering it, all red when listed


@dataclass
class BoardPack:
    authority: Authority
    plan: Plan
    period: date  # the month reported on
    as_at: datetime  # the moment the data is read as at
    previous: datetime | None  # the moment "change since" compares with
    priorities: list[PrioritySummary] = field(default_factory=list)
    exceptions: list[Exception_] = field(default_factory=list)
    scorecard: list[MeasureStatus] = field(default_factory=list)
    coverage: list[Coverage] = field(default_factory=list)
    deadlines: list[ActionState] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.authority.name} improvement board pack: {self.period:%B %Y}"

    @property
    def synthetic(self) -> bool:
        return any(status.synthetic for status in self.scorecard)


def end_of(day: date) -> datetime:
    """The last moment of a day in the service's time zone."""
    return timezone.make_aware(datetime.combine(day, time.max))


def build_board_pack(
    plan: Plan, period: date, *, as_at: datetime | None = None, previous: datetime | None = None
) -> BoardPack:
    """The pack for `period` (a month) as the data stood at `as_at` (default: now, or the end
    of the period if that has passed). `previous` is the moment of the last pack, for the change
    since; by default the end of the month before."""
    period = month_start(period)
    period_end = (period + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    as_at = as_at or min(timezone.now(), end_of(period_end))
    on = min(timezone.localdate(as_at), period_end)
    previous = previous or end_of(period - timedelta(days=1))
    states = actions_as_at(plan, as_at, on)
    open_states = [state for state in states if state.closed_on is None]
    before = actions_as_at(plan, previous, timezone.localdate(previous))
    pack = BoardPack(plan.authority, plan, period, as_at, previous)
    pack.priorities = _priorities(plan, open_states, before)
    pack.exceptions = _exceptions(open_states, _returned(states, period, as_at))
    pack.scorecard = _scorecard(plan, as_at, period)
    pack.coverage = _coverage(plan, {state.pk: state for state in open_states})
    pack.deadlines = [
        state
        for state in open_states
        if state.end
        and on <= state.end <= on + DEADLINE_WINDOW
        and state.action_rating != Rating.BLUE
    ]
    pack.deadlines.sort(key=lambda state: (state.end, state.order))
    return pack


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


def _returned(states: list[ActionState], period: date, as_at: datetime) -> set[int]:
    """Actions whose update for the period stood returned at `as_at`."""
    rows = (
        ProgressUpdate.history.filter(
            action_id__in=[state.pk for state in states], period=period, history_date__lte=as_at
        )
        .order_by("history_date", "history_id")
        .values_list("id", "action_id", "status", "history_type")
    )
    latest = {pk: (action, status, kind) for pk, action, status, kind in rows}
    returned = ProgressUpdate.Status.RETURNED
    return {
        action for action, status, kind in latest.values() if kind != "-" and status == returned
    }


def _exceptions(states: list[ActionState], returned: set[int]) -> list[Exception_]:
    found = []
    for state in states:
        reasons = []
        if Rating.RED in (state.action_rating, state.impact_rating):
            reasons.append("Red")
        if state.is_overdue:
            reasons.append(f"Overdue (due {state.end:%-d %B %Y})")
        if state.slipped:
            reasons.append("End date slipped")
        if not state.updated_this_period:
            reasons.append("No update this month")
        if state.pk in returned:
            reasons.append("Update returned")
        if reasons:
            found.append(Exception_(state, reasons))
    return found


def _scorecard(plan: Plan, as_at: datetime, period: date) -> list[MeasureStatus]:
    """Each measure with the values, targets and comparators it had at `as_at`, up to the
    period. Four queries whatever the number of measures or months."""
    measures = list(
        Measure.objects.filter(authority=plan.authority).order_by("order", "name", "pk")
    )
    ids = [measure.pk for measure in measures]
    rows = {
        name: _as_of(model, ids, as_at)
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


def _as_of(model, measure_ids: list[int], as_at: datetime) -> list:
    return list(
        model.history.filter(measure_id__in=measure_ids, history_date__lte=as_at)
        .latest_of_each()
        .as_instances()
    )


def _group(items: list, up_to: date | None) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for item in items:
        if up_to is None or item.period <= up_to:
            grouped.setdefault(item.measure_id, []).append(item)
    return grouped


def _coverage(plan: Plan, open_states: dict[int, ActionState]) -> list[Coverage]:
    """Recommendations the plan answers for (those of the inspections its actions cite, else the
    latest inspection's) that no open action answers, or that only red actions answer."""
    recommendations = Finding.objects.filter(
        inspection__authority=plan.authority, kind=Finding.Kind.RECOMMENDATION
    )
    cited = recommendations.filter(actions__plan=plan).values("inspection")
    latest = recommendations.order_by("-inspection__end").values("inspection")[:1]
    findings = (
        recommendations.filter(Q(inspection__in=cited) | Q(inspection__in=latest))
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
