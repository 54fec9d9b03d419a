"""Each role's home, through the real pages: what it shows and where its links go, where a
person lands after signing in, and query counts that do not grow with the actions."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from g2g.core.dates import add_months, current_period, today
from g2g.measures.models import MeasureValue, Milestone
from g2g.plans.models import ProgressUpdate
from g2g.reports.models import SavedPack
from g2g.tenancy.models import Role
from tests.factories import (
    ActionFactory,
    AuthorityFactory,
    MeasureFactory,
    MeetingFactory,
    MembershipFactory,
    ProgressUpdateFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def home_url(world) -> str:
    return f"/{world.authority.slug}/home/"


def page(client, user, url) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def red_overdue_action(world, **fields):
    """An open action past its end date whose last update (last month, signed off) is Red."""
    action = ActionFactory(
        priority=world.led_action.priority, end=today() - timedelta(days=3), **fields
    )
    ProgressUpdateFactory(
        action=action, period=add_months(current_period(), -1), action_rating="red"
    )
    return action


# ---- where people land ---------------------------------------------------------------------


def test_a_person_in_one_authority_lands_on_its_home(client, world):
    client.force_login(world.users[Role.VIEWER])
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == home_url(world)


def test_signing_in_lands_on_the_authority_home(client, world):
    user = world.users[Role.ACTION_LEAD]
    user.set_password("a long test password 7")
    user.save()
    response = client.post(
        "/sign-in/", {"username": user.username, "password": "a long test password 7"}, follow=True
    )
    assert response.redirect_chain[-1][0] == home_url(world)


def test_a_person_in_several_authorities_sees_what_needs_them_in_each(client, world, foreign_world):
    lead = world.users[Role.IMPROVEMENT_LEAD]
    MembershipFactory(user=lead, authority=foreign_world.authority, role=Role.VIEWER)
    html = page(client, lead, "/")
    assert "Your authorities" in html
    assert f'href="/{world.authority.slug}/home/"' in html
    assert f'href="/{foreign_world.authority.slug}/home/"' in html
    assert "Awaiting sign-off" in html  # their improvement lead work in one
    assert "Latest board pack" in html  # a viewer's in the other


def test_a_person_with_no_role_is_told_so(client):
    html = page(client, UserFactory(), "/")
    assert "You have no role in any authority yet" in html


def test_nobody_reaches_an_authority_home_without_a_role(client, world, foreign_world):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    assert client.get(home_url(foreign_world)).status_code == 404


# ---- an action lead ------------------------------------------------------------------------


def test_an_action_leads_home_has_their_due_and_returned_updates_and_their_exceptions(
    client, world
):
    post = world.led_action.leads.get()
    due = ActionFactory(priority=world.led_action.priority, leads=[post], title="Due action")
    world.round.tasks.create(action=due)
    world.update.status = ProgressUpdate.Status.RETURNED
    world.update.return_comment = "Add the audit figures."
    world.update.returned_by = world.users[Role.IMPROVEMENT_LEAD]
    world.update.returned_at = timezone.now()
    world.update.save()
    red = red_overdue_action(world, leads=[post], title="Red and overdue action")
    not_theirs = red_overdue_action(world, title="Someone else's red action")

    html = page(client, world.users[Role.ACTION_LEAD], home_url(world))
    round_ = world.round
    form = f"/{world.authority.slug}/actions/{due.pk}/update/"
    assert f'href="{form}?period={round_.period:%Y-%m-%d}&amp;round={round_.pk}"' in html
    assert f"{round_.deadline:%A} {round_.deadline.day} {round_.deadline:%B %Y}" in html
    # The returned update: in the due list, and again with the reviewer's comment.
    returned_form = f"/{world.authority.slug}/actions/{world.led_action.pk}/update/"
    assert f'href="{returned_form}?period={round_.period:%Y-%m-%d}"' in html
    assert "Add the audit figures." in html
    assert "Returned" in html
    assert f'href="/{world.authority.slug}/actions/{red.pk}/"' in html
    assert "Overdue" in html
    assert not_theirs.title not in html


def test_an_action_lead_with_nothing_due_is_told_so(client, world):
    html = page(client, world.users[Role.ACTION_LEAD], home_url(world))
    assert "Nothing is due from you" in html  # their one action's update is signed off
    assert "No updates have been returned to you" in html
    assert "None of your actions is overdue or Red" in html


# ---- an improvement lead -------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.IMPROVEMENT_LEAD, Role.ADMINISTRATOR])
def test_an_improvement_leads_home_has_the_round_the_queue_the_exceptions_and_the_board(
    client, world, role
):
    submitted = ProgressUpdateFactory(
        action=world.other_action, status="submitted", submitted_by=world.users[Role.ACTION_LEAD]
    )
    red = red_overdue_action(world, title="Red and overdue action")
    meeting = MeetingFactory(board=world.board, held_on=today() + timedelta(days=10))

    html = page(client, world.users[role], home_url(world))
    assert "2 of 2 updates submitted" in html
    assert "Updates submitted by priority" in html
    assert world.led_action.priority.title in html
    assert "1 update awaiting sign-off" in html
    assert f'href="/{world.authority.slug}/rounds/{world.round.pk}/sign-off/"' in html
    assert f'href="/{world.authority.slug}/rounds/updates/{submitted.pk}/"' in html
    assert f'href="/{world.authority.slug}/actions/{red.pk}/"' in html
    assert f'href="/{world.authority.slug}/boards/meetings/{meeting.pk}/"' in html
    assert "Saved:" in html
    assert world.saved_pack.title in html


def test_the_sign_off_count_equals_the_queue(client, world):
    for action in [
        world.other_action,
        *ActionFactory.create_batch(3, priority=world.led_action.priority),
    ]:
        world.round.tasks.get_or_create(action=action)
        ProgressUpdateFactory(action=action, status="submitted")
    html = page(client, world.users[Role.IMPROVEMENT_LEAD], home_url(world))
    queue = page(
        client,
        world.users[Role.IMPROVEMENT_LEAD],
        f"/{world.authority.slug}/rounds/{world.round.pk}/sign-off/",
    )
    awaiting = ProgressUpdate.objects.filter(status="submitted").count()
    assert awaiting == 4
    assert f"{awaiting} updates awaiting sign-off" in html
    assert html.count(f'href="/{world.authority.slug}/rounds/updates/') == awaiting
    assert queue.count(f"/{world.authority.slug}/rounds/updates/") >= awaiting


def test_a_meeting_without_its_pack_says_so(client, world):
    SavedPack.objects.all().delete()
    MeetingFactory(board=world.board, held_on=today() + timedelta(days=10))
    html = page(client, world.users[Role.IMPROVEMENT_LEAD], home_url(world))
    assert "Not saved yet" in html
    assert f'href="/{world.authority.slug}/reports/board-pack/"' in html


# ---- a viewer (a board member) ---------------------------------------------------------------


def test_a_viewers_home_has_the_latest_pack_the_exceptions_and_off_track_measures(client, world):
    red = red_overdue_action(world, title="Red and overdue action")
    off = MeasureFactory(authority=world.authority, plan=world.plan, polarity="higher", unit="%")
    Milestone.objects.create(measure=off, due=current_period(), value=Decimal("80"))
    MeasureValue.objects.create(measure=off, period=current_period(), value=Decimal("50"))
    on_track = MeasureFactory(authority=world.authority, plan=world.plan, polarity="higher")
    Milestone.objects.create(measure=on_track, due=current_period(), value=Decimal("80"))
    MeasureValue.objects.create(measure=on_track, period=current_period(), value=Decimal("90"))

    html = page(client, world.users[Role.VIEWER], home_url(world))
    pack = world.saved_pack
    assert pack.title in html
    assert f'href="/{world.authority.slug}/reports/saved/{pack.pk}/?format=html"' in html
    assert f'href="/{world.authority.slug}/actions/{red.pk}/"' in html
    assert f'href="/{world.authority.slug}/measures/{off.pk}/"' in html
    assert "30 points below the 80% trajectory" in html
    assert f'href="/{world.authority.slug}/measures/{on_track.pk}/"' not in html


@pytest.mark.parametrize("role", [Role.VIEWER, Role.REGIONAL_VIEWER])
def test_a_viewers_home_shows_the_round_read_only(client, world, role):
    """A board member sees how far the round has got and when it is due, and can do nothing in
    it from here: no form, no sign-off."""
    html = page(client, world.users[role], home_url(world))
    round_ = world.round
    assert f"The {round_.period:%B %Y} round" in html
    start = '<p class="govuk-body" id="round-progress">'
    progress = html[html.index(start) + len(start) :]
    progress = " ".join(re.sub(r"<[^>]+>", " ", progress[: progress.index("</p>")]).split())
    deadline = f"{round_.deadline:%A} {round_.deadline.day} {round_.deadline:%B %Y}"
    assert progress == f"1 of 2 updates submitted; due by {deadline}."
    assert f'href="/{world.authority.slug}/rounds/{round_.pk}/"' in html
    assert "/sign-off/" not in html
    assert "/update/" not in html


# ---- a regional viewer -----------------------------------------------------------------------


def test_a_regional_viewer_sees_their_authorities_side_by_side(client, world, foreign_world):
    viewer = world.users[Role.REGIONAL_VIEWER]
    MembershipFactory(user=viewer, authority=foreign_world.authority, role=Role.REGIONAL_VIEWER)
    for w, grade in ((world, "Good"), (foreign_world, "Requires improvement to be good")):
        w.authority.grade_overall = grade
        w.authority.save()
    red_overdue_action(world)
    html = page(client, viewer, "/")
    assert "side by side" in html
    for w in (world, foreign_world):
        assert f'href="/{w.authority.slug}/home/"' in html
        assert w.authority.name in html
    assert "Requires improvement to be good" in html
    table = html[html.index('id="region"') :]
    row = table[
        table.index(world.authority.name) : table.index("</tr>", table.index(world.authority.name))
    ]
    # Red 1 (the red action), overdue 1; the rest not rated.
    assert row.count('govuk-table__cell--numeric">1<') == 2


# ---- query counts ----------------------------------------------------------------------------


def grow(world, count):
    """More actions led by the action lead, each due in the round, some submitted, red, overdue."""
    post = world.led_action.leads.get()
    for n in range(count):
        action = red_overdue_action(world, leads=[post])
        world.round.tasks.create(action=action)
        if n % 2:
            ProgressUpdateFactory(action=action, status="submitted")


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_homes_do_not_grow_with_actions(client, world, foreign_world, role):
    user = world.users[role]
    client.force_login(user)
    MembershipFactory(user=user, authority=foreign_world.authority, role=role)
    MeetingFactory(board=world.board, held_on=today() + timedelta(days=10))
    grow(world, 2)
    small = [queries_for(client, home_url(world)), queries_for(client, "/")]
    grow(world, 30)
    assert [queries_for(client, home_url(world)), queries_for(client, "/")] == small


def test_authorities_without_a_plan_have_a_home(client):
    membership = MembershipFactory(authority=AuthorityFactory(), role=Role.IMPROVEMENT_LEAD)
    html = page(client, membership.user, f"/{membership.authority.slug}/home/")
    assert "has no improvement plan" in html
