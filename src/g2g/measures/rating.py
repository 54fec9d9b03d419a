"""Rate a measure for a month against its trajectory: one tested rule, used wherever a measure is
rated, so the scorecard, the measure page and board packs can never disagree.

A measure has a polarity (which way is better), milestones written in the plan ("70% by June
2020") and a value each month. `expected_value` reads the month's trajectory from the milestones;
`assess` compares the month's value with it:

Rows are read top to bottom; the first that fits gives the rating.

| the month's value | rating | words, for example |
|---|---|---|
| missing | "" (not rated) | No value for this period |
| present, but no trajectory this month | "" | No target for this period |
| present, polarity "neither" | "" | Not rated: neither higher nor lower is better |
| on the trajectory, or better | green | On the 70% trajectory |
| worse by no more than the tolerance | amber | 4.3 points below the 70% trajectory |
| worse by more than the tolerance | red | 12 points below the 70% trajectory |

"Better" means above the trajectory when higher is better and below it when lower is better. The
tolerance is in the measure's own unit (5 by default: for a percentage, "within 5 points").

Blue is never given to a measure: in BRAG blue means "complete, impact evidenced", which is said
of actions; a measure is tracked every month and is never finished.

Numbers are written with at most one decimal place and no trailing zeros ("70", "4.3").
"""

import re
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date
from decimal import MAX_EMAX, MIN_EMIN, ROUND_HALF_UP, Context, Decimal, localcontext
from typing import NamedTuple

from django.db.models import TextChoices

from g2g.core.dates import month_end


class Polarity(TextChoices):
    """Which way is better for a measure (also the model field's choices)."""

    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"
    NEITHER = "neither", "Neither"


class Unit(TextChoices):
    """What a measure's numbers count (also the model field's choices). "FTE ratio" is a number
    per full-time-equivalent social worker, as DfE's workforce statistics give caseloads."""

    PERCENT = "%", "Percentage"
    COUNT = "count", "Count"
    DAYS = "days", "Days"
    RATE = "rate per 10,000", "Rate per 10,000 children"
    FTE_RATIO = "FTE ratio", "Number per full-time-equivalent (FTE) social worker"


@dataclass(frozen=True, order=True)
class Milestone:
    """A point the plan promises to reach: "70% by June 2020" is (2020-06-30, 70)."""

    due: date
    value: Decimal


@dataclass(frozen=True)
class Assessment:
    """A measure's rating for one month, with the numbers and words that explain it."""

    rating: str  # "green", "amber", "red", or "" when the month cannot be rated
    gap: Decimal | None  # value - expected, signed; None when either is missing
    words: str  # "4.3 points below the 70% trajectory"
    target: Decimal | None  # the expected value the month was compared with

    @property
    def unrated_words(self) -> str:
        """What a rating's place says for a month that has no rating ("No target", "No value",
        "Not rated: neither higher nor lower is better"): the one wording every page and file
        uses; "" for a rated month (its rating's word is shown)."""
        return "" if self.rating else self.words.removesuffix(" for this period")


# ---------------------------------------------------------------------------------------------
# Milestones written in plans


# Written out rather than taken from `calendar.month_name`, which follows the server's locale.
_FULL_MONTHS = (
    "january february march april may june july august september october november december".split()
)
_MONTHS = {
    **{name: number for number, name in enumerate(_FULL_MONTHS, start=1)},
    **{name[:3]: number for number, name in enumerate(_FULL_MONTHS, start=1)},
    "sept": 9,
}
# Longest names first so "September" is not read as "Sep" followed by "tember".
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MILESTONE = re.compile(
    r"(?<![\w.,])(?P<number>\d{1,3}(?:,\d{3})+|\d+)(?P<fraction>\.\d+)?"
    r"(?:\s*%|\s+per\s*cent|\s+days?)?"
    r"\s+by\s+(?:the\s+end\s+of\s+|end\s+of\s+)?"
    rf"(?P<month>{_MONTH_NAMES})\b\.?\s*(?P<year>\d{{4}})(?!\d)",
    re.IGNORECASE,
)


def parse_milestones(text: str) -> list[Milestone]:
    """Find every "<number>[%] by <month> <year>" in free text, such as a plan's evidence of
    success ("55% by October 2019 70% by June 2020"), so a trajectory can be drawn from what the
    plan already says. "per cent" and "days" may follow the number, and "by the end of" is read
    as "by". Years must have four digits: "by June 30, 2020" would otherwise be June 2030.
    Never raises: text that is not understood gives no milestones."""
    found = {_milestone(match) for match in _MILESTONE.finditer(text or "")}
    return sorted(milestone for milestone in found if milestone is not None)


def _milestone(match: re.Match[str]) -> Milestone | None:
    year = int(match["year"])
    if not MINYEAR <= year <= MAXYEAR:
        return None
    month = _MONTHS[match["month"].lower()]
    number = match["number"].replace(",", "") + (match["fraction"] or "")
    return Milestone(due=month_end(date(year, month, 1)), value=Decimal(number))


# ---------------------------------------------------------------------------------------------
# The trajectory for a month


def expected_value(
    milestones: list[Milestone], period: date, *, baseline: Milestone | None = None
) -> Decimal | None:
    """The value the plan expects by the end of `period` (a month, given as its first day).

    Between two milestones the value moves in a straight line, day by day. Before the first
    milestone it moves from the baseline, when there is one; before the baseline, or with no
    baseline, there is no trajectory. After the last milestone the last value holds.
    """
    at = month_end(period)
    points = sorted(milestones)
    if not points:
        return None
    if at >= points[-1].due:
        return points[-1].value
    later = next(index for index, point in enumerate(points) if point.due >= at)
    if points[later].due == at:
        return points[later].value
    earlier = points[later - 1] if later > 0 else baseline
    if earlier is None or at < earlier.due:
        return None
    return _interpolate(earlier, points[later], at)


def _interpolate(earlier: Milestone, later: Milestone, at: date) -> Decimal:
    span = (later.due - earlier.due).days
    if span <= 0:
        return later.value
    with _wide_exponents():
        fraction = Decimal((at - earlier.due).days) / Decimal(span)
        value = earlier.value + (later.value - earlier.value) * fraction
    # Rounding in the arithmetic must never carry the value past either milestone.
    low, high = sorted((earlier.value, later.value))
    return min(max(value, low), high)


def _wide_exponents() -> AbstractContextManager[Context]:
    """Decimal arithmetic that cannot overflow for any finite input (precision is unchanged)."""
    return localcontext(Emax=MAX_EMAX, Emin=MIN_EMIN)


# ---------------------------------------------------------------------------------------------
# Rating a month


def assess(
    value: Decimal | None,
    expected: Decimal | None,
    polarity: Polarity,
    *,
    unit: str = "%",
    tolerance: Decimal = Decimal("5"),
) -> Assessment:
    """Rate one month's value against its trajectory by the rule in this module's docstring."""
    if value is None:
        return Assessment("", None, "No value for this period", expected)
    if expected is None:
        return Assessment("", None, "No target for this period", None)
    with _wide_exponents():
        gap = value - expected
    if polarity == Polarity.NEITHER:
        return Assessment("", gap, "Not rated: neither higher nor lower is better", expected)
    rating = _rating(gap, polarity, tolerance)
    return Assessment(rating, gap, gap_words(value, expected, unit), expected)


def _rating(gap: Decimal, polarity: Polarity, tolerance: Decimal) -> str:
    shortfall = -gap if polarity == Polarity.HIGHER else gap  # how much worse than expected
    if shortfall <= 0:
        return "green"
    if shortfall <= tolerance:
        return "amber"
    return "red"


def gap_words(value: Decimal, expected: Decimal, unit: str = "%") -> str:
    """ "4.3 points below the 70% trajectory": how far off and against what, in numbers, without
    saying whether that is good (the rating says that)."""
    target = f"the {format_value(expected, unit)} trajectory"
    with _wide_exponents():
        gap = value - expected
    if gap == 0:
        return f"On {target}"
    side = "above" if gap > 0 else "below"
    words = f"{format_difference(abs(gap), unit)} {side} {target}"
    return words[:1].upper() + words[1:]


class Direction(NamedTuple):
    """Which way a measure went: ("↑", "improving"). Named, so a template reads
    `direction.words` as an attribute (an index would be tried as an attribute first)."""

    arrow: str
    words: str


def direction_of_travel(values: list[Decimal | None], polarity: Polarity) -> Direction:
    """An arrow and words comparing the last two known values (`values` is oldest first).

    The arrow shows which way the number moved; the words say whether that is better, except
    for measures where neither direction is better."""
    known = [value for value in values if value is not None]
    if len(known) < 2:
        return Direction("", "not enough data")
    previous, latest = known[-2:]
    arrow, verdict = movement(previous, latest, polarity)
    return Direction(arrow, _MONTHLY_WORDS[verdict])


# What a move from one value to the next says, by polarity: the one vocabulary of verdicts.
BETTER, WORSE, SAME, HIGHER, LOWER = "better", "worse", "no change", "higher", "lower"
_MONTHLY_WORDS = {
    BETTER: "improving",
    WORSE: "worse than last month",
    SAME: "no change",
    HIGHER: "higher than last month",
    LOWER: "lower than last month",
}
# A verdict as a GOV.UK tag: the word is always shown, the colour only repeats it. Better and
# worse share Green's and Red's colours because they say the same (good, needs attention); a
# move that is neither is grey, never blue (Blue means complete).
VERDICT_TAGS = {
    BETTER: ("Better", "govuk-tag--green"),
    WORSE: ("Worse", "govuk-tag--red"),
    SAME: ("No change", "govuk-tag--grey"),
    HIGHER: ("Higher", "govuk-tag--grey"),
    LOWER: ("Lower", "govuk-tag--grey"),
}


def movement(previous: Decimal, latest: Decimal, polarity: Polarity) -> tuple[str, str]:
    """The arrow and the verdict of a move from `previous` to `latest`: better or worse by the
    polarity, or (polarity "neither") only higher or lower."""
    if latest == previous:
        return "→", SAME
    went_up = latest > previous
    arrow = "↑" if went_up else "↓"
    if polarity == Polarity.NEITHER:
        return arrow, HIGHER if went_up else LOWER
    return arrow, BETTER if went_up == (polarity == Polarity.HIGHER) else WORSE


def change_in_words(
    subject: str,
    earlier: tuple[str, Decimal],
    later: tuple[str, Decimal],
    unit: str,
    polarity: Polarity,
) -> tuple[str, str, str]:
    """ "3+ placements fell from 13% (2024) to 11% (2025): better": how a published figure moved
    between two years, with its verdict by polarity. `earlier` and `later` are (when, value).
    Returns (arrow, verdict, sentence); with polarity "neither" the sentence says so instead of
    judging."""
    (before, old), (after, new) = earlier, later
    arrow, verdict = movement(old, new, polarity)
    if verdict == SAME:
        moved = f"stayed at {format_value(new, unit)} ({before} and {after})"
    else:
        verb = "rose" if new > old else "fell"
        moved = (
            f"{verb} from {format_value(old, unit)} ({before}) to {format_value(new, unit)} "
            f"({after})"
        )
    judged = "neither higher nor lower is better" if polarity == Polarity.NEITHER else verdict
    return arrow, verdict, f"{subject} {moved}: {judged}"


# ---------------------------------------------------------------------------------------------
# Writing numbers with their units

# The words after a number in each unit: (one, many). Unknown units are written as given.
_UNIT_WORDS = {
    "days": ("day", "days"),
    "count": ("", ""),
    "rate per 10,000": ("per 10,000", "per 10,000"),
    "FTE ratio": ("per FTE", "per FTE"),
}
_POINTS = ("point", "points")  # a difference between two percentages
_ONE_PLACE = Decimal("0.1")
_LARGEST_PLAIN = 15  # digits before the point beyond which numbers are written as 1.2E+20


def format_number(value: Decimal) -> str:
    """ "70", "4.3", "1,234.5": one decimal place at most (half up), no trailing zeros."""
    if not value.is_finite():
        return str(value)
    if value.adjusted() >= _LARGEST_PLAIN:
        return f"{value:.1E}"
    rounded = value.quantize(_ONE_PLACE, rounding=ROUND_HALF_UP)
    if rounded == 0:
        return "0"  # never "-0"
    return f"{rounded.normalize():,f}"


def format_value(value: Decimal, unit: str) -> str:
    """A value with its unit: "70%", "20 days", "40", "45.2 per 10,000"."""
    number = format_number(value)
    if unit == "%":
        return f"{number}%"
    return _with_words(number, _UNIT_WORDS.get(unit, (unit, unit)))


def format_difference(size: Decimal, unit: str) -> str:
    """The size of a difference: "4.3 points" (for %), "2 days", "12", "1.5 per 10,000"."""
    number = format_number(size)
    if number == "0" and size != 0:
        number = "less than 0.1"
    words = _POINTS if unit == "%" else _UNIT_WORDS.get(unit, (unit, unit))
    return _with_words(number, words)


def _with_words(number: str, words: tuple[str, str]) -> str:
    one, many = words
    word = one if number == "1" else many
    return f"{number} {word}" if word else number
