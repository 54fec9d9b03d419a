"""`{% current_obsessions access %}`: the authority's current six-week obsessions, for the top
of the plan overview (which is the plans app's page: this tag keeps governance's read here)."""

from django import template

from g2g.core.dates import today

from .. import reads

register = template.Library()


@register.inclusion_tag("governance/_current_obsessions.html")
def current_obsessions(access) -> dict:
    return {"access": access, "obsessions": reads.current_obsessions(access, on=today())}
