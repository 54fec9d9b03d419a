"""Inspection pages: findings with the actions answering them, and the gaps."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from g2g.tenancy.models import Role
from tests.factories import ActionFactory, FindingFactory, ParagraphFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def viewer(client, world):
    client.force_login(world.users[Role.VIEWER])
    return client


def test_a_recommendation_shows_the_actions_that_answer_it(viewer, world):
    finding = world.inspection.findings.get()
    finding.actions.add(world.led_action)
    page = viewer.get(f"/{world.authority.slug}/inspections/{world.inspection.pk}/")
    assert world.led_action.title in page.content.decode()
    assert "No action answers this" not in page.content.decode()


def test_unanswered_recommendations_are_listed_until_an_action_answers_them(viewer, world):
    finding = world.inspection.findings.get()
    url = f"/{world.authority.slug}/inspections/unanswered/"
    assert finding.text in viewer.get(url).content.decode()
    finding.actions.add(world.led_action)
    assert finding.text not in viewer.get(url).content.decode()


def test_the_action_page_links_back_to_the_recommendation(viewer, world):
    finding = world.inspection.findings.get()
    finding.actions.add(world.led_action)
    page = viewer.get(f"/{world.authority.slug}/actions/{world.led_action.pk}/").content.decode()
    assert finding.reference in page


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("page", ["", "{pk}/", "unanswered/"], ids=["list", "detail", "gaps"])
def test_inspection_pages_do_not_grow_their_queries(viewer, world, page):
    url = f"/{world.authority.slug}/inspections/" + page.format(pk=world.inspection.pk)
    before = queries(viewer, url)
    for number in range(2, 40):
        finding = FindingFactory(inspection=world.inspection, number=number)
        finding.actions.add(ActionFactory(priority=world.led_action.priority))
        ParagraphFactory(inspection=world.inspection, number=number)
    assert queries(viewer, url) == before


def test_an_improvement_lead_links_an_action_to_a_recommendation(client, world, foreign_world):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    action, finding = world.other_action, world.inspection.findings.get()
    foreign = foreign_world.inspection.findings.get()
    url = f"/{world.authority.slug}/actions/{action.pk}/edit/"
    base = {"title": action.title, "text": action.text, "version": action.version}
    refused = client.post(url, base | {"findings": [foreign.pk]})
    assert refused.status_code == 200  # not a choice here: explained, nothing linked
    assert not action.findings.exists()
    assert client.post(url, base | {"findings": [finding.pk]}).status_code == 302
    assert list(action.findings.all()) == [finding]


def test_the_timeline_runs_from_the_inspection_through_its_visits_to_the_re_inspection(
    viewer, world
):
    from datetime import date

    from tests.factories import InspectionFactory

    world.inspection.delete()
    for kind, start, overall in [
        ("Monitoring visit", date(2024, 6, 4), ""),
        ("ILACS", date(2023, 12, 4), "Inadequate"),
        ("Focused visit", date(2022, 3, 1), ""),
        ("Monitoring visit", date(2024, 10, 8), ""),
        ("ILACS", date(2025, 9, 1), "Requires improvement to be good"),
    ]:
        InspectionFactory(
            authority=world.authority, type=kind, start=start, end=start, overall=overall
        )
    page = viewer.get(f"/{world.authority.slug}/inspections/").content.decode()
    labels = [
        "Focused visit",
        "Inspection",
        "Monitoring visit 1",
        "Monitoring visit 2",
        "Re-inspection",
    ]
    positions = [page.index(f'<span class="govuk-caption-m">{label}</span>') for label in labels]
    assert positions == sorted(positions)
