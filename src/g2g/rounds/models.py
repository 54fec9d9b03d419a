"""Monthly update rounds: a round asks every open action of a plan for its month's update by a
deadline. A task's state is its update's state (`plans.ProgressUpdate.status`), never stored
twice; the reminder log makes the daily reminder run idempotent."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from g2g.core.querysets import via
from g2g.plans.models import Action, Plan

from .querysets import RoundQuerySet, TaskQuerySet


class Round(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="rounds")
    period = models.DateField(help_text="First day of the month the updates are for")
    deadline = models.DateField(help_text="Updates are due by the end of this working day")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], name="one_round_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.period:%B %Y} round"


class Task(models.Model):
    """One open action's update asked for in a round, made when the round opens."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="tasks")
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="round_tasks")
    history = HistoricalRecords()

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["round", "action__order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "action"], name="one_task_per_action")
        ]

    def __str__(self) -> str:
        return f"{self.action.ref} in {self.round}"


class Reminder(models.Model):
    """A reminder mail sent to one person about one round: the log that stops the daily run
    sending the same reminder twice."""

    class Kind(models.TextChoices):
        OPENED = "opened", "Round opened"
        DUE_SOON = "due_soon", "Deadline in 3 working days"
        OVERDUE = "overdue", "Overdue"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_on = models.DateField(help_text="The working day the reminder was for")
    sent_at = models.DateTimeField(auto_now_add=True)
    email = models.EmailField(help_text="The address it was sent to")
    actions = models.PositiveIntegerField(help_text="How many actions it listed")

    objects = via("round__plan__authority").as_manager()

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "user", "kind", "sent_on"], name="one_reminder_a_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.email} on {self.sent_on}"
