"""Report pages: the board pack (page, downloads, saved packs)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from g2g.core.audit import record_export
from g2g.core.dates import current_period, today
from g2g.core.forms import add_errors
from g2g.core.numbers import whole_number_or_404
from g2g.governance.models import Meeting
from g2g.plans.reads import plan_for_page
from g2g.tenancy.access import Capability
from g2g.tenancy.pages import authority_page

from . import council_report as council
from . import services
from .background import (
    BACKGROUND_FORMATS,
    check_progress,
    draw_pack_charts_soon,
    request_pack_file,
)
from .board_pack import draft_summary
from .forms import AttachPackForm, CouncilReportForm, PackForm, PackSummaryForm
from .models import CouncilReport, MeetingPack, PackFile, SavedPack
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
    plan = plan_for_page(access, request)
    form = PackForm(request.GET or None)
    context = {
        "access": access,
        "plan": plan,
        "form": form,
        # Whether each has a PDF, without loading the files (nor one query per pack).
        "saved": access.scope(
            SavedPack.objects.defer("html", "docx", "xlsx", "pdf")
            .annotate(has_pdf=ExpressionWrapper(Q(pdf__isnull=False), output_field=BooleanField()))
            .prefetch_related(  # the meetings each went to: one query for all
                Prefetch("meetings", queryset=MeetingPack.objects.select_related("meeting__board"))
            )
        )[:12],
        "can_save": access.can(Capability.EDIT_PLAN),
    }
    if form.is_bound and not form.is_valid():
        return render(request, "reports/board_pack.html", context)
    period, as_at = _choice(form)
    pack = services.pack_for(plan, period, as_at)
    # Charts are drawn in the background when values change; any not drawn yet (a cold cache,
    # a pack as at a past day) are drawn by a task while the page shows their tables.
    context |= pack_context(pack, drawn_only=True) | {"query": request.GET.urlencode()}
    if context["undrawn"]:
        draw_pack_charts_soon(plan, period, as_at)
    return render(request, "reports/board_pack.html", context)


@authority_page()
def board_pack_download(request, access):
    """The pack as a file: ?format=docx|pdf|xlsx|html with the page's own choices."""
    kind = request.GET.get("format", "")
    if kind not in FORMATS:
        raise Http404("No such format")
    plan = plan_for_page(access, request)
    form = PackForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return redirect("board_pack", access.authority.slug)
    period, as_at = _choice(form)
    if kind in BACKGROUND_FORMATS:  # made by a task: its progress, then the file
        pack_file = request_pack_file(access, plan, period, as_at, kind)
        return redirect("pack_file", access.authority.slug, pack_file.pk)
    pack = services.pack_for(plan, period, as_at)
    name = pack.filename(kind)
    record_export(access, request, "board_pack", format=kind, period=f"{pack.period:%Y-%m}")
    return _download(render_file(pack, kind), FORMATS[kind], name, inline=kind == "html")


@authority_page()
def pack_file(request, access, file_pk: int):
    """A pack file made in the background: waiting, being made, ready to download, or not made
    (with a way to ask again). Without JavaScript "Check again" reloads it; with it, htmx checks
    every few seconds while the file is not ready and swaps in the answer."""
    found = check_progress(access.get(PackFile.objects.defer("content"), pk=file_pk))
    context = {
        "access": access,
        "file": found,
        "format_name": BACKGROUND_FORMATS.get(found.format, found.format),
        "waiting": found.status in (PackFile.Status.QUEUED, PackFile.Status.RUNNING),
        "again": f"{reverse('board_pack_download', args=[access.authority.slug])}?"
        + urlencode(
            {"format": found.format, "period": f"{found.period:%Y-%m}", "plan": found.plan_id}
            | ({"as_at": found.as_at.isoformat()} if found.as_at else {})
        ),
    }
    if request.headers.get("HX-Request"):
        # htmx's polling stops at a 286 answer: once the file is ready or not made.
        status = 200 if context["waiting"] else 286
        response = render(request, "reports/_pack_file_status.html", context, status=status)
    else:
        response = render(request, "reports/pack_file.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@authority_page()
def pack_file_download(request, access, file_pk: int):
    found = access.get(PackFile.objects.filter(status=PackFile.Status.READY), pk=file_pk)
    record_export(
        access, request, "board_pack", format=found.format, period=f"{found.period:%Y-%m}"
    )
    return _download(
        bytes(found.content), FORMATS[found.format], found.filename, inline=found.format == "html"
    )


@authority_page(Capability.EDIT_PLAN, methods=WRITE)
def board_pack_save(request, access):
    if request.method != "POST":
        return redirect("board_pack", access.authority.slug)
    form = PackForm(request.POST)
    if not form.is_valid():
        return redirect("board_pack", access.authority.slug)
    saved = services.save_pack(access, plan_for_page(access, request), *_choice(form))
    messages.success(request, f"Saved: {saved.title}")
    return redirect("board_pack", access.authority.slug)


@authority_page()
def saved_pack_download(request, access, pack_pk: int):
    saved = access.get(SavedPack.objects.all(), pk=pack_pk)
    kind = request.GET.get("format", "")
    content = getattr(saved, kind, None) if kind in FORMATS else None
    if content is None:
        raise Http404("No such file")
    slug = access.authority.slug
    name = f"{slug}-board-pack-{saved.period:%Y-%m}-saved-{saved.pk}.{kind}"
    record_export(access, request, "saved_board_pack", format=kind, saved_pack=saved.pk)
    return _download(bytes(content), FORMATS[kind], name, inline=kind == "html")


@authority_page(Capability.EDIT_PLAN, methods=WRITE)
def board_pack_summary(request, access):
    """The pack's summary for a month (`?period=YYYY-MM&plan=ID`): the saved text, or the draft
    from the data, to edit before the pack is issued; every save kept in history."""
    plan = plan_for_page(access, request)
    data = request.POST if request.method == "POST" else None
    chosen = PackForm({"period": request.POST.get("period") or request.GET.get("period", "")})
    period = chosen.cleaned_data["period"] if chosen.is_valid() else current_period()
    pack = services.pack_for(plan, period, None)
    form = PackSummaryForm(
        data,
        initial={
            "period": f"{period:%Y-%m}",
            "version": pack.summary.version,
            "text": pack.summary.text,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_pack_summary(
                access,
                plan,
                form.cleaned_data["period"],
                form.cleaned_data["text"],
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"Summary for {period:%B %Y} saved")
            url = reverse("board_pack", args=[access.authority.slug])
            return redirect(f"{url}?period={period:%Y-%m}&plan={plan.pk}#summary")
    context = {
        "access": access,
        "plan": plan,
        "pack": pack,
        "period": period,
        "form": form,
        "versions": services.summary_versions(access, plan, period),
        "draft": draft_summary(pack) if pack.summary.edited else [],
    }
    return render(request, "reports/board_pack_summary.html", context)


@authority_page(Capability.EDIT_PLAN, methods=WRITE)
def meeting_packs(request, access, meeting_pk: int):
    """Attach one of the saved packs to a governance meeting's papers."""
    meeting = access.get(Meeting.objects.select_related("board"), pk=meeting_pk)
    packs = access.scope(SavedPack.objects.defer("html", "docx", "xlsx", "pdf")).exclude(
        meetings__meeting=meeting
    )
    form = AttachPackForm(request.POST if request.method == "POST" else None, packs=packs)
    if request.method == "POST" and form.is_valid():
        try:
            services.attach_pack(access, meeting, form.cleaned_data["saved_pack"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"Attached {form.cleaned_data['saved_pack'].title}")
            return redirect("meeting_detail", access.authority.slug, meeting.pk)
    context = {"access": access, "meeting": meeting, "form": form, "has_packs": packs.exists()}
    return render(request, "reports/meeting_packs.html", context)


@authority_page(Capability.EDIT_PLAN, methods=("POST",))
def meeting_pack_remove(request, access, meeting_pk: int, pack_pk: int):
    """Take a saved pack off a meeting's papers."""
    attachment = access.get(
        MeetingPack.objects.select_related("saved_pack"),
        meeting_id=meeting_pk,
        saved_pack_id=pack_pk,
    )
    services.detach_pack(access, attachment)
    messages.success(request, f"Removed {attachment.saved_pack.title} from the meeting's papers")
    return redirect("meeting_detail", access.authority.slug, meeting_pk)


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
    plan = plan_for_page(access, request)
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
    export = plan_for_export(access, plan_for_page(access, request), today())
    record_export(access, request, "plan", format="docx")
    return _download(plan_docx(export), FORMATS["docx"], export_filename(export, "docx"))


@authority_page()
def plan_export_excel(request, access):
    export = plan_for_export(access, plan_for_page(access, request), today())
    record_export(access, request, "plan", format="xlsx")
    return _download(plan_xlsx(export), FORMATS["xlsx"], export_filename(export, "xlsx"))


@authority_page(Capability.EDIT_PLAN, methods=WRITE)
def council_report_list(request, access):
    """The council report drafts; POST starts a new one from today's data."""
    if request.method == "POST":
        report = council.start_council_report(access, plan_for_page(access, request), today())
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
        report = council.version_of(report, whole_number_or_404(wanted, minimum=1))
        if report is None:
            raise Http404("No such version")
    content = council.council_report_docx(report, access.authority.name)
    filename = council.council_report_filename(report, access.authority.slug)
    record_export(access, request, "council_report", format="docx", council_report=report.pk)
    return _download(content, FORMATS["docx"], filename)
