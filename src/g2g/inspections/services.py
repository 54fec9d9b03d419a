"""Writing inspections, and linking the plan's actions to the recommendations they answer."""

from __future__ import annotations

import re

from django.db import transaction

from g2g.plans.models import Action
from g2g.tenancy.models import Authority

from .models import Finding, Inspection, Judgement, Paragraph
from .parser import (
    OVERALL_EFFECTIVENESS,
    InspectionParseError,
    InspectionReport,
    Problem,
    read_report_bytes,
)
from .visit_findings import read_visit_findings


def write_inspection(
    authority: Authority,
    report: InspectionReport,
    *,
    code: str = "",
    source_name: str = "",
    user=None,
) -> Inspection:
    """Store a parsed report in one transaction. The same inspection twice is refused, so links
    people made to its recommendations are never replaced by a second import."""
    with transaction.atomic():
        duplicate = Inspection.objects.in_authority(authority).filter(
            type=report.type, start=report.start, end=report.end
        )
        if duplicate.exists():
            raise InspectionExistsError(f"{authority.name} already has this inspection")
        inspection = Inspection(
            authority=authority,
            type=report.type,
            framework=report.framework,
            code=code,
            start=report.start,
            end=report.end,
            lead_inspector=report.lead_inspector,
            overall=report.overall,
            source_name=source_name,
        )
        inspection._history_user = user
        inspection.save()
        Judgement.objects.bulk_create(
            Judgement(inspection=inspection, area=j.area, grade=j.grade, order=n)
            for n, j in enumerate(report.judgements)
            if j.area != OVERALL_EFFECTIVENESS  # kept as the inspection's own `overall`
        )
        for kind, texts in (
            (Finding.Kind.RECOMMENDATION, report.recommendations),
            (Finding.Kind.STRENGTH, report.strengths),
            (Finding.Kind.AREA_FOR_DEVELOPMENT, report.areas_for_development),
        ):
            for number, text in enumerate(texts, 1):
                finding = Finding(inspection=inspection, kind=kind, number=number, text=text)
                finding._history_user = user
                finding.save()
        Paragraph.objects.bulk_create(
            Paragraph(inspection=inspection, number=p.number, section=p.section, text=p.text)
            for p in report.paragraphs
        )
        link_actions_by_code(inspection, user=user)
    return inspection


def read_report_upload(name: str, data: bytes, *, focused_visit: bool = False) -> InspectionReport:
    """Read an uploaded report; a focused visit's findings come from a council's text report."""
    if not focused_visit:
        return read_report_bytes(data, source=name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InspectionParseError(
            [Problem(name, "is not UTF-8 text: save the council report as plain text")]
        ) from error
    return read_visit_findings(text, source=name)


class InspectionExistsError(ValueError):
    pass


_WORD = re.compile(r"[a-z]{4,}")
_COMMON = frozenset(
    "that with their which will there this from have been children young people ensure"
    " social work practice services service they what more".split()
)


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower())) - _COMMON


def link_plan_by_words(inspection: Inspection, plan, *, per_recommendation: int = 2) -> int:
    """For a plan that cites no codes (Oldham's), link each recommendation to the actions that
    share most words with it: a starting point the improvement lead corrects. Returns links."""
    actions = [
        (action, _words(f"{action.text} {action.evidence_of_success}"))
        for action in plan.actions.all()
    ]
    made = 0
    for finding in inspection.findings.filter(kind=Finding.Kind.RECOMMENDATION):
        wanted = _words(finding.text)
        ranked = sorted(actions, key=lambda pair: len(pair[1] & wanted), reverse=True)
        best = [action for action, words in ranked[:per_recommendation] if len(words & wanted) >= 3]
        finding.actions.add(*best)
        made += len(best)
    return made


def link_actions_by_code(inspection: Inspection, *, user=None) -> int:
    """Link each action that cites this inspection's code to the recommendation it shares most
    words with. A starting point the improvement lead then corrects; returns links made."""
    if not inspection.code:
        return 0
    recommendations = list(inspection.findings.filter(kind=Finding.Kind.RECOMMENDATION))
    if not recommendations:
        return 0
    made = 0
    for action in Action.objects.in_authority(inspection.authority):
        if inspection.code not in action.sources:
            continue
        words = _words(f"{action.text} {action.evidence_of_success}")
        best = max(recommendations, key=lambda finding: len(words & _words(finding.text)))
        best.actions.add(action)
        made += 1
    return made
