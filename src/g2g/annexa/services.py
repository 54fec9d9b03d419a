"""Every write of the Annex A app: check an uploaded return, add its KPIs to the scorecard,
set the authority's retention choice, and purge kept files that have expired.

Child-level data: the uploaded bytes are checked (`check_upload`) and analysed in memory, and
only aggregates are stored (`AnnexAReturn`). The file is kept only when the authority opted in,
and only encrypted, with `cryptography`'s Fernet and the server's key
(`settings.ANNEXA_FILE_KEY`). Without a key the file is not kept, and the return says why:
child data are never stored unencrypted.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import polars as pl
from cryptography.fernet import Fernet
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from g2g.core.dates import month_start
from g2g.core.history import save_with_history
from g2g.core.problems import ReadError
from g2g.core.safe_files import MAX_UPLOAD_BYTES, check_upload
from g2g.measures.models import Measure, MeasureValue
from g2g.measures.services import create_indicator_measure
from g2g.plans.models import Plan
from g2g.plans.reads import current_plan
from g2g.tenancy.access import Access, Capability

from .analysis import Analysis, analyse
from .kpis import KPIS
from .models import AnnexAReturn, RetentionSetting

COMPUTED_SOURCE = "Annex A (computed)"


class KeepingUnavailable(Exception):
    """The file cannot be kept encrypted on this server."""


def check_return_upload(
    access: Access, name: str, data: bytes, *, snapshot: date | None = None
) -> AnnexAReturn:
    """Check an uploaded workbook, store its aggregates, and discard the file (unless the
    authority keeps files, encrypted). Raises `ReadError` and stores nothing when the
    file is unsafe or unreadable."""
    access.require(Capability.EDIT_PLAN)
    kind = check_upload(name, data, max_bytes=MAX_UPLOAD_BYTES, what="an Annex A return")
    if kind != "xlsx":
        raise ReadError.at(name, "upload the Annex A workbook as an Excel file (.xlsx)")
    try:
        analysis = analyse(data, name, snapshot)
    except pl.exceptions.PolarsError as error:
        raise ReadError.at(name, "cannot be read as an Annex A workbook") from error
    if not analysis.rows:
        raise ReadError.at(
            name, "no sheet is an Annex A list; name the sheets 'List 1' to 'List 11'"
        )
    return record_return(access, analysis, data=data)


def record_return(
    access: Access, analysis: Analysis, *, data: bytes = b"", synthetic: bool = False
) -> AnnexAReturn:
    """Store what an analysis found (aggregates and row numbers only) as a return of `access`'s
    authority, uploaded by its user. Needs EDIT_PLAN.

    Preconditions: `analysis` was made from `data` (when given) by `analyse`; `data` is kept,
    encrypted, only when the authority keeps files. `synthetic` marks a made-up demo return."""
    access.require(Capability.EDIT_PLAN)
    record = AnnexAReturn(
        authority=access.authority,
        uploaded_by=access.user,
        file_name=analysis.name[:255],
        sha256=analysis.sha256,
        snapshot_date=analysis.snapshot,
        snapshot_inferred=analysis.snapshot_inferred,
        spec_version=analysis.spec_version,
        synthetic=synthetic,
        rows=analysis.rows,
        quality=analysis.quality.as_dict(),
        kpis={key: result.as_dict() for key, result in analysis.kpis.items()},
    )
    with transaction.atomic():
        setting = access.scope(RetentionSetting.objects.all()).first()
        if data and setting and setting.keep_files:
            try:
                record.kept_file = encrypt_for_keeping(data)
                record.kept_until = timezone.now() + timedelta(days=setting.keep_days)
            except KeepingUnavailable as why:
                record.kept_note = f"The file was not kept: {why}"
        save_with_history(record, access.user)
    return record


def encrypt_for_keeping(data: bytes) -> bytes:
    """The file encrypted with the server's key (Fernet: AES with an HMAC), or
    `KeepingUnavailable` when the library or the key is missing."""
    key = getattr(settings, "ANNEXA_FILE_KEY", "")
    if not key:
        raise KeepingUnavailable("no encryption key is configured (ANNEXA_FILE_KEY)")
    return Fernet(key).encrypt(data)


def _note(record: AnnexAReturn) -> str:
    kind = "Synthetic Annex A" if record.synthetic else "Annex A"
    return f"{kind} {record.file_name}, {record.snapshot_date:%d %b %Y}, sha256 {record.short_hash}"


@transaction.atomic
def publish_return(access: Access, record: AnnexAReturn) -> int:
    """Write the return's KPIs as the values of the authority's measures for the snapshot's
    month, with numerator and denominator; return how many values were written.

    Each KPI goes to every measure tracking its indicator; an indicator no measure tracks gets
    a new measure, named from the catalogue, so the scorecard shows it. A value the month
    already has is replaced (its history keeps the old one)."""
    access.require(Capability.EDIT_PLAN)
    record = access.get(AnnexAReturn.objects.select_for_update(), pk=record.pk)
    if record.status == AnnexAReturn.Status.PUBLISHED:
        return 0
    written = write_measure_values(access, record)
    record.status = AnnexAReturn.Status.PUBLISHED
    record.published_at = timezone.now()
    save_with_history(record, access.user, update_fields=["status", "published_at"])
    return written


def write_measure_values(access: Access, record: AnnexAReturn) -> int:
    """Write the KPIs of `record` as the values of `access`'s authority's measures, in one
    transaction (`publish_return`'s, when it calls this); return how many were written. Needs
    EDIT_PLAN. It does not mark the return published: `publish_return` does.

    Preconditions: `record` was fetched through `access`."""
    access.require(Capability.EDIT_PLAN)
    period = month_start(record.snapshot_date)
    keys = [key for key, result in record.kpis.items() if result.get("value") is not None]
    source = MeasureValue.Source.SYNTHETIC if record.synthetic else MeasureValue.Source.COMPUTED
    written = 0
    with transaction.atomic():
        measures: dict[str, list[Measure]] = {}
        for measure in access.scope(Measure.objects.filter(indicator__in=keys)):
            measures.setdefault(measure.indicator, []).append(measure)
        existing = {
            value.measure_id: value
            for value in access.scope(
                MeasureValue.objects.filter(measure__indicator__in=keys, period=period)
            )
        }
        plan = current_plan(access)
        for key in keys:
            for measure in measures.get(key) or [_new_measure(access, key, plan)]:
                result = record.kpis[key]
                value = existing.get(measure.pk) or MeasureValue(measure=measure, period=period)
                value.value = Decimal(str(result["value"]))
                value.numerator = Decimal(result["numerator"])
                value.denominator = Decimal(result["denominator"])
                value.source = source
                value.note = _note(record)
                save_with_history(value, access.user)
                written += 1
    return written


def _new_measure(access: Access, key: str, plan: Plan | None) -> Measure:
    definition = KPIS.get(key)
    text = ""
    if definition:
        text = f"{definition.numerator.capitalize()}, of {definition.denominator}."
    return create_indicator_measure(
        access, key, plan=plan, data_source=COMPUTED_SOURCE, definition=text
    )


@transaction.atomic
def set_retention(access: Access, *, keep_files: bool, keep_days: int) -> RetentionSetting:
    access.require(Capability.EDIT_PLAN)
    setting = access.scope(RetentionSetting.objects.all()).first() or RetentionSetting(
        authority=access.authority
    )
    setting.keep_files, setting.keep_days = keep_files, keep_days
    save_with_history(setting, access.user)
    return setting


def purge_expired_files(now: datetime | None = None) -> int:
    """Delete every kept file whose time has passed (all authorities: the retention job)."""
    now = now or timezone.now()
    purged = 0
    expired = AnnexAReturn.objects.filter(kept_until__lt=now).exclude(kept_file=None)
    for record in expired.only("pk", "kept_until"):
        with transaction.atomic():
            record.kept_file, record.kept_until = None, None
            record.kept_note = f"The kept file was deleted on {now:%d %B %Y}"
            record._change_reason = "Retention period ended"
            record.save(update_fields=["kept_file", "kept_until", "kept_note"])
        purged += 1
    return purged
