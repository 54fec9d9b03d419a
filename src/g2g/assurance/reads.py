"""Named reads for the audit pages: each page's queries live here, a fixed number per page."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear

from g2g.tenancy.access import Access

from .models import Audit, RemedialAction


def audits_for_list(access: Access, on: date) -> QuerySet[Audit]:
    """Every audit with its remedial actions counted: open, and open past their due date."""
    return (
        access.scope(Audit.objects.all())
        .select_related("lead")
        .annotate(
            remedial_count=Count("remedial_actions"),
            remedial_open=Count(
                "remedial_actions", filter=Q(remedial_actions__done_on__isnull=True)
            ),
            remedial_overdue=Count(
                "remedial_actions",
                filter=Q(remedial_actions__done_on__isnull=True, remedial_actions__due__lt=on),
            ),
        )
        .order_by("-held_on", "-pk")
    )


def audit_years(access: Access) -> list[int]:
    """The years that have audits, newest first, for the year filter."""
    years = (
        access.scope(Audit.objects.all())
        .annotate(year=ExtractYear("held_on"))
        .values_list("year", flat=True)
        .distinct()
    )
    return sorted(set(years), reverse=True)


def grade_totals(audits: list[Audit]) -> dict:
    """Cases audited, graded, and graded good or better, across the audits listed."""
    graded = sum(audit.graded for audit in audits)
    good_or_better = sum(audit.good_or_better for audit in audits)
    return {
        "audits": len(audits),
        "cases": sum(audit.cases for audit in audits),
        "graded": graded,
        "good_or_better": good_or_better,
        "percent": 100 * good_or_better / graded if graded else None,
    }


def audit_for_page(access: Access, pk: int, on: date) -> Audit:
    queryset = Audit.objects.select_related("lead").prefetch_related(
        Prefetch(
            "remedial_actions",
            queryset=RemedialAction.objects.with_status(on)
            .select_related("owner_post")
            .order_by("due", "pk"),
        )
    )
    return access.get(queryset, pk=pk)


def remedial_action_for_page(access: Access, pk: int) -> RemedialAction:
    return access.get(RemedialAction.objects.select_related("audit", "owner_post"), pk=pk)
