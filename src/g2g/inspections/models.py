"""Ofsted inspections of an authority: judgements, findings (recommendations, strengths, areas for
improvement and for priority action, a monitoring visit's findings) and the report's numbered
paragraphs, as published; and the inspection frameworks themselves, as data."""

from django.db import models
from simple_history.models import HistoricalRecords

from g2g.core.querysets import AuthorityQuerySet, via
from g2g.tenancy.models import Authority


class InspectionType(models.TextChoices):
    ILACS = "ILACS", "ILACS inspection"
    SIF = "SIF", "Single inspection framework (SIF)"
    LOOKED_AFTER = "Looked after children", "Inspection of looked after children services"
    FOCUSED_VISIT = "Focused visit", "Focused visit"
    MONITORING_VISIT = "Monitoring visit", "Monitoring visit"
    JTAI = "JTAI", "Joint targeted area inspection"
    OTHER = "Unknown", "Other inspection"


class Framework(models.Model):
    """An Ofsted framework (or kind of letter) as the report reader knows it: how its reports
    name themselves, when it was used, its judgement areas and grade words, whether it grades
    overall effectiveness, and the headings its findings come under. Reference data, the same
    for every authority: added and changed by data migrations (a framework of 2027 is a new row,
    not new parsing code). The wordings are regular expressions matched, case-insensitively,
    against the report's text with its whitespace collapsed to single spaces."""

    key = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    type = models.CharField(max_length=30, choices=InspectionType.choices)
    order = models.PositiveSmallIntegerField(default=0, help_text="Tried in this order")
    title = models.TextField(help_text="How a report names itself on its first page (a pattern)")
    first_used = models.DateField(null=True, blank=True)
    last_used = models.DateField(null=True, blank=True, help_text="Empty while in use")
    graded = models.BooleanField(default=True)
    overall = models.BooleanField(default=True, help_text="Grades overall effectiveness")
    overall_wordings = models.JSONField(default=list, blank=True)
    grades = models.JSONField(
        default=list, help_text='[[grade, [wordings as written…]], …], best first: "Good", …'
    )
    findings = models.JSONField(
        default=list, help_text="[[heading pattern, finding kind], …]: where its findings are"
    )
    lead_named = models.BooleanField(default=True, help_text="Its reports name a lead inspector")

    class Meta:
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return self.name


class FrameworkArea(models.Model):
    """A judgement area of a framework, with the wordings reports use for it."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="areas")
    order = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(max_length=200)
    wordings = models.JSONField(default=list)
    required = models.BooleanField(default=True, help_text="Every report of it grades this")

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "name"], name="one_area_name_a_framework")
        ]

    def __str__(self) -> str:
        return f"{self.framework}: {self.name}"


class Inspection(models.Model):
    Type = InspectionType

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="inspections")
    type = models.CharField(max_length=30, choices=Type.choices)
    framework = models.CharField(max_length=30, blank=True, help_text="ILACS standard, short …")
    framework_key = models.CharField(
        max_length=40, blank=True, help_text="The Framework it was read as (its key)"
    )
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
    # The plans that answer this inspection. Here, not on Plan: inspections sit above plans.
    plans = models.ManyToManyField(
        "plans.Plan", blank=True, related_name="inspections", help_text="The plans answering it"
    )
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
    as_written = models.CharField(
        max_length=80,
        blank=True,
        help_text="The grade in the report's words: 'Require improvement'",
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = via("inspection__authority").as_manager()

    class Meta:
        ordering = ["inspection", "order"]

    def __str__(self) -> str:
        return f"{self.area}: {self.grade}"


class Finding(models.Model):
    """What a report or letter asks the council to act on, or credits it with: a recommendation
    ("What needs to improve"), an area for improvement or for priority action (focused visits,
    JTAI), an area of concern a monitoring visit reviewed, a strength, or an area for
    development (a council's account of a focused visit). Actions answer findings; one that
    asks for action and has none is a gap."""

    class Kind(models.TextChoices):
        RECOMMENDATION = "recommendation", "Recommendation"
        PRIORITY_ACTION = "priority", "Area for priority action"
        AREA_FOR_IMPROVEMENT = "improvement", "Area for improvement"
        AREA_REVIEWED = "reviewed", "Area of concern reviewed"
        PROGRESS = "progress", "Progress finding"
        STRENGTH = "strength", "Strength"
        AREA_FOR_DEVELOPMENT = "development", "Area for development"

    # The kinds that ask the council to act: each should be answered by an action.
    TO_ANSWER = (
        Kind.RECOMMENDATION,
        Kind.PRIORITY_ACTION,
        Kind.AREA_FOR_IMPROVEMENT,
        Kind.AREA_REVIEWED,
        Kind.AREA_FOR_DEVELOPMENT,
    )

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

    @property
    def to_answer(self) -> bool:
        return self.kind in self.TO_ANSWER


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
