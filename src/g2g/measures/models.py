"""Performance measures: what a plan watches to know whether its actions are working, with
targets (milestones on a trajectory), values by period, and comparators."""

from django.db import models
from simple_history.models import HistoricalRecords

from g2g.plans.models import Action, FocusArea, Plan
from g2g.tenancy.access import AuthorityQuerySet, via
from g2g.tenancy.models import Authority

from . import indicators
from .rating import Polarity, format_number


class Measure(models.Model):
    class Unit(models.TextChoices):
        PERCENT = "%", "Percentage"
        COUNT = "count", "Count"
        DAYS = "days", "Days"
        RATE = "rate per 10,000", "Rate per 10,000 children"

    Polarity = Polarity

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="measures")
    plan = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="measures"
    )
    code = models.CharField(max_length=30, blank=True, help_text="Scorecard code, e.g. CIN8")
    name = models.CharField(max_length=300)
    unit = models.CharField(max_length=20, choices=Unit.choices, default=Unit.PERCENT)
    polarity = models.CharField(max_length=10, choices=Polarity.choices, default=Polarity.HIGHER)
    data_source = models.CharField(max_length=200, blank=True)
    indicator = models.CharField(
        max_length=40,
        choices=indicators.CHOICES,
        blank=True,
        help_text="The standard indicator it tracks, so England's figure and Annex A find it",
    )
    frequency = models.CharField(max_length=20, default="monthly")
    definition = models.TextField(blank=True)
    rationale = models.TextField("why it was chosen", blank=True)
    within_control = models.BooleanField(
        "target within the council's control", null=True, blank=True
    )
    order = models.PositiveIntegerField(default=0)
    focus_areas = models.ManyToManyField(FocusArea, blank=True, related_name="measures")
    actions = models.ManyToManyField(Action, blank=True, related_name="measures")
    history = HistoricalRecords()

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["authority", "order", "name"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class Milestone(models.Model):
    """A target on the measure's trajectory: "70% by June 2020"."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="milestones")
    due = models.DateField()
    value = models.DecimalField(max_digits=12, decimal_places=2)
    history = HistoricalRecords()

    objects = via("measure__authority").as_manager()

    class Meta:
        ordering = ["measure", "due"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "due"], name="one_milestone_per_date")
        ]

    def __str__(self) -> str:
        return f"{format_number(self.value)} by {self.due:%B %Y}"


class MeasureValue(models.Model):
    """The measure's value for one period (a month, stored as its first day)."""

    class Source(models.TextChoices):
        ENTERED = "entered", "Entered"
        IMPORTED = "imported", "Imported"
        COMPUTED = "computed", "Computed"
        SYNTHETIC = "synthetic", "Synthetic (demo)"

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="values")
    period = models.DateField()
    value = models.DecimalField(max_digits=12, decimal_places=2)
    numerator = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.ENTERED)
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = via("measure__authority").as_manager()

    class Meta:
        ordering = ["measure", "period"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="one_value_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.value} ({self.period:%b %Y})"


class ComparatorValue(models.Model):
    """What others achieved in a period: statistical neighbours' average, England, a region or a
    named authority, with where the figure comes from."""

    class Kind(models.TextChoices):
        NEIGHBOURS = "neighbours", "Statistical neighbours' average"
        ENGLAND = "england", "England"
        REGION = "region", "Region"
        AUTHORITY = "authority", "Another authority"

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="comparators")
    period = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    label = models.CharField(max_length=100, blank=True, help_text="e.g. the authority's name")
    value = models.DecimalField(max_digits=12, decimal_places=2)
    source = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    objects = via("measure__authority").as_manager()

    class Meta:
        ordering = ["measure", "kind", "label", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period", "kind", "label"], name="one_comparator_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.label}: {self.value} ({self.period:%b %Y})"


class StakeholderOutcome(models.Model):
    """A plan's "what does making a difference look like" statement for one group of people,
    with the measures that evidence it."""

    class Group(models.TextChoices):
        CHILDREN = "children", "Children and young people"
        PARENTS = "parents", "Parents and carers"
        PARTNERS = "partners", "Partners"
        WORKFORCE = "workforce", "Workforce"
        FRONT_LINE_MANAGERS = "front_line_managers", "Front-line managers"
        SENIOR_MANAGERS = "senior_managers", "Senior managers"
        ELECTED_MEMBERS = "elected_members", "Elected members"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="stakeholder_outcomes")
    group = models.CharField(max_length=30, choices=Group.choices)
    statement = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)
    measures = models.ManyToManyField(Measure, blank=True, related_name="stakeholder_outcomes")
    history = HistoricalRecords(m2m_fields=[measures])

    objects = via("plan__authority").as_manager()

    class Meta:
        ordering = ["plan", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_group_display()}: {self.statement[:60]}"
