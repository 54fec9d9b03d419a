"""Scorecard pages: every measure by focus area, and one measure with its targets and actions."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from g2g.core.dates import today
from g2g.core.forms import add_errors
from g2g.core.spreadsheets import csv_response
from g2g.plans.reads import plan_for_page
from g2g.tenancy.access import Capability
from g2g.tenancy.pages import FORM_METHODS, authority_page

from . import comparison, defaults, outcomes, reads, services
from .forms import MeasureForm, StakeholderOutcomeForm, ValueForm
from .indicators import AREAS, BY_KEY, PUBLISHED_KEYS
from .models import Measure, StakeholderOutcome
from .scorecard import (
    GROUPINGS,
    RATINGS,
    chart_of,
    comparator_sources,
    scorecard_groups,
    status_of,
)


@authority_page()
def scorecard(request, access):
    """Every measure, grouped and filtered as asked; `view=charts` shows small multiples."""
    charts = request.GET.get("view") == "charts"
    measures = reads.measures_for_scorecard(access, history=charts)  # charts draw every value
    statuses = [status_of(measure) for measure in measures]
    group = request.GET.get("group") if request.GET.get("group") in GROUPINGS else "focus_area"
    rating = request.GET.get("rating") if request.GET.get("rating") in RATINGS else ""
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
    if status.latest or status.comparators:
        context["chart"] = chart_of(status)
    context["sources"] = comparator_sources(status.comparators)
    context["suggestion"] = defaults.suggest(measure.name, measure.indicator)
    context["indicator"] = BY_KEY.get(measure.indicator)
    return render(request, "measures/measure_detail.html", context)


@authority_page(Capability.EDIT_PLAN, methods=FORM_METHODS)
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


@authority_page(Capability.EDIT_PLAN, methods=FORM_METHODS)
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


@authority_page()
def outcomes_page(request, access):
    plan = plan_for_page(access, request)
    groups = reads.outcomes_for_page(access, plan)
    context = {
        "access": access,
        "plan": plan,
        "groups": groups,
        "count": sum(len(items) for _, items in groups),
        "can_edit": access.can(Capability.EDIT_PLAN),
    }
    return render(request, "measures/outcomes.html", context)


@authority_page(Capability.EDIT_PLAN, methods=FORM_METHODS)
def outcome_write(request, access, outcome_pk: int | None = None):
    """Add a stakeholder outcome (no `outcome_pk`) or change one, with its measures."""
    plan = plan_for_page(access, request)
    outcome = None
    initial = {}
    if outcome_pk is not None:
        outcome = access.get(StakeholderOutcome.objects.filter(plan=plan), pk=outcome_pk)
        initial = {
            "group": outcome.group,
            "statement": outcome.statement,
            "measures": list(outcome.measures.all()),
        }
    measures = access.scope(Measure.objects.all()).order_by("order", "name")
    form = StakeholderOutcomeForm(
        request.POST if request.method == "POST" else None, initial=initial, measures=measures
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcomes.save_outcome(access, plan, outcome, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Stakeholder outcome saved")
            return redirect(reverse("outcomes", args=[access.authority.slug]))
    context = {"access": access, "plan": plan, "outcome": outcome, "form": form}
    return render(request, "measures/outcome_form.html", context)


@authority_page()
def how_we_compare(request, access):
    """The authority's published figures beside its neighbours, region and England, by National
    Framework outcome and enabler: reference data, so shown with or without a plan."""
    found = comparison.compare(access.authority)
    context = {"access": access, "comparison": found, "areas": found.by_area()}
    return render(request, "measures/compare.html", context)


@authority_page()
def how_we_compare_csv(request, access):
    found = comparison.compare(access.authority)  # public figures: not an export to audit
    name = f"{access.authority.slug}-how-we-compare.csv"
    return csv_response(name, comparison.CSV_HEADER, comparison.csv_rows(found))


@authority_page()
def compare_indicator(request, access):
    """One published indicator (`?indicator=KEY`): every year beside the comparators, and every
    authority of the region (what a regional viewer compares)."""
    indicator = request.GET.get("indicator", "")
    if indicator not in PUBLISHED_KEYS:
        raise Http404("No such published indicator")
    series = comparison.indicator_series(access.authority, indicator)
    region, others = comparison.region_comparison(access.authority, indicator)
    context = {
        "access": access,
        "indicator": BY_KEY[indicator],
        "area": AREAS.get(BY_KEY[indicator].framework_area),
        "series": series,
        "region": region,
        "others": others,
    }
    return render(request, "measures/compare_indicator.html", context)
