"""Turn the free-text timescales of council plans ("April 2019 – ongoing", "Sep 23", "Q3 2024")
into dates, keeping the original words.

Plans are written by people, not systems, so every function here accepts any string and never
raises: when a phrase cannot be understood the dates are simply left empty.

The rules:
- a range runs from the first day of its first part to the last day of its last part
  ("June 19 – Dec 19" is 1 June to 31 December 2019); a part without a year borrows the other's;
- "April 2019 – ongoing" has a start and no end;
- a single date, month or year is a deadline: no start, end on its last day;
- unless it is a start: "From Nov 23", "Starting April 2024", "Commencing 1 May 2024" start on
  its first day and have no end;
- a quarter ("Q3 2024", calendar quarters; "Q2 2024/25", quarters of the financial year, Q1
  April to June) or a financial year ("2019/20") is a span: both dates; after "by" or "end of"
  it is a deadline ("By Q2 2024/25" ends on 30 September 2024, no start);
- a date followed by "onwards" or "(ongoing)" starts then: "April 2019 onwards";
- "Quarterly", "Monthly", "Termly"… are recurring and have no dates;
- two-digit years are this century: "Sep 23" is September 2023.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from g2g.core.dates import month_end


@dataclass(frozen=True)
class Timescale:
    text: str  # the cell as written, stripped
    start: date | None
    end: date | None
    ongoing: bool
    recurring: bool


@dataclass(frozen=True)
class _Partial:
    """One date phrase as written; any part may be missing until a range fills it in."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    quarter: int | None = None
    financial_year: bool = False  # "2019/20": April 2019 to March 2020; with a quarter, its Qn


@dataclass(frozen=True)
class _Period:
    """The span of days a date phrase covers: one day, a month, a quarter or a year."""

    first: date
    last: date


@dataclass(frozen=True)
class _Phrase:
    """A recognised timescale phrase inside a text: a single date or a range."""

    first: _Partial
    second: _Partial | None  # None for a single date
    ongoing_end: bool  # "April 2019 – ongoing"
    start: int
    end: int
    from_start: bool = False  # "From Nov 23": a single date that starts the work
    deadline: bool = False  # "By Q2 2024/25", "End of 2024": a span's last day is the deadline


_FULL_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
}
MONTHS = {**_FULL_MONTHS, **{name[:3]: n for name, n in _FULL_MONTHS.items()}, "sept": 9}
# Longest names first so "September" is not read as "Sep" followed by junk.
_MONTH_NAMES = sorted(MONTHS, key=len, reverse=True)
_MONTH = r"(?P<mon>" + "|".join(_MONTH_NAMES) + r")(?![a-z])\.?"
_YEAR = r"['’]?(?P<y>\d{4}|\d{2})(?!\d)"
_DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"

# Each form of a single date, tried in this order at one position.
_FLAGS = re.IGNORECASE | re.ASCII  # ASCII: no Unicode look-alikes such as the long s in "ſept"
_DATE_FORMS = [
    re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)", re.ASCII),
    re.compile(r"(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>\d{4}|\d{2})(?!\d)", re.ASCII),
    re.compile(r"(?P<y>(?:19|20)\d{2})/(?P<y2>\d{4}|\d{2})(?!\d)", re.ASCII),
    re.compile(r"q(?P<q>[1-4])\s*(?P<y>(?:19|20)?\d{2})/(?P<y2>\d{4}|\d{2})(?!\d)", _FLAGS),
    re.compile(r"q(?P<q>[1-4])(?:\s*" + _YEAR + r")?(?![a-z\d])", _FLAGS),
    re.compile(_DAY + r"\s+(?:of\s+)?" + _MONTH + r"(?:,?\s*" + _YEAR + r")?", _FLAGS),
    re.compile(_MONTH + r"(?:\s*,?\s*" + _YEAR + r")?", _FLAGS),
    re.compile(r"(?P<y>(?:19|20)\d{2})(?![\d/])", re.ASCII),
]
_DEADLINE_PREFIX = re.compile(r"(?:by\s+)?(?:the\s+)?(?:end\s+of\s+)?", _FLAGS)
_START_PREFIX = re.compile(
    r"(?:from|starting(?:\s+(?:from|in|on))?|start(?:s|ing)?\s+(?:in|on|from)|commencing"
    r"|beginning|begins?)\s+(?:(?:the\s+)?(?:start|beginning)\s+of\s+)?",
    _FLAGS,
)
_RANGE_SEPARATOR = re.compile(r"\s*[-–—]+\s*|\s+(?:to|until|till)\s+", _FLAGS)
_ONGOING = re.compile(r"on[-\s]?going\b", _FLAGS)
_ONWARDS = re.compile(r"\s*(?:onwards?\b|\(\s*on[-\s]?going\s*\))", _FLAGS)
_SHORT_YEAR = re.compile(r"(?P<y>\d{2})(?![\d/])", re.ASCII)
_RECURRING = re.compile(
    r"\b(?:(?:bi|half|six)[-\s]?(?:annual|annually|monthly|yearly|termly)|quarterly|monthly|"
    r"annually|annual|termly|weekly|fortnightly|yearly|daily)\b",
    _FLAGS,
)
_WORD_START = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]")


def _safe_date(year: int, month: int, day: int) -> date | None:
    """A real date, or None for impossible ones such as 31 February or year 0."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _last_day(year: int, month: int) -> date | None:
    if not (1 <= year <= 9999 and 1 <= month <= 12):
        return None
    return month_end(date(year, month, 1))


def _year(text: str | None) -> int | None:
    """Two-digit years are this century: '23' is 2023."""
    if not text:
        return None
    return int(text) + 2000 if len(text) == 2 else int(text)


def _partial_from(match: re.Match[str]) -> _Partial:
    groups = match.groupdict()
    year = _year(groups.get("y"))
    quarter = int(groups["q"]) if groups.get("q") else None
    if groups.get("y2"):
        # "2019/20" is a financial year only when the second year follows the first.
        if year is not None and _year(groups["y2"]) == year + 1:
            return _Partial(year=year, quarter=quarter, financial_year=True)
        return _Partial(year=year, quarter=quarter)
    if quarter:
        return _Partial(year=year, quarter=quarter)
    month = MONTHS.get(groups["mon"].lower().rstrip(".")) if groups.get("mon") else None
    if groups.get("m"):
        month = int(groups["m"])
    day = int(groups["d"]) if groups.get("d") else None
    return _Partial(year=year, month=month, day=day)


def _period(partial: _Partial) -> _Period | None:
    """The days a complete date phrase covers; None when the year is missing or the date absurd."""
    year = partial.year
    if year is None or not 1 <= year <= 9999:
        return None
    if partial.financial_year and partial.quarter:  # Q1 is April to June
        first_month = 3 * partial.quarter + 1
        year, first_month = (year + 1, 1) if first_month > 12 else (year, first_month)
        first, last = _safe_date(year, first_month, 1), _last_day(year, first_month + 2)
    elif partial.financial_year:
        first, last = _safe_date(year, 4, 1), _safe_date(year + 1, 3, 31)
    elif partial.quarter:
        first_month = 3 * partial.quarter - 2
        first, last = _safe_date(year, first_month, 1), _last_day(year, first_month + 2)
    elif partial.month is None:
        first, last = _safe_date(year, 1, 1), _safe_date(year, 12, 31)
    elif partial.day is None:
        first, last = _safe_date(year, partial.month, 1), _last_day(year, partial.month)
    else:
        first = last = _safe_date(year, partial.month, partial.day)
    if first is None or last is None:
        return None
    return _Period(first, last)


def _match_date(text: str, pos: int) -> tuple[_Partial, int] | None:
    """The single date phrase starting exactly at `pos`, and where it ends."""
    for form in _DATE_FORMS:
        match = form.match(text, pos)
        if match:
            return _partial_from(match), match.end()
    return None


def _match_range_end(text: str, pos: int, first: _Partial) -> tuple[_Partial | None, bool, int]:
    """After a first date: the second date of a range, or 'ongoing', or nothing."""
    separator = _RANGE_SEPARATOR.match(text, pos)
    if not separator:
        return None, False, pos
    after = separator.end()
    ongoing = _ONGOING.match(text, after)
    if ongoing:
        return None, True, ongoing.end()
    second = _match_date(text, after)
    if second:
        return second[0], False, second[1]
    short = _SHORT_YEAR.match(text, after)
    if short and first.year and first.month is None and not first.quarter:
        return _Partial(year=_year(short["y"])), False, short.end()  # "2019-21"
    return None, False, pos


def _match_phrase(text: str, pos: int) -> _Phrase | None:
    """A single date or a range starting at `pos` (after an optional 'by end of', or a 'from'
    that makes a single date a start)."""
    starting = _START_PREFIX.match(text, pos)
    prefix = starting or _DEADLINE_PREFIX.match(text, pos)
    begin = prefix.end() if prefix else pos
    found = _match_date(text, begin)
    if found is None:
        return None
    first, end = found
    second, ongoing_end, range_end = _match_range_end(text, end, first)
    onwards = _ONWARDS.match(text, end)
    if second is None and not ongoing_end and onwards:  # "April 2019 onwards"
        return _Phrase(first, None, True, pos, onwards.end())
    if second is None and not ongoing_end:
        deadline = not starting and prefix is not None and prefix.end() > pos
        return _Phrase(first, None, False, pos, end, from_start=bool(starting), deadline=deadline)
    return _Phrase(first, second, ongoing_end, pos, range_end)


def _find_phrase(text: str) -> _Phrase | None:
    """The first date phrase anywhere in the text."""
    for word in _WORD_START.finditer(text):
        phrase = _match_phrase(text, word.start())
        if phrase and _has_year(phrase):  # "Staff may…" is not the month of May
            return phrase
    return None


def _has_year(phrase: _Phrase) -> bool:
    return phrase.first.year is not None or (
        phrase.second is not None and phrase.second.year is not None
    )


def _fill_years(first: _Partial, second: _Partial) -> tuple[_Partial, _Partial]:
    """'April – June 2020': a part without a year borrows the other's."""
    if first.year is None and second.year is not None:
        first = _with_year(first, second.year)
        if _order_key(first) > _order_key(second):  # "Nov – Feb 2020" starts the year before
            first = _with_year(first, second.year - 1)
    elif second.year is None and first.year is not None:
        second = _with_year(second, first.year)
        if _order_key(first) > _order_key(second):
            second = _with_year(second, first.year + 1)
    return first, second


def _with_year(partial: _Partial, year: int) -> _Partial:
    return _Partial(year, partial.month, partial.day, partial.quarter, partial.financial_year)


def _order_key(partial: _Partial) -> tuple[int, int, int]:
    period = _period(partial) if partial.year else None
    if period:
        return (period.first.year, period.first.month, period.first.day)
    month = partial.month or (3 * partial.quarter - 2 if partial.quarter else 1)
    return (partial.year or 0, month, partial.day or 1)


def _dates(phrase: _Phrase) -> tuple[date | None, date | None]:
    """Start and end dates of a phrase, by the rules in the module docstring."""
    if phrase.second is None:
        period = _period(phrase.first)
        if period is None:
            return None, None
        if phrase.ongoing_end or phrase.from_start:
            return period.first, None
        spans = phrase.first.quarter or phrase.first.financial_year
        if spans and not phrase.deadline:  # spans of work, not deadlines
            return period.first, period.last
        return None, period.last  # "30 Sept 2019", "October 2019": a deadline
    first, second = _fill_years(phrase.first, phrase.second)
    start, end = _period(first), _period(second)
    return (start.first if start else None), (end.last if end else None)


def parse_timescale(text: str) -> Timescale:
    """Read a timescale cell; unknown phrases keep their text and get no dates."""
    text = text.strip()
    phrase = _find_phrase(text)
    start, end = _dates(phrase) if phrase else (None, None)
    if start and end and start > end:
        start = None  # a reversed range: keep the deadline, which is what gets chased
    return Timescale(
        text=text,
        start=start,
        end=end,
        ongoing=bool(_ONGOING.search(text)) or bool(phrase and phrase.ongoing_end),
        recurring=bool(_RECURRING.search(text)),
    )


def parse_month(text: str, *, end: bool) -> date | None:
    """A start or end column cell: 'Sep 23' is 1 Sept 2023 as a start, 30 Sept as an end."""
    phrase = _find_phrase(text.strip())
    if phrase is None:
        return None
    if phrase.second is None:
        period = _period(phrase.first)
        if period is None:
            return None
        return period.last if end else period.first
    first, second = _fill_years(phrase.first, phrase.second)
    period = _period(second) if end else _period(first)
    if period is None:
        return None
    return period.last if end else period.first


def split_timescale(text: str) -> tuple[str, str]:
    """Split a cell that begins with a timescale into (timescale, rest), else ('', text).

    Converted documents sometimes glue the next column onto the timescale
    ("April 2019 – March 2020 • Analysis…"), so readers need both parts.
    """
    stripped = text.strip()
    words = stripped.split()
    if 0 < len(words) <= 3 and (
        _RECURRING.search(stripped) or _ONGOING.fullmatch(stripped.rstrip("."))
    ):
        return stripped, ""
    phrase = _match_phrase(stripped, 0)
    if phrase is None:
        return "", text
    rest = stripped[phrase.end :].strip()
    no_year = phrase.second is None and phrase.first.year is None
    if no_year and rest:  # "May be reviewed" is not a timescale; "February" alone is
        return "", text
    return stripped[: phrase.end].strip(), rest


def looks_like_timescale(text: str) -> bool:
    """Whether the cell begins with a date phrase: the anchor used to realign broken rows."""
    return bool(split_timescale(text)[0])
