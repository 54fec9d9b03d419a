"""A measure's unit and which way is better, until an improvement lead confirms them.

A measure that tracks a catalogue indicator takes the indicator's unit and polarity. Any other
measure's are read from its name, by the rules below, and otherwise assumed (a percentage,
higher is better). Either way the measure says where they came from
(`Measure.unit_polarity_basis`), and its page asks the improvement lead to confirm them.

| the name | gives |
|---|---|
| begins "No. of", "No of", "No." or "Number of" | a count |
| begins "% of", "(%) of", "Percentage of" or "Proportion of", or "%" anywhere | a percentage |
| mentions 3+ placements, unregulated placements, re-referrals, repeat plans | lower is better |

("3 or more placements" and "second or subsequent plans" count as the same words.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .indicators import BY_KEY
from .rating import Polarity, Unit

CATALOGUE, NAME, ASSUMED = "catalogue", "name", "assumed"  # Measure.Basis values

_COUNT = re.compile(r"^\W*(?:no\.|no\s+of\b|number\s+of\b)", re.IGNORECASE)
_PERCENT = re.compile(r"^\W*(?:\(?%\)?\s*of\b|percentage\s+of\b|proportion\s+of\b)|%", re.I)
_LOWER = [
    (
        re.compile(r"\b(?:3|three)\s*(?:\+|or\s+more)\s+placements?\b", re.IGNORECASE),
        "3 or more placements",
    ),
    (re.compile(r"\bun-?regulated\s+placements?\b", re.IGNORECASE), "unregulated placements"),
    (re.compile(r"\bre-?referrals?\b", re.IGNORECASE), "re-referrals"),
    (
        re.compile(
            r"\b(?:repeat|second\s+or\s+subsequent|subsequent)\b.{0,40}\bplans?\b"
            r"|\bplans?\b.{0,40}\b(?:second|subsequent)\b"
            r"|\brepeat\s+(?:child\s+protection|cp)\b",
            re.IGNORECASE,
        ),
        "repeat plans",
    ),
]


@dataclass(frozen=True)
class Suggestion:
    unit: str
    polarity: str
    basis: str  # catalogue, name or assumed
    reason: str  # in words, for the measure's page


def suggest(name: str, indicator: str = "") -> Suggestion:
    """The unit and polarity a measure called `name`, tracking `indicator` (a catalogue key, or
    ""), should start with, and why."""
    known = BY_KEY.get(indicator)
    if known is not None:
        return Suggestion(
            known.unit, known.polarity, CATALOGUE, f"from the indicator it tracks: {known.name}"
        )
    reasons = []
    unit = Unit.PERCENT
    if _COUNT.search(name or ""):
        unit = Unit.COUNT
        reasons.append('its name begins "No. of" or "Number of": a count')
    elif _PERCENT.search(name or ""):
        reasons.append("its name says it is a percentage")
    polarity = Polarity.HIGHER
    for pattern, words in _LOWER:
        if pattern.search(name or ""):
            polarity = Polarity.LOWER
            reasons.append(f"it counts {words}: lower is better")
            break
    if not reasons:
        return Suggestion(unit, polarity, ASSUMED, "assumed: a percentage, higher is better")
    if unit == Unit.PERCENT and not any("percentage" in reason for reason in reasons):
        reasons.append("assumed to be a percentage")
    if polarity == Polarity.HIGHER:
        reasons.append("higher is better assumed")
    return Suggestion(unit, polarity, NAME, "; ".join(reasons))
