"""Named reads for the API and the feeds: every query an endpoint makes is built here, from
`access.scope(...)`, with the select/prefetch that keeps its query count fixed per page."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, QuerySet

from g2g.core.dates import month_start
from g2g.inspections.models import Finding, Inspection
from g2g.measures.models import Measure, MeasureValue
from g2g.plans.models import Action, Plan, Post, ProgressUpdate
from g2g.tenancy.access import Access
from g2g.tenancy.models import Membership


def memberships(user) -> QuerySet[Membership]:
    """The authorities the user has a role in, with the role."""
    return (
        Membership.objects.filter(user=user, user__is_active=True)
        .select_related("authority")
        .order_by("authority__name", "pk")
    )


def plans(access: Access) -> QuerySet[Plan]:
    return access.scope(Plan.objects.all()).order_by("-created_at", "-pk")


def actions(access: Access, on: date, *, plan: int | None = None) -> QuerySet[Action]:
    """Actions with their current ratings and derived states (`ActionQuerySet.with_status`)."""
    queryset = access.scope(Action.objects.all())
    if plan is not None:
        queryset = queryset.filter(plan_id=plan)
    return (
        queryset.with_status(on)
        .select_related("priority", "objective")
        .prefetch_related(Prefetch("leads", queryset=Post.objects.order_by("title")), "focus_areas")
        .order_by("plan_id", "order", "pk")
    )


def action_detail(access: Access, on: date) -> QuerySet[Action]:
    return actions(access, on).prefetch_related(
        Prefetch("measures", queryset=access.scope(Measure.objects.order_by("order", "pk"))),
        Prefetch(
            "findings",
            queryset=access.scope(Finding.objects.select_related("inspection")),
        ),
    )


def updates(
    access: Access,
    *,
    action: int | None = None,
    period: date | None = None,
    status: str | None = None,
) -> QuerySet[ProgressUpdate]:
    queryset = access.scope(ProgressUpdate.objects.all())
    if action is not None:
        queryset = queryset.filter(action_id=action)
    if period is not None:
        queryset = queryset.filter(period=month_start(period))
    if status is not None:
        queryset = queryset.filter(status=status)
    return queryset.select_related("action", "author").order_by(
        "-period", "action__plan_id", "action__order", "pk"
    )


def measures(access: Access) -> QuerySet[Measure]:
    return (
        access.scope(Measure.objects.all())
        .prefetch_related("milestones")
        .order_by("order", "name", "pk")
    )


def measure_values(access: Access, *, measure: Measure | None = None) -> QuerySet[MeasureValue]:
    queryset = access.scope(MeasureValue.objects.all())
    if measure is not None:
        queryset = queryset.filter(measure=measure)
    return queryset.select_related("measure").order_by("measure__order", "measure_id", "period")


def inspections(access: Access) -> QuerySet[Inspection]:
    return (
        access.scope(Inspection.objects.all())
        .prefetch_related(
            "judgements",
            Prefetch(
                "findings",
                queryset=access.scope(Finding.objects.all()).prefetch_related(
                    Prefetch("actions", queryset=access.scope(Action.objects.only("pk")))
                ),
            ),
        )
        .order_by("-end", "-start", "-pk")
    )
