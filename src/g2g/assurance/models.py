"""Quality assurance: the audit programme (each audit's kind, theme, cases and the grades they
were given, findings) and the remedial actions that audits raise, tracked to completion."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from g2g.core.querysets import AuthorityQuerySet
from g2g.plans.models import Post
from g2g.plans.tracked import TrackedItem, TrackedQuerySet
from g2g.tenancy.models import Authority


class Grade(models.TextChoices):
    """Ofsted's four grades, best first; the first two are "good or better"."""

    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


GOOD_OR_BETTER = (Grade.OUTSTANDING, Grade.GOOD)


class Audit(models.Model):
    class Kind(models.TextChoices):
        THEMATIC = "thematic", "Thematic audit"
        COLLABORATIVE = "collaborative", "Collaborative audit"
        PRACTICE_WEEK = "practice_week", "Practice week"
        DIP_SAMPLE = "dip_sample", "Dip sample"
        DEEP_DIVE = "deep_dive", "Deep dive"

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="audits")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    theme = models.CharField(max_length=300)
    held_on = models.DateField(help_text="When the audit was completed (or is planned)")
    lead = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="audits_led"
    )
    cases = models.PositiveIntegerField(help_text="Number of cases audited")
    # One field per grade (Grade's values): how many of the cases were given it.
    outstanding = models.PositiveIntegerField(default=0)
    good = models.PositiveIntegerField(default=0)
    requires_improvement = models.PositiveIntegerField(default=0)
    inadequate = models.PositiveIntegerField(default=0)
    findings = models.TextField(blank=True)
    synthetic = models.BooleanField(default=False, help_text="Made-up demo data")
    history = HistoricalRecords()

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.theme}"

    @property
    def graded(self) -> int:
        return sum(getattr(self, grade) for grade in Grade.values)

    @property
    def good_or_better(self) -> int:
        return sum(getattr(self, grade) for grade in GOOD_OR_BETTER)

    @property
    def good_or_better_percent(self) -> float | None:
        return 100 * self.good_or_better / self.graded if self.graded else None

    def grade_rows(self) -> list[dict]:
        """One row per grade, then cases not graded: the count and its share of all cases."""
        rows = [(label, getattr(self, grade)) for grade, label in Grade.choices]
        if self.cases > self.graded:
            rows.append(("Not graded", self.cases - self.graded))
        return [
            {
                "label": label,
                "count": count,
                "percent": 100 * count / self.cases if self.cases else 0,
            }
            for label, count in rows
        ]


class RemedialActionQuerySet(TrackedQuerySet):
    authority_path = "audit__authority"


class RemedialAction(TrackedItem):
    """Something an audit found that must be put right, by an owner, by a date."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="remedial_actions")
    owner_post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="remedial_actions"
    )
    due = models.DateField()
    history = HistoricalRecords()

    objects = RemedialActionQuerySet.as_manager()

    @property
    def on_time(self) -> bool:
        return self.done_on is not None and self.done_on <= self.due
