"""Round pages. Each view: resolve access (one layer), call one read or service, pick a template."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render

from g2g.core.dates import today
from g2g.core.forms import add_errors
from g2g.plans import services as update_services
from g2g.plans.models import Action, EvidenceFile, ProgressUpdate
from g2g.plans.reads import plan_for_page
from g2g.tenancy.access import Capability
from g2g.tenancy.pages import FORM_METHODS, authority_page

from . import reads
from .forms import OpenRoundForm, ReturnForm, SignOffForm
from .services import open_round


@authority_page()
def round_list(request, access):
    plan = plan_for_page(access, request)
    context = {
        "access": access,
        "plan": plan,
        "rounds": reads.rounds_with_progress(access, plan, on=today()),
        "can_open": access.can(Capability.SIGN_OFF_UPDATE),
        "today": today(),
    }
    return render(request, "rounds/round_list.html", context)


@authority_page(Capability.SIGN_OFF_UPDATE, methods=FORM_METHODS)
def round_open(request, access):
    plan = plan_for_page(access, request)
    form = OpenRoundForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = open_round(access, plan, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                f"The {round_.period:%B %Y} round is open: {round_.tasks.count()} actions are "
                "due, and their leads have been sent an email",
            )
            return redirect("round_detail", access.authority.slug, round_.pk)
    return render(request, "rounds/round_open.html", {"access": access, "plan": plan, "form": form})


@authority_page()
def round_detail(request, access, round_pk: int):
    round_ = reads.round_for_page(access, round_pk)
    on = today()
    rows = reads.task_rows(round_, on)
    context = {
        "access": access,
        "round": round_,
        "rows": rows,
        "progress": reads.progress_of(rows),
        "can_sign_off": access.can(Capability.SIGN_OFF_UPDATE),
        "today": on,
    }
    return render(request, "rounds/round_detail.html", context)


@authority_page()
def round_mine(request, access, round_pk: int):
    """ "My actions due this round": a GOV.UK task list for the signed-in person."""
    round_ = reads.round_for_page(access, round_pk)
    on = today()
    rows = reads.my_task_rows(access, round_, on)
    context = {
        "access": access,
        "round": round_,
        "rows": rows,
        "progress": reads.progress_of(rows),
        "today": on,
    }
    return render(request, "rounds/round_mine.html", context)


@authority_page(Capability.SIGN_OFF_UPDATE)
def round_sign_off(request, access, round_pk: int):
    """The improvement team's queue: submitted updates waiting to be signed off or returned."""
    round_ = reads.round_for_page(access, round_pk)
    on = today()
    rows = [row for row in reads.task_rows(round_, on) if row.state == "submitted"]
    context = {"access": access, "round": round_, "rows": rows, "today": on}
    return render(request, "rounds/round_sign_off.html", context)


@authority_page(Capability.SIGN_OFF_UPDATE, methods=FORM_METHODS)
def update_review(request, access, update_pk: int):
    """One submitted update with its evidence: sign it off, or return it with a comment."""
    update = access.get(
        ProgressUpdate.objects.with_people().select_related("action__plan"), pk=update_pk
    )
    round_ = reads.round_for_update(access, update)
    posted = request.method == "POST"
    intent = request.POST.get("intent") if posted else None
    sign_off_form = SignOffForm(
        request.POST if intent == "sign_off" else None, initial={"version": update.version}
    )
    return_form = ReturnForm(
        request.POST if intent == "return" else None, initial={"version": update.version}
    )
    form = sign_off_form if intent == "sign_off" else return_form
    if posted and intent in ("sign_off", "return") and form.is_valid():
        try:
            if intent == "sign_off":
                update_services.sign_off_update(
                    access, update, version=form.cleaned_data["version"]
                )
                done = f"{update.action.ref} signed off"
            else:
                update_services.return_update(access, update, **form.cleaned_data)
                done = f"{update.action.ref} returned to its writer with your comment"
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, done)
            if round_ is not None:
                return redirect("round_sign_off", access.authority.slug, round_.pk)
            return redirect("action_detail", access.authority.slug, update.action_id)
    previous = (
        access.scope(Action.objects.filter(pk=update.action_id))
        .with_status(update.period - timedelta(days=1))
        .get()
    )
    errors = sign_off_form.errors or return_form.errors
    context = {
        "access": access,
        "update": update,
        "action": update.action,
        "round": round_,
        "previous": previous,
        "sign_off_form": sign_off_form,
        "return_form": return_form,
        "has_errors": bool(errors),
        "error_form": sign_off_form if sign_off_form.errors else return_form,
    }
    return render(request, "rounds/update_review.html", context)


@authority_page()
def evidence_download(request, access, evidence_pk: int):
    """An evidence file, only to people with a role in its authority, always as a download."""
    evidence = access.get(EvidenceFile.objects.all(), pk=evidence_pk)
    try:
        handle = evidence.file.open("rb")
    except (FileNotFoundError, ValueError) as missing:
        raise Http404("The file is missing from storage") from missing
    return FileResponse(
        handle,
        as_attachment=True,
        filename=evidence.name,
        content_type=update_services.EVIDENCE_CONTENT_TYPES.get(
            evidence.kind, "application/octet-stream"
        ),
    )
