"""Named reads for the plan pages: each page's queries live here, in a fixed number per page."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.http import Http404

from g2g.tenancy.access import Access

from .models import Action, Plan, Priority, ProgressUpdate, Rating

RATING_KEYS = [*Rating.values, ""]  # best first; "" = not rated
RATING_LABELS = dict(Rating.choices) | {"": "Not rated"}


def current_plan(access: Access) -> Plan | None:
    return access.scope(Plan.objects.all()).current()


def current_plan_or_404(access: Access) -> Plan:
    """The plan a page works on; "not found" for an authority that has none yet."""
    plan = current_plan(access)
    if plan is None:
        raise Http404("This authority has no plan yet")
    return plan


@dataclass
class PriorityCounts:
    priority: Priority
    total: int = 0
    overdue: int = 0
    no_update: int = 0
    awaiting_sign_off: int = 0  # claimed Blue, counted as their previous rating until signed off
    action: Counter = field(default_factory=Counter)
    impact: Counter = field(default_factory=Counter)

    def rating_rows(self) -> list[dict]:
        """One row per rating (and "not rated"): how many actions have it for action and impact."""
        return [
            {
                "key": key,
                "label": RATING_LABELS[key],
                "action": self.action[key],
                "impact": self.impact[key],
            }
            for key in RATING_KEYS
        ]


def overview_by_priority(plan: Plan, on: date) -> list[PriorityCounts]:
    """Per priority: actions by Action and by Impact rating, overdue, and no update this month."""
    rows = {p.pk: PriorityCounts(p) for p in plan.priorities.select_related("sponsor")}
    statuses = (
        Action.objects.filter(plan=plan)
        .open()
        .with_status(on)
        .values_list(
            "priority_id",
            "action_rating",
            "impact_rating",
            "is_overdue",
            "updated_this_period",
            "awaiting_sign_off",
        )
    )
    for priority_id, action_rating, impact_rating, overdue, updated, awaiting in statuses:
        counts = rows[priority_id]
        counts.total += 1
        counts.action[action_rating or ""] += 1
        counts.impact[impact_rating or ""] += 1
        counts.overdue += bool(overdue)
        counts.no_update += not updated
        counts.awaiting_sign_off += bool(awaiting)
    return list(rows.values())


def actions_for_list(access: Access, plan: Plan, on: date):
    return access.scope(Action.objects.filter(plan=plan).open()).for_list_page(on)


def action_for_page(access: Access, pk: int, on: date) -> Action:
    queryset = (
        Action.objects.for_list_page(on)
        .select_related("plan__authority", "priority__sponsor")
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=ProgressUpdate.objects.with_people().order_by("-period", "-created_at"),
            ),
            "plan__rating_definitions",
            "findings__inspection",
            "measures",
        )
    )
    return access.get(queryset, pk=pk)


@dataclass
class Change:
    when: object
    who: str
    kind: str
    fields: list[tuple[str, object, object]]


def action_changes(action: Action) -> list[Change]:
    """The action's change history, newest first, as field-by-field differences."""
    records = list(action.history.select_related("history_user").order_by("history_date"))
    changes, previous = [], None
    for record in records:
        if previous is None:
            fields = []
        else:
            delta = record.diff_against(previous, excluded_fields=["leads", "focus_areas"])
            fields = [(c.field, c.old, c.new) for c in delta.changes]
        kind = {"+": "Created", "~": "Changed", "-": "Deleted"}[record.history_type]
        if previous is None or fields or record.history_type != "~":
            who = record.history_user.get_username() if record.history_user else "Import"
            changes.append(Change(record.history_date, who, kind, fields))
        previous = record
    return list(reversed(changes))


def outcomes_for_page(access: Access, plan: Plan) -> list[tuple[str, list]]:
    """The plan's stakeholder outcomes by group (in the groups' order), each with its measures'
    latest status (`measures.scorecard.status_of`). A fixed number of queries."""
    from g2g.measures.models import StakeholderOutcome
    from g2g.measures.reads import measures_for_scorecard
    from g2g.measures.scorecard import status_of

    outcomes = access.scope(StakeholderOutcome.objects.filter(plan=plan)).prefetch_related(
        Prefetch("measures", queryset=measures_for_scorecard(access))
    )
    by_group: dict[str, list] = {group: [] for group in StakeholderOutcome.Group.values}
    for outcome in outcomes:
        outcome.statuses = [status_of(measure) for measure in outcome.measures.all()]
        by_group[outcome.group].append(outcome)
    labels = dict(StakeholderOutcome.Group.choices)
    return [(labels[group], items) for group, items in by_group.items()]
