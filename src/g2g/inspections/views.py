"""Inspection pages: the list, one inspection with its findings, and unanswered recommendations."""

from django.shortcuts import render

from g2g.tenancy.pages import authority_page

from . import reads


@authority_page()
def inspection_list(request, access):
    inspections = reads.inspections_for_list(access)
    return render(
        request, "inspections/inspection_list.html", {"access": access, "inspections": inspections}
    )


@authority_page()
def inspection_detail(request, access, inspection_pk: int):
    inspection = reads.inspection_for_page(access, inspection_pk)
    return render(
        request, "inspections/inspection_detail.html", {"access": access, "inspection": inspection}
    )


@authority_page()
def unanswered(request, access):
    findings = reads.unanswered_recommendations(access)
    return render(request, "inspections/unanswered.html", {"access": access, "findings": findings})
