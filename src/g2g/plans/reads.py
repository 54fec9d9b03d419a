"""Named reads for the plan pages: each page's queries live here, in a fixed number per page."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.http import Http404
from django.utils.text import capfirst

from g2g.core.numbers import whole_number_or_404
from g2g.core.paging import page_or_404
from g2g.tenancy.access import Access

from .models import Action, Objective, Plan, Priority, ProgressUpdate, Rating, rating_look
from .pace import Pace, whole_plan_pace

RATING_KEYS = [*Rating.values, ""]  # best first; "" = not rated


def id_or_404(text: object) -> int:
    return whole_number_or_404(text, minimum=1)


def current_plan(access: Access, chosen: str | int | None = None) -> Plan | None:
    """The plan a page shows: the one chosen (`?plan=<id>`, only among the authority's own
    plans: another authority's, or none, is "not found"), else the authority's active plan
    (`PlanQuerySet.current`). Every page, command and service reads "the plan" here."""
    plans = access.scope(Plan.objects.all())
    if chosen not in (None, ""):
        return access.get(plans, pk=id_or_404(chosen))
    return plans.current()


def current_plan_or_404(access: Access, chosen: str | int | None = None) -> Plan:
    """The plan a page works on; "not found" for an authority that has none yet."""
    plan = current_plan(access, chosen)
    if plan is None:
        raise Http404("This authority has no plan yet")
    return plan


def plan_for_page(access: Access, request) -> Plan:
    """The plan a page shows: `?plan=<id>` (or a posted `plan`) when the page was asked for
    one, else the active plan; "not found" when there is none."""
    return current_plan_or_404(access, request.POST.get("plan") or request.GET.get("plan"))


def plan_choices(access: Access) -> list[Plan]:
    """The authority's plans to switch between: the active one first, then drafts, then closed
    plans, newest first within each."""
    order = {Plan.Status.ACTIVE: 0, Plan.Status.DRAFT: 1, Plan.Status.CLOSED: 2}
    plans = list(access.scope(Plan.objects.all()).order_by("-created_at", "-pk"))
    return sorted(plans, key=lambda plan: order.get(plan.status, 3))


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
        return rating_rows(self.action, self.impact)


def rating_rows(action: Counter, impact: Counter) -> list[dict]:
    """One row per rating (and "not rated"): how many actions have it for action and impact."""
    return [
        {"key": key, "label": rating_look(key).word, "action": action[key], "impact": impact[key]}
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


@dataclass
class PlanSummary:
    """The whole plan at a glance: its open actions by rating, its pace (% complete against %
    of its time gone, `pace.whole_plan_pace`) and the actions that need attention."""

    pace: Pace
    action: Counter = field(default_factory=Counter)
    impact: Counter = field(default_factory=Counter)
    red: int = 0  # rated Red for action or impact
    overdue: int = 0
    slipped: int = 0
    awaiting_sign_off: int = 0

    @property
    def total(self) -> int:
        return self.pace.total

    def rating_rows(self) -> list[dict]:
        return rating_rows(self.action, self.impact)


def plan_summary(plan: Plan, on: date) -> PlanSummary:
    """The plan overview's first screen, in one query: every state is `with_status`'s."""
    actions = list(
        Action.objects.filter(plan=plan).open().with_status(on).only("pk", "start", "end")
    )
    summary = PlanSummary(whole_plan_pace(plan, actions, on))
    for action in actions:
        summary.action[action.action_rating or ""] += 1
        summary.impact[action.impact_rating or ""] += 1
        summary.red += Rating.RED in (action.action_rating, action.impact_rating)
        summary.overdue += action.is_overdue
        summary.slipped += action.slipped
        summary.awaiting_sign_off += bool(action.awaiting_sign_off)
    return summary


ACTIONS_PER_PAGE = 50


def actions_for_list(access: Access, plan: Plan, on: date):
    return access.scope(Action.objects.filter(plan=plan).open()).for_list_page(on)


def page_of_actions(actions, page_text: object):
    """The `?page=` of the (filtered, ordered) action list, 50 actions a page: a count and the
    page's rows (with their leads), however many actions match."""
    return page_or_404(actions, page_text, ACTIONS_PER_PAGE)


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
            "focus_areas",
        )
    )
    return access.get(queryset, pk=pk)


def update_for(action: Action, period: date) -> ProgressUpdate | None:
    """The action's update for `period`, from the updates `action_for_page` prefetched."""
    return next((update for update in action.updates.all() if update.period == period), None)


def update_before(action: Action, period: date) -> ProgressUpdate | None:
    """The action's latest update for a month before `period` (shown beside the update form)."""
    return (
        ProgressUpdate.objects.with_people()
        .prefetch_related("evidence_files")
        .filter(action=action, period__lt=period)
        .order_by("-period")
        .first()
    )


@dataclass(frozen=True)
class FieldChange:
    label: str  # the field's verbose name, e.g. "End date"
    old: str  # in words: "30 Nov 2024", "Yes", "none"
    new: str
    agreed_by: str = ""  # for a moved end date: who agreed it


@dataclass
class Change:
    when: object
    who: str
    kind: str
    fields: list[FieldChange]
    reason: str = ""


# Shown in an action's change history: its content, in the model's order. Not the version (a
# guard against lost edits, not content), nor the links (leads and focus areas), nor its place.
HISTORY_FIELDS = [
    f for f in Action._meta.concrete_fields if f.name not in {"id", "plan", "priority", "version"}
]


def in_words(value, names: dict[int, str]) -> str:
    """A field's value as a reader says it; `names` gives related rows' names by id."""
    if value is None or value in ("", []):
        return "none"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, date):
        return f"{value:%-d %b %Y}"
    if isinstance(value, list):
        return ", ".join(map(str, value))
    if isinstance(value, int) and names:
        return names.get(value, "a deleted row")
    return str(value)


def action_changes(action: Action) -> list[Change]:
    """The action's change history, newest first: for each edit, only the fields that changed,
    in words, with the reason and who agreed a moved end date. Two queries."""
    records = list(action.history.select_related("history_user").order_by("history_date"))
    objective_ids = {r.objective_id for r in records if r.objective_id}
    objectives = (
        {
            o.pk: str(o)
            for o in Objective.objects.in_authority(action.plan.authority_id).filter(
                pk__in=objective_ids
            )
        }
        if objective_ids
        else {}
    )
    changes, previous = [], None
    for record in records:
        fields = []
        for f in HISTORY_FIELDS if previous is not None else ():
            old, new = getattr(previous, f.attname), getattr(record, f.attname)
            if old == new:
                continue
            names = objectives if f.name == "objective" else {}
            agreed = record.change_agreed_by if f.name == "end" else ""
            fields.append(
                FieldChange(
                    capfirst(f.verbose_name), in_words(old, names), in_words(new, names), agreed
                )
            )
        kind = {"+": "Created", "~": "Changed", "-": "Deleted"}[record.history_type]
        if previous is None or fields or record.history_type != "~":
            who = record.history_user.get_username() if record.history_user else "Import"
            reason = record.history_change_reason or ""
            changes.append(Change(record.history_date, who, kind, fields, reason))
        previous = record
    return list(reversed(changes))
