"""Named reads for the scorecard pages, each in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from g2g.plans.models import Action
from g2g.tenancy.access import Access

from .models import Measure


def measures_for_scorecard(access: Access) -> QuerySet[Measure]:
    return (
        access.scope(Measure.objects.all())
        .prefetch_related(
            "focus_areas",
            "milestones",
            "values",
            "comparators",
            Prefetch(
                "actions", queryset=Action.objects.select_related("priority").order_by("order")
            ),
        )
        .order_by("order", "name")
    )


def measure_for_page(access: Access, pk: int, on) -> Measure:
    queryset = Measure.objects.prefetch_related(
        "focus_areas",
        "milestones",
        "values",
        "comparators",
        Prefetch("actions", queryset=Action.objects.with_status(on).order_by("order")),
    )
    return access.get(queryset, pk=pk)
