"""Scorecard pages: every measure by focus area, and one measure with its targets and actions."""

from itertools import groupby

from django.shortcuts import render

from g2g.core.dates import today
from g2g.tenancy.pages import authority_page

from . import reads


@authority_page()
def scorecard(request, access):
    measures = list(reads.measures_for_scorecard(access))

    def area(measure):
        areas = measure.focus_areas.all()
        return (areas[0].pk, str(areas[0])) if areas else (10**12, "Not in a focus area")

    measures.sort(key=area)  # stable: keeps each area's own order
    groups = [(key[1], list(items)) for key, items in groupby(measures, key=area)]
    return render(
        request,
        "measures/scorecard.html",
        {"access": access, "groups": groups, "count": len(measures)},
    )


@authority_page()
def measure_detail(request, access, measure_pk: int):
    measure = reads.measure_for_page(access, measure_pk, on=today())
    return render(request, "measures/measure_detail.html", {"access": access, "measure": measure})
