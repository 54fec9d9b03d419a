"""Every write to a plan goes through these functions: permission, validation, one transaction,
and the history record (who and when) — the same for pages, commands and, later, the API."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from g2g.core.dates import month_start
from g2g.tenancy.access import Access, Capability

from .models import Action, ProgressUpdate, Rating


def write_update(
    access: Access,
    action: Action,
    *,
    period: date,
    narrative: str,
    action_rating: str = "",
    impact_rating: str = "",
) -> ProgressUpdate:
    """Write (or rewrite) the action's update for a month.

    Preconditions: `action` was fetched through `access`; action leads may only write updates
    for actions whose lead post they currently hold.
    """
    if not access.can_write_update(action):
        raise PermissionDenied("You cannot write updates for this action.")
    if not narrative.strip():
        raise ValidationError({"narrative": "Enter what progress has been made"})
    for field, value in (("action_rating", action_rating), ("impact_rating", impact_rating)):
        if value and value not in Rating.values:
            raise ValidationError({field: "Choose a rating from the list"})
    try:
        return _save_update(
            access, action, month_start(period), narrative, action_rating, impact_rating
        )
    except IntegrityError:  # someone wrote the month's first update at the same moment: add to it
        return _save_update(
            access, action, month_start(period), narrative, action_rating, impact_rating
        )


def _save_update(access, action, period, narrative, action_rating, impact_rating) -> ProgressUpdate:
    with transaction.atomic():
        update = (
            ProgressUpdate.objects.select_for_update().filter(action=action, period=period).first()
        ) or ProgressUpdate(action=action, period=period, author=access.user)
        update.narrative = narrative.strip()
        update.action_rating = action_rating
        update.impact_rating = impact_rating
        update._history_user = access.user
        update.save()
    return update


EDITABLE_ACTION_FIELDS = (
    "title",
    "text",
    "objective",
    "timescale_text",
    "start",
    "end",
    "ongoing",
    "evidence_of_success",
    "children_will_say",
)


def edit_action(
    access: Access, action: Action, *, leads=None, focus_areas=None, findings=None, **changes
) -> Action:
    """Change an action's content. Only improvement leads (and administrators) edit plans."""
    access.require(Capability.EDIT_PLAN)
    unknown = set(changes) - set(EDITABLE_ACTION_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    objective = changes.get("objective")
    if objective is not None and objective.priority_id != action.priority_id:
        raise ValidationError({"objective": "Choose an objective of this action's priority"})
    if leads is not None and any(post.authority_id != action.plan.authority_id for post in leads):
        raise ValidationError({"leads": "Choose lead posts from this authority"})
    if focus_areas is not None and any(area.plan_id != action.plan_id for area in focus_areas):
        raise ValidationError({"focus_areas": "Choose focus areas from this plan"})
    if findings is not None and any(
        finding.inspection.authority_id != action.plan.authority_id for finding in findings
    ):
        raise ValidationError(
            {"findings": "Choose recommendations of this authority's inspections"}
        )
    start, end = changes.get("start", action.start), changes.get("end", action.end)
    if start and end and end < start:
        raise ValidationError({"end": "End date must be the same as or after the start date"})
    with transaction.atomic():
        for field, value in changes.items():
            setattr(action, field, value)
        action._history_user = access.user
        action.full_clean(exclude=["plan", "priority"])
        action.save()
        if leads is not None:
            action.leads.set(leads)
        if focus_areas is not None:
            action.focus_areas.set(focus_areas)
        if findings is not None:
            action.findings.set(findings)
    return action
