"""Re-importing a newer version of a plan: match its actions to the ones already loaded (by ref,
else by text), change what differs (history records each change), add what is new, and list
what disappeared so the user can close it. Nothing is ever deleted."""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.db import transaction

from g2g.core.dates import today
from g2g.plans.models import Action, Plan

from .draft import ActionDraft, PlanDraft, PlanImportError, Problem
from .services import ACTION_FIELDS, PlanWriter, check_draft, save_with_history

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
        raise PlanImportError(
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
    if leads != sorted(draft.leads):
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


def apply_reimport(
    plan: Plan, draft: PlanDraft, *, close_ids=(), close_all_missing=False, user=None
) -> Reconciliation:
    """Apply a re-import in one transaction. Missing actions whose ids are in `close_ids` (or all
    of them) are closed; the rest stay open."""
    check_draft(draft)
    with transaction.atomic():
        result = reconcile(plan, draft)
        writer = PlanWriter(plan, draft, user)
        renumbered = [change for change in result.changed if "ref" in change.changes]
        for change in renumbered:  # step aside first, so refs can swap places
            Action.objects.filter(pk=change.action.pk).update(ref=f"~{change.action.pk}")
        for change in result.changed:
            _update(change, writer, user)
        for action in result.unchanged:
            writer.add_progress(action, _draft_of(draft, action.ref))
        order = plan.actions.count()
        for number, action_draft in result.added:
            order += 1
            writer.new_action(number, action_draft, order)
        _reorder(plan, draft)
        writer.add_measures(draft.measures)
        wanted = {str(pk) for pk in close_ids}
        for action in result.missing:
            if close_all_missing or str(action.pk) in wanted:
                action.closed_on = today()
                action.version += 1
                save_with_history(action, user)
    return result


def _draft_of(draft: PlanDraft, ref: str) -> ActionDraft:
    return next(action for action in draft.actions if action.ref == ref)


def _reorder(plan: Plan, draft: PlanDraft) -> None:
    """List actions in the new version's order; actions it no longer has follow."""
    position = {action.ref: n for n, action in enumerate(draft.actions, 1)}
    actions = sorted(plan.actions.all(), key=lambda a: (position.get(a.ref, 10**6), a.order))
    for order, action in enumerate(actions, 1):
        if action.order != order:  # where it is listed, not what it says: no history entry
            Action.objects.filter(pk=action.pk).update(order=order)


def _update(change: ActionChange, writer: PlanWriter, user) -> None:
    action, draft = change.action, change.draft
    for name in ACTION_FIELDS:
        setattr(action, name, getattr(draft, name))
    action.ref = draft.ref
    action.closed_on = None
    priority_number = change.changes.get("priority", (None, action.priority.number))[1]
    action.priority = writer.priority(priority_number)
    action.objective = writer.objective(action.priority, draft.objective)
    action.version += 1  # an edit form opened before the re-import is now out of date
    save_with_history(action, user)
    if "leads" in change.changes:
        action.leads.set([writer.posts.get(title) for title in draft.leads])
    if "focus_areas" in change.changes:
        action.focus_areas.set(writer.focus_areas(draft.focus_areas))
    writer.add_progress(action, draft)
