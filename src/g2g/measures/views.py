"""Scorecard pages: every measure by focus area, and one measure with its targets and actions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from g2g.core.dates import today
from g2g.core.forms import add_errors
from g2g.tenancy.access import Capability
from g2g.tenancy.pages import authority_page

from . import reads, services
from .forms import MeasureForm, ValueForm
from .models import Measure
from .scorecard import GROUPINGS, RATINGS, chart_of, scorecard_groups, status_of


@authority_page()
def scorecard(request, access):
    """Every measure, grouped and filtered as asked; `view=charts` shows small multiples."""
    statuses = [status_of(measure) for measure in reads.measures_for_scorecard(access)]
    group = request.GET.get("group") if request.GET.get("group") in GROUPINGS else "focus_area"
    rating = request.GET.get("rating") if request.GET.get("rating") in RATINGS else ""
    charts = request.GET.get("view") == "charts"
    groups = scorecard_groups(statuses, group=group, rating=rating)
    if charts:
        groups = [
            (name, [(status, chart_of(status, small=True)) for status in items if status.latest])
            for name, items in groups
        ]
    context = {
        "access": access,
        "groups": groups,
        "count": len(statuses),
        "shown": sum(len(items) for _, items in groups),
        "synthetic": any(status.synthetic for status in statuses),
        "group": group,
        "rating": rating,
        "charts": charts,
        "groupings": GROUPINGS,
        "ratings": RATINGS,
        "can_edit": access.can(Capability.EDIT_PLAN),
    }
    return render(request, "measures/scorecard.html", context)


@authority_page()
def measure_detail(request, access, measure_pk: int):
    measure = reads.measure_for_page(access, measure_pk, on=today())
    status = status_of(measure)
    context = {
        "access": access,
        "measure": measure,
        "status": status,
        "can_edit": access.can(Capability.EDIT_PLAN),
    }
    if status.latest:
        context["chart"] = chart_of(status)
    context["sources"] = sorted({c.source for c in measure.comparators.all() if c.source})
    return render(request, "measures/measure_detail.html", context)


@authority_page(Capability.EDIT_PLAN, methods=("GET", "HEAD", "POST"))
def measure_edit(request, access, measure_pk: int):
    measure = access.get(Measure.objects.prefetch_related("milestones"), pk=measure_pk)
    form = MeasureForm(request.POST if request.method == "POST" else None, instance=measure)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in services.EDITABLE_MEASURE_FIELDS}
        services.edit_measure(access, measure, targets=form.cleaned_data["targets"], **fields)
        messages.success(request, f"{measure.name} saved")
        return redirect(_measure_url(access, measure))
    context = {"access": access, "measure": measure, "form": form}
    return render(request, "measures/measure_form.html", context)


@authority_page(Capability.EDIT_PLAN, methods=("GET", "HEAD", "POST"))
def value_enter(request, access, measure_pk: int):
    measure = access.get(Measure.objects.all(), pk=measure_pk)
    form = ValueForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            value = services.record_value(access, measure, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"Value for {value.period:%B %Y} saved")
            return redirect(_measure_url(access, measure))
    context = {"access": access, "measure": measure, "form": form}
    return render(request, "measures/value_form.html", context)


def _measure_url(access, measure) -> str:
    return reverse("measure_detail", args=[access.authority.slug, measure.pk])


@authority_page()
def benchmarking(request, access):
    """The authority's latest Ofsted grades beside its ten statistical neighbours' (public data)."""
    rows = [access.authority, *access.authority.neighbours_in_order()]
    return render(request, "measures/benchmarking.html", {"access": access, "rows": rows})
