"""A plan's measure that tracks a published indicator shows the published series and the real
comparators, marked "published (DfE, year)"; synthetic comparators remain only where nothing is
published, and say so."""

from datetime import date
from decimal import Decimal

import pytest

from g2g.measures.models import ComparatorValue, MeasureValue
from g2g.measures.published import attach_published_figures
from g2g.measures.services import generate_synthetic_values, link_indicator
from g2g.tenancy.access import operator_access
from g2g.tenancy.models import Authority, Role
from tests.factories import MeasureFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tameside(published):
    return Authority.objects.get(name="Tameside")


def comparators(measure) -> dict[tuple, tuple]:
    return {
        (c.period, c.kind, c.label): (c.value, c.source)
        for c in ComparatorValue.objects.filter(measure=measure)
    }


def test_a_linked_measure_gets_england_the_region_the_neighbours_and_its_own_figure(tameside):
    measure = MeasureFactory(authority=tameside, name="Cared for children with 3+ placements")
    written = link_indicator(operator_access(tameside), measure, "cla_three_placements")
    found = comparators(measure)
    assert written == len(found) == 20  # 2021-2025, four of each
    march_2025 = date(2025, 3, 1)
    assert found[(march_2025, "england", "")][0] == Decimal("10")
    assert found[(march_2025, "region", "")][0] == Decimal("9")
    assert found[(march_2025, "neighbours", "")][0] == Decimal("10.9")
    assert found[(march_2025, "authority", "Tameside (published)")][0] == Decimal("6")
    source = found[(march_2025, "england", "")][1]
    assert source.startswith("Published (DfE, 2025): Children looked after in England")
    mark = ComparatorValue.objects.filter(measure=measure).first().mark
    assert mark.startswith("published (DfE, 20")
    measure.refresh_from_db()
    assert measure.polarity == "lower"
    assert attach_published_figures([measure]) == 0  # again: nothing written, no new history


def test_synthetic_values_start_at_the_published_figure_and_make_up_no_comparator(tameside):
    access = operator_access(tameside)
    linked = MeasureFactory(authority=tameside, name="Placements")
    link_indicator(access, linked, "cla_three_placements")
    local = MeasureFactory(authority=tameside, name="% of visits in time")
    generate_synthetic_values(access, months=12, end=date(2026, 6, 1))
    synthetic = ComparatorValue.objects.filter(source="Synthetic demo data")
    assert not synthetic.filter(measure=linked).exists()
    assert synthetic.filter(measure=local).count() == 24  # neighbours and England, made up
    values = MeasureValue.objects.filter(measure=linked).values_list("value", flat=True)
    assert len(values) == 12
    assert all(Decimal(0) <= value <= Decimal(21) for value in values)  # around Tameside's 6%
    assert comparators(linked)[(date(2025, 3, 1), "england", "")][0] == Decimal("10")


def test_a_measure_only_england_s_file_covers_keeps_england_s_figure(tameside):
    measure = MeasureFactory(authority=tameside, name="ICPCs in time")
    link_indicator(operator_access(tameside), measure, "icpc_15_days")
    kinds = {kind for _period, kind, _label in comparators(measure)}
    assert kinds == {"england"}


def test_the_scorecard_shows_the_published_comparators_marked(client, tameside):
    measure = MeasureFactory(authority=tameside, name="Cared for children with 3+ placements")
    link_indicator(operator_access(tameside), measure, "cla_three_placements")
    viewer = MembershipFactory(authority=tameside, role=Role.VIEWER).user
    client.force_login(viewer)
    page = client.get(f"/{tameside.slug}/measures/").content.decode()
    assert "England: 10% (Mar 2025, published (DfE, 2025))" in page
    assert "Statistical neighbours&#x27; average: 10.9% (Mar 2025, published (DfE, 2025))" in page
    assert "Lower is better" in page
    detail = client.get(f"/{tameside.slug}/measures/{measure.pk}/").content.decode()
    assert "Published (DfE, 2021–2025): Children looked after in England" in detail
    assert "England (published)" in detail  # the chart's series
    assert "Taken from the indicator it tracks" in detail
