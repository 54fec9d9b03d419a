"""A live monthly round in the demo: this month's round open for each demo authority's active
plan (Tameside's plan after its 2024 inspection; Oldham has no active plan since its 2019–21 plan
closed), with updates at every stage: signed off, awaiting sign-off, returned, draft, and some
not yet written. The updates are written through the real services and labelled synthetic; the
round opens without mailing anyone (run `g2g send_reminders` to see the mails in the console)."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from g2g.core.dates import add_working_days, current_period, today
from g2g.importers.posts import find_post
from g2g.plans.models import Action, Plan, Post, ProgressUpdate
from g2g.plans.services import (
    UpdateContent,
    return_update,
    save_draft,
    sign_off_update,
    submit_update,
)
from g2g.rounds.models import Round
from g2g.rounds.services import open_round
from g2g.tenancy.access import access_for

SYNTHETIC = "Synthetic: written for the demonstration, not the council's words."
DEMO_NOTE = "(Demo update, written for the demonstration: not from the council's plan.)"

# (post the demo action lead holds) per authority, as in demo.DEMO_PLANS
DEMO_LEAD_POSTS = {
    "oldham": "Director of Children's Social Care",
    "tameside": "AD Children's Social Care",
}

RETURN_COMMENT = (
    "Please add this month's audit figures as evidence: the rating has changed since last month. "
    + DEMO_NOTE
)


def load_demo_rounds(log=print) -> None:
    users = get_user_model().objects.in_bulk(
        ["improvement_lead", "action_lead", "administrator"], field_name="username"
    )
    for slug, post in DEMO_LEAD_POSTS.items():
        improvement = access_for(users["improvement_lead"], slug)
        plan = Plan.objects.in_authority(improvement.authority).current()
        if plan is None or not plan.is_active:
            log(f"{improvement.authority.name}: no active plan, so no round open this month")
            continue
        if Round.objects.filter(plan=plan, period=current_period()).exists():
            continue
        round_ = open_round(
            improvement,
            plan,
            period=current_period(),
            deadline=add_working_days(today(), 4),
            notify=False,
        )
        lead = access_for(users["action_lead"], slug)
        administrator = access_for(users["administrator"], slug)
        _demo_updates(lead, improvement, administrator, plan, post)
        log(
            f"{improvement.authority.name}: {round_} open with {round_.tasks.count()} actions "
            "due (a few demo updates written, labelled synthetic)"
        )


def _content(action: Action, action_rating: str, impact_rating: str) -> UpdateContent:
    return UpdateContent(
        period=current_period(),
        narrative=f"Work this month is {action_rating} against the plan. {DEMO_NOTE}",
        action_rating=action_rating,
        impact_rating=impact_rating,
        evidence_text=f"Audit summary and performance figures for {action.ref}. {DEMO_NOTE}",
        evidence_links=("https://www.gov.uk/government/organisations/ofsted",),
    )


def _demo_updates(lead, improvement, administrator, plan, post: str) -> None:
    """Of the action lead's actions not yet complete: the first is left for the lead to write
    (as the browser journey does), then one signed off, one claiming Blue awaiting sign-off and
    one returned for its evidence. Of the other leads' actions: one off track (Red) awaiting
    sign-off, one signed off and one draft; the rest are not written yet."""
    actions = Action.objects.filter(plan=plan).open().with_status(today()).order_by("order")
    unfinished = [a for a in actions if a.action_rating != "blue"]
    lead_post = find_post(Post.objects.in_authority(plan.authority), post)
    mine = [a for a in unfinished if a.leads.filter(pk=lead_post.pk).exists()]
    others = [a for a in unfinished if a not in mine]
    stages = [
        (
            lead,
            mine[1:],
            [
                ("green", "amber", "signed_off"),
                ("blue", "green", "submitted"),
                ("amber", "amber", "returned"),
            ],
        ),
        (
            improvement,
            others,
            [
                ("red", "red", "submitted"),
                ("green", "green", "signed_off"),
                ("amber", "amber", "draft"),
            ],
        ),
    ]
    written = []
    for access, chosen, plan_of in stages:
        for action, (action_rating, impact_rating, stage) in zip(chosen, plan_of, strict=False):
            content = _content(action, action_rating, impact_rating)
            if stage == "draft":
                written.append(save_draft(access, action, content, version=0))
                continue
            update = submit_update(access, action, content, version=0)
            written.append(update)
            # Someone other than the writer signs off or returns it.
            checker = administrator if access.user == improvement.user else improvement
            if stage == "signed_off":
                sign_off_update(checker, update, version=update.version)
            elif stage == "returned":
                return_update(checker, update, comment=RETURN_COMMENT, version=update.version)
    ProgressUpdate.objects.filter(pk__in=[u.pk for u in written]).update(synthetic_note=SYNTHETIC)
