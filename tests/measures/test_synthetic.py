"""`g2g generate_synthetic_values`: plausible, labelled demo values that never touch real ones."""

import io
from datetime import date
from decimal import Decimal
from statistics import mean

import pytest
from django.core.management import CommandError, call_command

from g2g.core.dates import add_months
from g2g.measures.models import ComparatorValue, Measure, MeasureValue, Milestone
from g2g.measures.services import SYNTHETIC_SOURCE, generate_synthetic_values
from g2g.tenancy.access import operator_access
from tests.factories import AuthorityFactory, MeasureFactory

pytestmark = pytest.mark.django_db

END = date(2025, 8, 1)


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def series(measure: Measure) -> list[Decimal]:
    return list(measure.values.order_by("period").values_list("value", flat=True))


@pytest.fixture
def authority(db):
    authority = AuthorityFactory(name="Oldham", slug="oldham")
    MeasureFactory.create_batch(3, authority=authority)
    MeasureFactory(authority=authority, code="CLA1", unit=Measure.Unit.COUNT)
    return authority


def test_same_seed_same_values_and_another_seed_others(authority):
    generate_synthetic_values(operator_access(authority), months=24, seed=7, end=END)
    first = {m.pk: series(m) for m in authority.measures.all()}
    assert generate_synthetic_values(operator_access(authority), months=24, seed=7, end=END) == 72
    assert {m.pk: series(m) for m in authority.measures.all()} == first
    generate_synthetic_values(operator_access(authority), months=24, seed=8, end=END)
    assert {m.pk: series(m) for m in authority.measures.all()} != first


def test_values_are_monthly_labelled_in_range_and_only_for_percentages(authority):
    written = generate_synthetic_values(operator_access(authority), months=12, seed=1, end=END)
    assert written == 36
    synthetic = MeasureValue.objects.all()
    assert {v.period for v in synthetic} == {add_months(END, -n) for n in range(12)}
    assert {(v.source, v.note) for v in synthetic} == {("synthetic", "Synthetic demo data")}
    assert all(30 <= v.value <= 95 for v in synthetic)
    assert not MeasureValue.objects.filter(measure__unit=Measure.Unit.COUNT).exists()
    for measure in Measure.objects.filter(unit=Measure.Unit.PERCENT):
        path = series(measure)
        assert max(abs(b - a) for a, b in zip(path, path[1:], strict=False)) < 15  # smooth


def test_comparators_are_near_but_not_equal(authority):
    generate_synthetic_values(operator_access(authority), months=12, seed=3, end=END)
    value = {(v.measure_id, v.period): v.value for v in MeasureValue.objects.all()}
    comparators = ComparatorValue.objects.all()
    assert comparators.count() == 2 * 36
    assert {c.kind for c in comparators} == {"neighbours", "england"}
    assert {(c.label, c.source) for c in comparators} == {("", SYNTHETIC_SOURCE)}
    for comparator in comparators:
        own = value[comparator.measure_id, comparator.period]
        assert comparator.value != own
        assert abs(comparator.value - own) < 15


def test_imported_and_entered_values_are_left_alone(authority):
    measure = authority.measures.filter(unit="%").first()
    imported = MeasureValue.objects.create(
        measure=measure, period=date(2025, 3, 1), value=12, source="imported", note="real"
    )
    entered = MeasureValue.objects.create(measure=measure, period=date(2020, 1, 1), value=99)
    real_england = ComparatorValue.objects.create(
        measure=measure, period=date(2025, 3, 1), kind="england", value=50, source="DfE"
    )
    generate_synthetic_values(operator_access(authority), months=12, seed=1, end=END)
    generate_synthetic_values(
        operator_access(authority), months=6, seed=2, end=END
    )  # replaces, never adds
    assert MeasureValue.objects.filter(source="synthetic").count() == 3 * 6 - 1
    imported.refresh_from_db()
    entered.refresh_from_db()
    real_england.refresh_from_db()
    assert (imported.value, imported.source, imported.note) == (12, "imported", "real")
    assert entered.value == 99
    assert (real_england.value, real_england.source) == (50, "DfE")
    assert not ComparatorValue.objects.filter(
        measure=measure, period=date(2025, 3, 1), source=SYNTHETIC_SOURCE
    ).exists()


def test_values_are_drawn_towards_the_milestones():
    """The same measure in two authorities draws the same random numbers, so only the
    milestones differ."""
    high, low = (
        MeasureFactory(authority=AuthorityFactory(), code="CIN8", name="Visits in time")
        for _ in range(2)
    )
    Milestone.objects.create(measure=high, due=date(2024, 12, 31), value=92)
    Milestone.objects.create(measure=low, due=date(2024, 12, 31), value=35)
    for measure in (high, low):
        generate_synthetic_values(operator_access(measure.authority), months=24, seed=1, end=END)
    assert abs(mean(series(high)[-8:]) - 92) < 12
    assert abs(mean(series(low)[-8:]) - 35) < 12


def test_the_command(authority):
    out = run(
        "generate_synthetic_values", "--authority", "oldham", "--months", "6", "--end", "2025-08"
    )
    assert "Wrote 18 synthetic values for 3 % measures of Oldham, Mar 2025 to Aug 2025" in out
    assert "labelled synthetic" in out
    assert MeasureValue.objects.order_by("period").first().period == date(2025, 3, 1)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--end", "August 2025"], "--end must look like 2025-03"),
        (["--months", "0"], "--months must be between 1 and 240"),
        (["--authority", "Atlantis"], "No authority called 'Atlantis'"),
    ],
)
def test_command_errors(authority, args, message):
    with pytest.raises(CommandError, match=message):
        run("generate_synthetic_values", "--authority", "oldham", *args)
