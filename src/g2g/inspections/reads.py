"""Named reads for the inspection pages, each in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from g2g.plans.models import Action
from g2g.tenancy.access import Access

from .models import Finding, Inspection


def inspections_for_list(access: Access) -> QuerySet[Inspection]:
    recommendations = Q(findings__kind=Finding.Kind.RECOMMENDATION)
    return access.scope(Inspection.objects.all()).annotate(
        recommendation_count=Count("findings", filter=recommendations)
    )


def inspection_for_page(access: Access, pk: int) -> Inspection:
    queryset = Inspection.objects.prefetch_related(
        "judgements",
        "paragraphs",
        Prefetch(
            "findings",
            queryset=Finding.objects.prefetch_related(
                Prefetch("actions", queryset=Action.objects.order_by("order"))
            ),
        ),
    )
    return access.get(queryset, pk=pk)


def unanswered_recommendations(access: Access) -> QuerySet[Finding]:
    """Recommendations that no action of the plan answers: the gaps a board must see."""
    return (
        access.scope(Finding.objects.all())
        .filter(kind=Finding.Kind.RECOMMENDATION, actions__isnull=True)
        .select_related("inspection")
        .order_by("-inspection__end", "number")
    )
