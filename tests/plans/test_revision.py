"""The plan overview keeps its history-derived parts until the plan changes, and shows any
change at once: a write from any process gives the plan a new revision."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from g2g.plans.models import ProgressUpdate
from g2g.plans.revision import revision_of
from g2g.tenancy.models import Role
from tests.factories import ActionFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db

RED_COUNT = '{}<span class="govuk-visually-hidden"> actions with action rating Red</span>'


def overview(client, world) -> str:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/{world.authority.slug}/")
    assert response.status_code == 200
    overview.queries = len(captured)
    # Each response masks its CSRF token afresh; the rest of the page is what is compared.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


@pytest.fixture
def signed_in(client, world):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    return client


def test_a_second_visit_reads_less_and_shows_the_same(signed_in, world):
    first = overview(signed_in, world)
    first_queries = overview.queries
    again = overview(signed_in, world)
    assert overview.queries < first_queries
    assert again == first


def test_a_new_rating_shows_at_once(signed_in, world):
    assert RED_COUNT.format(1) not in overview(signed_in, world)
    ProgressUpdate.objects.filter(action=world.other_action).delete()
    ProgressUpdateFactory(action=world.other_action, action_rating="red")
    assert RED_COUNT.format(1) in overview(signed_in, world)


def test_new_actions_renamed_priorities_and_posts_show_at_once(signed_in, world):
    overview(signed_in, world)
    priority = world.led_action.priority
    priority.title = "Renamed priority"
    priority.save()
    assert "Renamed priority" in overview(signed_in, world)
    sponsor = world.led_action.leads.get()
    priority.sponsor = sponsor
    priority.save()
    overview(signed_in, world)
    sponsor.title = "Renamed sponsor post"
    sponsor.save()
    assert "Renamed sponsor post" in overview(signed_in, world)
    ActionFactory(priority=priority)
    assert "3 actions" in overview(signed_in, world)


def test_the_revision_moves_with_every_recorded_write_and_only_then(world):
    before = revision_of(world.plan)
    assert revision_of(world.plan) == before
    update = world.update
    update.narrative = "Changed"
    update.save()
    after_update = revision_of(world.plan)
    assert after_update != before
    world.other_action.delete()
    assert revision_of(world.plan) != after_update
