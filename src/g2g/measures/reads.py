"""Named reads for the scorecard pages, each in a fixed number of queries."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet, Window
from django.db.models.functions import RowNumber

from g2g.plans.models import Action, Plan
from g2g.tenancy.access import Access

from .models import ComparatorValue, Measure, MeasureValue, Milestone, StakeholderOutcome
from .scorecard import status_of


def measures_for_scorecard(access: Access, *, history: bool = False) -> QuerySet[Measure]:
    """The authority's measures for `scorecard.status_of`, in a fixed number of queries.

    A table of measures shows each one's latest value, the direction from the value before, and
    the latest comparator of each kind: so by default only those rows are read (the last two
    values, the latest comparator of each kind and label), with `any_synthetic` saying whether
    any of its values is synthetic; a measure with 36 months of values and two comparators reads
    5 rows, not 108. `history=True` reads every value and comparator (for charts).

    Each relation is read into a list (`value_list`, `milestone_list`, `comparator_list`,
    `focus_area_list`, `action_list`), not into its related manager: for that Django builds a
    filtered queryset per measure and relation, 250 of them for 50 measures, a tenth of the
    scorecard's time."""
    if history:
        values = MeasureValue.objects.order_by(*by_measure_id(MeasureValue))
        comparators = ComparatorValue.objects.order_by(*by_measure_id(ComparatorValue))
    else:
        values = _latest(MeasureValue.objects.all(), 2)
        comparators = _latest(ComparatorValue.objects.all(), 1, "kind", "label")
    return (
        access.scope(Measure.objects.all())
        .annotate(
            any_synthetic=Exists(
                MeasureValue.objects.filter(
                    measure=OuterRef("pk"), source=MeasureValue.Source.SYNTHETIC
                )
            )
        )
        .prefetch_related(
            Prefetch("focus_areas", to_attr="focus_area_list"),
            Prefetch(
                "milestones",
                queryset=Milestone.objects.order_by(*by_measure_id(Milestone)),
                to_attr="milestone_list",
            ),
            Prefetch("values", queryset=values, to_attr="value_list"),
            Prefetch("comparators", queryset=comparators, to_attr="comparator_list"),
            Prefetch(
                "actions",
                queryset=Action.objects.select_related("priority").order_by("order"),
                to_attr="action_list",
            ),
        )
        .order_by("order", "name")
    )


def by_measure_id(model) -> list[str]:
    """A measure's rows' (values, milestones, comparators) ordering, by measure id rather than
    by measure: ordering by a measure orders by its authority's name, and so joins every
    measure and authority of the service and sorts their rows (on PostgreSQL at national scale
    a pack's comparators took 13 ms; by id, 2)."""
    return ["measure_id" if field == "measure" else field for field in model._meta.ordering]


def _latest(queryset: QuerySet, count: int, *within: str) -> QuerySet:
    """The `count` latest rows by period of each measure (and each `within`), oldest first."""
    newest_first = Window(
        RowNumber(), partition_by=[F("measure_id"), *map(F, within)], order_by=F("period").desc()
    )
    return queryset.annotate(newest=newest_first).filter(newest__lte=count).order_by("period")


def measure_for_page(access: Access, pk: int, on) -> Measure:
    queryset = Measure.objects.prefetch_related(
        "focus_areas",
        "milestones",
        "values",
        "comparators",
        Prefetch("actions", queryset=Action.objects.with_status(on).order_by("order")),
    )
    return access.get(queryset, pk=pk)


def outcomes_for_page(access: Access, plan: Plan) -> list[tuple[str, list]]:
    """The plan's stakeholder outcomes by group (in the groups' order), each with its measures'
    latest status (`measures.scorecard.status_of`). A fixed number of queries."""
    outcomes = access.scope(StakeholderOutcome.objects.filter(plan=plan)).prefetch_related(
        Prefetch("measures", queryset=measures_for_scorecard(access))
    )
    by_group: dict[str, list] = {group: [] for group in StakeholderOutcome.Group.values}
    for outcome in outcomes:
        outcome.statuses = [status_of(measure) for measure in outcome.measures.all()]
        by_group[outcome.group].append(outcome)
    labels = dict(StakeholderOutcome.Group.choices)
    return [(labels[group], items) for group, items in by_group.items()]


def rows_as_at(model, measure_ids: list[int], as_at: datetime, *, live: bool = False) -> list:
    """The measures' rows of `model` (values, milestones or comparators) as they stood at
    `as_at`, read from history: the latest historical row of each, unless it records a deletion.
    One query; each row becomes one unsaved instance (not a historical record and then an
    instance, as `as_instances()` makes them: twice the objects, for 5,000 rows a pack).

    `live` says `as_at` is now (a pack for the month in progress, as it stands): every write is
    recorded in history (docs/security.md #12), so today's rows are history's latest, and they
    are read from the table itself, without comparing each historical row with the later ones.
    Either way in the model's order within each measure (`by_measure_id`), not history's
    (latest written first), so a past month's pack lists them as the current month's does.
    """
    ordering = by_measure_id(model)
    if live:
        return list(model.objects.filter(measure_id__in=measure_ids).order_by(*ordering))
    fields = [field.attname for field in model._meta.concrete_fields]
    rows = (
        model.history.filter(measure_id__in=measure_ids, history_date__lte=as_at)
        .latest_of_each()
        .exclude(history_type="-")
        .order_by(*ordering)
        .values_list(*fields)
    )
    return [model(*row) for row in rows]
