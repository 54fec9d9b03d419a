"""Write a read plan into the database: all of it in one transaction, or nothing."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections import Counter
from pathlib import Path

from django.db import transaction

from g2g.measures.models import Measure, Milestone
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
from g2g.tenancy.models import Authority

from .draft import ActionDraft, MeasureDraft, PlanDraft, PlanImportError, Problem
from .json_format import read_json_plan
from .office_readers import read_csv_plan, read_docx_plan, read_xlsx_plan
from .safe_files import check_upload
from .text_reader import read_text_plan

MAX_PLAN_BYTES = 20 * 1024 * 1024


def read_plan_file(path: Path, **options) -> PlanDraft:
    """Check a plan file is safe, then read it with the reader for its kind: Word, Excel, CSV,
    text layout or JSON export. Any failure is a `PlanImportError`.

    `options` (progress_period) go to the readers of plan tables.
    """
    where = path.name
    try:
        size = path.stat().st_size
        if size > MAX_PLAN_BYTES:  # refused before it is read at all
            raise PlanImportError([Problem(where, "is larger than 20 MB; is it really a plan?")])
        with path.open("rb") as file:  # what stat promised; a pipe promises 0: then the limit
            data = file.read((size or MAX_PLAN_BYTES) + 1)
    except OSError as error:
        raise PlanImportError([Problem(where, f"cannot be read: {error.strerror}")]) from error
    return read_plan_upload(where, data, **options)


def read_plan_upload(where: str, data: bytes, **options) -> PlanDraft:
    """Read a plan from its bytes (an upload, or a file read above); `where` names it."""
    kind = check_upload(where, data, max_bytes=MAX_PLAN_BYTES)
    if kind == "json":
        return check_draft(_read_json(where, data.decode("utf-8-sig")))
    if kind in ("text", "csv"):  # the text's shape only; the readers decode it properly
        _check_text_size(where, data.decode("utf-8-sig", "replace"))
    if kind == "text":
        return check_draft(read_text_plan(data.decode("utf-8-sig"), source=where, **options))
    if kind == "pdf":
        message = (
            "is a PDF, which cannot be imported: open the plan in Word or Excel and save it as "
            ".docx or .xlsx, then import that"
        )
        raise PlanImportError([Problem(where, message)])
    if kind in ("docx", "xlsx"):
        _check_office_size(where, data, kind)
    readers = {"docx": read_docx_plan, "xlsx": read_xlsx_plan, "csv": read_csv_plan}
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
        raise PlanImportError([Problem(where, _too_many_lines())])
    longest = max(map(len, text.splitlines()), default=0)
    if longest > MAX_LINE_CHARS:
        message = f"has a line of {longest:,} characters; is it really a plan?"
        raise PlanImportError([Problem(where, message)])


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
        raise PlanImportError([Problem(where, _too_many_lines())])


def _read_json(where: str, text: str) -> PlanDraft:
    """Read a plan export. The JSON is parsed once first (in C, quickly) to refuse what the
    reader must never build a draft of: nesting deeper than Python recurses, numbers longer
    than it reads, more actions than any plan has."""
    try:
        data = json.loads(text)
    except RecursionError as error:
        raise PlanImportError(
            [Problem(where, "is nested too deeply to be a plan export")]
        ) from error
    except json.JSONDecodeError:
        data = None  # the reader says where the syntax is wrong
    except ValueError as error:  # e.g. an integer longer than Python will read (4,300 digits)
        message = f"cannot be read as a plan export ({str(error)[:100]})"
        raise PlanImportError([Problem(where, message)]) from error
    if _action_count(data) > MAX_ACTIONS:
        raise PlanImportError([Problem(where, _too_many_actions())])
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
        raise PlanImportError([Problem("plan", _too_many_actions())])
    problems = _unstorable(draft)
    if problems:  # nothing else about the draft can be shown safely
        raise PlanImportError(problems)
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
        raise PlanImportError(problems)
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


def write_plan(authority: Authority, draft: PlanDraft, *, user=None) -> Plan:
    """Create the plan with everything it holds. Preconditions: the draft has actions."""
    if not draft.actions:
        raise PlanImportError([Problem("plan", "has no actions to import")])
    check_draft(draft)
    with transaction.atomic():
        plan = save_with_history(
            Plan(authority=authority, title=draft.title, period=draft.period), user
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


# The action fields a draft carries as they are (leads, focus areas and places are looked up).
ACTION_FIELDS = (
    "title",
    "text",
    "timescale_text",
    "start",
    "end",
    "ongoing",
    "recurring",
    "evidence_of_success",
    "children_will_say",
    "sources",
)


def save_with_history(instance, user):
    """Save, recording `user` as the author of the history entry."""
    instance._history_user = user
    instance.save()
    return instance


class PlanWriter:
    """Finds or creates what a drafted action belongs to in a plan (priority, objective, lead
    posts, focus areas), and writes actions and their progress: for new plans and re-imports."""

    def __init__(self, plan: Plan, draft: PlanDraft, user):
        self.plan, self.user = plan, user
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
        """Add the drafted progress updates for months the action has no update for yet."""
        known = set(action.updates.values_list("period", flat=True)) if action.pk else set()
        for progress in draft.progress:
            if progress.period in known:
                continue
            save_with_history(
                ProgressUpdate(
                    action=action,
                    period=progress.period,
                    narrative=progress.narrative,
                    action_rating=progress.action_rating or "",
                    impact_rating=progress.impact_rating or "",
                    author=None,  # written in the imported document, not by the importer
                ),
                self.user,
            )


class PostCache:
    """Lead posts by title, created on first mention."""

    def __init__(self, authority: Authority, user):
        self.authority, self.user = authority, user
        self.posts = {post.title: post for post in Post.objects.in_authority(authority)}

    def get(self, title: str) -> Post:
        if title not in self.posts:
            self.posts[title] = save_with_history(
                Post(authority=self.authority, title=title), self.user
            )
        return self.posts[title]
