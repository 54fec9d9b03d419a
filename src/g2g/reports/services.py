"""Board packs: build one for a month as at a moment, and save it unchanged for the record."""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction

from g2g.plans.models import Plan
from g2g.tenancy.access import Access, Capability

from .board_pack import BoardPack, build_board_pack, end_of
from .models import SavedPack
from .outputs import pack_docx, pack_pdf, pack_print_html, pack_xlsx


def pack_for(plan: Plan, period: date, as_at: date | None) -> BoardPack:
    """The pack for `period`, as the plan stood at the end of `as_at` (default: now), compared
    with the last pack saved before then."""
    moment: datetime | None = end_of(as_at) if as_at else None
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
