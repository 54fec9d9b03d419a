"""Board pack files made in the background: PDF, Word and the print page.

Making a PDF takes seconds (and more while charts are drawn), too long inside a request. The
pack's page asks for a file with `request_pack_file`, which finds the `PackFile` for the same
authority, plan, month, "as at" day, format and data version (queued, being made, made, or
failed and so queued again) or makes one and enqueues `make_pack_file` (Django's tasks API:
`django-tasks` on `django-tasks-db`'s queue in the database; `g2g worker` runs it). The page then
shows the file's progress and offers it when it is ready.

The task runs as the `Access` of the user who asked, read again when it runs (a user who has
lost their role in the authority by then gets nothing made), or as the operator's for the
authority when no user asked. It builds the pack, renders the file in memory, and writes the
file with its status in one transaction at its end: a worker killed before then writes nothing,
and the task, put back on the queue when a worker starts (`core.tasks`), makes it again.

The data version is read from the history tables (every write records history), so any change
to what the pack shows makes a new file rather than serving a stale one; a pack "as at" now
carries today's date too.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.http import Http404
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks.exceptions import TaskResultDoesNotExist

from g2g.core.dates import month_start, today
from g2g.governance.models import Board, Meeting, MeetingAction
from g2g.inspections.models import Finding
from g2g.measures.models import ComparatorValue, Measure, MeasureValue, Milestone
from g2g.plans.models import Plan
from g2g.plans.revision import revision_of
from g2g.tenancy.access import Access, access_for, operator_access

from .models import PackFile, PackSummary, SavedPack
from .outputs import pack_context, render_file
from .services import pack_for

logger = logging.getLogger(__name__)

# The formats made in the background, with their names in words.
BACKGROUND_FORMATS = {
    "pdf": "PDF",
    "docx": "Word document",
    "html": "web page for printing",
}


def data_version(plan: Plan, period: date, as_at: date | None) -> str:
    """What the pack for `period` as at `as_at` is made from, as it stands: the plan's revision
    (its actions, updates, priorities, lead posts) and the plan itself, its measures' values,
    targets, comparators and definitions, its inspections' findings and which actions answer
    them, the last saved pack (the "changes since"), the pack's edited summary, the governance
    boards, meetings and actions arising (the last meeting), the settings that shape a pack, and
    today's date for a pack as at now. Fourteen small queries, whatever the size of the plan."""
    parts: list[object] = [
        revision_of(plan).key,
        period.isoformat(),
        as_at.isoformat() if as_at else f"now:{today().isoformat()}",
        settings.G2G_PROTECTIVE_MARKING,
        settings.G2G_PACK_CHARTS,
    ]
    measures = Measure.objects.filter(authority_id=plan.authority_id).values("pk")
    parts.append(_stamp(Measure.history.filter(authority_id=plan.authority_id)))
    for model in (MeasureValue, Milestone, ComparatorValue):
        parts.append(_stamp(model.history.filter(measure_id__in=measures)))
    parts.append(_stamp(Finding.history.filter(inspection__authority_id=plan.authority_id)))
    links = Finding.actions.through.objects.filter(action__plan=plan)  # which action answers what
    parts.append(tuple(links.aggregate(rows=Count("pk"), newest=Max("pk")).values()))
    parts.append(_stamp(Plan.history.filter(id=plan.pk)))  # its title, status
    parts.append(
        SavedPack.objects.filter(plan=plan).aggregate(n=Count("pk"), newest=Max("pk")).values()
    )
    summary = PackSummary.history.filter(plan_id=plan.pk, period=month_start(period))
    parts.append(_stamp(summary))  # an edited summary makes a new file
    boards = Board.objects.filter(authority_id=plan.authority_id).values("pk")
    parts.append(_stamp(Board.history.filter(authority_id=plan.authority_id)))
    parts.append(_stamp(Meeting.history.filter(board_id__in=boards)))
    meetings = Meeting.objects.filter(board_id__in=boards).values("pk")
    parts.append(_stamp(MeetingAction.history.filter(meeting_id__in=meetings)))
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _stamp(history) -> tuple:
    found = history.aggregate(rows=Count("pk"), newest=Max("history_id"))
    return found["rows"], found["newest"]


def pack_key(plan: Plan, period: date, as_at: date | None, kind: str) -> str:
    version = data_version(plan, period, as_at)
    return hashlib.sha256(f"{plan.pk}:{kind}:{version}".encode()).hexdigest()


def request_pack_file(
    access: Access, plan: Plan, period: date, as_at: date | None, kind: str
) -> PackFile:
    """The file of the pack in `kind` (one of BACKGROUND_FORMATS) for the data as it stands:
    the one already asked for, or a new one queued to be made. A file that could not be made is
    queued again. `plan` was read through `access`."""
    if kind not in BACKGROUND_FORMATS:
        raise ValueError(f"not made in the background: {kind!r}")
    key = pack_key(plan, period, as_at, kind)
    fields = {
        "authority": access.authority,
        "plan": plan,
        "period": period,
        "as_at": as_at,
        "format": kind,
        "requested_by": access.user,
    }
    try:
        with transaction.atomic():
            pack_file, created = PackFile.objects.select_for_update().get_or_create(
                key=key, defaults=fields
            )
            if not created and pack_file.status != PackFile.Status.FAILED:
                return pack_file
            if not created:  # could not be made last time: try again, for whoever asks now
                pack_file.status, pack_file.error = PackFile.Status.QUEUED, ""
                pack_file.requested_by = access.user
                pack_file.save(update_fields=["status", "error", "requested_by"])
            user = access.user.pk if access.user else None
            result = make_pack_file.enqueue(pack_file.pk, user)
            # Only the task's id: the immediate backend (tests) has already run the task.
            PackFile.objects.filter(pk=pack_file.pk).update(task_id=result.id)
    except IntegrityError:  # asked for at the same moment by someone else: theirs
        return PackFile.objects.get(key=key)
    pack_file.refresh_from_db()
    return pack_file


def _access(pack_file: PackFile, user_id: int | None) -> Access | None:
    """The asker's `Access` to the file's authority now, or the operator's when no user asked;
    None when the asker no longer has a role there."""
    if user_id is None:
        return operator_access(pack_file.authority)
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return None
    try:
        return access_for(user, pack_file.authority.slug)
    except Http404:
        return None


@task()
def make_pack_file(pack_file_id: int, user_id: int | None) -> str:
    """Make the file and store it with its status in one transaction; returns the status."""
    pack_file = PackFile.objects.select_related("authority").filter(pk=pack_file_id).first()
    if pack_file is None or pack_file.status == PackFile.Status.READY:
        return "gone" if pack_file is None else pack_file.status
    PackFile.objects.filter(pk=pack_file.pk).update(
        status=PackFile.Status.RUNNING, started_at=timezone.now(), attempts=pack_file.attempts + 1
    )
    try:
        return _make(pack_file, user_id)
    except Exception:
        _failed(pack_file, "An error stopped it being made; it has been logged.")
        raise  # the task is marked failed, with its traceback, and the error logged


def _make(pack_file: PackFile, user_id: int | None) -> str:
    access = _access(pack_file, user_id)
    if access is None:
        return _failed(pack_file, "The person who asked for it no longer has a role here.")
    try:
        plan = access.get(Plan.objects.all(), pk=pack_file.plan_id)
    except Http404:
        return _failed(pack_file, "The plan is no longer there.")
    pack = pack_for(plan, pack_file.period, pack_file.as_at)
    try:
        content = render_file(pack, pack_file.format)
    except OSError as error:  # WeasyPrint could not load Pango: no PDF on this server
        logger.warning("Board pack %s could not be made: %s", pack_file.pk, error)
        return _failed(pack_file, "PDF files cannot be made on this server.")
    # The file and its status in one statement: all of it, or (the worker killed) nothing.
    with transaction.atomic():
        PackFile.objects.filter(pk=pack_file.pk).update(
            status=PackFile.Status.READY,
            content=content,
            size=len(content),
            filename=pack.filename(pack_file.format),
            finished_at=timezone.now(),
            error="",
        )
    return PackFile.Status.READY


def check_progress(pack_file: PackFile) -> PackFile:
    """A file still waiting or being made whose task ended without making it (an error the
    task could not record on the file) is marked failed, so it can be asked for again."""
    if pack_file.status not in (PackFile.Status.QUEUED, PackFile.Status.RUNNING):
        return pack_file
    try:
        result = make_pack_file.get_backend().get_result(pack_file.task_id)
    except (NotImplementedError, TaskResultDoesNotExist, ValueError):
        return pack_file  # a backend that keeps no results (the tests' immediate one)
    if result.status in (TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL):
        pack_file.refresh_from_db()
        if pack_file.status in (PackFile.Status.QUEUED, PackFile.Status.RUNNING):
            _failed(pack_file, "An error stopped it being made; it has been logged.")
            pack_file.refresh_from_db()
    return pack_file


def _failed(pack_file: PackFile, reason: str) -> str:
    PackFile.objects.filter(pk=pack_file.pk).update(
        status=PackFile.Status.FAILED, error=reason, finished_at=timezone.now()
    )
    return PackFile.Status.FAILED


# ---------------------------------------------------------------------------------------------
# A pack's charts, when its page finds them not drawn


def draw_pack_charts_soon(plan: Plan, period: date, as_at: date | None) -> None:
    """Enqueue drawing the charts of the pack (once a minute at most for the same pack, however
    often its page is shown meanwhile)."""
    key = f"g2g:pack-charts:{plan.pk}:{period:%Y-%m}:{as_at or 'now'}"
    if cache.add(key, True, timeout=60):
        draw_pack_charts.enqueue(plan.pk, period.isoformat(), as_at.isoformat() if as_at else None)


@task()
def draw_pack_charts(plan_id: int, period: str, as_at: str | None) -> int:
    """Draw the charts the pack shows (as SVG for its page and PNG for its PDF) into the cache;
    returns how many. Run as the operator's `Access` for the plan's authority: it reads the
    plan and its measures and writes only the cache, keyed by what each chart shows."""
    plan = Plan.objects.select_related("authority").filter(pk=plan_id).first()
    if plan is None:
        return 0
    plan = operator_access(plan.authority).get(Plan.objects.all(), pk=plan_id)
    day = date.fromisoformat(as_at) if as_at else None
    pack = pack_for(plan, date.fromisoformat(period), day)
    return sum(1 for _, chart in pack_context(pack, png=True)["measures"] if chart)


# ---------------------------------------------------------------------------------------------
# Upkeep


def prune_pack_files(min_age_days: int, now: datetime | None = None) -> int:
    """Delete the pack files (all authorities) whose making ended more than `min_age_days` ago,
    made or failed; returns how many. Each is a copy of a pack as it was when asked for: asked
    for again, the pack is made again from the data as it then stands. Packs saved for the
    record (`SavedPack`) are kept apart and never deleted here."""
    cutoff = (now or timezone.now()) - timedelta(days=min_age_days)
    ended = PackFile.objects.filter(
        status__in=(PackFile.Status.READY, PackFile.Status.FAILED), finished_at__lt=cutoff
    )
    deleted, _ = ended.delete()
    return deleted
