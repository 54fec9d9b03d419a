"""Write a read plan into the database: all of it in one transaction, or nothing."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

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

from .draft import PlanDraft, PlanImportError, Problem
from .json_format import read_json_plan
from .text_reader import read_text_plan

MAX_PLAN_BYTES = 20 * 1024 * 1024


def read_plan_file(path: Path, **options) -> PlanDraft:
    """Choose the reader for a file and read it; any failure is a `PlanImportError`."""
    where = path.name
    try:
        data = path.read_bytes()
    except OSError as error:
        raise PlanImportError([Problem(where, f"cannot be read: {error.strerror}")]) from error
    if len(data) > MAX_PLAN_BYTES:
        raise PlanImportError([Problem(where, "is larger than 20 MB; is it really a plan?")])
    if not data.strip():
        raise PlanImportError([Problem(where, "is empty")])
    if b"\x00" in data[:4096]:
        raise PlanImportError(
            [Problem(where, "is a binary file, not a plan in text or JSON layout")]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PlanImportError(
            [Problem(where, f"is not UTF-8 text (byte {error.start} cannot be read)")]
        ) from error
    if path.suffix.lower() == ".json":
        return read_json_plan(text, source=where)
    return read_text_plan(text, source=where, **options)


def write_plan(authority: Authority, draft: PlanDraft, *, user=None) -> Plan:
    """Create the plan with everything it holds. Preconditions: the draft has actions."""
    if not draft.actions:
        raise PlanImportError([Problem("plan", "has no actions to import")])
    refs = [action.ref for action in draft.actions]
    repeated = sorted({ref for ref in refs if refs.count(ref) > 1})
    if repeated:
        raise PlanImportError(
            [Problem(f"action {ref}", "this ref is used twice") for ref in repeated]
        )
    with transaction.atomic():
        posts = _PostCache(authority, user)
        plan = _save(Plan(authority=authority, title=draft.title, period=draft.period), user)
        definitions = {d.rating: d for d in draft.rating_definitions}
        for rating, (action_text, impact_text) in DEFAULT_RATING_DEFINITIONS.items():
            own = definitions.get(rating.value)
            _save(
                RatingDefinition(
                    plan=plan,
                    rating=rating,
                    action_definition=own.action_definition if own else action_text,
                    impact_definition=own.impact_definition if own else impact_text,
                ),
                user,
            )
        for holder in draft.post_holders:
            _save(
                PostHolder(post=posts.get(holder.post), name=holder.name, since=holder.since), user
            )
        focus_areas = {
            area.code: _save(
                FocusArea(
                    plan=plan, code=area.code, name=area.name, judgement_area=area.judgement_area
                ),
                user,
            )
            for area in draft.focus_areas
        }
        order = 0
        for priority_draft in draft.priorities:
            priority = _save(
                Priority(
                    plan=plan,
                    number=priority_draft.number,
                    title=priority_draft.title,
                    sponsor=posts.get(priority_draft.sponsor) if priority_draft.sponsor else None,
                ),
                user,
            )
            objectives: dict[str, Objective] = {}
            for action_draft in priority_draft.actions:
                order += 1
                objective = None
                if action_draft.objective:
                    objective = objectives.get(action_draft.objective)
                    if objective is None:
                        objective = objectives[action_draft.objective] = _save(
                            Objective(
                                priority=priority,
                                title=action_draft.objective,
                                order=len(objectives),
                            ),
                            user,
                        )
                _write_action(
                    plan, priority, objective, order, action_draft, posts, focus_areas, user
                )
    return plan


def _write_action(plan, priority, objective, order, draft, posts, focus_areas, user) -> Action:
    action = _save(
        Action(
            plan=plan,
            priority=priority,
            objective=objective,
            ref=draft.ref,
            order=order,
            title=draft.title,
            text=draft.text,
            timescale_text=draft.timescale_text,
            start=draft.start,
            end=draft.end,
            ongoing=draft.ongoing,
            recurring=draft.recurring,
            evidence_of_success=draft.evidence_of_success,
            children_will_say=draft.children_will_say,
            sources=draft.sources,
        ),
        user,
    )
    action.leads.set([posts.get(title) for title in draft.leads])
    action.focus_areas.set([focus_areas[code] for code in draft.focus_areas if code in focus_areas])
    for progress in draft.progress:
        _save(
            ProgressUpdate(
                action=action,
                period=progress.period,
                narrative=progress.narrative,
                action_rating=progress.action_rating or "",
                impact_rating=progress.impact_rating or "",
                author=user,
            ),
            user,
        )
    return action


def _save(instance, user):
    instance._history_user = user
    instance.save()
    return instance


class _PostCache:
    """Lead posts by title, created on first mention."""

    def __init__(self, authority: Authority, user):
        self.authority, self.user = authority, user
        self.posts = {post.title: post for post in Post.objects.in_authority(authority)}

    def get(self, title: str) -> Post:
        if title not in self.posts:
            self.posts[title] = _save(Post(authority=self.authority, title=title), self.user)
        return self.posts[title]
