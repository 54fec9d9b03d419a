"""Every write to audits and remedial actions goes through these functions (permission,
validation, one transaction, history), and each one brings the scorecard's two computed
assurance measures up to date for the month of the audit it touched.

The computed measures, for a month M (the month an audit was held in):

- "Audited cases graded good or better" (`audits_good_or_better`): of the cases graded in the
  audits held in M, the share graded Outstanding or Good. Cases audited but not graded are left
  out of both numerator and denominator. Numerator and denominator are cases, not audits, so a
  dip sample of 5 weighs less than a practice week of 40.
- "Audit remedial actions completed on time" (`remedial_actions_on_time`): of the remedial
  actions raised by the audits held in M whose outcome is known, the share done on or before
  their due date. The outcome is known once the action is done, or once its due date has passed
  without it being done (then it was not on time). An open action not yet due is left out, so
  the figure for a month can change as its actions fall due: `g2g compute_assurance_measures`
  recomputes recent months (run it nightly).

Values are written with source "computed", the numerator and denominator, and a note saying
what they were computed from. A month whose value was entered or imported by hand keeps it:
the council's own figure wins. A month with nothing to count gets no computed value.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q, Sum

from g2g.core.dates import add_months, month_start, today
from g2g.core.history import delete_with_history, save_with_history, stripped
from g2g.measures.models import Measure, MeasureValue
from g2g.measures.services import create_indicator_measure
from g2g.plans.tracked import check_post, check_tracked_item
from g2g.tenancy.access import Access, Capability

from .models import GOOD_OR_BETTER, Audit, Grade, RemedialAction

AUDIT_FIELDS = ("kind", "theme", "held_on", "lead", "cases", *Grade.values, "findings")
REMEDIAL_FIELDS = ("description", "owner_post", "owner_text", "due", "done_on")
GOOD_OR_BETTER_KEY = "audits_good_or_better"
ON_TIME_KEY = "remedial_actions_on_time"
COMPUTED_DATA_SOURCE = "Computed from the audits recorded in Getting to Good"


# ---------------------------------------------------------------------------------------------
# Audits


def record_audit(
    access: Access, audit: Audit | None = None, *, synthetic: bool | None = None, **fields
) -> Audit:
    """Record a new audit (or change one): kind, theme, date and number of cases are required;
    the grade counts may not add up to more than the cases audited. `synthetic` marks made-up
    demo audits (no page sets it)."""
    access.require(Capability.EDIT_PLAN)
    unknown = set(fields) - set(AUDIT_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    fields = stripped(fields)
    audit = audit or Audit(authority=access.authority)
    before = audit.held_on
    for field, value in fields.items():
        setattr(audit, field, value)
    if synthetic is not None:
        audit.synthetic = synthetic
    _check_audit(access, audit, fields)
    with transaction.atomic():
        save_with_history(audit, access.user, validate=True, exclude=["authority"])
        for month in {month_start(audit.held_on), month_start(before or audit.held_on)}:
            compute_assurance_measures(access, month)
    return audit


def _check_audit(access: Access, audit: Audit, fields: dict) -> None:
    errors = {}
    if audit.kind not in Audit.Kind.values:
        errors["kind"] = "Choose the kind of audit"
    if not audit.theme:
        errors["theme"] = "Enter the audit's theme"
    if audit.held_on is None:
        errors["held_on"] = "Enter the date of the audit"
    if audit.cases is None or audit.cases < 1:
        errors["cases"] = "Enter how many cases were audited, 1 or more"
    for grade in Grade.values:
        if getattr(audit, grade) is None:
            setattr(audit, grade, 0)
        if getattr(audit, grade) < 0:
            errors[grade] = "Enter a number of cases, 0 or more"
    if not errors and audit.graded > audit.cases:
        errors[Grade.OUTSTANDING] = (
            f"The grades add up to {audit.graded} cases but {audit.cases} were audited"
        )
    if not errors and audit.graded and audit.held_on > today():
        errors["held_on"] = "An audit dated after today cannot have grades yet"
    check_post(access, fields.get("lead"), "lead")
    if errors:
        raise ValidationError(errors)


# ---------------------------------------------------------------------------------------------
# Remedial actions


def add_remedial_action(access: Access, audit: Audit, **fields) -> RemedialAction:
    """Add a remedial action: what (required), its owner (a post or a name), its due date."""
    return _write_remedial(access, RemedialAction(audit=audit), fields)


def edit_remedial_action(access: Access, action: RemedialAction, **changes) -> RemedialAction:
    return _write_remedial(access, action, changes)


def complete_remedial_action(
    access: Access, action: RemedialAction, *, done_on: date | None = None
) -> RemedialAction:
    """Mark the remedial action done (today unless another day is given)."""
    return _write_remedial(access, action, {"done_on": done_on or today()})


def _write_remedial(access: Access, action: RemedialAction, changes: dict) -> RemedialAction:
    access.require(Capability.EDIT_PLAN)
    unknown = set(changes) - set(REMEDIAL_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {', '.join(sorted(unknown))}")
    changes = stripped(changes)
    check_tracked_item(access, action, changes, "Enter the remedial action")
    if "due" in changes and changes["due"] is None:
        raise ValidationError({"due": "Enter the date it is due"})
    with transaction.atomic():
        for field, value in changes.items():
            setattr(action, field, value)
        save_with_history(action, access.user, validate=True, exclude=["audit"])
        compute_assurance_measures(access, action.audit.held_on)
    return action


# ---------------------------------------------------------------------------------------------
# The computed measures


def compute_assurance_measures(
    access: Access, period: date, *, on: date | None = None
) -> list[MeasureValue]:
    """Write the computed values of the two assurance measures of `access`'s authority for the
    month `period` falls in, as they stand `on` (default today), in one transaction (see the
    module's docstring for what they count), creating each measure from the indicator catalogue
    if the authority has none. Needs EDIT_PLAN. Returns the values written."""
    access.require(Capability.EDIT_PLAN)
    on = on or today()
    period = month_start(period)
    audits = access.scope(Audit.objects.all()).filter(
        held_on__gte=period, held_on__lt=_next_month(period)
    )
    cases = audits.aggregate(
        audit_count=Count("pk"),
        synthetic_count=Count("pk", filter=Q(synthetic=True)),
        good_or_better_cases=Sum(_added(GOOD_OR_BETTER)),
        graded_cases=Sum(_added(Grade.values)),
    )
    remedial = RemedialAction.objects.filter(audit__in=audits).aggregate(
        known=Count("pk", filter=Q(done_on__isnull=False) | Q(due__lt=on)),
        on_time=Count("pk", filter=Q(done_on__isnull=False, done_on__lte=F("due"))),
        not_yet_due=Count("pk", filter=Q(done_on__isnull=True, due__gte=on)),
    )
    source = _source_words(cases["audit_count"], cases["synthetic_count"], period)
    good, graded = cases["good_or_better_cases"] or 0, cases["graded_cases"] or 0
    on_time, known = remedial["on_time"], remedial["known"]
    not_yet_due = f"; {remedial['not_yet_due']} not yet due" if remedial["not_yet_due"] else ""
    results = [
        (
            GOOD_OR_BETTER_KEY,
            good,
            graded,
            f"{good} of {graded} graded cases were graded Outstanding or Good, {source}.",
        ),
        (
            ON_TIME_KEY,
            on_time,
            known,
            f"{on_time} of {known} remedial actions done or due by {on:%-d %B %Y} were done "
            f"on time, {source}{not_yet_due}.",
        ),
    ]
    written = []
    with transaction.atomic():
        for key, numerator, denominator, note in results:
            measures = _measures_for(access, key, create=denominator > 0)
            for measure in measures:
                value = _write_value(access, measure, period, numerator, denominator, note)
                if value is not None:
                    written.append(value)
    return written


def _added(fields) -> F:
    """The sum of the fields, as one expression: F("good") + F("outstanding")."""
    return sum((F(name) for name in fields[1:]), F(fields[0]))


def _next_month(period: date) -> date:
    return add_months(period, 1)


def _source_words(audits: int, synthetic: int, period: date) -> str:
    words = f"in {audits} audit{'s' if audits != 1 else ''} held in {period:%B %Y}"
    if synthetic:
        words += f" ({synthetic} of them synthetic demo audits)"
    return words


def _measures_for(
    access: Access, key: str, *, create: bool, data_source: str = ""
) -> list[Measure]:
    measures = list(access.scope(Measure.objects.filter(indicator=key)))
    if measures or not create:
        return measures
    return [_create_measure(access, key, data_source)]


def ensure_assurance_measures(access: Access, *, data_source: str = "") -> list[Measure]:
    """The authority's measures of the two assurance indicators, creating any it lacks. Needs
    EDIT_PLAN."""
    access.require(Capability.EDIT_PLAN)
    measures = []
    with transaction.atomic():
        for key in (GOOD_OR_BETTER_KEY, ON_TIME_KEY):
            measures += _measures_for(access, key, create=True, data_source=data_source)
    return measures


def _create_measure(access: Access, key: str, data_source: str) -> Measure:
    return create_indicator_measure(
        access,
        key,
        data_source=data_source or COMPUTED_DATA_SOURCE,
        definition=_DEFINITIONS[key],
    )


_DEFINITIONS = {
    GOOD_OR_BETTER_KEY: (
        "Of the cases graded in the audits held in the month, the percentage graded Outstanding "
        "or Good. Cases audited but not graded are not counted."
    ),
    ON_TIME_KEY: (
        "Of the remedial actions raised by the audits held in the month that are done or past "
        "their due date, the percentage done on or before their due date."
    ),
}


def _write_value(
    access: Access, measure: Measure, period: date, numerator: int, denominator: int, note: str
) -> MeasureValue | None:
    existing = MeasureValue.objects.filter(measure=measure, period=period).first()
    if existing is not None and existing.source in (
        MeasureValue.Source.ENTERED,
        MeasureValue.Source.IMPORTED,
    ):
        return None  # the council's own figure for the month wins
    if denominator == 0:
        if existing is not None and existing.source == MeasureValue.Source.COMPUTED:
            # nothing left to count (an audit moved or lost its grades)
            delete_with_history(existing, access.user)
        return None
    value = (Decimal(100) * numerator / denominator).quantize(Decimal("0.01"), ROUND_HALF_UP)
    record = existing or MeasureValue(measure=measure, period=period)
    record.value, record.numerator, record.denominator = value, numerator, denominator
    record.source, record.note = MeasureValue.Source.COMPUTED, note
    return save_with_history(record, access.user)
