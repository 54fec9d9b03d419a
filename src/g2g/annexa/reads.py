"""Named reads for the Annex A pages."""

from __future__ import annotations

from django.db.models import QuerySet

from g2g.tenancy.access import Access

from .models import AnnexAReturn, RetentionSetting


def returns_for_list(access: Access) -> QuerySet[AnnexAReturn]:
    """The authority's returns, newest first, without the kept file."""
    return (
        access.scope(AnnexAReturn.objects.all())
        .select_related("uploaded_by")
        .defer("kept_file", "kpis")
    )


def return_for_page(access: Access, pk: int) -> AnnexAReturn:
    return access.get(AnnexAReturn.objects.select_related("uploaded_by").defer("kept_file"), pk=pk)


def retention_for(access: Access) -> RetentionSetting | None:
    return access.scope(RetentionSetting.objects.all()).first()
