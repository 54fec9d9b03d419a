"""Write measure values: values imported from a council's scorecard, and synthetic demo values.

Imported values (`import_values`) are checked in full before anything is written, then written
in one transaction: a file with one bad row changes nothing, so a scorecard is never half
loaded. A value for a month the measure already has replaces it (its history keeps the old one).

Synthetic values (`generate_synthetic_values`) let a demo or a new authority show a scorecard
before its real figures arrive. They are plausible, not real: each % measure follows a smooth
random walk in a plausible range (30-95%), drawn towards the measure's trajectory when it has
milestones and a little short of it for some measures, with statistical neighbours' and England
comparators near it. They are stored with source "synthetic" (values) and "Synthetic demo data"
(comparators) and are labelled synthetic everywhere they are shown. Generating again replaces
the synthetic values and never touches imported or entered ones; a month that has a real value
gets no synthetic value or comparators.
"""

from __future__ import annotations

import difflib
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history

from g2g.core.dates import add_months, current_period, month_end, month_start
from g2g.core.history import delete_with_history, save_with_history
from g2g.core.problems import Problem, ReadError
from g2g.tenancy.access import Access, Capability

from . import defaults
from .indicators import BY_KEY, NO_INDICATOR, PUBLISHED_KEYS
from .models import SYNTHETIC_SOURCE, ComparatorValue, Measure, MeasureValue, PublishedFigure
from .models import Milestone as MilestoneModel
from .published import attach_published_figures
from .rating import Milestone, expected_value
from .signals import charts_outdated
from .values_reader import MAX_PROBLEMS, ValueRow

SYNTHETIC_NOTE = "Synthetic demo data"


# ---------------------------------------------------------------------------------------------
# Importing


@dataclass
class ImportResult:
    """What an import wrote (or, in a dry run, would write)."""

    values: int = 0
    created: int = 0
    updated: int = 0
    comparators: int = 0
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> dict:
        problems = [{"where": p.where, "message": p.message} for p in self.problems]
        return {
            "values": self.values,
            "created": self.created,
            "updated": self.updated,
            "comparators": self.comparators,
            "problems": problems,
        }


def import_values(
    access: Access,
    rows: Sequence[ValueRow],
    *,
    source: str,
    dry_run: bool = False,
    problems: Sequence[Problem] = (),
) -> ImportResult:
    """Write `rows` to the measures of `access`'s authority with source "imported", or nothing
    at all. Needs EDIT_PLAN, for a dry run too.

    `source` says where the values came from (the file's name) and is kept on comparators.
    `problems` are those already found reading the file: they are reported with the ones found
    here (unknown or ambiguous measures, a month given twice, a percentage outside 0-100) in
    one `ReadError`, and while there are any nothing is written. A dry run counts what
    would be written and writes nothing.
    """
    access.require(Capability.EDIT_PLAN)
    user = access.user
    found = list(problems)
    matched = _match(access, rows, found)
    if not rows and not found:
        found.append(Problem(source, "has no values to import"))
    if found:
        raise ReadError(_capped(found, source))
    measures = {measure.pk for measure, _row in matched}
    result = ImportResult(values=len(matched))
    with transaction.atomic():  # read what is there in the same transaction that replaces it
        values = {
            (value.measure_id, value.period): value
            for value in MeasureValue.objects.filter(measure__in=measures)
        }
        comparators = {
            (c.measure_id, c.period, c.kind, c.label): c
            for c in ComparatorValue.objects.filter(measure__in=measures)
        }
        for measure, row in matched:
            existing = values.get((measure.pk, row.period))
            result.updated += existing is not None
            result.created += existing is None
            named = [(ComparatorValue.Kind.AUTHORITY, *item) for item in row.authorities.items()]
            given = [(kind, "", number) for kind, number in row.comparators.items()] + named
            result.comparators += len(given)
            if dry_run:
                continue
            _write_value(measure, row, existing, user)
            for kind, label, number in given:
                current = comparators.get((measure.pk, row.period, kind, label))
                _write_comparator(measure, row.period, (kind, label), number, current, source, user)
    return result


@dataclass(frozen=True)
class MeasureInFile:
    """What a file gives for one measure, for a preview."""

    measure: str
    months: int
    first: date
    last: date


def measures_in(rows: Sequence[ValueRow]) -> list[MeasureInFile]:
    """Each measure the rows name, in file order, with how many months and which."""
    periods: dict[str, list[date]] = {}
    for row in rows:
        periods.setdefault(row.measure, []).append(row.period)
    return [
        MeasureInFile(measure, len(months), min(months), max(months))
        for measure, months in periods.items()
    ]


def _capped(problems: list[Problem], source: str) -> list[Problem]:
    """All the problems, unless there are so many that the list helps nobody."""
    if len(problems) <= MAX_PROBLEMS:
        return problems
    more = len(problems) - MAX_PROBLEMS
    return [
        *problems[:MAX_PROBLEMS],
        Problem(source, f"has {more:,} more problems; fix these first"),
    ]


def _match(
    access: Access, rows: Sequence[ValueRow], found: list[Problem]
) -> list[tuple[Measure, ValueRow]]:
    """Each row with its measure, adding a problem for each row that cannot be written."""
    finder = MeasureFinder(access.scope(Measure.objects.all()))
    first_row: dict[tuple[int, date], int] = {}
    unknown: set[Problem] = set()
    matched = []
    for row in rows:
        measure, message = finder.find(row.measure, row.also)
        if measure is None:
            problem = Problem(row.where("measure"), message)
            if problem not in unknown:  # a wide row gives a row per month, each with the measure
                unknown.add(problem)
                found.append(problem)
            continue
        key = (measure.pk, row.period)
        if key in first_row:
            message = f"{row.period:%b %Y} is given twice for {measure} (also row {first_row[key]})"
            found.append(Problem(row.where("period"), message))
            continue
        first_row[key] = row.row
        out_of_range = list(_percentage_problems(measure, row))
        found.extend(out_of_range)
        if not out_of_range:
            matched.append((measure, row))
    return matched


def _percentage_problems(measure: Measure, row: ValueRow) -> Iterable[Problem]:
    if measure.unit != Measure.Unit.PERCENT:
        return
    for name, number in {"value": row.value, **row.comparators}.items():
        if not 0 <= number <= 100:
            message = f"{number.normalize():f} is not a percentage between 0 and 100 ({measure})"
            yield Problem(row.where(name), message)


def _codes(code: str) -> set[str]:
    """A measure's codes: Measure.code may list several ("WF6, WF14", "CIN8/CIN9"), and a file
    may give them all as written."""
    parts = {part.strip().casefold() for part in re.split(r"[,;/&]|\band\b", code)}
    return {part for part in parts | {code.strip().casefold()} if part}


def _name_key(text: str) -> str:
    return " ".join(text.split()).casefold()


class MeasureFinder:
    """Finds a measure from a file's text: by code when exactly one measure has it, else by
    exact name (ignoring case and spacing), else says why not."""

    def __init__(self, measures: Iterable[Measure]) -> None:
        self.by_code: dict[str, list[Measure]] = {}
        self.by_name: dict[str, list[Measure]] = {}
        self.found: dict[tuple[str, ...], tuple[Measure | None, str]] = {}
        for measure in measures:
            for code in _codes(measure.code):
                self.by_code.setdefault(code, []).append(measure)
            self.by_name.setdefault(_name_key(measure.name), []).append(measure)

    def find(self, *texts: str) -> tuple[Measure | None, str]:
        """The measure the first text that names exactly one names, or None and a message.
        Remembered, because a file names each measure many times."""
        if texts not in self.found:
            self.found[texts] = self._find(*texts)
        return self.found[texts]

    def _find(self, *texts: str) -> tuple[Measure | None, str]:
        ambiguous: list[Measure] = []
        for text in filter(None, texts):
            for found in (
                self.by_code.get(text.casefold(), []),
                self.by_name.get(_name_key(text), []),
            ):
                if len(found) == 1:
                    return found[0], ""
                ambiguous = ambiguous or found
        text = next(filter(None, texts), "")
        if ambiguous:
            names = " and ".join(repr(str(m)) for m in ambiguous[:3])
            return None, f"{text!r} could be {names}: give the measure's full name"
        return None, f"{text!r} is not one of this authority's measures{self._hint(text)}"

    def _hint(self, text: str) -> str:
        """A near miss, to catch a typing mistake: "did you mean …?"."""
        for known, key in ((self.by_name, _name_key(text)), (self.by_code, text.casefold())):
            close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.8)
            if close:
                return f"; did you mean {str(known[close[0]][0])!r}?"
        return " (by code or exact name)"


def _write_value(measure: Measure, row: ValueRow, existing: MeasureValue | None, user) -> None:
    """Create or replace the month's value; an identical value is left as it is, so history
    records only real changes."""
    value = existing or MeasureValue(measure=measure, period=row.period)
    new = {
        "value": row.value,
        "numerator": row.numerator,
        "denominator": row.denominator,
        "source": MeasureValue.Source.IMPORTED,
        "note": row.note,
    }
    if existing and all(getattr(existing, name) == wanted for name, wanted in new.items()):
        return
    for name, wanted in new.items():
        setattr(value, name, wanted)
    save_with_history(value, user)


def _write_comparator(
    measure: Measure,
    period: date,
    kind_and_label: tuple[str, str],
    number: Decimal,
    existing: ComparatorValue | None,
    source: str,
    user,
) -> None:
    kind, label = kind_and_label
    comparator = existing or ComparatorValue(measure=measure, period=period, kind=kind, label=label)
    if existing and (existing.value, existing.source) == (number, source):
        return
    comparator.value, comparator.source = number, source
    save_with_history(comparator, user)


# ---------------------------------------------------------------------------------------------
# Editing on a page

EDITABLE_MEASURE_FIELDS = (
    "name",
    "code",
    "unit",
    "polarity",
    "indicator",
    "data_source",
    "frequency",
    "definition",
    "rationale",
    "within_control",
)


def edit_measure(
    access: Access, measure: Measure, *, targets: Sequence[Milestone], **fields
) -> Measure:
    """Change a measure's definition and replace its targets; naming an indicator brings its
    published figures (or England's) with it.

    The person editing sees the unit and which way is better, so saving confirms them; except
    that naming a new indicator while leaving both as they were takes the indicator's."""
    access.require(Capability.EDIT_PLAN)
    unknown = fields.keys() - set(EDITABLE_MEASURE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        before = (measure.indicator, measure.unit, measure.polarity)
        for name, value in fields.items():
            setattr(measure, name, value)
        measure.unit_polarity_basis = Measure.Basis.CONFIRMED
        new_indicator = measure.indicator and measure.indicator != before[0]
        if new_indicator and (measure.unit, measure.polarity) == before[1:]:
            _take_defaults(measure, defaults.suggest(measure.name, measure.indicator))
        save_with_history(measure, access.user)
        wanted = {milestone.due: milestone.value for milestone in targets}
        for stored in measure.milestones.all():
            if wanted.get(stored.due) != stored.value:
                delete_with_history(stored, access.user)
            else:
                del wanted[stored.due]
        for due, value in wanted.items():
            save_with_history(MilestoneModel(measure=measure, due=due, value=value), access.user)
        attach_published_figures([measure], user=access.user)  # writes only what is new
    return measure


def _take_defaults(measure: Measure, suggestion: defaults.Suggestion) -> None:
    measure.unit, measure.polarity = suggestion.unit, suggestion.polarity
    measure.unit_polarity_basis = suggestion.basis


def new_measure_defaults(name: str, indicator: str = "") -> dict:
    """The unit, polarity and their basis a new measure starts with (`defaults.suggest`)."""
    suggestion = defaults.suggest(name, indicator)
    return {
        "unit": suggestion.unit,
        "polarity": suggestion.polarity,
        "unit_polarity_basis": suggestion.basis,
    }


def create_indicator_measure(
    access: Access,
    key: str,
    *,
    plan=None,
    data_source: str = "",
    definition: str = "",
    order: int = 1000,
) -> Measure:
    """A new measure of `access`'s authority tracking catalogue indicator `key`, named, with
    unit and polarity, from the catalogue, and with the indicator's published comparators.
    Needs EDIT_PLAN. (Annex A and the assurance measures make theirs here.)"""
    access.require(Capability.EDIT_PLAN)
    indicator = BY_KEY[key]
    with transaction.atomic():
        measure = save_with_history(
            Measure(
                authority=access.authority,
                plan=plan,
                name=indicator.name,
                indicator=key,
                data_source=data_source,
                definition=definition or indicator.definition,
                order=order,
                **new_measure_defaults(indicator.name, key),
            ),
            access.user,
        )
        attach_published_figures([measure], user=access.user)
    return measure


def link_indicator(access: Access, measure: Measure, key: str) -> int:
    """Make `measure` track catalogue indicator `key`: its unit and polarity become the
    indicator's unless a person confirmed them, and it gets the indicator's published figures
    as comparators (returns how many were written). Needs EDIT_PLAN."""
    access.require(Capability.EDIT_PLAN)
    measure = access.get(Measure.objects.all(), pk=measure.pk)
    with transaction.atomic():
        measure.indicator = key
        if measure.unit_polarity_basis != Measure.Basis.CONFIRMED:
            _take_defaults(measure, defaults.suggest(measure.name, key))
        save_with_history(measure, access.user)
        return attach_published_figures([measure], user=access.user)


def record_value(
    access: Access,
    measure: Measure,
    *,
    period: date,
    value: Decimal,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    note: str = "",
) -> MeasureValue:
    """Enter (or correct) the measure's value for a month. Raises ValidationError, by field,
    for a month still to come, a percentage outside 0-100, or a numerator above its
    denominator."""
    access.require(Capability.EDIT_PLAN)
    errors = {}
    if period > current_period():
        errors["period"] = "The month cannot be in the future"
    if measure.unit == Measure.Unit.PERCENT and not 0 <= value <= 100:
        errors["value"] = "A percentage must be between 0 and 100"
    if denominator is not None and denominator <= 0:
        errors["denominator"] = "The denominator must be more than 0"
    elif numerator is not None and denominator is not None and numerator > denominator:
        errors["numerator"] = "The numerator cannot be more than the denominator"
    if errors:
        raise ValidationError(errors)
    period = month_start(period)
    try:
        with transaction.atomic():
            stored = MeasureValue.objects.select_for_update().filter(
                measure=measure, period=period
            ).first() or MeasureValue(measure=measure, period=period)
            stored.value, stored.numerator, stored.denominator = value, numerator, denominator
            stored.note, stored.source = note, MeasureValue.Source.ENTERED
            save_with_history(stored, access.user)
    except IntegrityError as clash:  # someone entered the same month a moment ago
        message = "A value for this month was entered while you typed: check it and try again"
        raise ValidationError({"period": message}) from clash
    return stored


# ---------------------------------------------------------------------------------------------
# Synthetic values

PERCENT_RANGE = (30.0, 95.0)  # where a plausible children's services percentage sits
REVERSION = 0.25  # how strongly each month is pulled back towards where the measure is heading
STEP = 2.0  # the spread of one month's random move, in points
COMPARATOR_REVERSION = 0.3  # comparators move more slowly than a single authority
COMPARATOR_STEP = 0.5


@transaction.atomic
def generate_synthetic_values(
    access: Access, *, months: int = 24, seed: int = 1, end: date | None = None
) -> int:
    """Write synthetic values for the `months` months up to `end` (default: this month) for
    every % measure of the authority, with comparators; return how many values were written.

    The same seed gives the same values. Each measure draws from its own generator, seeded by
    the seed and the measure's code and name, so adding a measure changes no other measure."""
    access.require(Capability.EDIT_PLAN)
    last = month_start(end or current_period())
    periods = [add_months(last, -back) for back in reversed(range(months))]
    measures = list(
        access.scope(Measure.objects.all())
        .filter(unit=Measure.Unit.PERCENT)
        .prefetch_related("milestones")
        .order_by("order", "name", "pk")
    )
    MeasureValue.objects.filter(measure__in=measures, source=MeasureValue.Source.SYNTHETIC).delete()
    ComparatorValue.objects.filter(measure__in=measures, source=SYNTHETIC_SOURCE).delete()
    real = set(MeasureValue.objects.filter(measure__in=measures).values_list("measure", "period"))
    taken = set(
        ComparatorValue.objects.filter(measure__in=measures, label="").values_list(
            "measure", "period", "kind"
        )
    )
    levels = _published_levels(access.authority, measures)
    values, comparators = [], []
    for measure in measures:
        # Demo data, not security: a seeded generator is the point (same seed, same values).
        rng = random.Random(f"{seed}:{measure.code}:{measure.name}")  # noqa: S311  # nosec B311
        milestones = [Milestone(m.due, m.value) for m in measure.milestones.all()]
        path = synthetic_path(rng, periods, milestones, level=levels.get(measure.indicator))
        kinds = [ComparatorValue.Kind.NEIGHBOURS, ComparatorValue.Kind.ENGLAND]
        near = {kind: comparator_path(rng, path) for kind in kinds}
        if measure.indicator in PUBLISHED_KEYS:
            kinds = []  # DfE publishes it: its real comparators, never made-up ones
        elif BY_KEY.get(measure.indicator, NO_INDICATOR).england_name:
            kinds.remove(ComparatorValue.Kind.ENGLAND)  # England publishes it: no made-up series
        for index, (period, number) in enumerate(zip(periods, path, strict=True)):
            if (measure.pk, period) in real:
                continue
            values.append(_synthetic_value(measure, period, number))
            comparators += [
                _synthetic_comparator(measure, period, kind, near[kind][index])
                for kind in kinds
                if (measure.pk, period, kind) not in taken
            ]
    bulk_create_with_history(values, MeasureValue, batch_size=500)
    bulk_create_with_history(comparators, ComparatorValue, batch_size=500)
    charts_outdated(measure.pk for measure in measures)
    return len(values)


def _published_levels(authority, measures: Sequence[Measure]) -> dict[str, float]:
    """The authority's latest published value of each published indicator its measures track,
    so synthetic monthly values start where the real figure is (one query)."""
    keys = sorted({m.indicator for m in measures if m.indicator in PUBLISHED_KEYS})
    if not keys or not authority.la_number:
        return {}
    latest: dict[str, float] = {}
    figures = PublishedFigure.objects.filter(
        area_code=authority.la_number, indicator__in=keys, value__isnull=False
    ).order_by("year")
    for indicator, value in figures.values_list("indicator", "value"):
        latest[indicator] = float(value)
    return latest


def _synthetic_value(measure: Measure, period: date, number: Decimal) -> MeasureValue:
    return MeasureValue(
        measure=measure,
        period=period,
        value=number,
        source=MeasureValue.Source.SYNTHETIC,
        note=SYNTHETIC_NOTE,
    )


def _synthetic_comparator(
    measure: Measure, period: date, kind: str, number: Decimal
) -> ComparatorValue:
    return ComparatorValue(
        measure=measure, period=period, kind=kind, label="", value=number, source=SYNTHETIC_SOURCE
    )


def synthetic_path(
    rng: random.Random,
    periods: Sequence[date],
    milestones: Sequence[Milestone],
    *,
    level: float | None = None,
) -> list[Decimal]:
    """A smooth monthly path: a random walk pulled back each month towards where the measure is
    heading (its trajectory, from a level of its own at the start, when it has milestones; else
    that level), kept within a plausible range. Some measures fall a little short of their
    trajectory, so a demo scorecard shows every rating. `level` (the authority's published
    figure, when there is one) is where it starts, and the range is 15 points either side."""
    low, high = PERCENT_RANGE
    if level is not None:
        low, high = max(0.0, level - 15.0), min(100.0, level + 15.0)
    targets = [float(m.value) for m in milestones if 0 <= m.value <= 100]
    low, high = min([low, *targets]), max([high, *targets])
    drawn = rng.uniform(45.0, 85.0)
    level = drawn if level is None else level
    shortfall = rng.gauss(0.0, 4.0)
    baseline = Milestone(month_end(periods[0]), Decimal(f"{level:.1f}")) if periods else None
    current = level + rng.gauss(0.0, 3.0)
    path = []
    for period in periods:
        expected = expected_value(list(milestones), period, baseline=baseline)
        goal = level if expected is None else float(expected) + shortfall
        current += REVERSION * (goal - current) + rng.gauss(0.0, STEP)
        current = min(max(current, low), high)
        path.append(Decimal(f"{current:.1f}"))
    return path


def comparator_path(rng: random.Random, values: Sequence[Decimal]) -> list[Decimal]:
    """A comparator near the measure's values but never equal to them: a steady offset of 2-8
    points either way, following the values slowly, within 0-100."""
    offset = rng.choice((-1, 1)) * rng.uniform(2.0, 8.0)
    current = float(values[0]) + offset if values else 0.0
    path = []
    for value in values:
        current += COMPARATOR_REVERSION * (float(value) + offset - current)
        current += rng.gauss(0.0, COMPARATOR_STEP)
        current = min(max(current, 0.0), 100.0)
        number = Decimal(f"{current:.1f}")
        if number == value:
            number += Decimal("0.5") if number <= 50 else Decimal("-0.5")
        path.append(number)
    return path
