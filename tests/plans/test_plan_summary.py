"""The plan overview's first screen: the whole plan at a glance (issue 16)."""

from datetime import timedelta

import pytest

from g2g.core.dates import today
from g2g.plans.models import Action, ProgressUpdate
from g2g.plans.reads import plan_summary
from g2g.tenancy.models import Role
from tests.factories import ActionFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db

SIGNED_OFF, SUBMITTED = ProgressUpdate.Status.SIGNED_OFF, ProgressUpdate.Status.SUBMITTED


@pytest.fixture
def plan_world(world):
    """Four open actions: one complete (signed-off Blue), one Red and overdue, one whose end
    slipped, one claimed complete and awaiting sign-off; and a closed one, not counted."""
    on = today()
    ProgressUpdate.objects.filter(action__plan=world.plan).delete()
    world.plan.start, world.plan.end = on - timedelta(days=30), on + timedelta(days=90)
    world.plan.save()
    priority = world.led_action.priority
    ProgressUpdateFactory(action=world.led_action, action_rating="blue", status=SIGNED_OFF)
    world.other_action.end = on - timedelta(days=1)
    world.other_action.save()
    ProgressUpdateFactory(
        action=world.other_action, action_rating="amber", impact_rating="red", status=SUBMITTED
    )
    slipped = ActionFactory(priority=priority, end=on + timedelta(days=10))
    slipped.end = on + timedelta(days=40)
    slipped.save()
    ProgressUpdateFactory(action=slipped, action_rating="green", status=SUBMITTED)
    awaiting = ActionFactory(priority=priority, end=on + timedelta(days=20))
    ProgressUpdateFactory(action=awaiting, action_rating="blue", status=SUBMITTED)
    ActionFactory(priority=priority, closed_on=on, end=on - timedelta(days=5))
    world.slipped, world.awaiting = slipped, awaiting
    return world


def test_the_summary_counts_the_plans_open_actions(plan_world):
    summary = plan_summary(plan_world.plan, today())
    assert summary.total == 4
    assert summary.action == {"blue": 1, "amber": 1, "green": 1, "": 1}
    assert summary.impact == {"red": 1, "": 3}
    assert (summary.red, summary.overdue, summary.slipped, summary.awaiting_sign_off) == (
        1,
        1,
        1,
        1,
    )
    assert summary.pace.percent_complete == 25
    assert summary.pace.percent_elapsed == 25  # 30 of 120 days
    # The same states as the action list's filters read (querysets.with_status).
    actions = Action.objects.filter(plan=plan_world.plan).open().with_status(today())
    assert actions.rated_red().count() == summary.red
    assert list(actions.slipped_end()) == [plan_world.slipped]
    assert list(actions.pending_sign_off()) == [plan_world.awaiting]


def test_without_plan_dates_the_time_gone_is_read_from_the_actions(plan_world):
    on = today()
    plan_world.plan.start = plan_world.plan.end = None
    plan_world.plan.save()
    Action.objects.filter(plan=plan_world.plan).update(start=on - timedelta(days=10))
    summary = plan_summary(plan_world.plan, on)
    # Latest open end: the slipped action's, 40 days on; earliest start 10 days ago.
    assert (summary.pace.start, summary.pace.end) == (
        on - timedelta(days=10),
        on + timedelta(days=40),
    )
    assert summary.pace.percent_elapsed == 20


def test_the_overview_opens_with_the_summary_and_each_count_links_to_its_actions(
    client, plan_world
):
    client.force_login(plan_world.users[Role.VIEWER])
    slug = plan_world.authority.slug
    page = client.get(f"/{slug}/").content.decode()
    summary_at = page.index("The plan at a glance")
    assert summary_at < page.index("All actions")  # before the links and the detail
    assert "25%</strong> complete" in page
    assert "25%</strong> of the plan's time gone" in page
    for filtered, text, listed in [
        ("red=yes", "1 rated Red", plan_world.other_action),
        ("overdue=yes", "1 overdue", plan_world.other_action),
        ("slipped=yes", "1 with a slipped end date", plan_world.slipped),
        ("awaiting_sign_off=yes", "1 complete – awaiting sign-off", plan_world.awaiting),
    ]:
        assert f'href="/{slug}/actions/?{filtered}">{text}</a>' in page
        shown = client.get(f"/{slug}/actions/?{filtered}").content.decode()
        assert f"/actions/{listed.pk}/" in shown
        assert f"/actions/{plan_world.led_action.pk}/" not in shown  # complete: in none
    assert f'href="/{slug}/actions/?action_rating=blue">1<span' in page
    assert f'href="/{slug}/actions/?impact_rating=none">3<span' in page


def test_the_summary_follows_the_plan_as_it_changes(client, plan_world):
    """The summary is cached by the plan's revision: a new update shows at once."""
    client.force_login(plan_world.users[Role.VIEWER])
    url = f"/{plan_world.authority.slug}/"
    assert "1 complete – awaiting sign-off" in client.get(url).content.decode()
    update = plan_world.awaiting.updates.get()
    update.status = SIGNED_OFF
    update.save()
    page = client.get(url).content.decode()
    assert "0 complete – awaiting sign-off" in page
    assert "50%</strong> complete" in page
    plan_world.plan.start = today() - timedelta(days=60)
    plan_world.plan.end = today() + timedelta(days=60)
    plan_world.plan.save()
    page = client.get(url).content.decode()
    assert "50%</strong> of the plan's time gone" in page
    assert "against 50% of the time from" in page  # the Pace section reads the same dates


def test_the_summary_keeps_the_chosen_plan_in_its_links(client, plan_world):
    client.force_login(plan_world.users[Role.VIEWER])
    slug, pk = plan_world.authority.slug, plan_world.plan.pk
    page = client.get(f"/{slug}/?plan={pk}").content.decode()
    assert f'href="/{slug}/actions/?plan={pk}&amp;overdue=yes">1 overdue</a>' in page
