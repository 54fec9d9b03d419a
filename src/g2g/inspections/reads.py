"""Named reads for the inspection pages, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet

from g2g.plans.models import Action, Plan
from g2g.tenancy.access import Access

from .deadlines import PlanDue, plan_due
from .models import Finding, Framework, Inspection


def inspections_for_list(access: Access) -> QuerySet[Inspection]:
    to_answer = Q(findings__kind__in=Finding.TO_ANSWER)
    return access.scope(Inspection.objects.all()).annotate(
        recommendation_count=Count("findings", filter=to_answer)
    )


@dataclass
class TimelineEntry:
    inspection: Inspection
    label: str  # "Inspection", "Monitoring visit 2", "Re-inspection" …
    graded: bool = False


GRADED = (
    Inspection.Type.ILACS,
    Inspection.Type.SIF,
    Inspection.Type.LOOKED_AFTER,
)


def inspection_timeline(access: Access) -> list[TimelineEntry]:
    """The authority's inspections oldest first, as the story of its improvement runs: an
    inspection, the monitoring visits after an Inadequate judgement (numbered since it), and
    the re-inspection that follows them; focused visits and JTAIs where they fall."""
    entries: list[TimelineEntry] = []
    visits_since = 0
    for inspection in sorted(
        inspections_for_list(access), key=lambda i: (i.start or i.end or date.min, i.pk)
    ):
        if inspection.type in GRADED:
            label = "Re-inspection" if visits_since else "Inspection"
            visits_since = 0
        elif inspection.type == Inspection.Type.MONITORING_VISIT:
            visits_since += 1
            label = f"Monitoring visit {visits_since}"
        else:
            label = inspection.get_type_display()
        entries.append(TimelineEntry(inspection, label, inspection.type in GRADED))
    return entries


def inspection_for_page(access: Access, pk: int) -> Inspection:
    queryset = Inspection.objects.prefetch_related(
        "judgements",
        "paragraphs",
        Prefetch(
            "findings",
            queryset=Finding.objects.prefetch_related(
                Prefetch("actions", queryset=Action.objects.order_by("order"))
            ),
        ),
    )
    return access.get(queryset, pk=pk)


def unanswered_recommendations(access: Access) -> QuerySet[Finding]:
    """Recommendations (and areas for improvement or priority action, areas of concern a
    monitoring visit reviewed) that no action of the plan answers: the gaps a board must see."""
    return (
        access.scope(Finding.objects.all())
        .filter(kind__in=Finding.TO_ANSWER, actions__isnull=True)
        .select_related("inspection")
        .order_by("-inspection__end", "number")
    )


def framework_of(inspection: Inspection) -> Framework | None:
    """The framework an inspection was read as (reference data, the same for every authority)."""
    if not inspection.framework_key:
        return None
    return Framework.objects.filter(key=inspection.framework_key).first()


def due_while_unapproved(inspection: Inspection, answering) -> PlanDue | None:
    """When the action plan answering a graded inspection is due, for its page: shown until a
    plan answering it has been approved (every plan answering it is still a draft, or none
    does yet); None for letters and visits, which ask for no such plan."""
    if inspection.type not in GRADED:
        return None
    if any(plan.status != Plan.Status.DRAFT for plan in answering):
        return None
    return plan_due(inspection)


def plan_due_for_draft(plan: Plan) -> tuple[Inspection, PlanDue] | None:
    """For a draft plan, the graded inspection it answers (the latest, if several) and when the
    action plan answering it is due; None for a plan that is not a draft (one query)."""
    if plan.status != Plan.Status.DRAFT:
        return None
    inspection = (
        Inspection.objects.filter(plans=plan, authority=plan.authority_id, type__in=GRADED)
        .order_by("-end", "-start", "-pk")
        .first()
    )
    due = plan_due(inspection) if inspection else None
    return (inspection, due) if due else None
