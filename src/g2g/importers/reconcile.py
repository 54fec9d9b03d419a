"""Comparing a newer version of a plan with the one loaded: match its actions to the ones already
loaded (by ref, else by text), and say what changed, what is new, and what disappeared so the
user can close it. Writes nothing: `services.apply_reimport` applies the comparison."""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from g2g.core.problems import Problem, ReadError
from g2g.plans.models import Action, Plan

from .draft import ACTION_FIELDS, ActionDraft, PlanDraft
from .posts import post_key

SIMILAR_TEXT = 0.8  # how alike two action texts must be to be the same action without refs


@dataclass
class ActionChange:
    action: Action
    draft: ActionDraft
    changes: dict[str, tuple[object, object]]


@dataclass
class Reconciliation:
    changed: list[ActionChange] = field(default_factory=list)
    unchanged: list[Action] = field(default_factory=list)
    added: list[tuple[int, ActionDraft]] = field(default_factory=list)  # (priority number, draft)
    missing: list[Action] = field(default_factory=list)


def reconcile(plan: Plan, draft: PlanDraft) -> Reconciliation:
    """Compare a read plan with the loaded one; writes nothing."""
    existing = list(
        plan.actions.select_related("objective", "priority").prefetch_related(
            "leads", "focus_areas"
        )
    )
    by_ref = {action.ref: action for action in existing}
    result, matched = Reconciliation(), set()
    pending: list[tuple[int, ActionDraft]] = []
    for priority in draft.priorities:
        for action_draft in priority.actions:
            action = by_ref.get(action_draft.ref)
            if action is None or action.pk in matched:
                pending.append((priority.number, action_draft))
            else:
                matched.add(action.pk)
                _record(result, action, action_draft, priority.number)
    for number, action_draft in pending:
        action = _most_similar(action_draft, [a for a in existing if a.pk not in matched])
        if action is None:
            result.added.append((number, action_draft))
        else:
            matched.add(action.pk)
            _record(result, action, action_draft, number)
    result.missing = [a for a in existing if a.pk not in matched and a.closed_on is None]
    _refuse_ref_clashes(result, existing, matched)
    return result


def _refuse_ref_clashes(result: Reconciliation, existing: list[Action], matched: set) -> None:
    """Two actions may not end up with one ref (an action kept, another renumbered onto it)."""
    final = [change.draft.ref for change in result.changed]
    final += [action.ref for action in result.unchanged]
    final += [draft.ref for _number, draft in result.added]
    final += [action.ref for action in existing if action.pk not in matched]
    clashes = sorted({ref for ref in final if final.count(ref) > 1})
    if clashes:
        raise ReadError(
            [Problem(f"action {ref}", "two actions would have this ref") for ref in clashes]
        )


def _most_similar(action_draft: ActionDraft, candidates: list[Action]) -> Action | None:
    scored = [
        (SequenceMatcher(None, action_draft.text, action.text).ratio(), action)
        for action in candidates
    ]
    best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
    return best[1] if best[0] >= SIMILAR_TEXT else None


def _record(result: Reconciliation, action: Action, draft: ActionDraft, priority: int) -> None:
    changes = {
        name: (getattr(action, name), getattr(draft, name))
        for name in ACTION_FIELDS
        if getattr(action, name) != getattr(draft, name)
    }
    leads = sorted(post.title for post in action.leads.all())
    # A lead written another way ("AD QA" for "Assistant Director (Quality Assurance)") is
    # the same post, not a change.
    if {post_key(title) for title in leads} != {post_key(title) for title in draft.leads}:
        changes["leads"] = ("; ".join(leads), "; ".join(sorted(draft.leads)))
    areas = sorted(area.code for area in action.focus_areas.all())
    if areas != sorted(draft.focus_areas):
        changes["focus_areas"] = (", ".join(areas), ", ".join(sorted(draft.focus_areas)))
    if action.ref != draft.ref:
        changes["ref"] = (action.ref, draft.ref)
    if action.closed_on:
        changes["closed_on"] = (action.closed_on, None)  # it is back: open it again
    objective = action.objective.title if action.objective else None
    if objective != draft.objective:
        changes["objective"] = (objective, draft.objective)
    if action.priority.number != priority:
        changes["priority"] = (action.priority.number, priority)
    if changes:
        result.changed.append(ActionChange(action, draft, changes))
    else:
        result.unchanged.append(action)
