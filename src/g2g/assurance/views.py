"""Audit pages. Each view: resolve access (one layer), call one read or service, pick a
template. Everyone with a role reads; improvement leads and administrators write."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from g2g.core.dates import today
from g2g.core.forms import add_errors
from g2g.tenancy.access import Capability
from g2g.tenancy.pages import FORM_METHODS, authority_page

from . import reads, services
from .forms import AuditFilterForm, AuditForm, RemedialActionForm
from .models import Audit


def _audit_url(access, audit) -> str:
    return reverse("audit_detail", args=[access.authority.slug, audit.pk])


@authority_page()
def audit_list(request, access):
    on = today()
    form = AuditFilterForm(request.GET or None, years=reads.audit_years(access))
    audits = list(form.apply(reads.audits_for_list(access, on)))
    context = {
        "access": access,
        "can_edit": access.can(Capability.EDIT_PLAN),
        "form": form,
        "audits": audits,
        "totals": reads.grade_totals(audits),
        "filtered": form.is_bound,
        "synthetic": any(audit.synthetic for audit in audits),
    }
    return render(request, "assurance/audit_list.html", context)


@authority_page()
def audit_detail(request, access, audit_pk: int):
    audit = reads.audit_for_page(access, audit_pk, on=today())
    context = {"access": access, "audit": audit, "can_edit": access.can(Capability.EDIT_PLAN)}
    return render(request, "assurance/audit_detail.html", context)


@authority_page(Capability.EDIT_PLAN, methods=FORM_METHODS)
def audit_create(request, access):
    return _audit_form(request, access, None)


@authority_page(Capability.EDIT_PLAN, methods=FORM_METHODS)
def audit_edit(request, access, audit_pk: int):
    return _audit_form(request, access, access.get(Audit.objects.all(), pk=audit_pk))


def _audit_form(request, access, audit: Audit | None):
    form = AuditForm(
        request.POST if request.method == "POST" else None, instance=audit, access=access
    )
    if request.method == "POST" and form.is_valid():
        try:
            audit = services.record_audit(access, audit, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"Audit saved: {audit.theme}")
            return redirect(_audit_url(access, audit))
    context = {"access": access, "audit": audit, "form": form}
    return render(request, "assurance/audit_form.html", context)


@authority_page(Capability.EDIT_PLAN, methods=FORM_METHODS)
def remedial_action_create(request, access, audit_pk: int):
    audit = access.get(Audit.objects.all(), pk=audit_pk)
    return _remedial_form(request, access, audit, None)


@authority_page(Capability.EDIT_PLAN, methods=FORM_METHODS)
def remedial_action_edit(request, access, remedial_action_pk: int):
    action = reads.remedial_action_for_page(access, remedial_action_pk)
    return _remedial_form(request, access, action.audit, action)


def _remedial_form(request, access, audit: Audit, action):
    form = RemedialActionForm(
        request.POST if request.method == "POST" else None, instance=action, access=access
    )
    if action is None:
        del form.fields["done_on"]  # a new action is not done yet
    if request.method == "POST" and form.is_valid():
        try:
            if action is None:
                services.add_remedial_action(access, audit, **form.cleaned_data)
            else:
                services.edit_remedial_action(access, action, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "Remedial action saved")
            return redirect(_audit_url(access, audit))
    context = {"access": access, "audit": audit, "action": action, "form": form}
    return render(request, "assurance/remedial_action_form.html", context)


@authority_page(Capability.EDIT_PLAN, methods=("POST",))
def remedial_action_done(request, access, remedial_action_pk: int):
    action = reads.remedial_action_for_page(access, remedial_action_pk)
    try:
        services.complete_remedial_action(access, action)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
        return redirect("remedial_action_edit", access.authority.slug, action.pk)
    messages.success(request, f"Marked done: {action}")
    return redirect(_audit_url(access, action.audit))
