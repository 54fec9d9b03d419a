"""The synthetic national dataset: sizes, determinism by seed, history kept, all labelled."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from g2g.measures.models import ComparatorValue, Measure, MeasureValue
from g2g.operations.national import PLAN_TITLE
from g2g.plans.models import Action, Plan, ProgressUpdate
from g2g.tenancy.models import Authority, Membership, Role

pytestmark = pytest.mark.django_db

SMALL = ["--authorities", "2", "--actions", "6", "--months", "4", "--measures", "3"]
SMALL += ["--users", "10", "--synthetic-authorities"]


def generate(seed: int = 7) -> str:
    out = StringIO()
    call_command("generate_national", *SMALL, "--seed", str(seed), stdout=out)
    return out.getvalue()


def snapshot() -> list:
    """What the data says, without keys or timestamps."""
    updates = ProgressUpdate.objects.order_by(
        "action__plan__authority__slug", "action__ref", "period"
    )
    values = MeasureValue.objects.order_by("measure__authority__slug", "measure__code", "period")
    actions = Action.objects.order_by("plan__authority__slug", "ref")
    return [
        list(actions.values_list("plan__authority__slug", "ref", "title", "start", "end")),
        list(
            actions.values_list("ref", "leads__title", "focus_areas__code").order_by(
                "ref", "leads", "focus_areas"
            )
        ),
        list(
            updates.values_list("action__ref", "period", "action_rating", "impact_rating", "status")
        ),
        list(values.values_list("measure__code", "period", "value")),
    ]


def test_sizes_and_labels():
    output = generate()
    assert "2 authorities" in output
    assert Plan.objects.filter(title=PLAN_TITLE).count() == 2
    for authority in Authority.objects.all():
        assert Action.objects.filter(plan__authority=authority).count() == 6
        assert Measure.objects.filter(authority=authority).count() == 3
        assert Membership.objects.filter(authority=authority).count() == 10
    # Four months of updates per action; this month's may not be written yet.
    per_action = ProgressUpdate.objects.filter(
        period__lt=ProgressUpdate.objects.latest("period").period
    )
    assert per_action.count() == 2 * 6 * 3
    assert MeasureValue.objects.count() == 2 * 3 * 4
    assert set(MeasureValue.objects.values_list("source", flat=True)) == {"synthetic"}
    assert ComparatorValue.objects.exists()
    assert Membership.objects.filter(role=Role.ACTION_LEAD).count() == 2 * 4


def test_history_rows_exist_for_bulk_inserts():
    generate()
    assert Action.history.count() == Action.objects.count()
    assert ProgressUpdate.history.count() == ProgressUpdate.objects.count()
    assert MeasureValue.history.count() == MeasureValue.objects.count()
    assert Membership.history.count() == Membership.objects.count()


def wipe() -> None:
    Authority.objects.all().delete()
    get_user_model().objects.all().delete()


def test_same_seed_same_data_other_seed_other_data():
    generate(seed=7)
    first = snapshot()
    wipe()
    generate(seed=7)
    assert snapshot() == first
    wipe()
    generate(seed=8)
    assert snapshot() != first


def test_authorities_with_a_plan_are_skipped_not_overwritten():
    generate()
    output = generate()
    assert "0 authorities" in output
    assert "2 skipped" in output
    assert Plan.objects.count() == 2


def test_bad_counts_are_refused_and_nothing_is_written():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("generate_national", "--authorities", "0", "--synthetic-authorities")
    assert not Plan.objects.exists()


def test_a_missing_reference_workbook_is_a_clear_error():
    with pytest.raises(CommandError, match="does not exist"):
        call_command("generate_national", "--reference", "/nowhere/ilacs-overview.xlsx")
