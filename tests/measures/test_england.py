"""England's published figures become the comparators of measures that name their indicator."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command

from g2g.measures.england import attach_england_figures, england_figures, figures_for
from g2g.measures.indicators import BY_KEY, INDICATORS
from g2g.measures.models import ComparatorValue
from g2g.measures.services import generate_synthetic_values
from g2g.tenancy.access import operator_access
from tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db


def england(measure) -> dict[date, Decimal]:
    return {
        c.period: c.value
        for c in ComparatorValue.objects.filter(measure=measure, kind="england", label="")
    }


def test_every_figure_in_the_file_belongs_to_an_indicator_and_cites_its_source():
    published = {indicator.england_name for indicator in INDICATORS if indicator.england_name}
    assert set(england_figures()) == published
    for figures in england_figures().values():
        assert all(f.source.startswith("https://explore-education-statistics") for f in figures)


def test_a_measure_naming_a_published_indicator_gets_englands_figures_cited():
    measure = MeasureFactory(indicator="assessments_45_days")
    assert attach_england_figures([measure]) == 1
    assert england(measure) == {date(2025, 3, 1): Decimal("85.7")}
    comparator = ComparatorValue.objects.get(measure=measure)
    assert comparator.source.startswith("Published (DfE, 2025): https://")
    assert comparator.source.endswith("(computed from published counts)")
    assert comparator.mark == "published (DfE, 2025)"
    assert attach_england_figures([measure]) == 0  # again: nothing changes, no new history
    assert comparator.history.count() == 1


def test_the_workforce_census_is_dated_september_and_the_rest_march():
    assert BY_KEY["caseload"].month == 9
    assert BY_KEY["cla_three_placements"].month == 3
    assert [f.period for f in figures_for("icpc_15_days")] == [date(2023, 3, 1), date(2025, 3, 1)]


def test_the_file_gives_only_indicators_the_loaded_dfe_files_do_not():
    """One copy of each figure: England's file holds none of the indicators DfE's per-authority
    files give (those come from `g2g load_published_figures`)."""
    assert not [i.key for i in INDICATORS if i.england_name and i.has_published_figures]


def test_published_figures_replace_a_synthetic_england_series_and_generation_keeps_off_it():
    measure = MeasureFactory(indicator="icpc_15_days")
    other = MeasureFactory(authority=measure.authority)  # no indicator: keeps synthetic England
    generate_synthetic_values(operator_access(measure.authority), months=6, end=date(2025, 6, 1))
    assert len(england(measure)) == 0  # England publishes it: nothing made up
    assert len(england(other)) == 6
    ComparatorValue.objects.create(
        measure=measure, period=date(2024, 1, 1), kind="england", value=1, source="typed"
    )
    attach_england_figures([measure, other])
    assert england(measure) == {
        date(2023, 3, 1): Decimal("78.4"),
        date(2025, 3, 1): Decimal("81.4"),
    }
    assert len(england(other)) == 6


def test_measures_without_a_published_indicator_are_left_alone():
    measure = MeasureFactory(indicator="cp_second_time")  # England's figure not retrieved
    assert figures_for("cp_second_time") == []
    assert attach_england_figures([measure]) == 0


def test_the_command_loads_figures_for_every_measure_with_an_indicator():
    MeasureFactory(indicator="icpc_15_days")
    MeasureFactory()
    out = io.StringIO()
    call_command("load_england_figures", stdout=out)
    assert out.getvalue().strip() == "2 published figures written for 1 measures."
