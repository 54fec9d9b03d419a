"""Import pages: upload a file, see what would be loaded and every problem, then confirm or
cancel. Reading happens on every preview; writing only on confirm, in one transaction."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse

from g2g.core.dates import parse_year_month
from g2g.inspections.parser import InspectionParseError
from g2g.inspections.services import (
    InspectionExistsError,
    read_report_upload,
    write_inspection,
)
from g2g.measures.services import import_values, measures_in
from g2g.measures.values_reader import read_values
from g2g.plans.models import Plan
from g2g.tenancy.access import Capability
from g2g.tenancy.pages import authority_page
from g2g.tenancy.services import all_authority_names

from .draft import PlanImportError, Problem
from .forms import InspectionUploadForm, PlanUploadForm, ValuesUploadForm
from .models import Upload
from .reconcile import apply_reimport, reconcile
from .services import read_plan_upload, write_plan
from .uploads import own_upload, start_upload

WRITE = ("GET", "HEAD", "POST")


@authority_page(Capability.EDIT_PLAN, methods=WRITE)
def upload_plan(request, access):
    return _upload(request, access, PlanUploadForm, Upload.Kind.PLAN)


@authority_page(Capability.EDIT_PLAN, methods=WRITE)
def upload_inspection(request, access):
    return _upload(request, access, InspectionUploadForm, Upload.Kind.INSPECTION)


@authority_page(Capability.EDIT_PLAN, methods=WRITE)
def upload_values(request, access):
    return _upload(request, access, ValuesUploadForm, Upload.Kind.VALUES)


def _upload(request, access, form_class, kind: str):
    posted = request.method == "POST"
    form = form_class(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        options = {name: value for name, value in form.cleaned_data.items() if name != "file"}
        upload = start_upload(access, kind, form.cleaned_data["file"], options)
        return redirect(_preview_url(access, upload))
    return render(request, f"importers/upload_{kind}.html", {"access": access, "form": form})


@authority_page(Capability.EDIT_PLAN, methods=WRITE)
def preview(request, access, upload_token):
    upload = own_upload(access, upload_token)
    if request.method == "POST" and request.POST.get("decision") == "cancel":
        upload.delete()
        messages.info(request, "Import cancelled: nothing was written")
        return redirect("plan_overview", access.authority.slug)
    if upload.kind == Upload.Kind.PLAN:
        return _preview_plan(request, access, upload)
    if upload.kind == Upload.Kind.VALUES:
        return _preview_values(request, access, upload)
    return _preview_inspection(request, access, upload)


def _preview_plan(request, access, upload: Upload):
    context = {"access": access, "upload": upload}
    try:
        draft = read_plan_upload(upload.name, bytes(upload.data), **_plan_options(upload))
        existing = access.scope(Plan.objects.filter(title=draft.title)).first()
        reimport = reconcile(existing, draft) if existing else None
    except PlanImportError as error:
        context["problems"] = error.problems
        return render(request, "importers/preview_plan.html", context)
    if request.method == "POST" and request.POST.get("decision") == "confirm":
        with transaction.atomic():
            if not Upload.objects.filter(pk=upload.pk).delete()[0]:
                return redirect("plan_overview", access.authority.slug)  # confirmed already
            if existing:
                close = request.POST.getlist("close")
                apply_reimport(existing, draft, close_ids=close, user=request.user)
            else:
                write_plan(access.authority, draft, user=request.user)
        messages.success(request, f"{draft.title} imported")
        return redirect("plan_overview", access.authority.slug)
    context |= {"draft": draft, "problems": draft.problems, "existing": existing}
    context["reimport"] = reimport
    return render(request, "importers/preview_plan.html", context)


def _preview_inspection(request, access, upload: Upload):
    context = {"access": access, "upload": upload}
    try:
        report = read_report_upload(
            upload.name,
            bytes(upload.data),
            focused_visit=upload.options.get("focused_visit", False),
        )
    except InspectionParseError as error:
        context["problems"] = error.problems
        return render(request, "importers/preview_inspection.html", context)
    context |= {"report": report, "problems": report.problems}
    if request.method == "POST" and request.POST.get("decision") == "confirm":
        try:
            inspection = write_inspection(
                access.authority,
                report,
                code=upload.options.get("code", ""),
                source_name=upload.name,
                user=request.user,
            )
        except InspectionExistsError as error:
            context["problems"] = [*report.problems, Problem(upload.name, str(error))]
            context["refused"] = True
            return render(request, "importers/preview_inspection.html", context)
        upload.delete()
        messages.success(request, f"{inspection} imported")
        return redirect("inspection_detail", access.authority.slug, inspection.pk)
    return render(request, "importers/preview_inspection.html", context)


def _preview_values(request, access, upload: Upload):
    context = {"access": access, "upload": upload}
    confirmed = request.method == "POST" and request.POST.get("decision") == "confirm"
    try:
        read = read_values(upload.name, bytes(upload.data), all_authority_names())
        with transaction.atomic():
            result = import_values(
                access.authority,
                read.rows,
                source=upload.name,
                user=request.user,
                dry_run=not confirmed,
                problems=read.problems,
            )
            if confirmed and not Upload.objects.filter(pk=upload.pk).delete()[0]:
                transaction.set_rollback(True)  # confirmed twice: the first one wrote it
                return redirect("scorecard", access.authority.slug)
    except PlanImportError as error:
        context["problems"] = error.problems
        return render(request, "importers/preview_values.html", context)
    if confirmed:
        messages.success(request, f"{result.values} values imported from {upload.name}")
        return redirect("scorecard", access.authority.slug)
    context |= {"read": read, "result": result, "measures": measures_in(read.rows)}
    return render(request, "importers/preview_values.html", context)


def _plan_options(upload: Upload) -> dict:
    period = upload.options.get("progress_period")
    if not period:
        return {}
    return {"progress_period": parse_year_month(period)}


def _preview_url(access, upload: Upload) -> str:
    return reverse("import_preview", args=[access.authority.slug, upload.token])
