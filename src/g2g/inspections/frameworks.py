"""The inspection frameworks, as the report reader uses them: plain, frozen copies of the
`Framework` rows (data migrations add and change them), with their patterns compiled once.

`load_frameworks()` reads them from the database; the reader (`parser.py`) takes them as an
argument, so it stays a function of its input and tests can hand it any framework.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property

_FLAGS = re.IGNORECASE


@dataclass(frozen=True)
class AreaSpec:
    name: str
    wordings: tuple[str, ...]
    required: bool = True


@dataclass(frozen=True)
class FrameworkSpec:
    key: str
    name: str
    type: str  # an InspectionType value: "ILACS", "SIF", "Focused visit" …
    title: str  # a pattern for how its reports name themselves
    first_used: date | None = None
    last_used: date | None = None
    graded: bool = True
    overall: bool = True
    overall_wordings: tuple[str, ...] = ()
    grades: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (grade, its wordings), best first
    findings: tuple[tuple[str, str], ...] = ()  # (heading pattern, Finding.Kind value)
    areas: tuple[AreaSpec, ...] = ()
    lead_named: bool = True

    # -- compiled once per framework (frozen dataclasses still allow cached_property)

    @cached_property
    def title_re(self) -> re.Pattern[str]:
        return re.compile(self.title, _FLAGS | re.MULTILINE)

    @cached_property
    def grade_pattern(self) -> str:
        """Its grade words, longest first, as one pattern (for use inside others)."""
        words = sorted((w for _, wordings in self.grades for w in wordings), key=len, reverse=True)
        return "(?:" + "|".join(words or ["(?!)"]) + r")(?![\w-])"

    @cached_property
    def overall_res(self) -> tuple[re.Pattern[str], ...]:
        return tuple(
            re.compile(wording.replace("{grade}", self.grade_pattern), _FLAGS)
            for wording in self.overall_wordings
        )

    @cached_property
    def finding_res(self) -> tuple[tuple[re.Pattern[str], str], ...]:
        return tuple(
            (re.compile(rf"(?:{heading})\s*\??\s*:?", _FLAGS), kind)
            for heading, kind in self.findings
        )

    def grade_of(self, written: str) -> str:
        """The grade a wording means ('Requires improvement' → 'Requires improvement to be
        good'); '' when it is none of this framework's."""
        text = " ".join(written.lower().replace("(", "( ").replace(")", " )").split())
        text = text.replace("( ", "(").replace(" )", ")")
        for grade, wordings in self.grades:
            if any(re.fullmatch(wording, text, _FLAGS) for wording in wordings):
                return grade
        return _grade_by_words(text)

    def in_use_on(self, day: date | None) -> bool | None:
        """Whether inspections on `day` were under it (None when the day is not known)."""
        if day is None:
            return None
        return (self.first_used is None or self.first_used <= day) and (
            self.last_used is None or day <= self.last_used
        )


def _grade_by_words(text: str) -> str:
    """A grade written in words of a sentence: 'improvement' is 'Requires improvement to be
    good', as SIF covers write it."""
    if "improvement" in text:
        return "Requires improvement to be good"
    for grade in ("Not judged", "Inadequate", "Adequate", "Outstanding", "Good"):
        if grade.lower() in text:
            return grade
    return ""


def spec_of(framework, areas) -> FrameworkSpec:
    """A frozen copy of a `Framework` row and its areas."""
    return FrameworkSpec(
        key=framework.key,
        name=framework.name,
        type=framework.type,
        title=framework.title,
        first_used=framework.first_used,
        last_used=framework.last_used,
        graded=framework.graded,
        overall=framework.overall,
        overall_wordings=tuple(framework.overall_wordings or ()),
        grades=tuple((grade, tuple(wordings)) for grade, wordings in framework.grades or ()),
        findings=tuple((heading, kind) for heading, kind in framework.findings or ()),
        areas=tuple(AreaSpec(a.name, tuple(a.wordings), a.required) for a in areas),
        lead_named=framework.lead_named,
    )


def load_frameworks() -> tuple[FrameworkSpec, ...]:
    """Every framework in the database, in the order the reader tries them (two queries)."""
    from .models import Framework  # noqa: PLC0415 - the parser imports this module, not models

    rows = Framework.objects.prefetch_related("areas").order_by("order", "key")
    return tuple(spec_of(row, row.areas.all()) for row in rows)
