"""`{% plan_switch %}`: the plan a page shows, named, with a choice of the authority's other
plans (`?plan=<id>`, read through the permission layer by `reads.current_plan`)."""

from django import template

from g2g.tenancy.access import Capability

from ..reads import plan_choices

register = template.Library()


@register.inclusion_tag("plans/_plan_switch.html", takes_context=True)
def plan_switch(context):
    access, plan, request = context.get("access"), context.get("plan"), context.get("request")
    if access is None or plan is None:
        return {"plan": None}
    return {
        "plan": plan,
        "plans": plan_choices(access),
        "path": request.path if request else "",
        "access": access,
        "can_edit": access.can(Capability.EDIT_PLAN),
    }
