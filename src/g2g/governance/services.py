"""Every write to boards, meetings, actions arising and obsessions goes through these functions:
permission (improvement leads and administrators), validation, one transaction, and the history
record of who did it — the same for pages, commands and the demo.

Preconditions for all: objects passed in were fetched through `access` (so they belong to its
authority); posts, priorities, actions and measures chosen are checked here, because a form's
choices can be tampered with.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from g2g.core.dates import today
from g2g.core.history import delete_with_history, save_with_history, stripped
from g2g.measures.models import Measure
from g2g.plans.models import Action, Priority
from g2g.plans.tracked import check_post, check_tracked_item
from g2g.tenancy.access import Access, Capability

from .models import OBSESSION_LENGTH, Board, Meeting, MeetingAction, Obsession, PriorityReport

BOARD_FIELDS = ("name", "chair_post", "chair_text", "frequency", "reports_to", "purpose", "source")
MEETING_FIELDS = ("held_on", "attendees", "decisions")
MEETING_ACTION_FIELDS = ("description", "owner_post", "owner_text", "due", "done_on")


# ---------------------------------------------------------------------------------------------
# Boards


def create_board(access: Access, **fields) -> Board:
    """Add a board. `name` is required and unique in the authority."""
    return _write_board(access, Board(authority=access.authority), fields)


def edit_board(access: Access, board: Board, **changes) -> Board:
    return _write_board(access, board, changes)


def _write_board(access: Access, board: Board, changes: dict) -> Board:
    access.require(Capability.EDIT_PLAN)
    unknown = set(changes) - set(BOARD_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    changes = stripped(changes)
    if "name" in changes and not changes["name"]:
        raise ValidationError({"name": "Enter the board's name"})
    check_post(access, changes.get("chair_post"), "chair_post")
    parent = changes.get("reports_to")
    if parent is not None:
        _check_reporting_line(access, board, parent)
    name = changes.get("name", board.name)
    same_name = Board.objects.in_authority(access.authority).filter(name__iexact=name)
    if same_name.exclude(pk=board.pk).exists():
        raise ValidationError({"name": f"There is already a board called {name}"})
    with transaction.atomic():
        for field, value in changes.items():
            setattr(board, field, value)
        save_with_history(board, access.user, validate=True, exclude=["authority"])
    return board


def _check_reporting_line(access: Access, board: Board, parent: Board) -> None:
    """The board it reports to is in this authority and does not report (at any distance) back
    to the board itself."""
    if parent.authority_id != access.authority.pk:
        raise ValidationError({"reports_to": "Choose a board of this authority"})
    if board.pk is None:
        return
    if parent.pk == board.pk:
        raise ValidationError({"reports_to": "A board cannot report to itself"})
    seen, step = {parent.pk}, parent.reports_to
    while step is not None and step.pk not in seen:
        if step.pk == board.pk:
            raise ValidationError(
                {"reports_to": f"{parent} reports to {board}, so {board} cannot report to it"}
            )
        seen.add(step.pk)
        step = step.reports_to


def _all_in_authority(access: Access, model, objects: list) -> bool:
    """Whether every object is one the access layer finds in this authority (one query)."""
    pks = {item.pk for item in objects}
    found = access.scope(model.objects.filter(pk__in=pks)).count()
    return found == len(pks)


def set_priority_reports(
    access: Access, board: Board, frequencies: Mapping[Priority, str | None]
) -> list[PriorityReport]:
    """Say which priorities report to the board and how often. A priority mapped to None stops
    reporting to it; one mapped to text (even blank: "not stated") reports to it."""
    access.require(Capability.EDIT_PLAN)
    if not _all_in_authority(access, Priority, list(frequencies)):
        raise ValidationError({None: "Choose priorities of this authority's plans"})
    with transaction.atomic():
        existing = {report.priority_id: report for report in board.priority_reports.all()}
        for priority, frequency in frequencies.items():
            report = existing.get(priority.pk)
            if frequency is None:
                if report is not None:
                    delete_with_history(report, access.user)
                continue
            report = report or PriorityReport(board=board, priority=priority)
            if report.pk is None or report.frequency != frequency.strip():
                report.frequency = frequency.strip()
                save_with_history(report, access.user, validate=True, exclude=["board", "priority"])
    return list(board.priority_reports.select_related("priority"))


# ---------------------------------------------------------------------------------------------
# Meetings and the actions arising from them


def record_meeting(access: Access, board: Board, *, synthetic_note: str = "", **fields) -> Meeting:
    """Record a meeting of the board: its date (required), who attended, what it decided. A
    meeting after today has decided nothing yet: it takes no decisions. `synthetic_note` is the
    demo's alone: what of the meeting it made up."""
    return _write_meeting(access, Meeting(board=board, synthetic_note=synthetic_note), fields)


def edit_meeting(access: Access, meeting: Meeting, **changes) -> Meeting:
    return _write_meeting(access, meeting, changes)


def _write_meeting(access: Access, meeting: Meeting, changes: dict) -> Meeting:
    access.require(Capability.EDIT_PLAN)
    unknown = set(changes) - set(MEETING_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    changes = stripped(changes)
    if "held_on" in changes and changes["held_on"] is None:
        raise ValidationError({"held_on": "Enter the date of the meeting"})
    with transaction.atomic():
        for field, value in changes.items():
            setattr(meeting, field, value)
        if meeting.held_on and meeting.held_on > today() and meeting.decisions:
            raise ValidationError(
                {
                    "decisions": f"The meeting on {meeting.held_on:%-d %B %Y} has not happened "
                    "yet: record its decisions after it has met"
                }
            )
        save_with_history(meeting, access.user, validate=True, exclude=["board"])
    return meeting


def add_meeting_action(access: Access, meeting: Meeting, **fields) -> MeetingAction:
    """Add an action arising: what (required), who owns it (a post or a name), by when."""
    return _write_meeting_action(access, MeetingAction(meeting=meeting), fields)


def edit_meeting_action(access: Access, action: MeetingAction, **changes) -> MeetingAction:
    return _write_meeting_action(access, action, changes)


def complete_meeting_action(
    access: Access, action: MeetingAction, *, done_on: date | None = None
) -> MeetingAction:
    """Mark the action done (today unless another day is given)."""
    return _write_meeting_action(access, action, {"done_on": done_on or today()})


def _write_meeting_action(access: Access, action: MeetingAction, changes: dict) -> MeetingAction:
    access.require(Capability.EDIT_PLAN)
    unknown = set(changes) - set(MEETING_ACTION_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    changes = stripped(changes)
    check_tracked_item(access, action, changes, "Enter the action arising")
    with transaction.atomic():
        for field, value in changes.items():
            setattr(action, field, value)
        save_with_history(action, access.user, validate=True, exclude=["meeting"])
    return action


# ---------------------------------------------------------------------------------------------
# Obsessions


def set_obsession(
    access: Access,
    obsession: Obsession | None = None,
    *,
    title: str,
    why: str = "",
    starts: date,
    ends: date | None = None,
    actions: Iterable[Action] = (),
    measures: Iterable[Measure] = (),
) -> Obsession:
    """Create (or change) an obsession: the few actions or measures leaders focus on for a short
    time. It ends six weeks after it starts unless another end is given."""
    access.require(Capability.EDIT_PLAN)
    actions, measures = list(actions), list(measures)
    if not title.strip():
        raise ValidationError({"title": "Enter what the obsession is"})
    if starts is None:
        raise ValidationError({"starts": "Enter the date it starts"})
    ends = ends or starts + OBSESSION_LENGTH
    if ends < starts:
        raise ValidationError({"ends": "The end date must be the same as or after the start date"})
    if not _all_in_authority(access, Action, actions):
        raise ValidationError({"actions": "Choose actions from this authority's plans"})
    if not _all_in_authority(access, Measure, measures):
        raise ValidationError({"measures": "Choose measures of this authority"})
    if not actions and not measures:
        raise ValidationError({"actions": "Choose at least one action or measure to focus on"})
    obsession = obsession or Obsession(authority=access.authority)
    with transaction.atomic():
        obsession.title, obsession.why = title.strip(), why.strip()
        obsession.starts, obsession.ends = starts, ends
        # One history record for the whole change, with its actions and measures as they now are.
        save_with_history(
            obsession,
            access.user,
            validate=True,
            exclude=["authority"],
            links={"actions": actions, "measures": measures},
        )
    return obsession
