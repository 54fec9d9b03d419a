"""The measures pages: every measure by focus area, one measure with its actions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from g2g.tenancy.access import operator_access
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


@pytest.mark.parametrize(
    "page",
    ["", "?view=charts&group=priority", "{pk}/"],
    ids=["scorecard", "small-multiples", "measure"],
)
def test_measure_pages_do_not_grow_their_queries(viewer, world, page):
    url = f"/{world.authority.slug}/measures/" + page.format(pk=world.measure.pk)
    before = queries(viewer, url)
    for _ in range(30):
        measure = MeasureFactory(authority=world.authority, plan=world.plan)
        measure.focus_areas.add(FocusAreaFactory(plan=world.plan))
        measure.actions.add(world.other_action)
        world.measure.actions.add(world.other_action)
    assert queries(viewer, url) == before


def test_a_measure_with_values_shows_its_rating_chart_and_table(viewer, world):
    from datetime import date
    from decimal import Decimal

    from g2g.measures.models import Milestone
    from g2g.measures.services import generate_synthetic_values

    Milestone.objects.create(measure=world.measure, due=date(2023, 1, 31), value=Decimal(60))
    Milestone.objects.create(measure=world.measure, due=date(2025, 12, 31), value=Decimal(80))
    generate_synthetic_values(
        operator_access(world.authority), months=12, seed=3, end=date(2024, 6, 1)
    )
    page = viewer.get(f"/{world.authority.slug}/measures/{world.measure.pk}/").content.decode()
    assert "<svg" in page
    assert 'role="img"' in page
    assert "synthetic" in page.lower()
    assert "trajectory" in page
    assert "Jun 2024" in page  # the data table
    scorecard = viewer.get(f"/{world.authority.slug}/measures/").content.decode()
    assert "made-up demo data" in scorecard


def test_the_scorecard_does_not_grow_its_queries_with_periods(viewer, world):
    from datetime import date

    from g2g.measures.services import generate_synthetic_values

    url = f"/{world.authority.slug}/measures/"
    generate_synthetic_values(
        operator_access(world.authority), months=3, seed=1, end=date(2024, 6, 1)
    )
    before = queries(viewer, url)
    generate_synthetic_values(
        operator_access(world.authority), months=36, seed=1, end=date(2024, 6, 1)
    )
    assert queries(viewer, url) == before
