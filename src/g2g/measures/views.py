"""Scorecard pages: every measure by focus area, and one measure with its targets and actions."""

from itertools import groupby

from django.shortcuts import render

from g2g.core.dates import today
from g2g.tenancy.pages import authority_page

from . import reads
from .scorecard import chart_of, status_of


@authority_page()
def scorecard(request, access):
    statuses = [status_of(measure) for measure in reads.measures_for_scorecard(access)]

    def area(status):
        areas = status.measure.focus_areas.all()
        return (areas[0].pk, str(areas[0])) if areas else (10**12, "Not in a focus area")

    statuses.sort(key=area)  # stable: keeps each area's own order
    groups = [(key[1], list(items)) for key, items in groupby(statuses, key=area)]
    return render(
        request,
        "measures/scorecard.html",
        {
            "access": access,
            "groups": groups,
            "count": len(statuses),
            "synthetic": any(status.synthetic for status in statuses),
        },
    )


@authority_page()
def measure_detail(request, access, measure_pk: int):
    measure = reads.measure_for_page(access, measure_pk, on=today())
    status = status_of(measure)
    context = {"access": access, "measure": measure, "status": status}
    if status.latest:
        context["chart"] = chart_of(status)
    return render(request, "measures/measure_detail.html", context)


@authority_page()
def benchmarking(request, access):
    """The authority's latest Ofsted grades beside its ten statistical neighbours' (public data)."""
    rows = [access.authority, *access.authority.neighbours_in_order()]
    return render(request, "measures/benchmarking.html", {"access": access, "rows": rows})
