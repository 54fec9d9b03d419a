"""The plan's own JSON layout, both ways: `g2g export_plan` writes it, `g2g import_plan` reads
it, so an export imported into an empty authority exports identically."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import partial

from g2g.core.problems import Problem, ReadError
from g2g.measures.rating import Milestone
from g2g.plans.models import Plan, Rating

from .draft import (
    ActionDraft,
    FocusAreaDraft,
    MeasureDraft,
    PlanDraft,
    PostHolderDraft,
    PriorityDraft,
    ProgressDraft,
    RatingDefinitionDraft,
)

FORMAT = "getting-to-good/plan@1"


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def plan_to_json(plan: Plan) -> dict:
    """The whole plan: priorities → objectives → actions, in a fixed number of queries."""
    priorities = plan.priorities.select_related("sponsor").prefetch_related(
        "objectives",
        "actions__leads",
        "actions__focus_areas",
        "actions__updates",
    )
    holders = (
        plan.authority.posts.filter(holders__isnull=False)
        .values_list("title", "holders__name", "holders__since")
        .order_by("holders__id")
    )
    return {
        "format": FORMAT,
        "title": plan.title,
        "period": plan.period,
        "status": plan.status,
        "rating_definitions": [
            {
                "rating": d.rating,
                "action_definition": d.action_definition,
                "impact_definition": d.impact_definition,
            }
            for d in sorted(
                plan.rating_definitions.all(), key=lambda d: Rating.values.index(d.rating)
            )
        ],
        "focus_areas": [
            {"code": a.code, "name": a.name, "judgement_area": a.judgement_area}
            for a in plan.focus_areas.all()
        ],
        "post_holders": [
            {"post": post, "name": name, "since": _iso(since)} for post, name, since in holders
        ],
        "priorities": [_priority_json(priority) for priority in priorities],
        "measures": [
            {
                "code": measure.code,
                "name": measure.name,
                "data_source": measure.data_source,
                "focus_area": next((a.code for a in measure.focus_areas.all()), ""),
                "actions": [action.ref for action in measure.actions.all()],
                "targets": [
                    {"due": target.due.isoformat(), "value": format(target.value.normalize(), "f")}
                    for target in measure.milestones.all()
                ],
            }
            for measure in plan.measures.prefetch_related(
                "focus_areas", "actions", "milestones"
            ).order_by("order")
        ],
    }


def _priority_json(priority) -> dict:
    groups: list[dict] = []
    for action in sorted(priority.actions.all(), key=lambda a: a.order):
        title = action.objective.title if action.objective_id else None
        if not groups or groups[-1]["title"] != title:
            groups.append({"title": title, "actions": []})
        groups[-1]["actions"].append(_action_json(action))
    return {
        "number": priority.number,
        "title": priority.title,
        "sponsor": priority.sponsor.title if priority.sponsor else None,
        "objectives": groups,
    }


def _action_json(action) -> dict:
    return {
        "ref": action.ref,
        "title": action.title,
        "text": action.text,
        "leads": [post.title for post in action.leads.all()],
        "start": _iso(action.start),
        "end": _iso(action.end),
        "ongoing": action.ongoing,
        "recurring": action.recurring,
        "timescale_text": action.timescale_text,
        "evidence_of_success": action.evidence_of_success,
        "children_will_say": action.children_will_say,
        "progress": [
            {
                "period": update.period.strftime("%Y-%m"),
                "narrative": update.narrative,
                "action_rating": update.action_rating or None,
                "impact_rating": update.impact_rating or None,
            }
            for update in sorted(action.updates.all(), key=lambda u: u.period)
        ],
        "sources": list(action.sources),
        "focus_areas": sorted(area.code for area in action.focus_areas.all()),
    }


def read_json_plan(text: str, *, source: str = "file") -> PlanDraft:
    """Read the JSON layout back; every missing or mistyped field is reported with its path."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ReadError(
            [Problem(f"{source}, line {error.lineno}, column {error.colno}", error.msg)]
        ) from error
    reader = _JsonReader(source)
    draft = reader.plan(data)
    if reader.problems:
        raise ReadError(reader.problems)
    return draft


class _JsonReader:
    def __init__(self, source: str):
        self.source = source
        self.problems: list[Problem] = []

    def field(self, obj, key: str, kind, where: str, default=None, required=True):
        value = obj.get(key, default) if isinstance(obj, dict) else default
        if value is None and not required:
            return default
        if not isinstance(value, kind):
            self.problems.append(
                Problem(f"{self.source}, {where}.{key}", f"expected {kind.__name__}")
            )
            return default
        return value

    def day(self, obj, key: str, where: str, pattern: str = "%Y-%m-%d") -> date | None:
        from datetime import datetime

        value = self.field(obj, key, str, where, required=False)
        if value is None:
            return None
        try:
            return datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            self.problems.append(Problem(f"{self.source}, {where}.{key}", f"not a date: {value!r}"))
            return None

    def plan(self, data) -> PlanDraft:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            self.problems.append(Problem(self.source, f"is not a plan export ({FORMAT})"))
            return PlanDraft(title="")
        return PlanDraft(
            title=self.field(data, "title", str, "plan", ""),
            period=self.field(data, "period", str, "plan", ""),
            rating_definitions=[
                RatingDefinitionDraft(
                    rating=self.field(d, "rating", str, f"rating_definitions[{i}]", ""),
                    action_definition=self.field(
                        d, "action_definition", str, f"rating_definitions[{i}]", ""
                    ),
                    impact_definition=self.field(
                        d, "impact_definition", str, f"rating_definitions[{i}]", ""
                    ),
                )
                for i, d in enumerate(self.field(data, "rating_definitions", list, "plan", []))
            ],
            focus_areas=[
                FocusAreaDraft(
                    code=self.field(a, "code", str, f"focus_areas[{i}]", ""),
                    name=self.field(a, "name", str, f"focus_areas[{i}]", ""),
                    judgement_area=self.field(a, "judgement_area", str, f"focus_areas[{i}]", ""),
                )
                for i, a in enumerate(self.field(data, "focus_areas", list, "plan", []))
            ],
            post_holders=[
                PostHolderDraft(
                    post=self.field(h, "post", str, f"post_holders[{i}]", ""),
                    name=self.field(h, "name", str, f"post_holders[{i}]", ""),
                    since=self.day(h, "since", f"post_holders[{i}]"),
                )
                for i, h in enumerate(self.field(data, "post_holders", list, "plan", []))
            ],
            priorities=[
                self.priority(p, f"priorities[{i}]")
                for i, p in enumerate(self.field(data, "priorities", list, "plan", []))
            ],
            measures=[
                self.measure(m, f"measures[{i}]")
                for i, m in enumerate(self.field(data, "measures", list, "plan", []))
            ],
        )

    def measure(self, data, where: str) -> MeasureDraft:
        code = self.field(data, "code", str, where, "")
        return MeasureDraft(
            name=self.field(data, "name", str, where, ""),
            data_source=self.field(data, "data_source", str, where, ""),
            codes=[part.strip() for part in code.split(",") if part.strip()],
            focus_area=self.field(data, "focus_area", str, where, ""),
            action_refs=self.strings(data, "actions", where),
            milestones=[
                self.target(t, f"{where}.targets[{i}]")
                for i, t in enumerate(self.field(data, "targets", list, where, []))
            ],
            where=where,
        )

    def target(self, data, where: str) -> Milestone:
        due = self.day(data, "due", where) or date.min
        value = self.field(data, "value", str, where, "0")
        try:
            return Milestone(due=due, value=Decimal(value))
        except InvalidOperation:
            self.problems.append(
                Problem(f"{self.source}, {where}.value", f"not a number: {value!r}")
            )
            return Milestone(due=due, value=Decimal(0))

    def priority(self, data, where: str) -> PriorityDraft:
        priority = PriorityDraft(
            number=self.field(data, "number", int, where, 0),
            title=self.field(data, "title", str, where, ""),
            sponsor=self.field(data, "sponsor", str, where, required=False),
        )
        for i, group in enumerate(self.field(data, "objectives", list, where, [])):
            group_where = f"{where}.objectives[{i}]"
            objective = self.field(group, "title", str, group_where, required=False)
            for j, action in enumerate(self.field(group, "actions", list, group_where, [])):
                priority.actions.append(
                    self.action(action, objective, f"{group_where}.actions[{j}]")
                )
        return priority

    def action(self, data, objective: str | None, where: str) -> ActionDraft:
        text = partial(self.field, data, kind=str, where=where, default="")
        flag = partial(self.field, data, kind=bool, where=where, default=False)
        strings = partial(self.strings, data, where=where)
        return ActionDraft(
            ref=text("ref"),
            title=text("title"),
            text=text("text"),
            where=where,
            objective=objective,
            leads=strings("leads"),
            start=self.day(data, "start", where),
            end=self.day(data, "end", where),
            ongoing=flag("ongoing"),
            recurring=flag("recurring"),
            timescale_text=text("timescale_text"),
            evidence_of_success=text("evidence_of_success"),
            children_will_say=text("children_will_say"),
            progress=[
                self.progress(p, f"{where}.progress[{i}]")
                for i, p in enumerate(self.field(data, "progress", list, where, []))
            ],
            sources=strings("sources"),
            focus_areas=strings("focus_areas"),
        )

    def progress(self, data, where: str) -> ProgressDraft:
        return ProgressDraft(
            period=self.day(data, "period", where, "%Y-%m") or date.min,
            narrative=self.field(data, "narrative", str, where, ""),
            action_rating=self._rating(data, "action_rating", where),
            impact_rating=self._rating(data, "impact_rating", where),
        )

    def strings(self, data, key: str, where: str) -> list[str]:
        """A list of texts; anything else in it is left out."""
        return [item for item in self.field(data, key, list, where, []) if isinstance(item, str)]

    def _rating(self, data, key: str, where: str) -> str | None:
        value = self.field(data, key, str, where, required=False)
        if value is not None and value not in Rating.values:
            self.problems.append(
                Problem(f"{self.source}, {where}.{key}", f"unknown rating {value!r}")
            )
            return None
        return value
