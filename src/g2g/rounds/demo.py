"""A live monthly round in the demo: this month's round open in both demo authorities, with a few
updates at each stage. The updates are written through the real services and say they are
demo text; the round opens without mailing anyone (run `g2g send_reminders` to see the mails in
the console)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from g2g.core.dates import add_working_days, current_period, today
from g2g.plans.models import Action, Plan
from g2g.plans.services import UpdateContent, save_draft, sign_off_update, submit_update
from g2g.tenancy.access import access_for

from .models import Round
from .services import open_round

DEMO_NOTE = "(Demo update, written for the demonstration: not from the council's plan.)"

# (post the demo action lead holds) per authority, as in core.demo.DEMO_PLANS
DEMO_LEAD_POSTS = {
    "oldham": "Director of Children's Social Care",
    "tameside": "AD Children's Social Care",
}


def load_demo_rounds(log=print) -> None:
    users = get_user_model().objects.in_bulk(
        ["improvement_lead", "action_lead", "administrator"], field_name="username"
    )
    for slug, post in DEMO_LEAD_POSTS.items():
        improvement = access_for(users["improvement_lead"], slug)
        plan = Plan.objects.in_authority(improvement.authority).current()
        if plan is None or Round.objects.filter(plan=plan, period=current_period()).exists():
            continue
        round_ = open_round(
            improvement,
            plan,
            period=current_period(),
            deadline=add_working_days(today(), 4),
            notify=False,
        )
        lead = access_for(users["action_lead"], slug)
        _demo_updates(lead, improvement, plan, post)
        log(
            f"{improvement.authority.name}: {round_} open with {round_.tasks.count()} actions "
            "due (a few demo updates written)"
        )


def _demo_updates(lead, improvement, plan, post: str) -> None:
    """The lead's 2nd to 4th actions: one signed off, one complete awaiting sign-off, one draft.
    (The first is left for the lead to write, as the browser journey does.)"""
    actions = list(Action.objects.filter(plan=plan, leads__title=post).open().order_by("order"))
    period = current_period()
    stages = [
        ("green", "amber", "signed_off"),
        ("blue", "green", "submitted"),
        ("amber", "amber", "draft"),
    ]
    for action, (action_rating, impact_rating, stage) in zip(actions[1:], stages, strict=False):
        content = UpdateContent(
            period=period,
            narrative=f"Work this month is {action_rating} against the plan. {DEMO_NOTE}",
            action_rating=action_rating,
            impact_rating=impact_rating,
            evidence_text=f"Audit summary and performance figures for {action.ref}. {DEMO_NOTE}",
            evidence_links=("https://www.gov.uk/government/organisations/ofsted",),
        )
        if stage == "draft":
            save_draft(lead, action, content, version=0)
            continue
        update = submit_update(lead, action, content, version=0)
        if stage == "signed_off":
            sign_off_update(improvement, update, version=update.version)
