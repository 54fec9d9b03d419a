"""Inspection pages: the list, one inspection with its findings, and unanswered recommendations."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from g2g.core.numbers import id_or_none
from g2g.plans.models import Plan
from g2g.tenancy.access import Capability
from g2g.tenancy.pages import FORM_METHODS, authority_page

from . import reads, services
from .models import Inspection


@authority_page()
def inspection_list(request, access):
    timeline = reads.inspection_timeline(access)
    return render(
        request, "inspections/inspection_list.html", {"access": access, "timeline": timeline}
    )


@authority_page(methods=FORM_METHODS)
def inspection_detail(request, access, inspection_pk: int):
    """The inspection; improvement leads also say here which of the plans answer it."""
    inspection = reads.inspection_for_page(access, inspection_pk)
    can_edit = access.can(Capability.EDIT_PLAN)
    if request.method == "POST":
        access.require(Capability.EDIT_PLAN)
        chosen = access.scope(Plan.objects.filter(pk__in=_ids(request.POST.getlist("plans"))))
        services.set_inspection_plans(access, inspection, chosen)
        messages.success(request, "Saved which plans answer this inspection")
        return redirect("inspection_detail", access.authority.slug, inspection.pk)
    framework = reads.framework_of(inspection)
    answering = list(inspection.plans.all())
    context = {"access": access, "inspection": inspection, "framework": framework}
    context |= {"can_edit": can_edit, "answering": answering}
    context["due"] = reads.due_while_unapproved(inspection, answering)
    context["draft"] = next((p for p in answering if p.status == Plan.Status.DRAFT), None)
    if can_edit:
        context["plans"] = list(access.scope(Plan.objects.all()))
    return render(request, "inspections/inspection_detail.html", context)


@authority_page(Capability.EDIT_PLAN, methods=FORM_METHODS)
def inspection_draft_plan(request, access, inspection_pk: int):
    """Start the action plan answering this inspection as a draft; when there is one already,
    go to it instead."""
    inspection = access.get(Inspection.objects.all(), pk=inspection_pk)
    if request.method != "POST":
        return redirect("inspection_detail", access.authority.slug, inspection.pk)
    try:
        plan = services.draft_plan_from_inspection(access, inspection)
    except services.DraftExistsError as error:
        plan = error.plan
        messages.info(request, f"This inspection already has a draft plan: {plan.title}")
    else:
        messages.success(
            request,
            f"Draft plan started: {plan.priorities.count()} priorities and "
            f"{plan.actions.count()} actions from the {inspection}. Fill in each action's leads "
            "and dates, then approve the plan.",
        )
    return redirect(f"{reverse('plan_overview', args=[access.authority.slug])}?plan={plan.pk}")


def _ids(values: list[str]) -> list[int]:
    return [number for number in map(id_or_none, values) if number is not None]


@authority_page()
def unanswered(request, access):
    findings = reads.unanswered_recommendations(access)
    return render(request, "inspections/unanswered.html", {"access": access, "findings": findings})
