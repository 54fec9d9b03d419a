"""Governance: the boards that hold the programme to account, their meetings and the actions
arising from them, which priorities report to which board, and six-week "obsessions".

A board's chair and an action's owner are a `plans.Post` where one fits (posts outlive the
people holding them), or free text where none does ("Managing Director", "Councillor").
"""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from simple_history.models import HistoricalRecords

from g2g.core.querysets import AuthorityQuerySet, via
from g2g.measures.models import Measure
from g2g.plans.models import Action, Post, Priority
from g2g.plans.tracked import TrackedItem
from g2g.tenancy.models import Authority

from .querysets import MeetingActionQuerySet, ObsessionQuerySet

OBSESSION_LENGTH = timedelta(weeks=6)


class Board(models.Model):
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="boards")
    name = models.CharField(max_length=200)
    chair_post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="boards_chaired"
    )
    chair_text = models.CharField(
        max_length=200, blank=True, help_text="The chair, when it is not one of the posts"
    )
    frequency = models.CharField(
        max_length=100, blank=True, help_text="How often it meets, as written: Monthly"
    )
    reports_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reporting_boards"
    )
    purpose = models.TextField(blank=True)
    source = models.TextField(
        blank=True, help_text="Where the board is described, such as a line of the plan"
    )
    history = HistoricalRecords()

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="unique_board_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def chair(self) -> str:
        return self.chair_post.title if self.chair_post else self.chair_text


class PriorityReport(models.Model):
    """A priority that reports to a board, and how often ("Quarterly")."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="priority_reports")
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="board_reports")
    frequency = models.CharField(max_length=100, blank=True)
    history = HistoricalRecords()

    objects = via("board__authority").as_manager()

    class Meta:
        ordering = ["priority__number"]
        constraints = [
            models.UniqueConstraint(fields=["board", "priority"], name="one_report_per_priority")
        ]

    def __str__(self) -> str:
        return f"{self.priority} → {self.board}"


class Meeting(models.Model):
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField()
    attendees = models.TextField(blank=True, help_text="One person or post a line")
    decisions = models.TextField(blank=True, help_text="One decision a line")
    synthetic_note = models.CharField(
        "synthetic (demo) content",
        max_length=300,
        blank=True,
        help_text="Set only by the demo: what of this meeting was made up for the demonstration "
        "(blank: none of it)",
    )
    history = HistoricalRecords()

    objects = via("board__authority").as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.board} {self.held_on:%-d %B %Y}"

    @property
    def attendee_lines(self) -> list[str]:
        return [line.strip() for line in self.attendees.splitlines() if line.strip()]

    @property
    def decision_lines(self) -> list[str]:
        return [line.strip() for line in self.decisions.splitlines() if line.strip()]


class MeetingAction(TrackedItem):
    """An action arising from a meeting, tracked like a plan action: owner, due date, done."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    owner_post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="meeting_actions"
    )
    due = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = MeetingActionQuerySet.as_manager()


class Obsession(models.Model):
    """A few actions or measures the leadership focuses on for a short time (six weeks by
    default), shown at the top of the plan overview while current."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="obsessions")
    title = models.CharField(max_length=200)
    why = models.TextField(blank=True)
    starts = models.DateField()
    ends = models.DateField()
    actions = models.ManyToManyField(Action, blank=True, related_name="obsessions")
    measures = models.ManyToManyField(Measure, blank=True, related_name="obsessions")
    history = HistoricalRecords(m2m_fields=[actions, measures])

    objects = ObsessionQuerySet.as_manager()

    class Meta:
        ordering = ["-starts", "title"]

    def __str__(self) -> str:
        return self.title
