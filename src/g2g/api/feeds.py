"""Flat CSV feeds for Excel and Power BI ("Get data from web"): one row per action, per
progress update and per measure value, with a header row, UTF-8 with a byte-order mark (so
Excel reads the accents right), ISO dates, and no cell a spreadsheet would run as a formula.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from g2g.core.audit import record_export
from g2g.core.dates import today
from g2g.core.spreadsheets import csv_response
from g2g.measures import comparison

from . import reads
from .endpoints import READ_ERRORS, AuthoritySlug, _access

router = Router(tags=["feeds"])

CSV_RESPONSE = {
    "responses": {
        200: {
            "description": "A CSV file, UTF-8 with a byte-order mark, one header row",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    }
}


def _names(items) -> str:
    return "; ".join(items)


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


@router.get(
    "/{authority}/feeds/actions.csv",
    response=READ_ERRORS,
    openapi_extra=CSV_RESPONSE,
    summary="Actions: one row each, with current ratings and states",
)
def actions_csv(request: HttpRequest, authority: str = AuthoritySlug):
    access = _access(request, authority)
    header = [
        "action_id", "plan_id", "ref", "title", "priority_number", "priority", "objective",
        "leads", "focus_areas", "timescale", "start", "end", "ongoing", "closed_on", "sources",
        "action_rating", "impact_rating", "rated_period", "awaiting_sign_off",
        "updated_this_period", "overdue", "slipped",
    ]  # fmt: skip
    rows = (
        [
            action.pk,
            action.plan_id,
            action.ref,
            action.title,
            action.priority.number,
            action.priority.title,
            action.objective.title if action.objective else "",
            _names(post.title for post in action.leads.all()),
            _names(area.code for area in action.focus_areas.all()),
            action.timescale_text,
            action.start,
            action.end,
            action.ongoing,
            action.closed_on,
            _names(str(source) for source in action.sources or []),
            action.action_rating or "",
            action.impact_rating or "",
            action.last_period,
            action.awaiting_sign_off,
            action.updated_this_period,
            action.is_overdue,
            action.slipped,
        ]
        for action in reads.actions(access, today())
    )
    record_export(access, request, "actions_feed", format="csv")
    return csv_response(f"{access.authority.slug}-actions.csv", header, rows)


@router.get(
    "/{authority}/feeds/updates.csv",
    response=READ_ERRORS,
    openapi_extra=CSV_RESPONSE,
    summary="Progress updates: one row each, newest month first",
)
def updates_csv(request: HttpRequest, authority: str = AuthoritySlug):
    access = _access(request, authority)
    header = [
        "update_id", "action_id", "action_ref", "period", "status", "action_rating",
        "impact_rating", "narrative", "evidence_text", "author", "submitted_at",
        "signed_off_at", "version",
    ]  # fmt: skip
    rows = (
        [
            update.pk,
            update.action_id,
            update.action.ref,
            update.period,
            update.status,
            update.action_rating,
            update.impact_rating,
            update.narrative,
            update.evidence_text,
            _person(update.author),
            update.submitted_at,
            update.signed_off_at,
            update.version,
        ]
        for update in reads.updates(access)
    )
    record_export(access, request, "updates_feed", format="csv")
    return csv_response(f"{access.authority.slug}-updates.csv", header, rows)


@router.get(
    "/{authority}/feeds/measure-values.csv",
    response=READ_ERRORS,
    openapi_extra=CSV_RESPONSE,
    summary="Measure values: one row per measure and month",
)
def measure_values_csv(request: HttpRequest, authority: str = AuthoritySlug):
    access = _access(request, authority)
    header = [
        "measure_id", "measure_code", "measure_name", "unit", "polarity", "period", "value",
        "numerator", "denominator", "source", "note",
    ]  # fmt: skip
    rows = (
        [
            value.measure_id,
            value.measure.code,
            value.measure.name,
            value.measure.unit,
            value.measure.polarity,
            value.period,
            value.value,
            value.numerator,
            value.denominator,
            value.source,
            value.note,
        ]
        for value in reads.measure_values(access)
    )
    record_export(access, request, "measure_values_feed", format="csv")
    return csv_response(f"{access.authority.slug}-measure-values.csv", header, rows)


@router.get(
    "/{authority}/feeds/published-figures.csv",
    response=READ_ERRORS,
    openapi_extra=CSV_RESPONSE,
    summary="DfE's published figures: one row per indicator and year, with the comparators",
)
def published_figures_csv(request: HttpRequest, authority: str = AuthoritySlug):
    access = _access(request, authority)
    found = comparison.compare(access.authority)  # public figures: not an export to audit
    name = f"{access.authority.slug}-published-figures.csv"
    return csv_response(name, comparison.CSV_HEADER, comparison.csv_rows(found))
