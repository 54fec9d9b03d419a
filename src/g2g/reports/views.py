"""Report pages: the board pack (page, downloads, saved packs)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from g2g.core.audit import record_export
from g2g.core.dates import current_period, today
from g2g.plans.reads import current_plan_or_404
from g2g.tenancy.access import Capability
from g2g.tenancy.pages import authority_page

from . import council_report as council
from . import services
from .forms import CouncilReportForm, PackForm
from .models import CouncilReport, SavedPack
from .outputs import FORMATS, pack_context, render_file
from .plan_export import (
    export_filename,
    plan_docx,
    plan_for_export,
    plan_xlsx,
)

WRITE = ("GET", "HEAD", "POST")


@authority_page()
def board_pack(request, access):
    plan = current_plan_or_404(access)
    form = PackForm(request.GET or None)
    context = {
        "access": access,
        "form": form,
        # Whether each has a PDF, without loading the files (nor one query per pack).
        "saved": access.scope(
            SavedPack.objects.defer("html", "docx", "xlsx", "pdf").annotate(
                has_pdf=ExpressionWrapper(Q(pdf__isnull=False), output_field=BooleanField())
            )
        )[:12],
        "can_save": access.can(Capability.EDIT_PLAN),
    }
    if form.is_bound and not form.is_valid():
        return render(request, "reports/board_pack.html", context)
    period, as_at = _choice(form)
    pack = services.pack_for(plan, period, as_at)
    context |= pack_context(pack) | {"query": request.GET.urlencode()}
    return render(request, "reports/board_pack.html", context)


@authority_page()
def board_pack_download(request, access):
    """The pack as a file: ?format=docx|pdf|xlsx|html with the page's own choices."""
    kind = request.GET.get("format", "")
    if kind not in FORMATS:
        raise Http404("No such format")
    plan = current_plan_or_404(access)
    form = PackForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return redirect("board_pack", access.authority.slug)
    pack = services.pack_for(plan, *_choice(form))
    name = f"board-pack-{pack.period:%Y-%m}.{kind}"
    record_export(access, request, "board_pack", format=kind, period=f"{pack.period:%Y-%m}")
    return _download(render_file(pack, kind), FORMATS[kind], name, inline=kind == "html")


@authority_page(Capability.EDIT_PLAN, methods=WRITE)
def board_pack_save(request, access):
    if request.method != "POST":
        return redirect("board_pack", access.authority.slug)
    form = PackForm(request.POST)
    if not form.is_valid():
        return redirect("board_pack", access.authority.slug)
    saved = services.save_pack(access, current_plan_or_404(access), *_choice(form))
    messages.success(request, f"Saved: {saved.title}")
    return redirect("board_pack", access.authority.slug)


@authority_page()
def saved_pack_download(request, access, pack_pk: int):
    saved = access.get(SavedPack.objects.all(), pk=pack_pk)
    kind = request.GET.get("format", "")
    content = getattr(saved, kind, None) if kind in FORMATS else None
    if content is None:
        raise Http404("No such file")
    name = f"board-pack-{saved.period:%Y-%m}-saved-{saved.pk}.{kind}"
    record_export(access, request, "saved_board_pack", format=kind, saved_pack=saved.pk)
    return _download(bytes(content), FORMATS[kind], name, inline=kind == "html")


def _choice(form: PackForm) -> tuple[date, date | None]:
    """The month and "as at" date asked for (a valid form), or this month as it stands now."""
    if not form.is_bound:
        return current_period(), None
    return form.cleaned_data["period"], form.cleaned_data["as_at"]


# ---------------------------------------------------------------------------------------------
# The plan export (anyone who can read the plan) and council reports (improvement leads)


def _download(content: bytes, media_type: str, filename: str, inline: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type=media_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@authority_page()
def plan_export(request, access):
    """What the Word and Excel exports hold, with links to download them."""
    plan = current_plan_or_404(access)
    export = plan_for_export(access, plan, today())
    context = {
        "access": access,
        "plan": plan,
        "export": export,
        "can_import": access.can(Capability.EDIT_PLAN),
    }
    return render(request, "reports/plan_export.html", context)


@authority_page()
def plan_export_word(request, access):
    export = plan_for_export(access, current_plan_or_404(access), today())
    record_export(access, request, "plan", format="docx")
    return _download(plan_docx(export), FORMATS["docx"], export_filename(export, "docx"))


@authority_page()
def plan_export_excel(request, access):
    export = plan_for_export(access, current_plan_or_404(access), today())
    record_export(access, request, "plan", format="xlsx")
    return _download(plan_xlsx(export), FORMATS["xlsx"], export_filename(export, "xlsx"))


@authority_page(Capability.EDIT_PLAN, methods=WRITE)
def council_report_list(request, access):
    """The council report drafts; POST starts a new one from today's data."""
    if request.method == "POST":
        report = council.start_council_report(access, current_plan_or_404(access), today())
        messages.success(request, "New draft started from today's figures")
        return redirect("council_report_edit", access.authority.slug, report.pk)
    context = {
        "access": access,
        "reports": access.scope(CouncilReport.objects.select_related("created_by")),
    }
    return render(request, "reports/council_report_list.html", context)


@authority_page(Capability.EDIT_PLAN, methods=WRITE)
def council_report_edit(request, access, council_report_pk: int):
    report = access.get(CouncilReport.objects.all(), pk=council_report_pk)
    form = CouncilReportForm(request.POST or None, instance=report)
    if request.method == "POST" and form.is_valid():
        changes = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        try:
            council.save_council_report(
                access, report, changes, version=form.cleaned_data["version"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Council report saved")
            return redirect("council_report_edit", access.authority.slug, report.pk)
    context = {
        "access": access,
        "report": report,
        "form": form,
        "versions": council.versions_of(report),
        "word_url": reverse("council_report_word", args=[access.authority.slug, report.pk]),
    }
    return render(request, "reports/council_report_form.html", context)


@authority_page(Capability.EDIT_PLAN)
def council_report_word(request, access, council_report_pk: int):
    """The saved report as Word; `?version=N` gives an earlier saved version."""
    report = access.get(CouncilReport.objects.all(), pk=council_report_pk)
    wanted = request.GET.get("version", "")
    if wanted:
        if not wanted.isdigit():
            raise Http404("No such version")
        report = council.version_of(report, int(wanted))
        if report is None:
            raise Http404("No such version")
    content = council.council_report_docx(report, access.authority.name)
    filename = council.council_report_filename(report, access.authority.slug)
    record_export(access, request, "council_report", format="docx", council_report=report.pk)
    return _download(content, FORMATS["docx"], filename)
