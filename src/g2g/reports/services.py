"""Board packs: build one for a month as at a moment, and save it unchanged for the record."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from g2g.core.dates import end_of_day, month_start
from g2g.core.history import delete_with_history, save_with_history
from g2g.governance.models import Meeting
from g2g.plans.models import Plan
from g2g.tenancy.access import Access, Capability

from .board_pack import BoardPack, build_board_pack
from .models import MeetingPack, PackSummary, SavedPack
from .outputs import pack_docx, pack_pdf, pack_print_html, pack_xlsx

SUMMARY_MAX_CHARACTERS = 10_000  # about four pages: a summary is one


def pack_for(plan: Plan, period: date, as_at: date | None) -> BoardPack:
    """The pack for `period`, as the plan stood at the end of `as_at` (default: now), compared
    with the last pack saved before then."""
    moment: datetime | None = end_of_day(as_at) if as_at else None
    earlier = SavedPack.objects.filter(plan=plan)
    if moment:
        earlier = earlier.filter(as_at__lt=moment)
    previous = earlier.order_by("-as_at").values_list("as_at", flat=True).first()
    return build_board_pack(plan, period, as_at=moment, previous=previous)


def save_pack(access: Access, plan: Plan, period: date, as_at: date | None) -> SavedPack:
    """Generate the pack in every format and keep it. PDF needs Pango on the server: without it
    the pack is saved without a PDF rather than not at all."""
    access.require(Capability.EDIT_PLAN)
    pack = pack_for(plan, period, as_at)
    try:
        pdf = pack_pdf(pack)
    except OSError:  # WeasyPrint could not load Pango
        pdf = None
    with transaction.atomic():
        return SavedPack.objects.create(
            authority=access.authority,
            plan=plan,
            period=pack.period,
            as_at=pack.as_at,
            title=pack.title,
            created_by=access.user,
            html=pack_print_html(pack).encode(),
            docx=pack_docx(pack),
            xlsx=pack_xlsx(pack),
            pdf=pdf,
        )


# ---------------------------------------------------------------------------------------------
# The pack's summary, edited before the pack is issued

CONFLICT = (
    "Someone else saved this summary after you opened it. Your text is below: copy it, reload "
    "the page and add your changes to the newer version."
)


def save_pack_summary(
    access: Access, plan: Plan, period: date, text: str, *, version: int
) -> PackSummary:
    """Save the summary of the plan's pack for `period`, kept in history. `version` is the one
    the editor started from (0 for the draft from the data): refused when someone saved since."""
    access.require(Capability.EDIT_PLAN)
    plan = access.get(Plan.objects.all(), pk=plan.pk)
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise ValidationError({"text": "Enter the summary"})
    if len(text) > SUMMARY_MAX_CHARACTERS:
        raise ValidationError(
            {"text": f"The summary must be {SUMMARY_MAX_CHARACTERS:,} characters or fewer"}
        )
    period = month_start(period)
    try:
        with transaction.atomic():
            summary = (
                access.scope(PackSummary.objects.select_for_update())
                .filter(plan=plan, period=period)
                .first()
            )
            if (summary.version if summary else 0) != version:
                raise ValidationError(CONFLICT)
            if summary is None:
                summary = PackSummary(authority=access.authority, plan=plan, period=period)
            summary.text = text
            summary.version = version + 1
            summary.updated_by = access.user
            return save_with_history(summary, access.user)
    except IntegrityError as clash:  # two first saves at once: the other one won
        raise ValidationError(CONFLICT) from clash


@dataclass(frozen=True)
class SummaryVersion:
    version: int
    when: datetime
    who: str
    text: str


def summary_versions(access: Access, plan: Plan, period: date) -> list[SummaryVersion]:
    """Every saved version of the summary, newest first. One query."""
    records = (
        PackSummary.history.filter(
            authority_id=access.authority.pk, plan_id=plan.pk, period=month_start(period)
        )
        .select_related("history_user")
        .order_by("-history_id")
    )
    versions = []
    for record in records:
        user = record.history_user
        who = (user.get_full_name() or user.get_username()) if user else "Unknown"
        versions.append(SummaryVersion(record.version, record.history_date, who, record.text))
    return versions


# ---------------------------------------------------------------------------------------------
# Saved packs attached to governance meetings


def attach_pack(access: Access, meeting: Meeting, saved: SavedPack) -> MeetingPack:
    """Attach a saved pack to a meeting of one of the authority's boards (once)."""
    access.require(Capability.EDIT_PLAN)
    meeting = access.get(Meeting.objects.all(), pk=meeting.pk)
    saved = access.get(SavedPack.objects.defer("html", "docx", "xlsx", "pdf"), pk=saved.pk)
    if access.scope(MeetingPack.objects.filter(meeting=meeting, saved_pack=saved)).exists():
        raise ValidationError({"saved_pack": "That pack is already attached to this meeting"})
    attachment = MeetingPack(
        authority=access.authority, meeting=meeting, saved_pack=saved, attached_by=access.user
    )
    try:
        with transaction.atomic():
            return save_with_history(attachment, access.user)
    except IntegrityError as clash:
        raise ValidationError(
            {"saved_pack": "That pack is already attached to this meeting"}
        ) from clash


def detach_pack(access: Access, attachment: MeetingPack) -> None:
    """Take a pack off a meeting's papers (the saved pack itself is kept)."""
    access.require(Capability.EDIT_PLAN)
    attachment = access.get(MeetingPack.objects.all(), pk=attachment.pk)
    delete_with_history(attachment, access.user)
