"""When the post-inspection action plan is due: Ofsted expects the council's written action plan
70 working days after the report is published (English bank holidays are not working days).
The one copy of the rule; the working days themselves are `core.dates`'."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from g2g.core.dates import add_working_days

PLAN_WORKING_DAYS = 70


@dataclass(frozen=True)
class PlanDue:
    due: date
    counted_from: date
    # False: the report's publication date is not recorded, so the days are counted from the
    # last day of the inspection, and the page says so.
    from_publication: bool

    @property
    def working_days(self) -> int:
        return PLAN_WORKING_DAYS


def plan_due_on(counted_from: date) -> date:
    """The working day 70 working days after `counted_from` (which is not itself counted)."""
    return add_working_days(counted_from, PLAN_WORKING_DAYS)


def due_from(published: date | None, last_day: date | None) -> PlanDue | None:
    """When the action plan is due: 70 working days from the publication date when it is
    known, else from the inspection's last day; None when neither is known."""
    counted_from = published or last_day
    if counted_from is None:
        return None
    return PlanDue(plan_due_on(counted_from), counted_from, from_publication=bool(published))


def plan_due(inspection) -> PlanDue | None:
    """When the action plan answering `inspection` is due. Reports do not print the date they
    are published, so an inspection records none: the days are counted from its last day (its
    only day for a one-day visit), and `from_publication` is False for the pages to say so."""
    return due_from(None, inspection.end or inspection.start)
