"""Writing inspections, and linking the plan's actions to the recommendations they answer."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from g2g.core.history import save_with_history
from g2g.core.problems import Problem, ReadError
from g2g.plans.models import Action, Plan, Priority
from g2g.tenancy.access import Access, Capability

from .models import Finding, Framework, Inspection, Judgement, Paragraph
from .parser import OVERALL_EFFECTIVENESS, InspectionReport, read_report_bytes
from .visit_findings import read_visit_findings


def write_inspection(
    access: Access,
    report: InspectionReport,
    *,
    code: str = "",
    source_name: str = "",
) -> Inspection:
    """Store a parsed report as an inspection of `access`'s authority, in one transaction, and
    link the actions that cite `code` to its recommendations. Needs EDIT_PLAN.

    The same inspection (type and dates) twice is refused with `InspectionExistsError`, so links
    people made to its recommendations are never replaced by a second import."""
    access.require(Capability.EDIT_PLAN)
    authority, user = access.authority, access.user
    with transaction.atomic():
        duplicate = access.scope(Inspection.objects.all()).filter(
            type=report.type, start=report.start, end=report.end
        )
        if duplicate.exists():
            raise InspectionExistsError(f"{authority.name} already has this inspection")
        inspection = Inspection(
            authority=authority,
            type=report.type,
            framework=report.framework,
            framework_key=report.framework_key,
            code=code,
            start=report.start,
            end=report.end,
            lead_inspector=report.lead_inspector,
            overall=report.overall,
            source_name=source_name,
        )
        save_with_history(inspection, user)
        Judgement.objects.bulk_create(
            Judgement(
                inspection=inspection,
                area=j.area,
                grade=j.grade,
                as_written=j.as_written[:80],
                order=n,
            )
            for n, j in enumerate(report.judgements)
            if j.area != OVERALL_EFFECTIVENESS  # kept as the inspection's own `overall`
        )
        for kind, texts in report.findings():
            for number, text in enumerate(texts, 1):
                finding = Finding(inspection=inspection, kind=kind, number=number, text=text)
                save_with_history(finding, user)
        Paragraph.objects.bulk_create(
            Paragraph(inspection=inspection, number=p.number, section=p.section, text=p.text)
            for p in report.paragraphs
        )
        _link_actions_by_code(inspection)
    return inspection


def read_report_upload(name: str, data: bytes, *, focused_visit: bool = False) -> InspectionReport:
    """Read an uploaded report; a focused visit's findings come from a council's text report."""
    if not focused_visit:
        return read_report_bytes(data, source=name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ReadError(
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


@transaction.atomic
def link_plan_by_words(
    access: Access, inspection: Inspection, plan: Plan, *, per_recommendation: int = 2
) -> int:
    """For a plan that cites no codes (Oldham's), link each finding that asks for action (a
    recommendation, an area for improvement or priority action) to the actions that share most
    words with it: a starting point the improvement lead corrects. Returns links.
    Preconditions: `inspection` and `plan` were read through `access`."""
    access.require(Capability.EDIT_PLAN)
    actions = [
        (action, _words(f"{action.text} {action.evidence_of_success}"))
        for action in plan.actions.all()
    ]
    made = 0
    for finding in inspection.findings.filter(kind__in=Finding.TO_ANSWER):
        wanted = _words(finding.text)
        ranked = sorted(actions, key=lambda pair: len(pair[1] & wanted), reverse=True)
        best = [action for action, words in ranked[:per_recommendation] if len(words & wanted) >= 3]
        finding.actions.add(*best)
        made += len(best)
    return made


def _link_actions_by_code(inspection: Inspection) -> int:
    """Link each action that cites this inspection's code to the finding asking for action
    (recommendation, area for improvement or priority action) it shares most words with: a
    starting point the improvement lead then corrects. Returns the links made."""
    if not inspection.code:
        return 0
    recommendations = list(inspection.findings.filter(kind__in=Finding.TO_ANSWER))
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


def set_plan_inspections(access: Access, plan: Plan, inspections) -> None:
    """Say which inspections `plan` answers (replacing what it said). Each inspection's history
    records the change, with who made it.

    Preconditions: `plan` and `inspections` were fetched through `access`."""
    access.require(Capability.EDIT_PLAN)
    inspections = list(inspections)
    if plan.authority_id != access.authority.pk or any(
        inspection.authority_id != access.authority.pk for inspection in inspections
    ):
        raise ValueError("The plan and its inspections must be this authority's")
    chosen = {inspection.pk for inspection in inspections}
    with transaction.atomic():
        for inspection in Inspection.objects.filter(authority=access.authority).filter(
            pk__in=chosen | set(plan.inspections.values_list("pk", flat=True))
        ):
            plans = set(inspection.plans.values_list("pk", flat=True))
            wanted = plans | {plan.pk} if inspection.pk in chosen else plans - {plan.pk}
            if wanted != plans:
                save_with_history(inspection, access.user, links={"plans": wanted})


def set_inspection_plans(access: Access, inspection: Inspection, plans) -> Inspection:
    """Say which of the authority's plans answer `inspection` (replacing what it said), as one
    change in the inspection's history.

    Preconditions: `inspection` and `plans` were fetched through `access`."""
    access.require(Capability.EDIT_PLAN)
    plans = list(plans)
    if inspection.authority_id != access.authority.pk or any(
        plan.authority_id != access.authority.pk for plan in plans
    ):
        raise ValueError("The inspection and its plans must be this authority's")
    with transaction.atomic():
        return save_with_history(inspection, access.user, links={"plans": plans})


# ---------------------------------------------------------------------------------------------
# A draft plan from an inspection: where the post-inspection action plan starts.

# Grades best first, for an inspection whose framework is not recorded.
_GRADE_ORDER = ("Outstanding", "Good", "Requires improvement to be good", "Adequate", "Inadequate")
_NOT_A_GRADE = "Not judged"
_TITLE_LENGTH = Action._meta.get_field("title").max_length
_PLAN_TITLE_LENGTH = Plan._meta.get_field("title").max_length
_NO_AREA = "What the inspection asks us to improve"


class DraftExistsError(ValidationError):
    """A draft plan answering the inspection exists already: work on it instead."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        super().__init__(
            f"A draft plan answering this inspection already exists: {plan.title}",
            code="draft_exists",
        )


def below_good(judgements, framework: Framework | None) -> list[Judgement]:
    """The judgements graded below Good, by what their grade means (`Judgement.grade`, read
    from the words as written) in the order of the framework's grades, best first: "Requires
    improvement to be good", "Adequate" (older frameworks), "Inadequate". "Not judged" and
    grades the framework does not know are not below Good."""
    order = [grade for grade, _ in framework.grades] if framework and framework.grades else []
    order = order or list(_GRADE_ORDER)
    good = order.index("Good") if "Good" in order else 1
    return [
        judgement
        for judgement in judgements
        if judgement.grade in order
        and judgement.grade != _NOT_A_GRADE
        and order.index(judgement.grade) > good
    ]


def draft_from(access: Access, inspection: Inspection) -> Plan | None:
    """The draft plan answering `inspection`, if there is one."""
    return (
        access.scope(Plan.objects.filter(status=Plan.Status.DRAFT, inspections=inspection))
        .order_by("-created_at", "-pk")
        .first()
    )


def draft_plan_from_inspection(access: Access, inspection: Inspection) -> Plan:
    """Start the post-inspection action plan as a draft answering `inspection`: one priority for
    each judgement graded below Good, one action for each finding that asks for action
    (recommendations, areas for improvement or priority action …), linked to it and citing
    its reference; leads and dates are left for the improvement lead to fill in. One
    transaction, each row in history. Needs EDIT_PLAN.

    A finding goes under the priority whose judgement area shares most words with it (the
    first on a tie); with no judgement below Good (a letter, or every area Good) the actions go
    under one priority, "What the inspection asks us to improve".

    Refused with `DraftExistsError` when a draft answering the inspection exists already.
    Preconditions: `inspection` was fetched through `access`."""
    access.require(Capability.EDIT_PLAN)
    if inspection.authority_id != access.authority.pk:
        raise PermissionDenied("Not an inspection of this authority")
    user = access.user
    framework = Framework.objects.filter(key=inspection.framework_key).first()
    with transaction.atomic():
        # One draft per inspection, also when two people press the button at once.
        access.scope(Inspection.objects.select_for_update()).filter(pk=inspection.pk).first()
        existing = draft_from(access, inspection)
        if existing is not None:
            raise DraftExistsError(existing)
        plan = save_with_history(
            Plan(
                authority=access.authority,
                title=f"Action plan after the {inspection}"[:_PLAN_TITLE_LENGTH],
                status=Plan.Status.DRAFT,
            ),
            user,
        )
        areas = below_good(inspection.judgements.all(), framework)
        titles = [f"{j.area} ({j.grade.lower()})" for j in areas] or [_NO_AREA]
        priorities = [
            save_with_history(Priority(plan=plan, number=n, title=title[:300]), user)
            for n, title in enumerate(titles, 1)
        ]
        area_words = [_words(j.area) for j in areas] or [set()]
        findings = (
            inspection.findings.filter(kind__in=Finding.TO_ANSWER)
            .order_by("kind", "number")
            .prefetch_related("actions")
        )
        grouped: list[list[Finding]] = [[] for _ in priorities]
        for finding in findings:
            words = _words(finding.text)
            overlaps = [len(words & area) for area in area_words]
            grouped[overlaps.index(max(overlaps))].append(finding)  # the first on a tie
        order = 0
        for priority, its_findings in zip(priorities, grouped, strict=True):
            for number, finding in enumerate(its_findings, 1):
                order += 1
                action = save_with_history(
                    Action(
                        plan=plan,
                        priority=priority,
                        ref=f"{priority.number}.{number}",
                        order=order,
                        title=_shortened(finding.text),
                        text=f"Answers {finding.reference}: {finding.text}",
                        sources=[inspection.code] if inspection.code else [],
                    ),
                    user,
                )
                links = {"actions": [*finding.actions.all(), action]}
                save_with_history(finding, user, links=links)
        save_with_history(inspection, user, links={"plans": [*inspection.plans.all(), plan]})
    return plan


def _shortened(text: str) -> str:
    """A finding's first sentence as an action's title, cut at a word to fit."""
    first = " ".join(text.split()).split(". ")[0].rstrip(".")
    if len(first) <= _TITLE_LENGTH:
        return first
    return first[: _TITLE_LENGTH - 1].rsplit(" ", 1)[0] + "…"
