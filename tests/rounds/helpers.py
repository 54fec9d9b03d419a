"""Small helpers shared by the round tests."""

from __future__ import annotations

from g2g.plans.services import UpdateContent
from g2g.tenancy.access import access_for


def access(world, role: str):
    return access_for(world.users[role], world.authority.slug)


def content(period, **changes) -> UpdateContent:
    values = {
        "period": period,
        "narrative": "Audit of 20 cases completed.",
        "action_rating": "green",
        "impact_rating": "amber",
        "evidence_text": "Audit report, March.",
    }
    return UpdateContent(**(values | changes))
