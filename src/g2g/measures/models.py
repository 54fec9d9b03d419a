"""Performance measures: what a plan watches to know whether its actions are working, with
targets (milestones on a trajectory), values by period, and comparators."""

from django.db import models
from simple_history.models import HistoricalRecords

from g2g.core.querysets import AuthorityQuerySet, via
from g2g.plans.models import Action, FocusArea, Plan
from g2g.tenancy.models import Authority

from . import indicators
from .rating import Polarity, Unit, format_number


class Measure(models.Model):
    Unit = Unit
    Polarity = Polarity

    class Basis(models.TextChoices):
        """Where the measure's unit and polarity came from, until a person confirms them."""

        CONFIRMED = "confirmed", "Confirmed by an improvement lead"
        CATALOGUE = "catalogue", "From the indicator it tracks"
        NAME = "name", "Inferred from its name"
        ASSUMED = "assumed", "Assumed: a percentage, higher is better"

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="measures")
    plan = models.ForeignKey(
        Plan, on_delete=models.SET_NULL, null=True, blank=True, related_name="measures"
    )
    code = models.CharField(max_length=30, blank=True, help_text="Scorecard code, e.g. CIN8")
    name = models.CharField(max_length=300)
    unit = models.CharField(max_length=20, choices=Unit.choices, default=Unit.PERCENT)
    polarity = models.CharField(max_length=10, choices=Polarity.choices, default=Polarity.HIGHER)
    unit_polarity_basis = models.CharField(
        "where the unit and which way is better came from",
        max_length=10,
        choices=Basis.choices,
        default=Basis.ASSUMED,
    )
    data_source = models.CharField(max_length=200, blank=True)
    indicator = models.CharField(
        max_length=40,
        choices=indicators.CHOICES,
        blank=True,
        help_text="The standard indicator it tracks, so published figures and Annex A find it",
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


SYNTHETIC_SOURCE = "Synthetic demo data"  # the source of every synthetic comparator
PUBLISHED_SOURCE = "Published (DfE"  # how the source of every published comparator begins


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

    @property
    def published(self) -> bool:
        """One of DfE's published figures (`measures.published`)."""
        return self.source.startswith(PUBLISHED_SOURCE)

    @property
    def synthetic(self) -> bool:
        return self.source == SYNTHETIC_SOURCE

    @property
    def mark(self) -> str:
        """ "published (DfE, 2025)", "synthetic", or "" for a figure a council gave."""
        if self.published:
            return f"published (DfE, {self.source[len(PUBLISHED_SOURCE) + 2 :].split(')')[0]})"
        return "synthetic" if self.synthetic else ""


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


class PublishedFigure(models.Model):
    """One figure DfE published: an indicator's value for one area in one year, exactly as
    published (a suppressed or not-applicable cell keeps its symbol and has no value), or
    calculated openly from published figures where the catalogue says so.

    Public reference data keyed by DfE's area code (an authority's LA number, a region's code,
    England's E92000001), not authority-owned: there is deliberately no foreign key to
    `tenancy.Authority`, and every page that shows figures is reached through the authority
    the user holds a role in (`tenancy.pages.authority_page`). Written only by
    `measures.published.load_published_figures`.
    """

    class Level(models.TextChoices):
        NATIONAL = "national", "England"
        REGIONAL = "regional", "Region"
        LOCAL = "local", "Local authority"

    indicator = models.CharField(max_length=40)
    year = models.PositiveSmallIntegerField(help_text="As the file's time_period gives it")
    level = models.CharField(max_length=10, choices=Level.choices)
    area_code = models.CharField(max_length=12)
    area_name = models.CharField(max_length=100)
    value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    suppression = models.CharField(
        max_length=5, blank=True, help_text="DfE's symbol when there is no value: c, k, low ..."
    )
    note = models.CharField(max_length=200, blank=True)
    # Among all authorities with a value for the indicator that year (facts about the published
    # figures, whatever the polarity): 1 + how many are lower, 1 + how many are higher, how many.
    rank_low = models.PositiveSmallIntegerField(null=True, blank=True)
    rank_high = models.PositiveSmallIntegerField(null=True, blank=True)
    ranked = models.PositiveSmallIntegerField(null=True, blank=True)
    source_file = models.CharField(max_length=300)
    source_row = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["indicator", "area_code", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area_code", "year"], name="one_figure_per_area_and_year"
            )
        ]
        indexes = [
            models.Index(fields=["area_code", "indicator", "year"], name="figure_by_area"),
            models.Index(fields=["indicator", "year", "level"], name="figure_by_year"),
        ]

    def __str__(self) -> str:
        shown = (self.suppression or "blank") if self.value is None else f"{self.value:f}"
        return f"{self.indicator} {self.area_name} {self.year}: {shown}"

    @property
    def suppressed(self) -> bool:
        return self.value is None
