"""Governance pages: who may read and write, what the pages show, and query counts that do not
grow with the number of boards, meetings or actions."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from g2g.core.dates import today
from g2g.governance.models import Board, Meeting, MeetingAction, Obsession
from g2g.tenancy.models import Role
from tests.factories import BoardFactory, MeetingActionFactory, MeetingFactory, ObsessionFactory

pytestmark = pytest.mark.django_db

EDITORS = {Role.ADMINISTRATOR, Role.IMPROVEMENT_LEAD}


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_every_role_reads_the_governance_pages(client, world, role):
    client.force_login(world.users[role])
    slug = world.authority.slug
    for url in [
        f"/{slug}/boards/",
        f"/{slug}/boards/{world.board.pk}/",
        f"/{slug}/boards/meetings/{world.meeting.pk}/",
        f"/{slug}/boards/obsessions/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert world.board.name in response.content.decode() or "obsession" in url


def writes(world) -> dict[str, tuple[str, dict, type]]:
    """Each write page, the data it takes, and the model it adds a row to (or changes)."""
    slug = world.authority.slug
    return {
        "board": (f"/{slug}/boards/new/", {"name": "Change Board", "frequency": "Monthly"}, Board),
        "board_edit": (
            f"/{slug}/boards/{world.board.pk}/edit/",
            {"name": "Renamed board", "chair_text": "Managing Director"},
            Board,
        ),
        "meeting": (
            f"/{slug}/boards/{world.board.pk}/meetings/new/",
            {"held_on": "2024-03-05", "attendees": "DCS", "decisions": "Agreed"},
            Meeting,
        ),
        "meeting_action": (
            f"/{slug}/boards/meetings/{world.meeting.pk}/actions/new/",
            {"description": "Report on caseloads", "owner_text": "Head of Service"},
            MeetingAction,
        ),
        "done": (f"/{slug}/boards/actions/{world.meeting_action.pk}/done/", {}, MeetingAction),
        "obsession": (
            f"/{slug}/boards/obsessions/new/",
            {"title": "Supervision", "starts": "2024-03-04", "actions": [world.led_action.pk]},
            Obsession,
        ),
    }


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
@pytest.mark.parametrize(
    "write", ["board", "board_edit", "meeting", "meeting_action", "done", "obsession"]
)
def test_only_improvement_leads_and_administrators_write(client, world, role, write):
    client.force_login(world.users[role])
    url, data, model = writes(world)[write]
    history_before = model.history.count()
    response = client.post(url, data)
    if role in EDITORS:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert model.history.count() == history_before + 1
    else:
        assert response.status_code == 403
        assert model.history.count() == history_before


def test_a_board_page_shows_meetings_priorities_and_overdue_actions_in_words(client, world):
    client.force_login(world.users[Role.VIEWER])
    world.board.priority_reports.create(priority=world.led_action.priority, frequency="Quarterly")
    late = MeetingActionFactory(
        meeting=world.meeting, description="Late thing", due=today() - timedelta(days=3)
    )
    page = client.get(f"/{world.authority.slug}/boards/{world.board.pk}/").content.decode()
    assert "Quarterly" in page
    assert late.description in page
    assert "Overdue" in page  # the status is a word, not only a colour
    assert world.meeting.held_on.strftime("%-d %B %Y") in page


def test_the_reporting_structure_is_nested_text(client, world):
    client.force_login(world.users[Role.VIEWER])
    top = BoardFactory(authority=world.authority, name="Portfolio meeting")
    world.board.reports_to = top
    world.board.save()
    page = client.get(f"/{world.authority.slug}/boards/").content.decode()
    structure = page[page.index("Reporting structure") : page.index("All boards")]
    assert structure.index("Portfolio meeting") < structure.index(world.board.name)
    assert "Reporting to it:" in structure


def test_bad_input_is_explained_and_writes_nothing(client, world):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    slug = world.authority.slug
    before = Meeting.objects.count()
    response = client.post(f"/{slug}/boards/{world.board.pk}/meetings/new/", {"held_on": "31/02"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "Date of the meeting must be a real date" in response.content.decode()
    assert Meeting.objects.count() == before
    response = client.post(f"/{slug}/boards/new/", {"name": world.board.name})
    assert f"There is already a board called {world.board.name}" in response.content.decode()


def test_decisions_for_a_meeting_not_yet_held_are_explained_on_the_form(client, world):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    before = Meeting.objects.count()
    held_on = today() + timedelta(days=14)
    response = client.post(
        f"/{world.authority.slug}/boards/{world.board.pk}/meetings/new/",
        {"held_on": held_on.isoformat(), "decisions": "Agreed"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert f"The meeting on {held_on:%-d %B %Y} has not happened yet" in page
    assert Meeting.objects.count() == before


def test_a_board_cannot_report_to_a_board_below_it(client, world):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    below = BoardFactory(authority=world.authority, reports_to=world.board)
    response = client.post(
        f"/{world.authority.slug}/boards/{world.board.pk}/edit/",
        {"name": world.board.name, "reports_to": below.pk},
    )
    assert response.status_code == 200
    assert "cannot report to it" in response.content.decode()
    world.board.refresh_from_db()
    assert world.board.reports_to is None


def test_a_current_obsession_is_at_the_top_of_the_plan_overview(client, world):
    client.force_login(world.users[Role.VIEWER])
    url = f"/{world.authority.slug}/"
    page = client.get(url).content.decode()
    assert world.obsession.title in page
    assert page.index(world.obsession.title) < page.index("All actions")
    world.obsession.starts, world.obsession.ends = date(2020, 1, 1), date(2020, 2, 12)
    world.obsession.save()
    assert world.obsession.title not in client.get(url).content.decode()


def test_the_overview_query_count_does_not_grow_with_obsessions(client, world):
    client.force_login(world.users[Role.VIEWER])
    url = f"/{world.authority.slug}/"
    before = queries(client, url)
    for _ in range(10):
        obsession = ObsessionFactory(authority=world.authority)
        obsession.actions.add(world.led_action, world.other_action)
        obsession.measures.add(world.measure)
    cache.clear()  # obsessions are not plan history: without this the plan's parts are cached
    assert queries(client, url) == before


@pytest.mark.parametrize(
    "page",
    ["", "{board}/", "meetings/{meeting}/", "obsessions/", "{board}/priorities/"],
    ids=["boards", "board", "meeting", "obsessions", "priorities"],
)
def test_governance_pages_do_not_grow_their_queries(client, world, page):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    url = f"/{world.authority.slug}/boards/" + page.format(
        board=world.board.pk, meeting=world.meeting.pk
    )
    before = queries(client, url)
    for n in range(15):
        board = BoardFactory(authority=world.authority, reports_to=world.board)
        meeting = MeetingFactory(board=world.board)
        MeetingFactory(board=board)
        MeetingActionFactory(meeting=meeting, due=date(2020, 1, 1) + timedelta(days=n))
        MeetingActionFactory(meeting=world.meeting)
        world.board.priority_reports.get_or_create(priority=world.led_action.priority)
        obsession = ObsessionFactory(authority=world.authority)
        obsession.actions.add(world.led_action)
    assert queries(client, url) == before


def test_a_meeting_action_can_be_marked_done(client, world):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    slug = world.authority.slug
    response = client.post(f"/{slug}/boards/actions/{world.meeting_action.pk}/done/")
    assert response.status_code == 302
    world.meeting_action.refresh_from_db()
    assert world.meeting_action.done_on == today()
    page = client.get(f"/{slug}/boards/meetings/{world.meeting.pk}/").content.decode()
    assert "Done" in page
