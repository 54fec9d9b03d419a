"""Import pages: upload a file, see what would be loaded and every problem, then confirm or
cancel. Reading happens on every preview; writing only on confirm, in one transaction."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse

from g2g.core.dates import parse_year_month
from g2g.core.problems import Problem, ReadError
from g2g.inspections.services import (
    InspectionExistsError,
    read_report_upload,
    write_inspection,
)
from g2g.measures.services import import_values, measures_in
from g2g.measures.values_reader import read_values
from g2g.tenancy.access import Capability
from g2g.tenancy.pages import authority_page
from g2g.tenancy.services import all_authority_names

from .forms import ColumnMappingForm, InspectionUploadForm, PlanUploadForm, ValuesUploadForm
from .models import Upload
from .services import (
    MAX_MAPPED_COLUMNS,
    OtherAuthorityError,
    clean_columns,
    import_plan,
    preview_plan_import,
    read_plan_upload,
    read_with_columns,
)
from .text_reader import COLUMN_FIELDS
from .uploads import choose_columns, confirm_upload, discard_upload, own_upload, start_upload

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
        discard_upload(access, upload)
        messages.info(request, "Import cancelled: nothing was written")
        return redirect("plan_overview", access.authority.slug)
    if upload.kind == Upload.Kind.PLAN:
        return _preview_plan(request, access, upload)
    if upload.kind == Upload.Kind.VALUES:
        return _preview_values(request, access, upload)
    return _preview_inspection(request, access, upload)


def _preview_plan(request, access, upload: Upload):
    context = {"access": access, "upload": upload}
    decision = request.POST.get("decision") if request.method == "POST" else None
    try:
        draft, columns = read_with_columns(
            access,
            lambda **more: read_plan_upload(
                upload.name, bytes(upload.data), **_plan_options(upload), **more
            ),
            upload.options.get("columns"),
        )
        mapping = ColumnMappingForm(
            draft.columns[:MAX_MAPPED_COLUMNS],
            COLUMN_FIELDS,
            request.POST if decision == "columns" else None,
        )
        if decision == "columns" and mapping.is_valid():
            choose_columns(access, upload, clean_columns(mapping.mapping()))
            messages.info(request, "The file was read again with the columns you chose")
            return redirect(_preview_url(access, upload))
        refused = None
        if decision == "confirm":
            chosen = upload.options.get("columns")
            close = request.POST.getlist("close")
            allow = request.POST.get("allow_other_authority") == "yes"
            try:
                imported = confirm_upload(
                    access,
                    upload,
                    lambda: import_plan(
                        access,
                        draft,
                        close_ids=close,
                        columns=chosen,
                        allow_other_authority=allow,
                        source=upload.name,
                    ),
                )
            except OtherAuthorityError as error:
                refused = error
            else:
                if imported is not None:  # else confirmed already: the first confirm wrote it
                    messages.success(request, f"{draft.title} imported: {imported.outcome}")
                return redirect("plan_overview", access.authority.slug)
        preview = preview_plan_import(access, draft)
    except ReadError as error:
        context["problems"] = error.problems
        return render(request, "importers/preview_plan.html", context)
    context |= {"draft": draft, "problems": draft.problems, "existing": preview.plan}
    context |= {"reimport": preview.reimport, "mapping": mapping, "preview": preview}
    context["refused"] = refused
    context["remembered"] = columns is not None and "columns" not in upload.options
    status = 400 if mapping.errors or refused else 200
    return render(request, "importers/preview_plan.html", context, status=status)


def _preview_inspection(request, access, upload: Upload):
    context = {"access": access, "upload": upload}
    try:
        report = read_report_upload(
            upload.name,
            bytes(upload.data),
            focused_visit=upload.options.get("focused_visit", False),
        )
    except ReadError as error:
        context["problems"] = error.problems
        return render(request, "importers/preview_inspection.html", context)
    context |= {"report": report, "problems": report.problems, "findings": _findings(report)}
    if request.method == "POST" and request.POST.get("decision") == "confirm":
        code = upload.options.get("code", "")
        try:
            inspection = confirm_upload(
                access,
                upload,
                lambda: write_inspection(access, report, code=code, source_name=upload.name),
            )
        except InspectionExistsError as error:
            context["problems"] = [*report.problems, Problem(upload.name, str(error))]
            context["refused"] = True
            return render(request, "importers/preview_inspection.html", context)
        if inspection is None:  # confirmed already
            return redirect("inspection_list", access.authority.slug)
        messages.success(request, f"{inspection} imported")
        return redirect("inspection_detail", access.authority.slug, inspection.pk)
    return render(request, "importers/preview_inspection.html", context)


def _preview_values(request, access, upload: Upload):
    context = {"access": access, "upload": upload}
    confirmed = request.method == "POST" and request.POST.get("decision") == "confirm"
    try:
        read = read_values(upload.name, bytes(upload.data), all_authority_names())
        options = {"source": upload.name, "problems": read.problems}
        if confirmed:
            result = confirm_upload(
                access, upload, lambda: import_values(access, read.rows, **options)
            )
            if result is not None:  # else confirmed already: the first confirm wrote it
                messages.success(request, f"{result.values} values imported from {upload.name}")
            return redirect("scorecard", access.authority.slug)
        result = import_values(access, read.rows, dry_run=True, **options)
    except ReadError as error:
        context["problems"] = error.problems
        return render(request, "importers/preview_values.html", context)
    context |= {"read": read, "result": result, "measures": measures_in(read.rows)}
    return render(request, "importers/preview_values.html", context)


_FINDING_HEADINGS = {
    "priority": "Areas for priority action",
    "improvement": "Areas for improvement",
    "reviewed": "Areas of concern the visit reviewed",
    "progress": "Headline findings",
    "strength": "Strengths",
    "development": "Areas for development",
}


def _findings(report) -> list[tuple[str, list[str]]]:
    """A report's findings other than its recommendations, each kind under its heading."""
    return [
        (_FINDING_HEADINGS[kind], texts)
        for kind, texts in report.findings()
        if texts and kind in _FINDING_HEADINGS
    ]


def _plan_options(upload: Upload) -> dict:
    period = upload.options.get("progress_period")
    if not period:
        return {}
    return {"progress_period": parse_year_month(period)}


def _preview_url(access, upload: Upload) -> str:
    return reverse("import_preview", args=[access.authority.slug, upload.token])
