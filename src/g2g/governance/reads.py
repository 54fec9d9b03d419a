"""Named reads for the governance pages: each page's queries live here, a fixed number per page
however many boards, meetings or actions there are."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from g2g.measures.models import Measure
from g2g.plans.models import Action
from g2g.tenancy.access import Access

from .models import Board, Meeting, MeetingAction, Obsession, PriorityReport


@dataclass
class BoardNode:
    """A board and the boards that report to it, for showing the reporting structure."""

    board: Board
    children: list[BoardNode] = field(default_factory=list)


def boards_for_list(access: Access, on: date) -> QuerySet[Board]:
    return (
        access.scope(Board.objects.all())
        .select_related("chair_post", "reports_to")
        .annotate(
            meeting_count=Count("meetings", distinct=True),
            open_actions=Count(
                "meetings__actions", filter=Q(meetings__actions__done_on__isnull=True)
            ),
            overdue_actions=Count(
                "meetings__actions",
                filter=Q(meetings__actions__done_on__isnull=True, meetings__actions__due__lt=on),
            ),
        )
        .order_by("name")
    )


def reporting_structure(boards: list[Board]) -> list[BoardNode]:
    """The boards as trees: each top board (reporting to no board) with those reporting to it,
    and so on down. Built from the list already read, so no more queries."""
    nodes = {board.pk: BoardNode(board) for board in boards}
    roots = []
    for board in boards:
        parent = nodes.get(board.reports_to_id)
        (parent.children if parent else roots).append(nodes[board.pk])
    return roots


def board_for_page(access: Access, pk: int) -> Board:
    queryset = Board.objects.select_related("chair_post", "reports_to").prefetch_related(
        Prefetch("reporting_boards", queryset=Board.objects.order_by("name")),
        Prefetch(
            "priority_reports",
            queryset=PriorityReport.objects.select_related("priority__plan", "priority__sponsor"),
        ),
        Prefetch(
            "meetings",
            queryset=Meeting.objects.annotate(
                action_count=Count("actions"),
                open_count=Count("actions", filter=Q(actions__done_on__isnull=True)),
            ).order_by("-held_on", "-pk"),
        ),
    )
    return access.get(queryset, pk=pk)


def open_actions_of_board(board: Board, on: date) -> QuerySet[MeetingAction]:
    """The board's actions arising that are not done, overdue first, then by due date."""
    return (
        MeetingAction.objects.filter(meeting__board=board)
        .open()
        .with_status(on)
        .select_related("owner_post", "meeting")
        .order_by("due", "pk")
    )


def meeting_for_page(access: Access, pk: int, on: date) -> Meeting:
    queryset = Meeting.objects.select_related("board").prefetch_related(
        Prefetch(
            "actions",
            queryset=MeetingAction.objects.with_status(on)
            .select_related("owner_post")
            .order_by("pk"),
        )
    )
    return access.get(queryset, pk=pk)


def meeting_action_for_page(access: Access, pk: int) -> MeetingAction:
    return access.get(MeetingAction.objects.select_related("meeting__board", "owner_post"), pk=pk)


def _with_focus(queryset: QuerySet[Obsession]) -> QuerySet[Obsession]:
    return queryset.prefetch_related(
        Prefetch("actions", queryset=Action.objects.order_by("plan", "order")),
        Prefetch("measures", queryset=Measure.objects.order_by("order", "name")),
    )


def current_obsessions(access: Access, on: date) -> list[Obsession]:
    """The obsessions running on `on`, for the top of the plan overview."""
    return list(_with_focus(access.scope(Obsession.objects.current(on))).order_by("ends", "title"))


def obsessions_for_list(access: Access) -> QuerySet[Obsession]:
    return _with_focus(access.scope(Obsession.objects.all())).order_by("-starts", "title")
