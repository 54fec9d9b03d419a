"""What the API reads and writes, as OpenAPI schemas. Field names follow the models; ratings are
their stored keys in the one rating vocabulary (blue, green, amber, red), with null for "not
rated"."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import create_model

from g2g.plans.models import RATING_LOOKS

RatingWord = Literal[tuple(look.key for look in RATING_LOOKS.values())]
# Free text people write: no NUL characters (PostgreSQL cannot store them), a sane length.
Text = Annotated[str, Field(max_length=20_000, pattern=r"^[^\x00]*$")]
# Months far outside any improvement programme are mistakes, and dates near the ends of the
# calendar break month arithmetic.
EARLIEST, LATEST = date(1990, 1, 1), date(2100, 12, 31)
Period = Annotated[date, Field(ge=EARLIEST, le=LATEST)]


def _rating(value: str | None) -> str | None:
    return value or None


def _name(user) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


class FieldError(Schema):
    field: str = Field(description="Where the problem is, e.g. body.period; empty for the whole")
    message: str


class Error(Schema):
    detail: str
    errors: list[FieldError] = Field(default_factory=list)


class Conflict(Error):
    current_version: int | None = Field(
        description="The version saved now: read it, then write again with this version"
    )


def page_of(item: type[Schema]) -> type[Schema]:
    """A page of items: `count` is the total, `items` those from `offset`, at most `limit`."""
    return create_model(
        f"{item.__name__}Page",
        __base__=Schema,
        count=(int, ...),
        limit=(int, ...),
        offset=(int, ...),
        items=(list[item], ...),
    )


class AuthorityOut(Schema):
    slug: str
    name: str
    role: str = Field(description="Your role there")

    @staticmethod
    def resolve_slug(membership) -> str:
        return membership.authority.slug

    @staticmethod
    def resolve_name(membership) -> str:
        return membership.authority.name


class PlanOut(Schema):
    id: int
    title: str
    period: str = Field(description="As written, e.g. 2019-21")
    status: Literal["draft", "active", "closed"] = Field(
        description="At most one active plan per authority: the one being worked to"
    )
    start: date | None = Field(None, description="The first day of the plan's period")
    end: date | None = Field(None, description="The last day of the plan's period")
    approved_at: datetime | None = Field(None, description="When it was approved (made active)")
    created_at: datetime


class ActionOut(Schema):
    id: int
    plan_id: int
    ref: str
    title: str
    priority_number: int
    priority: str
    objective: str | None
    leads: list[str] = Field(description="Lead posts")
    focus_areas: list[str] = Field(description="Focus area codes")
    timescale: str = Field(description="As written in the plan")
    start: date | None
    end: date | None
    ongoing: bool
    recurring: bool
    closed_on: date | None
    sources: list[str] = Field(description="Recommendation codes it answers: ILAC, FV1 …")
    action_rating: RatingWord | None = Field(description="Current: latest update that counts")
    impact_rating: RatingWord | None
    rated_period: date | None = Field(description="The month of the update rated from")
    awaiting_sign_off: bool = Field(description="Claims Blue, not signed off yet")
    updated_this_period: bool
    overdue: bool
    slipped: bool = Field(description="Its end date has been moved later")
    version: int = Field(description="Goes up with every change to the action's content")

    @staticmethod
    def resolve_priority_number(action) -> int:
        return action.priority.number

    @staticmethod
    def resolve_priority(action) -> str:
        return action.priority.title

    @staticmethod
    def resolve_objective(action) -> str | None:
        return action.objective.title if action.objective else None

    @staticmethod
    def resolve_leads(action) -> list[str]:
        return [post.title for post in action.leads.all()]

    @staticmethod
    def resolve_focus_areas(action) -> list[str]:
        return [area.code for area in action.focus_areas.all()]

    @staticmethod
    def resolve_timescale(action) -> str:
        return action.timescale_text

    @staticmethod
    def resolve_sources(action) -> list[str]:
        return [str(source) for source in action.sources or []]

    @staticmethod
    def resolve_action_rating(action) -> str | None:
        return _rating(action.action_rating)

    @staticmethod
    def resolve_impact_rating(action) -> str | None:
        return _rating(action.impact_rating)

    @staticmethod
    def resolve_rated_period(action) -> date | None:
        return action.last_period

    @staticmethod
    def resolve_overdue(action) -> bool:
        return action.is_overdue


class ActionDetailOut(ActionOut):
    text: str
    evidence_of_success: str
    children_will_say: str
    measures: list[int] = Field(description="Ids of the measures that show its impact")
    findings: list[str] = Field(description="Inspection findings it answers, e.g. ILAC.3")

    @staticmethod
    def resolve_measures(action) -> list[int]:
        return [measure.pk for measure in action.measures.all()]

    @staticmethod
    def resolve_findings(action) -> list[str]:
        return [finding.reference for finding in action.findings.all()]


class UpdateOut(Schema):
    id: int
    action_id: int
    action_ref: str
    period: date
    status: Literal["draft", "submitted", "returned", "signed_off"]
    narrative: str
    action_rating: RatingWord | None
    impact_rating: RatingWord | None
    evidence_text: str
    evidence_links: list[str]
    next_steps: str
    risks: str
    support_needed: str
    author: str | None
    submitted_at: datetime | None
    signed_off_at: datetime | None
    returned_at: datetime | None
    return_comment: str
    version: int = Field(description="Send it back when writing, to guard against lost updates")
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_action_ref(update) -> str:
        return update.action.ref

    @staticmethod
    def resolve_action_rating(update) -> str | None:
        return _rating(update.action_rating)

    @staticmethod
    def resolve_impact_rating(update) -> str | None:
        return _rating(update.impact_rating)

    @staticmethod
    def resolve_evidence_links(update) -> list[str]:
        return [str(link) for link in update.evidence_links or []]

    @staticmethod
    def resolve_author(update) -> str | None:
        return _name(update.author)


class UpdateIn(Schema):
    period: Period = Field(
        description="Any day of the month the update is for", examples=["2025-01-01"]
    )
    narrative: Text = Field(
        description="What progress has been made",
        examples=["Twelve of fifteen audits done; the rest are booked for March."],
    )
    action_rating: RatingWord | None = Field(None, examples=["green"])
    impact_rating: RatingWord | None = Field(None, examples=[None])
    evidence_text: Text = Field("", description="Needed for Blue or a change of rating")
    evidence_links: list[Annotated[str, Field(max_length=2000, pattern=r"^[^\x00]*$")]] = Field(
        default_factory=list, max_length=50, description="Web addresses"
    )
    next_steps: Text = Field("", description="What will be done next (optional)")
    risks: Text = Field("", description="Risks and issues (optional)")
    support_needed: Text = Field("", description="Support needed from the board (optional)")
    version: int = Field(
        ge=0,
        le=2_147_483_647,
        description="The version of the month's update you read; 0 when it had none",
        examples=[0],
    )
    submit: bool = Field(False, description="Submit for sign-off, rather than save a draft")


Version = Annotated[
    int,
    Field(
        ge=1,
        le=2_147_483_647,
        description="The version of the update you read",
        examples=[1],
    ),
]


class SignOffIn(Schema):
    version: Version


class ReturnIn(Schema):
    comment: Text = Field(
        min_length=1,
        description="Why it is returned and what it needs",
        examples=["Say which audits the figure comes from."],
    )
    version: Version


class MilestoneOut(Schema):
    due: date
    value: float


class MeasureOut(Schema):
    id: int
    plan_id: int | None
    code: str
    name: str
    unit: str
    polarity: str
    data_source: str
    indicator: str
    frequency: str
    definition: str
    milestones: list[MilestoneOut] = Field(description="Targets on its trajectory")

    @staticmethod
    def resolve_milestones(measure) -> list:
        return list(measure.milestones.all())


class MeasureValueOut(Schema):
    measure_id: int
    period: date
    value: float
    numerator: float | None
    denominator: float | None
    source: Literal["entered", "imported", "computed", "synthetic"]
    note: str


Amount = Annotated[
    Decimal,
    Field(
        max_digits=12,
        decimal_places=2,
        ge=Decimal("-9999999999.99"),
        le=Decimal("9999999999.99"),
        allow_inf_nan=False,
        description="A number with at most 2 decimal places; a percentage as 0-100",
    ),
]


class MeasureValueIn(Schema):
    period: Period = Field(
        description="Any day of the month; stored as the month", examples=["2025-01-01"]
    )
    value: Amount = Field(examples=[61.5])
    numerator: Amount | None = None
    denominator: Amount | None = None
    note: Text = ""


class JudgementOut(Schema):
    area: str
    grade: str
    as_written: str = Field(description="The grade in the report's own words")


class FindingOut(Schema):
    reference: str = Field(description="How the plan refers to it, e.g. ILAC.3")
    kind: Literal[
        "recommendation",
        "priority",
        "improvement",
        "reviewed",
        "progress",
        "strength",
        "development",
    ]
    number: int
    text: str
    actions: list[int] = Field(description="Ids of the actions that answer it")

    @staticmethod
    def resolve_actions(finding) -> list[int]:
        return [action.pk for action in finding.actions.all()]


class InspectionOut(Schema):
    id: int
    type: str
    framework: str
    code: str
    start: date | None
    end: date | None
    lead_inspector: str
    overall: str = Field(description="Overall effectiveness, as published")
    judgements: list[JudgementOut]
    findings: list[FindingOut] = Field(description="Recommendations, strengths, areas to develop")

    @staticmethod
    def resolve_judgements(inspection) -> list:
        return list(inspection.judgements.all())

    @staticmethod
    def resolve_findings(inspection) -> list:
        return list(inspection.findings.all())


# ---------------------------------------------------------------------------------------------
# DfE's published figures (public reference data, read for an authority you have a role in)

Number = int | float  # as published: a whole number stays whole


class PublishedYearOut(Schema):
    year: int
    value: Number | None = Field(description="As published; null when suppressed or absent")
    suppressed: bool = Field(description="DfE published a symbol (c, k, low, u, x, z) or blank")
    suppression: str | None = Field(description="The symbol, when suppressed")
    published: bool = Field(description="The authority has a row in DfE's file that year")
    sn_average: Number | None = Field(
        description="Mean of the statistical neighbours with a figure, to 1 decimal place"
    )
    sn_count: int = Field(description="How many neighbours had a figure")
    region: Number | None
    england: Number | None
    rank_in_neighbours: int | None = Field(
        description="Among the authority and its neighbours with a figure; 1 = best by "
        "polarity (highest first when neither is better)"
    )
    ranked_in_neighbours: int
    national_quartile: int | None = Field(description="1 = best quarter of authorities")
    ranked_nationally: int | None


class PublishedSeriesOut(Schema):
    indicator: str
    name: str
    unit: str
    polarity: Literal["higher", "lower", "neither"]
    framework_area: str | None
    source: str
    calculated: bool = Field(description="Calculated from published figures, not published")
    series: list[PublishedYearOut]


class NeighbourOut(Schema):
    rank: int
    code: str = Field(description="DfE LA number")
    name: str
    closeness: str | None = Field(description='DfE\'s band, e.g. "Close", "Somewhat close"')


class NeighboursOut(Schema):
    model: str
    neighbours: list[NeighbourOut]


class IndicatorOut(Schema):
    key: str
    name: str
    unit: str
    polarity: Literal["higher", "lower", "neither"]
    definition: str
    framework_area: str | None
    published: bool = Field(description="DfE publishes it (or it is calculated) per authority")
    calculated: bool
    source: str
    annex_a_kpi: bool

    @staticmethod
    def resolve_framework_area(indicator) -> str | None:
        return indicator.framework_area.value if indicator.framework_area else None

    @staticmethod
    def resolve_published(indicator) -> bool:
        return indicator.has_published_figures

    @staticmethod
    def resolve_calculated(indicator) -> bool:
        return indicator.calculated is not None

    @staticmethod
    def resolve_source(indicator) -> str:
        return indicator.source_words
