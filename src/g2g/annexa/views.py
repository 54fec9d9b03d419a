"""Annex A pages: the returns checked so far, uploading one, its KPIs and data-quality report,
adding its KPIs to the scorecard, and the authority's choice about keeping files."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from g2g.core.audit import record_event, record_export
from g2g.core.models import AuditEvent
from g2g.core.problems import ReadError
from g2g.tenancy.access import Capability
from g2g.tenancy.pages import authority_page

from . import reads, report
from .forms import RetentionForm, ReturnUploadForm
from .models import AnnexAReturn
from .services import check_return_upload, publish_return, set_retention

WRITE = ("GET", "HEAD", "POST")


@authority_page()
def return_list(request, access):
    context = {
        "access": access,
        "returns": reads.returns_for_list(access),
        "retention": reads.retention_for(access),
        "can_upload": access.can(Capability.EDIT_PLAN),
    }
    return render(request, "annexa/return_list.html", context)


@authority_page(Capability.EDIT_PLAN, methods=WRITE)
def upload_return(request, access):
    posted = request.method == "POST"
    form = ReturnUploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            record = check_return_upload(
                access, upload.name, upload.read(), snapshot=form.cleaned_data["snapshot_date"]
            )
        except ReadError as error:
            form.add_error("file", str(error))
        else:
            record_event(
                AuditEvent.Kind.ANNEXA_UPLOAD,
                user=access.user,
                authority=access.authority,
                request=request,
                annexa_return=record.pk,
                file_name=record.file_name,
                sha256=record.sha256,
                kept_file=record.kept_file is not None,
            )
            kept = "kept, encrypted" if record.kept_file is not None else "not kept"
            messages.success(request, f"Return checked: the file was {kept}")
            return redirect("annexa_detail", access.authority.slug, record.pk)
    return render(request, "annexa/upload.html", {"access": access, "form": form})


@authority_page()
def return_detail(request, access, return_pk: int):
    record = reads.return_for_page(access, return_pk)
    context = {
        "access": access,
        "record": record,
        "kpis": report.kpi_rows(record),
        "problems": report.problem_rows(record),
        "counts": report.count_rows(record),
        "lists": report.list_rows(record),
        "can_publish": access.can(Capability.EDIT_PLAN)
        and record.status == AnnexAReturn.Status.CHECKED,
    }
    return render(request, "annexa/return_detail.html", context)


@authority_page(Capability.EDIT_PLAN, methods=("POST",))
def publish(request, access, return_pk: int):
    record = reads.return_for_page(access, return_pk)
    written = publish_return(access, record)
    messages.success(request, f"{written} measure value{'s' if written != 1 else ''} written")
    return redirect("annexa_detail", access.authority.slug, record.pk)


@authority_page()
def quality_workbook(request, access, return_pk: int):
    record = reads.return_for_page(access, return_pk)
    record_export(access, request, "annexa_quality_workbook", annexa_return=record.pk)
    response = HttpResponse(
        report.quality_workbook(record),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="annex-a-data-quality-{record.snapshot_date:%Y-%m-%d}.xlsx"'
    )
    return response


@authority_page(Capability.EDIT_PLAN, methods=WRITE)
def retention(request, access):
    current = reads.retention_for(access)
    initial = {"keep_files": False, "keep_days": 30}
    if current:
        initial = {"keep_files": current.keep_files, "keep_days": current.keep_days}
    form = RetentionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        set_retention(access, **form.cleaned_data)
        messages.success(request, "Retention choice saved")
        return redirect("annexa_list", access.authority.slug)
    return render(request, "annexa/retention.html", {"access": access, "form": form})
