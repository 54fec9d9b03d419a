"""Stakeholder outcomes: the plan's "what does making a difference look like" statements, one or
more per group of people, each with the measures that evidence it.

The reader finds them in a plan's text (Oldham's 2019-21 plan has the table "Making a Difference
to all stakeholders"); improvement leads add and edit them, and link measures, on a page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from g2g.core.history import save_with_history
from g2g.plans.models import Plan
from g2g.plans.services import require_open_plan
from g2g.tenancy.access import Access, Capability

from .models import Measure, StakeholderOutcome

Group = StakeholderOutcome.Group

TABLE_HEADING = "what does making a difference look like?"

# How plans name each group, after `_normalise`.
GROUP_NAMES = {
    "children and young people": Group.CHILDREN,
    "children": Group.CHILDREN,
    "young people": Group.CHILDREN,
    "parents and carers": Group.PARENTS,
    "families": Group.PARENTS,
    "partners": Group.PARTNERS,
    "partner agencies": Group.PARTNERS,
    "workforce": Group.WORKFORCE,
    "children's workforce": Group.WORKFORCE,
    "staff": Group.WORKFORCE,
    "front line managers": Group.FRONT_LINE_MANAGERS,
    "frontline managers": Group.FRONT_LINE_MANAGERS,
    "senior management": Group.SENIOR_MANAGERS,
    "senior managers": Group.SENIOR_MANAGERS,
    "senior leaders": Group.SENIOR_MANAGERS,
    "elected members": Group.ELECTED_MEMBERS,
    "councillors": Group.ELECTED_MEMBERS,
}


@dataclass(frozen=True)
class OutcomeDraft:
    group: str
    statement: str
    line: int  # where the statement starts in the text, for messages


def _normalise(label: str) -> str:
    label = label.strip().lower().replace("\u2019", "'").replace("-", " ")
    label = re.sub(r"\s+", " ", label)
    return label.removeprefix("our ")


def read_stakeholder_outcomes(text: str) -> list[OutcomeDraft]:
    """The statements of the "What does making a difference look like?" table in a plan's text
    (tab-separated cells: group, statement). Empty when the plan has no such table.

    A line starting with a tab continues the statement above (a cell broken across a page);
    lines without a tab (page headings) are skipped; the table ends at the first row whose first
    cell names no group.
    """
    lines = text.splitlines()
    start = next((n for n, line in enumerate(lines) if _normalise(line) == TABLE_HEADING), None)
    if start is None:
        return []
    rows: list[list] = []  # [group, parts, line number]
    for number, line in enumerate(lines[start + 1 :], start=start + 2):
        if "\t" not in line:
            continue  # a blank line or a running page heading inside the table
        first, _, rest = line.partition("\t")
        if not first.strip():
            if rows and rest.strip():
                rows[-1][1].append(rest.strip())
            continue
        group = GROUP_NAMES.get(_normalise(first))
        if group is None:
            break
        rows.append([group, [rest.strip()], number])
    return [
        OutcomeDraft(group, " ".join(part for part in parts if part), number)
        for group, parts, number in rows
        if any(parts)
    ]


def write_stakeholder_outcomes(access: Access, plan: Plan, drafts: list[OutcomeDraft]) -> int:
    """Add the drafted statements the plan has not got yet, in one transaction; return how
    many were added. Reading the same plan again adds nothing.

    Preconditions: `plan` was fetched through `access`."""
    access.require(Capability.EDIT_PLAN)
    require_open_plan(plan)
    added = 0
    with transaction.atomic():
        known = set(plan.stakeholder_outcomes.values_list("group", "statement"))
        order = plan.stakeholder_outcomes.count()
        for draft in drafts:
            if (draft.group, draft.statement) in known:
                continue
            order += 1
            outcome = StakeholderOutcome(
                plan=plan, group=draft.group, statement=draft.statement, order=order
            )
            save_with_history(outcome, access.user)
            known.add((draft.group, draft.statement))
            added += 1
    return added


def save_outcome(
    access: Access,
    plan: Plan,
    outcome: StakeholderOutcome | None,
    *,
    group: str,
    statement: str,
    measures: list[Measure],
) -> StakeholderOutcome:
    """Add a statement to the plan (`outcome` None) or change one, with the measures that
    evidence it. Preconditions: `plan` and `outcome` were fetched through `access`."""
    access.require(Capability.EDIT_PLAN)
    require_open_plan(plan)
    if group not in Group.values:
        raise ValidationError({"group": "Choose who the statement is about"})
    if not statement.strip():
        raise ValidationError({"statement": "Enter what making a difference looks like"})
    allowed = set(access.scope(Measure.objects.all()).values_list("pk", flat=True))
    if any(measure.pk not in allowed for measure in measures):
        raise ValidationError({"measures": "Choose measures from the list"})
    with transaction.atomic():
        if outcome is None:
            outcome = StakeholderOutcome(plan=plan, order=plan.stakeholder_outcomes.count() + 1)
        outcome.group, outcome.statement = group, statement.strip()
        save_with_history(outcome, access.user)
        outcome.measures.set(measures)
    return outcome
