"""Focused-visit findings as councils report them: the visit's dates, then "Strengths" and
"Areas for development" headings, each followed by a bulleted list (as in Oldham's December 2020
council report). Ofsted's own letters go through parser.py."""

from __future__ import annotations

import re
from datetime import date

from g2g.core.problems import Problem, ReadError

from .parser import InspectionReport

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        1,
    )
    for name in names
}
# "focused visit on 13-15 October 2020", "From 13-15 October 2020 Ofsted conducted a focused visit"
_VISIT_DATES = re.compile(
    r"(\d{1,2})\s*(?:-|–|to)\s*(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})[^\n]{0,80}?focused visit"
    r"|focused visit[^\n]{0,40}?\b(\d{1,2})\s*(?:-|–|to)\s*(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})",
    re.IGNORECASE,
)
_HEADING = {"strengths": "strengths", "areas for development": "areas_for_development"}
_BULLET = re.compile(r"^\s*(?:[-•·*]\s*)+(?P<text>\S.*)$")


def read_visit_findings(text: str, *, source: str = "report") -> InspectionReport:
    """The focused visit a report describes, with its strengths and areas for development."""
    start, end = _visit_dates(text)
    report = InspectionReport(
        type="Focused visit",
        framework="",
        authority="",
        start=start,
        end=end,
        lead_inspector="",
    )
    heading = None
    for line in text.splitlines():
        stripped = line.strip().rstrip(":").lower()
        bullet = _BULLET.match(line)
        if stripped in _HEADING:
            heading = _HEADING[stripped]
        elif bullet and heading:
            getattr(report, heading).append(bullet["text"].strip())
        elif line.strip():
            heading = None  # any other text ends the list
    if not report.strengths and not report.areas_for_development:
        raise ReadError(
            [Problem(source, "no 'Strengths' or 'Areas for development' lists were found")]
        )
    if start is None:
        report.problems.append(Problem(source, "the focused visit's dates were not found"))
    return report


def _visit_dates(text: str) -> tuple[date | None, date | None]:
    match = _VISIT_DATES.search(text)
    if not match:
        return None, None
    first, last, month, year = (group for group in match.groups() if group is not None)
    number = _MONTHS.get(month.lower())
    if number is None:
        return None, None
    try:
        return date(int(year), number, int(first)), date(int(year), number, int(last))
    except ValueError:
        return None, None
