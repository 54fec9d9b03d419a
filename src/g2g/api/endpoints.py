"""The JSON API's endpoints. Each resolves the authority through the one permission layer
(`access_for`, then `access.scope/get/require`) and writes only through the apps' services.

A foreign authority, a missing one, and an object of another authority all answer 404 with the
same body, so the API tells nobody what exists elsewhere.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.http import HttpRequest
from ninja import Path, Query, Router
from ninja.errors import ValidationError as RequestValidationError

from g2g.core.dates import today
from g2g.measures import comparison
from g2g.measures.indicators import INDICATORS, PUBLISHED_KEYS
from g2g.measures.models import Measure
from g2g.measures.services import record_value
from g2g.plans import services as plan_services
from g2g.plans.models import Action, ProgressUpdate
from g2g.tenancy.access import Access, Capability, access_for

from . import reads
from .schemas import (
    ActionDetailOut,
    ActionOut,
    AuthorityOut,
    Conflict,
    Error,
    IndicatorOut,
    InspectionOut,
    MeasureOut,
    MeasureValueIn,
    MeasureValueOut,
    NeighboursOut,
    PlanOut,
    PublishedSeriesOut,
    ReturnIn,
    SignOffIn,
    UpdateIn,
    UpdateOut,
    page_of,
)

router = Router()

SLUG = r"^[-a-zA-Z0-9_]+$"
MAX_ID = 2**63 - 1  # the largest id the database holds; larger ones are refused, not looked up
MAX_PAGE = 500
MAX_OFFSET = 10_000_000

AuthoritySlug = Path(..., pattern=SLUG, max_length=100, description="e.g. oldham", example="oldham")
READ_ERRORS = {401: Error, 404: Error, 422: Error}
WRITE_ERRORS = {**READ_ERRORS, 400: Error, 403: Error}  # 400: a body that is not JSON


MONTH_FILTER = Query(None, description="Only this month's (any day of it)")


def _id(description: str):
    return Path(..., ge=1, le=MAX_ID, description=description, example=3)


def _access(request: HttpRequest, authority: str) -> Access:
    """The token's user in the authority named by the URL; 404 when they have no role there."""
    return access_for(request.auth, authority)


def _page(queryset, limit: int, offset: int) -> dict:
    """A slice of the queryset and the total: two queries (plus its prefetches), any size."""
    return {
        "count": queryset.count(),
        "limit": limit,
        "offset": offset,
        "items": list(queryset[offset : offset + limit]),
    }


def _limit():
    return Query(100, ge=1, le=MAX_PAGE, description=f"At most {MAX_PAGE}")


def _offset():
    return Query(0, ge=0, le=MAX_OFFSET)


@router.get(
    "/authorities",
    response={200: page_of(AuthorityOut), 401: Error, 422: Error},
    tags=["authorities"],
    summary="The authorities you have a role in",
)
def list_authorities(request: HttpRequest, limit: int = _limit(), offset: int = _offset()):
    return _page(reads.memberships(request.auth), limit, offset)


@router.get(
    "/{authority}/plans",
    response={200: page_of(PlanOut), **READ_ERRORS},
    tags=["plans"],
    summary="Improvement plans",
)
def list_plans(
    request: HttpRequest,
    authority: str = AuthoritySlug,
    limit: int = _limit(),
    offset: int = _offset(),
):
    return _page(reads.plans(_access(request, authority)), limit, offset)


@router.get(
    "/{authority}/actions",
    response={200: page_of(ActionOut), **READ_ERRORS},
    tags=["plans"],
    summary="Actions with their current ratings",
)
def list_actions(
    request: HttpRequest,
    authority: str = AuthoritySlug,
    plan: int | None = Query(None, ge=1, le=MAX_ID, description="Only this plan's actions"),
    limit: int = _limit(),
    offset: int = _offset(),
):
    return _page(reads.actions(_access(request, authority), today(), plan=plan), limit, offset)


@router.get(
    "/{authority}/actions/{action_id}",
    response={200: ActionDetailOut, **READ_ERRORS},
    tags=["plans"],
    summary="One action, with its text, measures and the findings it answers",
)
def get_action(
    request: HttpRequest, authority: str = AuthoritySlug, action_id: int = _id("Action id")
):
    access = _access(request, authority)
    return access.get(reads.action_detail(access, today()), pk=action_id)


@router.get(
    "/{authority}/updates",
    response={200: page_of(UpdateOut), **READ_ERRORS},
    tags=["plans"],
    summary="Monthly progress updates, newest month first",
)
def list_updates(
    request: HttpRequest,
    authority: str = AuthoritySlug,
    action: int | None = Query(None, ge=1, le=MAX_ID, description="Only this action's"),
    period: date | None = MONTH_FILTER,
    status: Literal["draft", "submitted", "returned", "signed_off"] | None = None,
    limit: int = _limit(),
    offset: int = _offset(),
):
    access = _access(request, authority)
    found = reads.updates(access, action=action, period=period, status=status)
    return _page(found, limit, offset)


@router.post(
    "/{authority}/actions/{action_id}/updates",
    response={200: UpdateOut, **WRITE_ERRORS, 409: Conflict},
    tags=["plans"],
    summary="Write the month's progress update: save a draft, or submit it for sign-off",
    description=(
        "The month is this month or one of the 11 before it (others are refused with 422). "
        "Send the `version` of the month's update you read (0 when there is none yet). If "
        "someone saved it since, nothing is written and the answer is 409 with the version "
        "saved now. A Blue rating, or a change of rating, needs `evidence_text` to submit."
    ),
)
def write_update(
    request: HttpRequest,
    payload: UpdateIn,
    authority: str = AuthoritySlug,
    action_id: int = _id("Action id"),
):
    access = _access(request, authority)
    if not access.can(Capability.WRITE_ANY_UPDATE):
        access.require(Capability.WRITE_OWN_UPDATE)
    action = access.get(Action.objects.select_related("plan"), pk=action_id)
    content = plan_services.UpdateContent(
        period=payload.period,
        narrative=payload.narrative,
        action_rating=payload.action_rating or "",
        impact_rating=payload.impact_rating or "",
        evidence_text=payload.evidence_text,
        evidence_links=tuple(payload.evidence_links),
        next_steps=payload.next_steps,
        risks=payload.risks,
        support_needed=payload.support_needed,
    )
    write = plan_services.submit_update if payload.submit else plan_services.save_draft
    update = write(access, action, content, version=payload.version)
    return reads.updates(access).get(pk=update.pk)


@router.post(
    "/{authority}/updates/{update_id}/sign-off",
    response={200: UpdateOut, **WRITE_ERRORS, 409: Conflict},
    tags=["plans"],
    summary="Sign off a submitted update: from now on its ratings count",
    description="Someone other than the person who submitted it signs it off.",
)
def sign_off_update(
    request: HttpRequest,
    payload: SignOffIn,
    authority: str = AuthoritySlug,
    update_id: int = _id("Update id"),
):
    access = _access(request, authority)
    access.require(Capability.SIGN_OFF_UPDATE)
    update = access.get(ProgressUpdate.objects.all(), pk=update_id)
    plan_services.sign_off_update(access, update, version=payload.version)
    return reads.updates(access).get(pk=update.pk)


@router.post(
    "/{authority}/updates/{update_id}/return",
    response={200: UpdateOut, **WRITE_ERRORS, 409: Conflict},
    tags=["plans"],
    summary="Return a submitted update to its writer, saying what it needs",
)
def return_update(
    request: HttpRequest,
    payload: ReturnIn,
    authority: str = AuthoritySlug,
    update_id: int = _id("Update id"),
):
    access = _access(request, authority)
    access.require(Capability.SIGN_OFF_UPDATE)
    update = access.get(ProgressUpdate.objects.all(), pk=update_id)
    plan_services.return_update(access, update, comment=payload.comment, version=payload.version)
    return reads.updates(access).get(pk=update.pk)


@router.get(
    "/{authority}/measures",
    response={200: page_of(MeasureOut), **READ_ERRORS},
    tags=["measures"],
    summary="Performance measures, with their targets",
)
def list_measures(
    request: HttpRequest,
    authority: str = AuthoritySlug,
    limit: int = _limit(),
    offset: int = _offset(),
):
    return _page(reads.measures(_access(request, authority)), limit, offset)


@router.get(
    "/{authority}/measures/{measure_id}/values",
    response={200: page_of(MeasureValueOut), **READ_ERRORS},
    tags=["measures"],
    summary="A measure's values by month, oldest first",
)
def list_measure_values(
    request: HttpRequest,
    authority: str = AuthoritySlug,
    measure_id: int = _id("Measure id"),
    limit: int = _limit(),
    offset: int = _offset(),
):
    access = _access(request, authority)
    measure = access.get(Measure, pk=measure_id)
    return _page(reads.measure_values(access, measure=measure), limit, offset)


@router.post(
    "/{authority}/measures/{measure_id}/values",
    response={200: MeasureValueOut, **WRITE_ERRORS},
    tags=["measures"],
    summary="Enter or correct a measure's value for a month",
    description="A month that has a value already gets the new one; history keeps the old.",
)
def record_measure_value(
    request: HttpRequest,
    payload: MeasureValueIn,
    authority: str = AuthoritySlug,
    measure_id: int = _id("Measure id"),
):
    access = _access(request, authority)
    access.require(Capability.EDIT_PLAN)
    measure = access.get(Measure, pk=measure_id)
    return record_value(
        access,
        measure,
        period=payload.period,
        value=payload.value,
        numerator=payload.numerator,
        denominator=payload.denominator,
        note=payload.note,
    )


@router.get(
    "/{authority}/inspections",
    response={200: page_of(InspectionOut), **READ_ERRORS},
    tags=["inspections"],
    summary="Inspections, with judgements and findings",
)
def list_inspections(
    request: HttpRequest,
    authority: str = AuthoritySlug,
    limit: int = _limit(),
    offset: int = _offset(),
):
    return _page(reads.inspections(_access(request, authority)), limit, offset)


PublishedKey = Literal[tuple(PUBLISHED_KEYS)]
INDICATOR_QUERY = Query(None, description="A published indicator's key", example="cla_rate")


@router.get(
    "/indicators",
    response={200: list[IndicatorOut], 401: Error},
    tags=["published figures"],
    summary="The indicator catalogue: every standard indicator and where DfE publishes it",
)
def list_indicators(request: HttpRequest):
    return INDICATORS


@router.get(
    "/{authority}/published-figures",
    response={200: PublishedSeriesOut, **READ_ERRORS},
    tags=["published figures"],
    summary="One published indicator for the authority, year by year, beside its comparators",
    description=(
        "Values as DfE published them (a suppressed cell: suppressed true, value null), with "
        "the statistical neighbours' average, the region, England, the rank among the "
        "neighbours and the national quartile. The same as `g2g published_figures`."
    ),
)
def published_figures(
    request: HttpRequest,
    authority: str = AuthoritySlug,
    indicator: PublishedKey | None = INDICATOR_QUERY,
):
    access = _access(request, authority)  # first: another authority answers 404, as a missing one
    if indicator is None:
        raise RequestValidationError(
            [{"loc": ("query", "indicator"), "msg": "Give a published indicator's key"}]
        )
    return comparison.indicator_series(access.authority, indicator).as_json()


@router.get(
    "/{authority}/neighbours",
    response={200: NeighboursOut, **READ_ERRORS},
    tags=["published figures"],
    summary="The authority's statistical neighbours (DfE's current model), closest first",
)
def list_neighbours(request: HttpRequest, authority: str = AuthoritySlug):
    access = _access(request, authority)
    return comparison.neighbours_as_json(access.authority)
