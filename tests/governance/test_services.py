"""The rules in governance services: validation, authority checks, history, and statuses."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from g2g.core.dates import today
from g2g.governance import services
from g2g.governance.models import MeetingAction
from g2g.operations.demo.governance import boards_from_text
from g2g.tenancy.access import Access
from g2g.tenancy.models import Role
from tests.factories import MeetingActionFactory, MeetingFactory, PostFactory

pytestmark = pytest.mark.django_db


def access(world, role=Role.IMPROVEMENT_LEAD) -> Access:
    return Access(user=world.users[role], authority=world.authority, role=role)


def test_writes_are_recorded_with_who_made_them(world):
    lead = access(world)
    board = services.create_board(lead, name="  Getting to Good Programme Board ")
    assert board.name == "Getting to Good Programme Board"
    meeting = services.record_meeting(lead, board, held_on=date(2024, 3, 5))
    action = services.add_meeting_action(
        lead, meeting, description="Report back", owner_text="DCS", due=date(2024, 4, 1)
    )
    services.complete_meeting_action(lead, action, done_on=date(2024, 3, 30))
    for record in (board, meeting, action):
        assert record.history.latest().history_user == world.users[Role.IMPROVEMENT_LEAD]
    assert action.history.count() == 2


def test_viewers_and_action_leads_cannot_write(world):
    for role in (Role.VIEWER, Role.ACTION_LEAD, Role.REGIONAL_VIEWER):
        with pytest.raises(PermissionDenied):
            services.create_board(access(world, role), name="A board")


def test_posts_and_boards_of_another_authority_are_refused(world, foreign_world):
    lead = access(world)
    with pytest.raises(ValidationError, match="post from this authority"):
        services.create_board(
            lead, name="X", chair_post=PostFactory(authority=foreign_world.authority)
        )
    with pytest.raises(ValidationError, match="board of this authority"):
        services.create_board(lead, name="X", reports_to=foreign_world.board)
    with pytest.raises(ValidationError, match="actions from this authority"):
        services.set_obsession(
            lead, title="X", starts=date(2024, 1, 1), actions=[foreign_world.led_action]
        )
    with pytest.raises(ValidationError, match="priorities of this authority"):
        services.set_priority_reports(
            lead, world.board, {foreign_world.led_action.priority: "Quarterly"}
        )


def test_an_action_arising_needs_an_owner_and_cannot_be_done_in_the_future(world):
    lead = access(world)
    with pytest.raises(ValidationError, match="post that owns it"):
        services.add_meeting_action(lead, world.meeting, description="Something")
    with pytest.raises(ValidationError, match="today or in the past"):
        services.complete_meeting_action(
            lead, world.meeting_action, done_on=today() + timedelta(days=5)
        )


def test_an_obsession_lasts_six_weeks_unless_told_otherwise(world):
    obsession = services.set_obsession(
        access(world), title="Supervision", starts=date(2024, 3, 4), actions=[world.led_action]
    )
    assert obsession.ends == date(2024, 4, 15)
    with pytest.raises(ValidationError, match="at least one action or measure"):
        services.set_obsession(access(world), title="Nothing", starts=date(2024, 3, 4))


def test_priorities_report_with_their_own_frequency_and_can_stop(world):
    lead = access(world)
    priority = world.led_action.priority
    services.set_priority_reports(lead, world.board, {priority: "Quarterly"})
    assert world.board.priority_reports.get().frequency == "Quarterly"
    services.set_priority_reports(lead, world.board, {priority: None})
    assert not world.board.priority_reports.exists()


@pytest.mark.parametrize(
    ("due", "done_on", "status"),
    [
        (date(2024, 3, 1), None, "overdue"),
        (date(2024, 3, 10), None, "due"),
        (date(2024, 3, 9), None, "due"),  # due today is not yet overdue
        (None, None, "no_due_date"),
        (date(2024, 3, 1), date(2024, 3, 1), "done"),
        (date(2024, 3, 1), date(2024, 3, 2), "done_late"),
    ],
    ids=["overdue", "due", "due-today", "no-date", "done", "done-late"],
)
def test_status_of_an_action_arising(world, due, done_on, status):
    meeting = MeetingFactory(board=world.board, held_on=date(2024, 2, 1))
    item = MeetingActionFactory(meeting=meeting, due=due, done_on=done_on)
    found = MeetingAction.objects.with_status(date(2024, 3, 9)).get(pk=item.pk)
    assert found.status == status


def test_boards_are_read_from_the_seed_sentences():
    text = (
        "Governance\n"
        "The five priorities will be delivered through a range of programmes, supported by the "
        "Programme Management Office and governed through the Getting to Good Programme Board, "
        "chaired by the Managing Director of Children's Services.\n"
        "Progress will be monitored through our Quality Improvement Group chaired by the "
        "Director of Social Care which reports into the Children's Assurance Board chaired by "
        "the Managing Director.\n"
        "The sponsors for each priority will report quarterly to the Children's Improvement "
        "Board.\n"
        "A Dedicated IRO to chair reviews post 18 years.\n"
    )
    boards = {board.name: board for board in boards_from_text(text, "seed")}
    assert set(boards) == {
        "Getting to Good Programme Board",
        "Quality Improvement Group",
        "Children's Assurance Board",
        "Children's Improvement Board",
    }
    programme = boards["Getting to Good Programme Board"]
    assert programme.chair == "Managing Director of Children's Services"
    assert programme.priorities_frequency == ""  # the priorities report to it; how often: unsaid
    assert programme.quotes[0].startswith("seed: “The five priorities")  # not the heading
    group = boards["Quality Improvement Group"]
    assert (group.chair, group.reports_to) == (
        "Director of Social Care",
        "Children's Assurance Board",
    )
    assert boards["Children's Assurance Board"].chair == "Managing Director"
    assert boards["Children's Improvement Board"].priorities_frequency == "Quarterly"


# ---- a meeting in the future has decided nothing yet (issue 16) -----------------------------


@pytest.mark.parametrize(
    ("days_ahead", "accepted"), [(1, False), (0, True), (-7, True)], ids=["future", "today", "past"]
)
def test_a_meeting_takes_decisions_only_once_it_has_met(world, days_ahead, accepted):
    lead = access(world)
    held_on = today() + timedelta(days=days_ahead)
    if accepted:
        meeting = services.record_meeting(lead, world.board, held_on=held_on, decisions="Agreed")
        assert meeting.decisions == "Agreed"
        return
    with pytest.raises(ValidationError) as refused:
        services.record_meeting(lead, world.board, held_on=held_on, decisions="Agreed")
    assert "has not happened yet" in refused.value.message_dict["decisions"][0]
    meeting = services.record_meeting(lead, world.board, held_on=held_on, attendees="DCS")
    with pytest.raises(ValidationError):
        services.edit_meeting(lead, meeting, decisions="Agreed early")
    assert not world.board.meetings.filter(decisions__contains="Agreed").exists()
