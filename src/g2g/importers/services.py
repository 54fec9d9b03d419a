"""Read plan files into drafts, and write a draft into an authority: a new plan, or a newer
version of the plan it has (a re-import), each in one transaction, or nothing."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from g2g.core.dates import current_period, today
from g2g.core.history import save_with_history
from g2g.core.problems import Problem, ReadError
from g2g.core.safe_files import MAX_UPLOAD_BYTES, MB, check_upload
from g2g.measures.models import Measure, Milestone
from g2g.measures.services import new_measure_defaults
from g2g.plans.models import (
    DEFAULT_RATING_DEFINITIONS,
    Action,
    FocusArea,
    Objective,
    Plan,
    Post,
    PostHolder,
    Priority,
    ProgressUpdate,
    RatingDefinition,
)
from g2g.plans.services import require_open_plan
from g2g.rounds.models import Round
from g2g.tenancy.access import Access, Capability
from g2g.tenancy.models import Authority
from g2g.tenancy.names import names_in
from g2g.tenancy.services import all_authority_names

from .draft import ACTION_FIELDS, ActionDraft, MeasureDraft, PlanDraft
from .json_format import read_json_plan
from .models import PlanColumns
from .office_readers import read_csv_plan, read_docx_plan, read_xlsx_plan
from .pdf_reader import read_pdf_plan
from .posts import post_key
from .reconcile import ActionChange, Reconciliation, reconcile
from .text_reader import COLUMN_FIELDS, normalise_header, read_text_plan


def read_plan_file(path: Path, **options) -> PlanDraft:
    """Check a plan file is safe, then read it with the reader for its kind: Word, Excel, CSV,
    text layout or JSON export. Any failure is a `ReadError`.

    `options` (progress_period) go to the readers of plan tables.
    """
    where = path.name
    try:
        size = path.stat().st_size
        if size > MAX_UPLOAD_BYTES:  # refused before it is read at all
            limit = MAX_UPLOAD_BYTES // MB
            raise ReadError([Problem(where, f"is larger than {limit} MB; is it really a plan?")])
        with path.open("rb") as file:  # what stat promised; a pipe promises 0: then the limit
            data = file.read((size or MAX_UPLOAD_BYTES) + 1)
    except OSError as error:
        raise ReadError([Problem(where, f"cannot be read: {error.strerror}")]) from error
    return read_plan_upload(where, data, **options)


def read_plan_upload(where: str, data: bytes, **options) -> PlanDraft:
    """Read a plan from its bytes (an upload, or a file read above); `where` names it."""
    kind = check_upload(where, data)
    if kind == "json":
        return check_draft(_read_json(where, data.decode("utf-8-sig")))
    if kind in ("text", "csv"):  # the text's shape only; the readers decode it properly
        _check_text_size(where, data.decode("utf-8-sig", "replace"))
    if kind == "text":
        return check_draft(read_text_plan(data.decode("utf-8-sig"), source=where, **options))
    if kind in ("docx", "xlsx"):
        _check_office_size(where, data, kind)
    readers = {
        "docx": read_docx_plan,
        "xlsx": read_xlsx_plan,
        "csv": read_csv_plan,
        "pdf": read_pdf_plan,
    }
    return check_draft(readers[kind](data, source=where, **options))


MAX_PLAN_LINES = 10_000  # rows and paragraphs; the longest real plans have a few hundred
MAX_LINE_CHARS = 100_000  # one row of a plan in text layout; real ones are a few thousand


def _too_many_lines() -> str:
    return f"has more than {MAX_PLAN_LINES:,} rows and paragraphs; is it really a plan?"


def _check_text_size(where: str, text: str) -> None:
    """At most `MAX_PLAN_LINES` lines, none longer than any row of a plan (a CSV header of a
    million columns is one line), checked before a reader's patterns run over them: reading
    takes about a second for every few thousand rows."""
    if text.count("\n") >= MAX_PLAN_LINES:
        raise ReadError([Problem(where, _too_many_lines())])
    longest = max(map(len, text.splitlines()), default=0)
    if longest > MAX_LINE_CHARS:
        message = f"has a line of {longest:,} characters; is it really a plan?"
        raise ReadError([Problem(where, message)])


# A Word paragraph or table row; a worksheet row.
_OFFICE_LINE = {
    "docx": re.compile(rb"<(?:\w+:)?(?:p|tr)[\s>/]"),
    "xlsx": re.compile(rb"<(?:\w+:)?row[\s>/]"),
}


def _check_office_size(where: str, data: bytes, kind: str) -> None:
    """The same bound for Word and Excel plans, counted in the XML (checked by safe_files: at
    most 10 MB a part) before python-docx or openpyxl builds anything."""
    parts = ("word/document.xml",) if kind == "docx" else ("xl/worksheets/",)
    lines = 0
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith(parts):
                lines += len(_OFFICE_LINE[kind].findall(archive.read(name)))
    if lines > MAX_PLAN_LINES:
        raise ReadError([Problem(where, _too_many_lines())])


def _read_json(where: str, text: str) -> PlanDraft:
    """Read a plan export. The JSON is parsed once first (in C, quickly) to refuse what the
    reader must never build a draft of: nesting deeper than Python recurses, numbers longer
    than it reads, more actions than any plan has."""
    try:
        data = json.loads(text)
    except RecursionError as error:
        raise ReadError([Problem(where, "is nested too deeply to be a plan export")]) from error
    except json.JSONDecodeError:
        data = None  # the reader says where the syntax is wrong
    except ValueError as error:  # e.g. an integer longer than Python will read (4,300 digits)
        message = f"cannot be read as a plan export ({str(error)[:100]})"
        raise ReadError([Problem(where, message)]) from error
    if _action_count(data) > MAX_ACTIONS:
        raise ReadError([Problem(where, _too_many_actions())])
    return read_json_plan(text, source=where)


def _action_count(data) -> int:
    """How many actions a parsed export lists (0 for anything not shaped like one)."""
    count = 0
    priorities = data.get("priorities") if isinstance(data, dict) else None
    for priority in priorities if isinstance(priorities, list) else []:
        groups = priority.get("objectives") if isinstance(priority, dict) else None
        for group in groups if isinstance(groups, list) else []:
            actions = group.get("actions") if isinstance(group, dict) else None
            count += len(actions) if isinstance(actions, list) else 0
    return count


MAX_ACTIONS = 5_000  # plans have tens or hundreds; the preview shows every one


def _too_many_actions() -> str:
    return f"has more than {MAX_ACTIONS:,} actions; is it really a plan?"


def check_draft(draft: PlanDraft) -> PlanDraft:
    """Refuse a draft the database could not hold whole (repeated refs or codes, numbers out of
    range, text longer than its field or holding characters no database or page can hold), so
    no reader's output can fail half-way through a write or the preview."""
    if len(draft.actions) > MAX_ACTIONS:
        raise ReadError([Problem("plan", _too_many_actions())])
    problems = _unstorable(draft)
    if problems:  # nothing else about the draft can be shown safely
        raise ReadError(problems)
    for ref in sorted(_repeated(action.ref for action in draft.actions)):
        problems.append(Problem(f"action {ref}", "this ref is used twice"))
    for code in sorted(_repeated(area.code for area in draft.focus_areas)):
        problems.append(Problem(f"focus area {code}", "this code is used twice"))
    numbers = Counter(priority.number for priority in draft.priorities)
    for number in sorted(n for n, count in numbers.items() if count > 1 or not 0 <= n <= 32767):
        problems.append(
            Problem(f"priority {number}", "each priority needs its own number, 0 or more")
        )
    problems += _too_long(draft)
    problems += _targets_out_of_range(draft)
    if problems:
        raise ReadError(problems)
    return draft


def _repeated(values) -> list:
    return [value for value, count in Counter(values).items() if count > 1]


# NUL cannot be stored in PostgreSQL text; an unpaired surrogate (JSON's "\ud800") cannot be
# written to a page or a database as UTF-8.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _texts(value) -> list[str]:
    """Every string in a draft or part of it (drafts are dataclasses, lists and strings)."""
    texts, pending = [], [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            texts.append(item)
        elif isinstance(item, list | tuple):
            pending.extend(item)
        elif hasattr(item, "__dataclass_fields__"):
            pending.extend(vars(item).values())
    return texts


def _unstorable(draft: PlanDraft) -> list[Problem]:
    """One problem for each part of the plan holding a character that cannot be stored; all
    the text is searched at once first, since it almost never holds one."""
    if not _UNSTORABLE.search("\n".join(_texts(draft))):
        return []
    parts = [("plan", [draft.title, draft.period, draft.focus_areas, draft.post_holders])]
    parts += [("plan", [draft.measures, draft.rating_definitions])]
    for priority in draft.priorities:
        parts.append((f"priority {priority.number}", [priority.title, priority.sponsor]))
        parts += [(f"action {_UNSTORABLE.sub('?', a.ref)}", [a]) for a in priority.actions]
    message = "holds a character that cannot be stored (a NUL, or half of a character pair)"
    found = [where for where, values in parts if _UNSTORABLE.search("\n".join(_texts(values)))]
    return [Problem(where, f"{message}; remove it") for where in found[:20]]


LARGEST_DIGITS = 10  # measures.Milestone.value holds 12 digits, 2 after the point


def _targets_out_of_range(draft: PlanDraft) -> list[Problem]:
    return [
        Problem(
            measure.where or f"measure {measure.name}",
            f"the target {m.value} is not a number the scorecard can hold",
        )
        for measure in draft.measures
        for m in measure.milestones
        if not m.value.is_finite() or (m.value and m.value.adjusted() >= LARGEST_DIGITS)
    ]


def _too_long(draft: PlanDraft) -> list[Problem]:
    def limit(model, field: str) -> int:
        return model._meta.get_field(field).max_length

    checks = [("plan", "title", draft.title, limit(Plan, "title"))]
    for priority in draft.priorities:
        checks.append(
            (f"priority {priority.number}", "title", priority.title, limit(Priority, "title"))
        )
        for action in priority.actions:
            where = f"action {action.ref}"
            checks += [
                (where, "ref", action.ref, limit(Action, "ref")),
                (where, "title", action.title, limit(Action, "title")),
                (where, "timescale", action.timescale_text, limit(Action, "timescale_text")),
                (where, "objective", action.objective or "", limit(Objective, "title")),
                *((where, "lead", lead, limit(Post, "title")) for lead in action.leads),
            ]
    for area in draft.focus_areas:
        checks.append((f"focus area {area.code}", "name", area.name, limit(FocusArea, "name")))
    for measure in draft.measures:
        checks.append((measure.where or "measure", "name", measure.name, limit(Measure, "name")))
        checks.append(
            (measure.where or "measure", "code", ", ".join(measure.codes), limit(Measure, "code"))
        )
    return [
        Problem(where, f"the {what} is longer than {size} characters: shorten it")
        for where, what, text, size in checks
        if len(text) > size
    ]


# ---------------------------------------------------------------------------------------------
# Writing a draft into an authority


@dataclass(frozen=True)
class OtherAuthority:
    """Another authority the document names, as if it were that authority's plan."""

    name: str
    count: int  # times named in the document
    at_the_top: bool  # named in its title or opening lines

    def __str__(self) -> str:
        times = "once" if self.count == 1 else f"{self.count} times"
        where = ", in its title or opening lines" if self.at_the_top else ""
        return f"{self.name} (named {times}{where})"


MANY_MENTIONS = 3  # another authority named this often, and more than the authority itself


def other_authorities(access: Access, draft: PlanDraft) -> list[OtherAuthority]:
    """The other authorities (of all 153, the reference data) that the document names in its
    title or opening lines, or names at least MANY_MENTIONS times and more often than the
    authority it is being imported into: a sign it is another authority's plan. A plan naming a
    partner now and then (Oldham's names Stockport) is not flagged."""
    names = [name for name in all_authority_names() if name != access.authority.name]
    text = draft.text or _draft_words(draft)
    counts = names_in(text, [*names, access.authority.name])
    own = counts.pop(access.authority.name, 0)
    top = names_in(f"{draft.title}\n{draft.opening}", names)
    found = [
        OtherAuthority(name, max(count, top[name]), name in top)
        for name, count in (counts | top).items()
        if name in top or (count >= MANY_MENTIONS and count > own)
    ]
    return sorted(found, key=lambda other: (-other.at_the_top, -other.count, other.name))


def _draft_words(draft: PlanDraft) -> str:
    """The words of a draft read without its document's text (a JSON export)."""
    words = [draft.title, draft.period]
    for priority in draft.priorities:
        words.append(priority.title)
        for action in priority.actions:
            words += [action.objective, action.title, action.evidence_of_success]
    words += [measure.name for measure in draft.measures]
    return "\n".join(word for word in words if word)


class OtherAuthorityError(ReadError):
    """The document looks like another authority's plan and no one said to import it anyway."""

    def __init__(self, authority: Authority, source: str, others: list[OtherAuthority]):
        self.others = others
        named = "; ".join(str(other) for other in others)
        super().__init__(
            [
                Problem(
                    source,
                    f"names another authority: {named}. Is it {authority.name}'s plan? Import it "
                    f"into {authority.name} only if it is (on the command line, with "
                    "--allow-other-authority; on the preview, by ticking the box)",
                )
            ]
        )


@dataclass
class PlanImport:
    """What importing a draft into an authority does (a preview) or did."""

    plan: Plan | None  # the plan re-imported, or the new plan once written; None in a preview
    reimport: Reconciliation | None  # how the draft differs from `plan`; None for a new plan
    authority: Authority | None = None
    active: Plan | None = None  # the authority's active plan before the import
    new_status: str = ""  # a new plan's status: draft, or active for the authority's first
    others: list[OtherAuthority] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        """What the import does, in one sentence, for the preview and the command."""
        if self.reimport is not None and self.plan is not None:
            kind = "the active plan" if self.plan.is_active else "the draft plan"
            changes = self.reimport
            return (
                f"A new version of {kind} “{self.plan.title}”: {_actions(len(changes.changed))} "
                f"change, {len(changes.added)} new, {len(changes.missing)} no longer in the file"
            )
        if self.new_status == Plan.Status.ACTIVE or self.active is None:
            where = f"{self.authority.name} has" if self.authority else "there is"
            return f"A new plan (active: {where} no active plan)"
        return (
            f"A new plan (draft): the active plan “{self.active.title}” stays the plan being "
            "worked to until the new one is approved"
        )


def _actions(count: int) -> str:
    return "1 action" if count == 1 else f"{count} actions"


def preview_plan_import(access: Access, draft: PlanDraft) -> PlanImport:
    """What `import_plan` would do with `draft` now; writes nothing."""
    existing = _plan_to_reimport(access, draft)
    return PlanImport(
        existing,
        reconcile(existing, draft) if existing else None,
        authority=access.authority,
        active=_active_plan(access),
        new_status="" if existing else _new_plan_status(access),
        others=other_authorities(access, draft),
    )


def _active_plan(access: Access) -> Plan | None:
    return access.scope(Plan.objects.filter(status=Plan.Status.ACTIVE)).first()


def import_plan(
    access: Access,
    draft: PlanDraft,
    *,
    close_ids: Iterable = (),
    close_all_missing=False,
    columns: dict[str, str] | None = None,
    allow_other_authority: bool = False,
    source: str = "plan",
) -> PlanImport:
    """Import `draft` into `access`'s authority in one transaction: a re-import of the open
    plan it already has with the draft's title (`apply_reimport`: `close_ids` and
    `close_all_missing` say which actions the draft no longer has are closed), else a new plan
    (`write_plan`): a draft while the authority has an active plan, which approving it replaces.
    `columns`, the column mapping the draft was read with when the improvement lead chose one,
    is remembered with the plan for its next import. Needs EDIT_PLAN. Raises `ReadError`,
    writing nothing, for a draft that cannot be written, and `OtherAuthorityError` for a
    document that names another authority (`other_authorities`) unless
    `allow_other_authority`."""
    access.require(Capability.EDIT_PLAN)
    others = other_authorities(access, draft)
    if others and not allow_other_authority:
        raise OtherAuthorityError(access.authority, source, others)
    with transaction.atomic():
        existing = _plan_to_reimport(access, draft)
        active = _active_plan(access)
        if existing is None:
            plan = write_plan(access, draft)
            result = PlanImport(plan, None, access.authority, active, plan.status, others)
        else:
            reimport = apply_reimport(
                access, existing, draft, close_ids=close_ids, close_all_missing=close_all_missing
            )
            result = PlanImport(existing, reimport, access.authority, active, "", others)
        if columns is not None:
            remember_columns(access, result.plan, columns)
        return result


MAX_MAPPED_COLUMNS = 100  # columns a mapping may name; plans have a dozen


def clean_columns(columns: dict) -> dict[str, str]:
    """A column mapping as it may be stored: headings (normalised, at most 200 characters) to a
    field of `COLUMN_FIELDS` or '' (not read). Raises ValueError for anything else."""
    if not isinstance(columns, dict) or len(columns) > MAX_MAPPED_COLUMNS:
        raise ValueError("a column mapping names at most 100 columns")
    cleaned: dict[str, str] = {}
    for header, key in columns.items():
        name = normalise_header(str(header))[:200]
        if not name:
            continue
        if key not in COLUMN_FIELDS and key != "":
            raise ValueError(f"'{key}' is not something a column can hold")
        cleaned[name] = key
    return cleaned


def remember_columns(access: Access, plan: Plan, columns: dict) -> PlanColumns:
    """Keep `columns` as the plan's column mapping (replacing the one it had). Needs
    EDIT_PLAN. Preconditions: `plan` was fetched through `access`."""
    access.require(Capability.EDIT_PLAN)
    cleaned = clean_columns(columns)
    with transaction.atomic():
        found = access.scope(PlanColumns.objects.filter(plan=plan)).first()
        mapping = found or PlanColumns(plan=plan)
        mapping.columns = cleaned
        return save_with_history(mapping, access.user)


def remembered_columns(access: Access, title: str) -> dict[str, str] | None:
    """The column mapping remembered for the authority's plan with this title, if any."""
    found = access.scope(PlanColumns.objects.filter(plan__title=title)).first()
    return dict(found.columns) if found else None


def read_with_columns(
    access: Access, read: Callable[..., PlanDraft], columns: dict[str, str] | None
) -> tuple[PlanDraft, dict[str, str] | None]:
    """A plan read with the column mapping its improvement lead chose (`columns`), or else with
    the one remembered for the authority's plan of the same title, if that plan has one; and the
    mapping used (None: the headings' own words). `read(columns=…)` reads the file."""
    if columns is not None:
        return read(columns=columns), columns
    draft = read()
    remembered = remembered_columns(access, draft.title)
    if not remembered:
        return draft, None
    return read(columns=remembered), remembered


def _plan_to_reimport(access: Access, draft: PlanDraft) -> Plan | None:
    """The authority's plan a draft is a newer version of: the open one (active, else the
    newest draft) with the same title. A closed plan is the record: a file with its title
    becomes a new plan."""
    same_title = access.scope(Plan.objects.filter(title=draft.title)).exclude(
        status=Plan.Status.CLOSED
    )
    return same_title.current()


def _new_plan_status(access: Access) -> str:
    """A new plan is a draft while the authority has an active plan (approving it replaces
    that one: `plans.services.approve_plan`); the authority's first plan is active at once."""
    has_active = access.scope(Plan.objects.filter(status=Plan.Status.ACTIVE)).exists()
    return Plan.Status.DRAFT if has_active else Plan.Status.ACTIVE


def write_plan(access: Access, draft: PlanDraft) -> Plan:
    """Create a new plan in `access`'s authority with everything the draft holds, in one
    transaction. Needs EDIT_PLAN. Raises `ReadError`, writing nothing, when the draft has no
    actions or cannot be stored whole (`check_draft`)."""
    access.require(Capability.EDIT_PLAN)
    if not draft.actions:
        raise ReadError([Problem("plan", "has no actions to import")])
    check_draft(draft)
    user = access.user
    with transaction.atomic():
        plan = save_with_history(
            Plan(
                authority=access.authority,
                title=draft.title,
                period=draft.period,
                status=_new_plan_status(access),
            ),
            user,
        )
        definitions = {d.rating: d for d in draft.rating_definitions}
        for rating, (action_text, impact_text) in DEFAULT_RATING_DEFINITIONS.items():
            own = definitions.get(rating.value)
            save_with_history(
                RatingDefinition(
                    plan=plan,
                    rating=rating,
                    action_definition=own.action_definition if own else action_text,
                    impact_definition=own.impact_definition if own else impact_text,
                ),
                user,
            )
        writer = PlanWriter(plan, draft, user)
        for holder in draft.post_holders:
            save_with_history(
                PostHolder(
                    post=writer.posts.get(holder.post), name=holder.name, since=holder.since
                ),
                user,
            )
        writer.focus_areas([area.code for area in draft.focus_areas])
        order = 0
        for priority in draft.priorities:
            writer.priority(priority.number)
            for action in priority.actions:
                order += 1
                writer.new_action(priority.number, action, order)
        writer.add_measures(draft.measures)
    return plan


def apply_reimport(
    access: Access,
    plan: Plan,
    draft: PlanDraft,
    *,
    close_ids: Iterable = (),
    close_all_missing: bool = False,
) -> Reconciliation:
    """Make `plan` the draft's newer version in one transaction (`reconcile` says how they
    differ): change what differs (history records each change), add what is new, and close the
    missing actions whose ids are in `close_ids` (or all of them, with `close_all_missing`); the
    rest stay open. Nothing is ever deleted. Needs EDIT_PLAN; raises `ReadError`, writing
    nothing, for a draft that cannot be stored whole or would give two actions one ref.

    Preconditions: `plan` was fetched through `access`."""
    access.require(Capability.EDIT_PLAN)
    require_open_plan(plan)
    check_draft(draft)
    user = access.user
    with transaction.atomic():
        result = reconcile(plan, draft)
        writer = PlanWriter(plan, draft, user)
        renumbered = [change for change in result.changed if "ref" in change.changes]
        for change in renumbered:  # step aside first, so refs can swap places
            Action.objects.filter(pk=change.action.pk).update(ref=f"~{change.action.pk}")
        for change in result.changed:
            _update(change, writer, user)
        for action in result.unchanged:
            writer.add_progress(action, _draft_of(draft, action.ref))
        order = plan.actions.count()
        for number, action_draft in result.added:
            order += 1
            writer.new_action(number, action_draft, order)
        _reorder(plan, draft)
        writer.add_measures(draft.measures)
        wanted = {str(pk) for pk in close_ids}
        for action in result.missing:
            if close_all_missing or str(action.pk) in wanted:
                action.closed_on = today()
                action.version += 1
                save_with_history(action, user)
    return result


def _draft_of(draft: PlanDraft, ref: str) -> ActionDraft:
    return next(action for action in draft.actions if action.ref == ref)


def _reorder(plan: Plan, draft: PlanDraft) -> None:
    """List actions in the new version's order; actions it no longer has follow."""
    position = {action.ref: n for n, action in enumerate(draft.actions, 1)}
    actions = sorted(plan.actions.all(), key=lambda a: (position.get(a.ref, 10**6), a.order))
    for order, action in enumerate(actions, 1):
        if action.order != order:  # where it is listed, not what it says: no history entry
            Action.objects.filter(pk=action.pk).update(order=order)


def _update(change: ActionChange, writer: PlanWriter, user) -> None:
    action, draft = change.action, change.draft
    for name in ACTION_FIELDS:
        setattr(action, name, getattr(draft, name))
    action.ref = draft.ref
    action.closed_on = None
    priority_number = change.changes.get("priority", (None, action.priority.number))[1]
    action.priority = writer.priority(priority_number)
    action.objective = writer.objective(action.priority, draft.objective)
    action.version += 1  # an edit form opened before the re-import is now out of date
    save_with_history(action, user)
    if "leads" in change.changes:
        action.leads.set([writer.posts.get(title) for title in draft.leads])
    if "focus_areas" in change.changes:
        action.focus_areas.set(writer.focus_areas(draft.focus_areas))
    writer.add_progress(action, draft)


class PlanWriter:
    """Finds or creates what a drafted action belongs to in a plan (priority, objective, lead
    posts, focus areas), and writes actions and their progress: for new plans and re-imports."""

    def __init__(self, plan: Plan, draft: PlanDraft, user):
        self.plan, self.user = plan, user
        self.first_open_month = first_open_month(plan)
        self.titles = {p.number: p for p in draft.priorities}
        self.posts = PostCache(plan.authority, user)
        self.priorities = {p.number: p for p in plan.priorities.all()}
        self.objectives = {
            (o.priority_id, o.title): o for o in Objective.objects.filter(priority__plan=plan)
        }
        self.areas = {area.code: area for area in plan.focus_areas.all()}
        self.drafted_areas = {area.code: area for area in draft.focus_areas}

    def priority(self, number: int) -> Priority:
        if number not in self.priorities:
            drafted = self.titles.get(number)
            sponsor = drafted.sponsor if drafted else None
            self.priorities[number] = save_with_history(
                Priority(
                    plan=self.plan,
                    number=number,
                    title=drafted.title if drafted else "",
                    sponsor=self.posts.get(sponsor) if sponsor else None,
                ),
                self.user,
            )
        return self.priorities[number]

    def objective(self, priority: Priority, title: str | None) -> Objective | None:
        if not title:
            return None
        key = (priority.pk, title)
        if key not in self.objectives:
            order = sum(1 for priority_id, _ in self.objectives if priority_id == priority.pk)
            self.objectives[key] = save_with_history(
                Objective(priority=priority, title=title, order=order), self.user
            )
        return self.objectives[key]

    def focus_areas(self, codes: list[str]) -> list[FocusArea]:
        """The plan's focus areas with these codes; a code it has not got yet is added."""
        for code in codes:
            if code not in self.areas:
                drafted = self.drafted_areas.get(code)
                self.areas[code] = save_with_history(
                    FocusArea(
                        plan=self.plan,
                        code=code,
                        name=drafted.name if drafted else code,
                        judgement_area=drafted.judgement_area if drafted else "",
                    ),
                    self.user,
                )
        return [self.areas[code] for code in codes]

    def new_action(self, priority_number: int, draft: ActionDraft, order: int) -> Action:
        priority = self.priority(priority_number)
        action = save_with_history(
            Action(
                plan=self.plan,
                priority=priority,
                objective=self.objective(priority, draft.objective),
                ref=draft.ref,
                order=order,
                **{name: getattr(draft, name) for name in ACTION_FIELDS},
            ),
            self.user,
        )
        action.leads.set([self.posts.get(title) for title in draft.leads])
        action.focus_areas.set(self.focus_areas(draft.focus_areas))
        self.add_progress(action, draft)
        return action

    def add_measures(self, drafts: list[MeasureDraft]) -> None:
        """Add the measures the plan has not got yet (the same name in the same focus area)."""
        existing = Measure.objects.filter(plan=self.plan)
        known = {(m.name, tuple(m.focus_areas.values_list("code", flat=True))) for m in existing}
        actions = {action.ref: action for action in self.plan.actions.all()}
        order = len(known)
        for draft in drafts:
            area = (draft.focus_area,) if draft.focus_area else ()
            if (draft.name, area) in known:
                continue
            order += 1
            measure = save_with_history(
                Measure(
                    authority=self.plan.authority,
                    plan=self.plan,
                    code=", ".join(draft.codes),
                    name=draft.name,
                    data_source=draft.data_source,
                    order=order,
                    **new_measure_defaults(draft.name),
                ),
                self.user,
            )
            Milestone.objects.bulk_create(
                Milestone(measure=measure, due=target.due, value=target.value)
                for target in draft.milestones
            )
            measure.focus_areas.set(self.focus_areas(list(area)))
            measure.actions.set([actions[ref] for ref in draft.action_refs if ref in actions])

    def add_progress(self, action: Action, draft: ActionDraft) -> None:
        """Add the drafted progress updates for months the action has no update for yet.

        An earlier month's update is the record the signed document keeps: signed off. From
        the open round's month on (`first_open_month`) it comes in submitted, by the importer,
        for someone else to sign off, as the round's own updates are: an import never signs off
        the months the round is still chasing (docs/security.md #19)."""
        known = set(action.updates.values_list("period", flat=True)) if action.pk else set()
        for progress in draft.progress:
            if progress.period in known:
                continue
            update = ProgressUpdate(
                action=action,
                period=progress.period,
                narrative=progress.narrative,
                action_rating=progress.action_rating or "",
                impact_rating=progress.impact_rating or "",
                author=None,  # written in the imported document, not by the importer
                status=ProgressUpdate.Status.SIGNED_OFF,
            )
            if progress.period >= self.first_open_month:
                update.status = ProgressUpdate.Status.SUBMITTED
                update.submitted_by, update.submitted_at = self.user, timezone.now()
            save_with_history(update, self.user)


def first_open_month(plan: Plan) -> date:
    """The first month whose progress is still being written: this month, or the month of the
    plan's open round (its newest) when that is earlier."""
    newest = Round.objects.filter(plan=plan).order_by("-period").values_list("period", flat=True)
    round_month = newest.first() if plan.pk else None
    return min(current_period(), round_month) if round_month else current_period()


class PostCache:
    """Lead posts by title, created on first mention; a title that is another way of writing
    a post already known (`post_key`) is that post, not a near-duplicate."""

    def __init__(self, authority: Authority, user):
        self.authority, self.user = authority, user
        self.posts: dict[str, Post] = {}
        for post in Post.objects.in_authority(authority).order_by("pk"):
            self.posts.setdefault(post_key(post.title), post)

    def get(self, title: str) -> Post:
        key = post_key(title)
        if key not in self.posts:
            self.posts[key] = save_with_history(
                Post(authority=self.authority, title=title), self.user
            )
        return self.posts[key]
