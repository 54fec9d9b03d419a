"""Plan pages. Each view: resolve access (one layer), call one read or service, pick a template."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from g2g.core.dates import current_period, month_start, today
from g2g.tenancy.access import Capability
from g2g.tenancy.pages import authority_page

from . import reads, services
from .forms import ActionFilterForm, ActionForm, ProgressUpdateForm, recent_periods
from .models import Action, Plan, ProgressUpdate


def _current_plan(access) -> Plan:
    plan = reads.current_plan(access)
    if plan is None:
        raise Http404("This authority has no plan yet")
    return plan


@authority_page()
def plan_overview(request, access):
    plan = reads.current_plan(access)
    context = {
        "access": access,
        "plan": plan,
        "neighbours": access.authority.neighbours_in_order(),
        "can_import": access.can(Capability.EDIT_PLAN),
        "today": today(),
    }
    if plan is not None:
        context["priorities"] = reads.overview_by_priority(plan, on=today())
        context["period"] = current_period()
    return render(request, "plans/plan_overview.html", context)


@authority_page()
def action_list(request, access):
    plan = _current_plan(access)
    form = ActionFilterForm(request.GET or None, plan=plan)
    actions = form.apply(reads.actions_for_list(access, plan, on=today()))
    context = {"access": access, "plan": plan, "form": form, "actions": actions}
    template = "plans/_action_rows.html" if request.headers.get("HX-Request") else None
    return render(request, template or "plans/action_list.html", context)


@authority_page()
def action_detail(request, access, action_pk: int):
    action = reads.action_for_page(access, action_pk, on=today())
    context = {
        "access": access,
        "action": action,
        "can_write_update": access.can_write_update(action),
        "can_edit": access.can(Capability.EDIT_PLAN),
        "changes": reads.action_changes(action),
    }
    return render(request, "plans/action_detail.html", context)


@authority_page(methods=("GET", "HEAD", "POST"))
def update_write(request, access, action_pk: int):
    action = access.get(Action.objects.select_related("plan"), pk=action_pk)
    if not access.can_write_update(action):
        raise PermissionDenied
    period = _period_from(request.GET.get("period"))
    existing = ProgressUpdate.objects.filter(action=action, period=period).first()
    initial = {"period": period.isoformat()}
    if existing:
        initial |= {
            "narrative": existing.narrative,
            "action_rating": existing.action_rating,
            "impact_rating": existing.impact_rating,
        }
    form = ProgressUpdateForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.write_update(access, action, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Update saved for {action.ref}")
            return redirect(_action_url(access, action))
    context = {"access": access, "action": action, "form": form, "existing": existing}
    return render(request, "plans/update_form.html", context)


@authority_page(Capability.EDIT_PLAN, methods=("GET", "HEAD", "POST"))
def action_edit(request, access, action_pk: int):
    action = access.get(Action.objects.select_related("plan__authority"), pk=action_pk)
    form = ActionForm(request.POST if request.method == "POST" else None, instance=action)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        links = {name: data.pop(name) for name in ("leads", "focus_areas", "findings")}
        try:
            services.edit_action(access, action, **links, **data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"Action {action.ref} saved")
            return redirect(_action_url(access, action))
    return render(
        request, "plans/action_form.html", {"access": access, "action": action, "form": form}
    )


def _period_from(text: str | None) -> date:
    """The month asked for in the address, if it is one an update can be written for."""
    try:
        period = month_start(date.fromisoformat(text or ""))
    except ValueError:
        return current_period()
    return period if period in recent_periods() else current_period()


def _action_url(access, action) -> str:
    return reverse("action_detail", args=[access.authority.slug, action.pk])


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)
