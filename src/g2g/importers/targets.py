"""Targets written into a plan's evidence of success ("Baseline audits … judged Good or
Outstanding: 55% by October 2019 70% by June 2020 85% by Sept 2020", in Oldham's plan) become
measures with milestones, so the scorecard starts from what the plan already promises."""

from __future__ import annotations

import re

from g2g.measures.rating import parse_milestones

from .draft import ActionDraft, MeasureDraft

# "<what is measured>: 55% by October 2019 70% by June 2020 ..."
_TARGET = re.compile(
    r"(?P<before>[^:]{10,400}):\s*(?P<milestones>(?:\d[^:]*?\bby\b[^:]*?\d{4}\s*)+)"
)
_FUNCTION_WORDS = {"a", "an", "the", "of", "with", "for", "and", "or", "to", "in", "on", "by"}
_GRADES = {"Good", "Outstanding", "Requires", "Inadequate", "Improvement"}


def target_measures(actions: list[ActionDraft]) -> list[MeasureDraft]:
    """One measure per target stated in an action's evidence of success."""
    measures = []
    for action in actions:
        for match in _TARGET.finditer(action.evidence_of_success):
            milestones = parse_milestones(match["milestones"])
            if not milestones:
                continue
            measures.append(
                MeasureDraft(
                    name=target_name(match["before"]),
                    data_source=f"Target in the plan (action {action.ref})",
                    action_refs=[action.ref],
                    milestones=milestones,
                    where=action.where,
                )
            )
    return measures


def target_name(text: str) -> str:
    """The clause the target is about. Plans saved as text lose their sentence breaks, so a new
    clause is found where a capitalised word follows an ordinary lower-case word."""
    words = text.split()
    for index in range(len(words) - 1, 0, -1):
        word, previous = words[index], words[index - 1]
        starts_clause = (
            word[:1].isupper()
            and not word.isupper()
            and word.strip(",.") not in _GRADES
            and previous[-1:].islower()
            and previous.lower() not in _FUNCTION_WORDS
        )
        if starts_clause:
            return " ".join(words[index:])
    return " ".join(words[-12:])
