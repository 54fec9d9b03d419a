"""Ofsted inspections of an authority: judgements, findings (recommendations, strengths, areas for
development) and the report's numbered paragraphs, as published."""

from django.db import models
from simple_history.models import HistoricalRecords

from g2g.tenancy.access import AuthorityQuerySet, via
from g2g.tenancy.models import Authority


class Inspection(models.Model):
    class Type(models.TextChoices):
        ILACS = "ILACS", "ILACS inspection"
        SIF = "SIF", "Single inspection framework (SIF)"
        FOCUSED_VISIT = "Focused visit", "Focused visit"
        MONITORING_VISIT = "Monitoring visit", "Monitoring visit"
        JTAI = "JTAI", "Joint targeted area inspection"
        OTHER = "Unknown", "Other inspection"

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="inspections")
    type = models.CharField(max_length=20, choices=Type.choices)
    framework = models.CharField(max_length=30, blank=True, help_text="ILACS standard, short …")
    code = models.CharField(
        max_length=20,
        blank=True,
        help_text="How the plan refers to it, e.g. ILAC or FV1; recommendations are CODE.1, CODE.2",
    )
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    lead_inspector = models.CharField(max_length=200, blank=True)
    overall = models.CharField("overall effectiveness", max_length=50, blank=True)
    source_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["-end", "-start"]

    def __str__(self) -> str:
        when = f" {self.end:%B %Y}" if self.end else ""
        return f"{self.get_type_display()}{when}"


class Judgement(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="judgements")
    area = models.CharField(max_length=200)
    grade = models.CharField(max_length=50)
    order = models.PositiveSmallIntegerField(default=0)

    objects = via("inspection__authority").as_manager()

    class Meta:
        ordering = ["inspection", "order"]

    def __str__(self) -> str:
        return f"{self.area}: {self.grade}"


class Finding(models.Model):
    """A recommendation ("What needs to improve"), or a focused visit's strength or area for
    development. Actions answer findings; a recommendation with no action is a gap."""

    class Kind(models.TextChoices):
        RECOMMENDATION = "recommendation", "Recommendation"
        STRENGTH = "strength", "Strength"
        AREA_FOR_DEVELOPMENT = "development", "Area for development"

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.RECOMMENDATION)
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    actions = models.ManyToManyField("plans.Action", blank=True, related_name="findings")
    history = HistoricalRecords(m2m_fields=[actions])

    objects = via("inspection__authority").as_manager()

    class Meta:
        ordering = ["inspection", "kind", "number"]

    def __str__(self) -> str:
        return f"{self.reference}: {self.text[:60]}"

    @property
    def reference(self) -> str:
        code = self.inspection.code or self.inspection.type
        if self.kind == self.Kind.RECOMMENDATION:
            return f"{code}.{self.number}"
        return f"{code} {self.get_kind_display().lower()} {self.number}"


class Paragraph(models.Model):
    """A numbered paragraph of the report, under the judgement it evidences."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="paragraphs")
    number = models.PositiveSmallIntegerField()
    section = models.CharField(max_length=200, blank=True)
    text = models.TextField()

    objects = via("inspection__authority").as_manager()

    class Meta:
        ordering = ["inspection", "number"]

    def __str__(self) -> str:
        return f"Paragraph {self.number}"
