"""`{% plan_due plan %}`: on a draft plan's pages, when the action plan answering its inspection
is due (the plans app's pages; this tag keeps the inspections' read and rule here)."""

from django import template

from .. import reads

register = template.Library()


@register.inclusion_tag("inspections/_plan_due.html")
def plan_due(plan) -> dict:
    found = reads.plan_due_for_draft(plan) if plan is not None else None
    if found is None:
        return {"due": None}
    inspection, due = found
    return {"inspection": inspection, "due": due}
