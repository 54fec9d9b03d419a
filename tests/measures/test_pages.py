"""The measures pages: every measure by focus area, one measure with its actions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from g2g.tenancy.models import Role
from tests.factories import FocusAreaFactory, MeasureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(client, world):
    client.force_login(world.users[Role.VIEWER])
    return client


def test_a_measure_links_to_the_actions_it_evidences_and_back(viewer, world):
    slug = world.authority.slug
    page = viewer.get(f"/{slug}/measures/{world.measure.pk}/").content.decode()
    assert world.led_action.title in page
    page = viewer.get(f"/{slug}/actions/{world.led_action.pk}/").content.decode()
    assert world.measure.name in page


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["", "{pk}/"], ids=["scorecard", "measure"])
def test_measure_pages_do_not_grow_their_queries(viewer, world, page):
    url = f"/{world.authority.slug}/measures/" + page.format(pk=world.measure.pk)
    before = queries(viewer, url)
    for _ in range(30):
        measure = MeasureFactory(authority=world.authority, plan=world.plan)
        measure.focus_areas.add(FocusAreaFactory(plan=world.plan))
        measure.actions.add(world.other_action)
        world.measure.actions.add(world.other_action)
    assert queries(viewer, url) == before
