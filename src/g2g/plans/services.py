"""Every write to a plan goes through these functions: permission, validation, one transaction,
and the history record (who and when) — the same for pages, commands and, later, the API.

Progress updates move through the monthly round's workflow here and nowhere else:
draft → submitted → returned (with a comment) or signed off. Every write carries the `version`
the writer read, and a write made against an older version is refused (`StaleUpdateError`), so
two people editing the same update cannot silently overwrite each other.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from g2g.core.dates import add_months, current_period, month_start
from g2g.core.history import delete_with_history, save_with_history
from g2g.core.safe_files import UnsafeFileError, describe, identify
from g2g.tenancy.access import Access, Capability

from .models import Action, EvidenceFile, ProgressUpdate, Rating, rating_look

Status = ProgressUpdate.Status
MAX_EVIDENCE_LINKS = 20
MAX_RETURN_COMMENT = 5000
WRITABLE_MONTHS = 12  # this month and the eleven before it


class StaleUpdateError(ValidationError):
    """The update changed after the writer read it; `current` is what is saved now."""

    def __init__(self, current: ProgressUpdate | None) -> None:
        self.current = current
        if current is None:
            message = (
                "This update was deleted after you opened it. Your text is kept below: "
                "save again to write it as a new update."
            )
        else:
            who = _name(current.history.first().history_user) if current.pk else "someone"
            when = timezone.localtime(current.updated_at).strftime("%-d %B %Y at %H:%M")
            message = (
                f"{who} changed this update on {when}, after you opened it, so your changes "
                "were not saved. Your text is kept below and their version is shown under the "
                "form: compare them, then save again to replace their version with yours."
            )
        super().__init__(message, code="stale")


def _name(user) -> str:
    if user is None:
        return "Someone"
    return user.get_full_name() or user.get_username()


def writable_periods() -> list[date]:
    """The months a progress update may be written for, newest first: this month and the
    eleven before it. Pages offer these; the API and commands are held to them here."""
    return [add_months(current_period(), -back) for back in range(WRITABLE_MONTHS)]


@dataclass(frozen=True)
class UpdateContent:
    """What a person writes in a progress update."""

    period: date
    narrative: str
    action_rating: str = ""
    impact_rating: str = ""
    evidence_text: str = ""
    evidence_links: Sequence[str] = ()
    next_steps: str = ""
    risks: str = ""
    support_needed: str = ""


# What a writer may add beside the progress, each optional: carried into the board pack.
OPTIONAL_UPDATE_FIELDS = ("next_steps", "risks", "support_needed")


def save_draft(
    access: Access,
    action: Action,
    content: UpdateContent,
    *,
    version: int,
    files: Iterable = (),
    remove_files: Iterable[int] = (),
) -> ProgressUpdate:
    """Save the month's update as a draft (a submitted or returned one goes back to draft).

    Preconditions: `action` was fetched through `access` with its plan; `version` is the
    version of the month's update the writer read (0 when there was none). The month must be
    one of `writable_periods()` (else ValidationError on "period").
    """
    return _write(access, action, content, version, files, remove_files, submit=False)


def submit_update(
    access: Access,
    action: Action,
    content: UpdateContent,
    *,
    version: int,
    files: Iterable = (),
    remove_files: Iterable[int] = (),
) -> ProgressUpdate:
    """Save the month's update and submit it for sign-off.

    A Blue rating, or a rating that differs from the action's current one, needs evidence.
    """
    return _write(access, action, content, version, files, remove_files, submit=True)


def return_update(
    access: Access, update: ProgressUpdate, *, comment: str, version: int
) -> ProgressUpdate:
    """Send a submitted update back to its writer with a comment saying what is missing."""
    access.require(Capability.SIGN_OFF_UPDATE)
    require_open_plan(update.action.plan)
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": "Say why the update is returned and what it needs"})
    if len(comment) > MAX_RETURN_COMMENT:
        raise ValidationError({"comment": "The comment must be 5,000 characters or fewer"})
    with transaction.atomic():
        update = _locked(update, version)
        _require_submitted(update, "returned")
        update.status = Status.RETURNED
        update.returned_by, update.returned_at = access.user, timezone.now()
        update.return_comment = comment
        _save(update, access.user)
    return update


def sign_off_update(access: Access, update: ProgressUpdate, *, version: int) -> ProgressUpdate:
    """Verify a submitted update's evidence; from now on its ratings count (Blue included).

    Someone other than the person who submitted it signs it off.
    """
    access.require(Capability.SIGN_OFF_UPDATE)
    require_open_plan(update.action.plan)
    with transaction.atomic():
        update = _locked(update, version)
        _require_submitted(update, "signed off")
        if update.submitted_by_id == access.user.pk:
            raise ValidationError(
                "You submitted this update, so someone else must sign it off: another "
                "improvement lead or an administrator."
            )
        update.status = Status.SIGNED_OFF
        update.signed_off_by, update.signed_off_at = access.user, timezone.now()
        _save(update, access.user)
    return update


# ---------------------------------------------------------------------------------------------
# Writing an update


def _write(access, action, content, version, files, remove_files, *, submit) -> ProgressUpdate:
    if not access.can_write_update(action):
        raise PermissionDenied("You cannot write updates for this action.")
    require_open_plan(action.plan)
    content = _cleaned(content)
    checked = check_evidence_files(list(files))
    stored: list = []  # files written to storage, deleted again unless the transaction commits
    committed = False
    try:
        with transaction.atomic():
            update = _write_in_transaction(
                access, action, content, version, checked, set(remove_files), submit, stored
            )
        committed = True
    except IntegrityError:  # someone wrote the month's first update at the same moment
        current = ProgressUpdate.objects.filter(action=action, period=content.period).first()
        raise StaleUpdateError(current) from None
    finally:
        if not committed:
            for storage, name in stored:
                storage.delete(name)
    return update


def _write_in_transaction(access, action, content, version, checked, remove_ids, submit, stored):
    update = (
        ProgressUpdate.objects.select_for_update()
        .filter(action=action, period=content.period)
        .first()
    )
    if (update.version if update else 0) != version:
        raise StaleUpdateError(update)
    if update is not None and not update.is_editable:
        raise ValidationError(
            "This month's update has been signed off, so it is the record and cannot change. "
            "Write next month's update instead."
        )
    if update is None:
        update = ProgressUpdate(action=action, period=content.period, author=access.user)
        update.version = 0
    keeping = [
        f for f in (update.evidence_files.all() if update.pk else []) if f.pk not in remove_ids
    ]
    limit = settings.EVIDENCE_MAX_FILES_PER_UPDATE
    if len(keeping) + len(checked) > limit:
        raise ValidationError({"evidence_files": f"Attach {limit} files or fewer to one update"})
    for field in ("narrative", "action_rating", "impact_rating", "evidence_text"):
        setattr(update, field, getattr(content, field))
    for field in OPTIONAL_UPDATE_FIELDS:
        setattr(update, field, getattr(content, field))
    update.evidence_links = list(content.evidence_links)
    if submit:
        _require_evidence(action, content, has_files=bool(keeping or checked))
        update.status = Status.SUBMITTED
        update.submitted_by = access.user
        update.submitted_at = update.submitted_at or timezone.now()
    else:
        update.status = Status.DRAFT
    _save(update, access.user)
    if update.pk and remove_ids:
        _remove_files(update, remove_ids, access.user)
    _store_files(update, checked, access.user, stored)
    return update


def _cleaned(content: UpdateContent) -> UpdateContent:
    """Field by field checks; every problem is reported at once, against its field."""
    errors: dict[str, str] = {}
    months = writable_periods()
    if month_start(content.period) not in months:
        errors["period"] = (
            f"An update can only be for {months[-1]:%B %Y} to {months[0]:%B %Y}: this month "
            f"or one of the {len(months) - 1} months before it"
        )
    narrative = content.narrative.strip()
    if not narrative:
        errors["narrative"] = "Enter what progress has been made"
    for field in ("action_rating", "impact_rating"):
        value = getattr(content, field)
        if value and value not in Rating.values:
            errors[field] = "Choose a rating from the list"
    links = [link.strip() for link in content.evidence_links if link.strip()]
    if len(links) > MAX_EVIDENCE_LINKS:
        errors["evidence_links"] = f"Give {MAX_EVIDENCE_LINKS} links or fewer"
    bad = [number for number, link in enumerate(links, start=1) if not _is_web_address(link)]
    if bad:
        errors["evidence_links"] = (
            f"Link {bad[0]} is not a web address"
            if len(bad) == 1
            else f"Links {', '.join(map(str, bad[:-1]))} and {bad[-1]} are not web addresses"
        ) + ": enter addresses starting with https://, one on each line"
    if errors:
        raise ValidationError(errors)
    return UpdateContent(
        period=month_start(content.period),
        narrative=narrative,
        action_rating=content.action_rating,
        impact_rating=content.impact_rating,
        evidence_text=content.evidence_text.strip(),
        evidence_links=tuple(links),
        **{field: getattr(content, field).strip() for field in OPTIONAL_UPDATE_FIELDS},
    )


def _is_web_address(link: str) -> bool:
    try:
        URLValidator(schemes=["https", "http"])(link)
    except ValidationError:
        return False
    return True


def _require_evidence(action: Action, content: UpdateContent, *, has_files: bool) -> None:
    """A Blue rating, or a rating that moves from the action's current one, needs evidence text.

    "Current" is the rating that counts for the month before this update's (with_status).
    """
    before = content.period - timedelta(days=1)
    current = Action.objects.filter(pk=action.pk).with_status(before).get()
    if content.evidence_text:
        return
    for field, word in (("action_rating", "action"), ("impact_rating", "impact")):
        new, old = getattr(content, field), getattr(current, field) or ""
        if new == Rating.BLUE:
            reason = f"Blue {word} rating (complete)"
        elif new and new != old:
            reason = (
                f"change of {word} rating from {rating_look(old).word} to {rating_look(new).word}"
            )
        else:
            continue
        extra = "" if has_files else " Attach files or give links too where you can."
        raise ValidationError(
            {
                "evidence_text": f"Describe the evidence for the {reason}: a Blue rating or a "
                f"change of rating needs evidence before it can be submitted.{extra}"
            }
        )


def _locked(update: ProgressUpdate, version: int) -> ProgressUpdate:
    current = (
        ProgressUpdate.objects.select_for_update()
        .select_related("action__plan")
        .filter(pk=update.pk)
        .first()
    )
    if current is None or current.version != version:
        raise StaleUpdateError(current)
    return current


def _require_submitted(update: ProgressUpdate, verb: str) -> None:
    if update.status != Status.SUBMITTED:
        raise ValidationError(
            f"Only a submitted update can be {verb}; this one is "
            f"{update.get_status_display().lower()}."
        )


def _save(update: ProgressUpdate, user) -> None:
    """Every write makes a new version (and one history row saying who made it)."""
    update.version += 1
    save_with_history(update, user)


# ---------------------------------------------------------------------------------------------
# Evidence files: an allow-list of kinds, decided from the content (never the name alone)

EVIDENCE_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "txt": "text/plain",
    "csv": "text/csv",
}
_EVIDENCE_EXTENSIONS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".pptx": "pptx",
    ".png": "png",
    ".jpg": "jpeg",
    ".jpeg": "jpeg",
    ".txt": "txt",
    ".csv": "csv",
}


@dataclass(frozen=True)
class CheckedFile:
    name: str
    kind: str
    data: bytes


def check_evidence_files(files: list) -> list[CheckedFile]:
    """Check every uploaded file before anything is stored; all problems reported together."""
    problems, checked = [], []
    for upload in files:
        name = clean_file_name(upload.name)
        try:
            kind, data = _check_evidence_file(name, upload)
        except ValidationError as error:
            problems.extend(error.messages)
        else:
            checked.append(CheckedFile(name, kind, data))
    if problems:
        raise ValidationError({"evidence_files": problems})
    return checked


def clean_file_name(name: str) -> str:
    """The last part of the name only, without control characters, at most 200 characters."""
    base = PurePosixPath(str(name).replace("\\", "/")).name
    base = re.sub(r"[\x00-\x1f\x7f\"<>|:*?]", "", base).strip(" .")
    if len(base) > 200:
        stem, dot, extension = base.rpartition(".")
        base = (stem[: 190 - len(extension)] + dot + extension) if dot else base[:200]
    return base or "evidence"


def _check_evidence_file(name: str, upload) -> tuple[str, bytes]:
    """The evidence rules: at most `EVIDENCE_MAX_UPLOAD_BYTES`, a kind on the allow-list, named
    as what its content is (`safe_files.identify`, which also refuses hostile content). Run
    here, so every path that saves evidence (pages, API) runs them."""
    limit = settings.EVIDENCE_MAX_UPLOAD_BYTES
    if upload.size > limit:
        raise ValidationError(f"{name} is larger than {limit / 1024 / 1024:.0f} MB")
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(f"{name} is larger than {limit / 1024 / 1024:.0f} MB")
    if not data:
        raise ValidationError(f"{name} is empty")
    try:
        found = identify(name, data)
    except UnsafeFileError as error:
        raise ValidationError([f"{p.where} {p.message}" for p in error.problems]) from error
    expected = _EVIDENCE_EXTENSIONS.get(PurePosixPath(name).suffix.lower())
    if expected is None:
        raise ValidationError(
            f"{name} is not a kind of file that can be attached: attach PDF, Word (.docx), "
            "Excel (.xlsx), PowerPoint (.pptx), PNG, JPEG, text or CSV files"
        )
    if found == "ole":
        raise ValidationError(
            f"{name} is in an old Office format or password-protected: save it as .docx, .xlsx "
            "or .pptx without a password and attach that"
        )
    if found == "binary":
        raise ValidationError(f"{name} holds binary data of a kind that cannot be attached")
    if found != expected and not (found == "text" and expected in ("txt", "csv")):
        raise ValidationError(
            f"{name} is named as {expected.upper()} but its content is "
            f"{_described(found)}: save it in the right format, or rename it, and attach it again"
        )
    return expected, data


def _described(kind: str) -> str:
    if kind in EVIDENCE_CONTENT_TYPES:
        return kind.upper()
    return "text" if kind == "text" else describe(kind)


def _store_files(update: ProgressUpdate, checked: list[CheckedFile], user, stored: list) -> None:
    """Write the files to storage, noting each in `stored` so a failed write can remove them."""
    for item in checked:
        evidence = EvidenceFile(
            update=update,
            name=item.name,
            kind=item.kind,
            size=len(item.data),
            sha256=hashlib.sha256(item.data).hexdigest(),
            uploaded_by=user,
        )
        evidence.file.save(item.name, ContentFile(item.data), save=False)
        stored.append((evidence.file.storage, evidence.file.name))
        save_with_history(evidence, user)


def _remove_files(update: ProgressUpdate, ids: set[int], user) -> None:
    for evidence in update.evidence_files.filter(pk__in=ids):
        storage, stored = evidence.file.storage, evidence.file.name
        delete_with_history(evidence, user)
        transaction.on_commit(lambda storage=storage, stored=stored: storage.delete(stored))


EDITABLE_ACTION_FIELDS = (
    "title",
    "text",
    "objective",
    "timescale_text",
    "start",
    "end",
    "ongoing",
    "evidence_of_success",
    "children_will_say",
)


def _check_action_edit(action, changes, leads, focus_areas, findings) -> None:
    """The checks on an edit that need no lock: its objective, links and dates."""
    objective = changes.get("objective")
    if objective is not None and objective.priority_id != action.priority_id:
        raise ValidationError({"objective": "Choose an objective of this action's priority"})
    if leads is not None and any(post.authority_id != action.plan.authority_id for post in leads):
        raise ValidationError({"leads": "Choose lead posts from this authority"})
    if focus_areas is not None and any(area.plan_id != action.plan_id for area in focus_areas):
        raise ValidationError({"focus_areas": "Choose focus areas from this plan"})
    if findings is not None and any(
        finding.inspection.authority_id != action.plan.authority_id for finding in findings
    ):
        raise ValidationError(
            {"findings": "Choose recommendations of this authority's inspections"}
        )
    start, end = changes.get("start", action.start), changes.get("end", action.end)
    if start and end and end < start:
        raise ValidationError({"end": "End date must be the same as or after the start date"})


def _require_agreement(reason: str, agreed_by: str) -> None:
    missing = {}
    if not reason:
        missing["change_reason"] = "Enter why the end date is moving"
    if not agreed_by:
        missing["change_agreed_by"] = "Enter who agreed to move the end date"
    if missing:
        raise ValidationError(missing)


class StaleActionError(ValidationError):
    """The action was edited after the writer read it; `current` is what is saved now."""

    def __init__(self, current: Action | None) -> None:
        self.current = current
        if current is None:
            message = "This action was deleted after you opened it, so your changes were not saved."
        else:
            last = current.history.first()
            who = _name(last.history_user) if last else "Someone"
            when = (
                timezone.localtime(last.history_date).strftime("%-d %B %Y at %H:%M")
                if last
                else "recently"
            )
            message = (
                f"{who} changed this action on {when}, after you opened it, so your changes "
                "were not saved. Your changes are kept below: open the action in a new tab to "
                "see their version, then save again to replace it with yours."
            )
        super().__init__(message, code="stale")


def edit_action(
    access: Access,
    action: Action,
    *,
    version: int,
    leads=None,
    focus_areas=None,
    findings=None,
    change_reason: str = "",
    change_agreed_by: str = "",
    **changes,
) -> Action:
    """Change an action's content. Only improvement leads (and administrators) edit plans.

    `version` is the action's version the writer read: an edit made against any other version
    is refused (`StaleActionError`). It is always checked: a caller that does not say what it
    read cannot replace anything (docs/security.md #19). Each successful edit adds exactly one
    history row.

    Change control: moving an end date the action already had (to another date or to none)
    needs `change_reason` and `change_agreed_by` (who agreed it); the history row records both.
    Giving a first end date does not. A reason given with any other edit is recorded too.
    """
    access.require(Capability.EDIT_PLAN)
    require_open_plan(action.plan)
    change_reason, change_agreed_by = change_reason.strip(), change_agreed_by.strip()
    unknown = set(changes) - set(EDITABLE_ACTION_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    _check_action_edit(action, changes, leads, focus_areas, findings)
    with transaction.atomic():
        saved = Action.objects.select_for_update().filter(pk=action.pk).first()
        if saved is None or saved.version != version:
            raise StaleActionError(saved)
        # The saved row, not `action`: a model form has already put the new values on it.
        if "end" in changes and saved.end is not None and changes["end"] != saved.end:
            _require_agreement(change_reason, change_agreed_by)
        for field, value in changes.items():
            setattr(action, field, value)
        action.version = saved.version + 1
        action.full_clean(exclude=["plan", "priority"])
        # Links first without history rows of their own, so the one save below records the
        # edit once, with the links as they now are.
        action.skip_history_when_saving = True
        try:
            if leads is not None:
                action.leads.set(leads)
            if focus_areas is not None:
                action.focus_areas.set(focus_areas)
        finally:
            del action.skip_history_when_saving
        save_with_history(
            action,
            access.user,
            reason=change_reason,
            recorded={"change_agreed_by": change_agreed_by},
        )
        if findings is not None:
            action.findings.set(findings)  # the action's history records this too, as its own row
    return action


# ---------------------------------------------------------------------------------------------
# A plan's life cycle: draft → active → closed. At most one active plan per authority (a
# database constraint); a closed plan is the record and is never written to.


class ClosedPlanError(ValidationError):
    """A write to a closed plan."""

    def __init__(self, plan) -> None:
        super().__init__(
            f"{plan.title} is closed: it is the record and cannot change. "
            "Switch to the active plan to work on it.",
            code="closed_plan",
        )


def require_open_plan(plan) -> None:
    """Every write to a plan's content checks this first."""
    if plan.status == plan.Status.CLOSED:
        raise ClosedPlanError(plan)


def approve_plan(access: Access, plan, *, start: date | None = None, end: date | None = None):
    """Make a draft the authority's active plan, recording who approved it and when; the plan
    that was active until now is closed in the same transaction. `start` and `end` set the
    plan's period when given.

    Preconditions: `plan` was fetched through `access` and is a draft."""
    from .models import Plan

    access.require(Capability.EDIT_PLAN)
    if plan.authority_id != access.authority.pk:
        raise PermissionDenied("Not a plan of this authority")
    start, end = start or plan.start, end or plan.end
    if start and end and end < start:
        raise ValidationError({"end": "The plan's end must be the same as or after its start"})
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        if locked.status != Plan.Status.DRAFT:
            raise ValidationError(
                f"Only a draft plan can be approved: {plan.title} is {locked.get_status_display()}"
            )
        now = timezone.now()
        for previous in Plan.objects.select_for_update().filter(
            authority=plan.authority_id, status=Plan.Status.ACTIVE
        ):
            previous.status, previous.closed_at = Plan.Status.CLOSED, now
            save_with_history(previous, access.user, update_fields=["status", "closed_at"])
        plan.status = Plan.Status.ACTIVE
        plan.approved_by, plan.approved_at = access.user, now
        plan.start, plan.end = start, end
        save_with_history(
            plan,
            access.user,
            update_fields=["status", "approved_by", "approved_at", "start", "end"],
        )
    return plan


def close_plan(access: Access, plan):
    """Close a plan (active or draft): it stays readable as the record, and nothing more is
    written to it. The authority then has no active plan until a draft is approved.

    Preconditions: `plan` was fetched through `access`."""
    from .models import Plan

    access.require(Capability.EDIT_PLAN)
    if plan.authority_id != access.authority.pk:
        raise PermissionDenied("Not a plan of this authority")
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        if locked.status == Plan.Status.CLOSED:
            raise ValidationError(f"{plan.title} is already closed")
        plan.status, plan.closed_at = Plan.Status.CLOSED, timezone.now()
        save_with_history(plan, access.user, update_fields=["status", "closed_at"])
    return plan
