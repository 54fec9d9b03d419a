"""Plan pages use the same number of queries for 5 and for 500 actions (the action list: for
its page 2 at 60 and at 600 actions)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from g2g.plans.models import Action
from g2g.tenancy.models import Role
from tests.factories import ActionFactory, FocusAreaFactory, PostFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db


def grow_plan(world, count: int) -> None:
    priority = world.led_action.priority
    post = PostFactory(authority=world.authority)
    area = FocusAreaFactory(plan=world.plan)
    for _ in range(count):
        action = ActionFactory(priority=priority, leads=[post])
        action.focus_areas.add(area)
        ProgressUpdateFactory(action=action, action_rating="green")


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "page",
    [
        "/{slug}/",
        "/{slug}/actions/",
        "/{slug}/actions/?sort=end&overdue=yes",
        "/{slug}/actions/{pk}/",
    ],
    ids=["overview", "action-list", "filtered-list", "action-page"],
)
def test_query_count_does_not_grow_with_actions(client, world, page):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    url = page.format(slug=world.authority.slug, pk=world.led_action.pk)
    grow_plan(world, 3)
    small = queries_for(client, url)
    grow_plan(world, 495)
    assert queries_for(client, url) == small


def test_page_two_of_the_action_list_queries_as_few_at_600_actions_as_at_60(client, world):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    url = f"/{world.authority.slug}/actions/?sort=end&page=2"

    def open_actions() -> int:
        return Action.objects.filter(plan=world.plan, closed_on__isnull=True).count()

    grow_plan(world, 60 - open_actions())
    at_60 = queries_for(client, url)
    grow_plan(world, 600 - open_actions())
    assert queries_for(client, url) == at_60
    assert queries_for(client, f"/{world.authority.slug}/actions/?sort=end") == at_60
    page = client.get(url).content.decode()
    assert "Showing 51 to 100 of 600 actions" in page


def test_action_page_queries_do_not_grow_with_updates(client, world):
    from datetime import date

    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    url = f"/{world.authority.slug}/actions/{world.led_action.pk}/"
    small = queries_for(client, url)
    for month in range(1, 13):
        ProgressUpdateFactory(action=world.led_action, period=date(2020, month, 1))
    for n in range(10):
        world.led_action.title = f"Renamed {n}"
        world.led_action.save()
    assert queries_for(client, url) == small


def test_the_filters_choices_are_read_without_a_server_side_cursor(client, world):
    """On PostgreSQL a form's choices would otherwise be read through a cursor declared,
    fetched from and closed for each list: three round trips where one will do."""
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/{world.authority.slug}/actions/").status_code == 200
    assert not [query for query in captured if query["sql"].startswith("DECLARE")]
