"""Whole numbers from a request: the one parser (docs/security.md #22).

Every integer a view or a form reads from a request (an id, a version, a year, a page) is
parsed here: ASCII digits only, at most 19 of them, and within bounds, by default those of a
database id (1 to 2**63 - 1). Anything else is None, for the caller to answer 400 or 404 or
to show as a form error. Not `str.isdigit` and `int`: "²".isdigit() is True and int("²")
raises, and int("١٢") is 12; nor an unbounded int, which overflows SQLite's integers.
"""

from __future__ import annotations

import re

from django.http import Http404

MAX_ID = 2**63 - 1  # the largest integer PostgreSQL's bigint and SQLite's INTEGER hold
_DIGITS = re.compile(r"[0-9]{1,19}")  # `\d` would take any script's digits


def whole_number(text: object, *, minimum: int = 0, maximum: int = MAX_ID) -> int | None:
    """The number `text` spells in ASCII digits (surrounding spaces allowed), if it lies
    within `minimum` and `maximum`; otherwise None. An int (not a bool) is bounded as it is."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        number = text
    elif isinstance(text, str) and _DIGITS.fullmatch(text.strip(" \t\r\n")):
        number = int(text.strip(" \t\r\n"))
    else:
        return None
    return number if minimum <= number <= maximum else None


def id_or_none(text: object) -> int | None:
    """A database id (1 to MAX_ID) from a request, or None."""
    return whole_number(text, minimum=1)


def whole_number_or_404(text: object, *, minimum: int = 0, maximum: int = MAX_ID) -> int:
    """As `whole_number`, answering 404 (the page for that number does not exist) for bad
    input."""
    number = whole_number(text, minimum=minimum, maximum=maximum)
    if number is None:
        raise Http404("No such number")
    return number
