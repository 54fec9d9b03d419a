"""`with_unit`: pages write a measure's value with the one formatter, `format_value`."""

import re
from decimal import Decimal

import pytest
from django.template import Context, Template
from hypothesis import given
from hypothesis import strategies as st

from g2g.measures.models import Measure
from g2g.measures.rating import format_value

pytestmark: list = []  # templates and pure functions: no database

FILTER = Template("{% load measures %}{{ value|with_unit:unit }}")


def written(value: Decimal, unit: str) -> str:
    return FILTER.render(Context({"value": value, "unit": unit}))


@given(
    st.decimals(min_value=-(10**6), max_value=10**6, places=3),
    st.sampled_from(Measure.Unit.values),
)
def test_the_filter_writes_what_format_value_writes(value, unit):
    assert written(value, unit) == format_value(value, unit)


@given(st.decimals(min_value=-999, max_value=999, places=3))
def test_a_percentage_reads_as_pages_wrote_it_before(value):
    """Percentages below 1,000 (all real ones) are written as the pages' own copy of the rule
    wrote them, except that a value rounding to a whole number is written whole: "70%" for 69.96,
    as charts, Word and Excel already wrote it (floatformat wrote "70.0%")."""
    before = Template('{{ value|floatformat:"-1" }}%').render(Context({"value": value}))
    assert written(value, "%") == re.sub(r"\.0%$", "%", before)


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        ("70.0", "%", "70%"),
        ("1", "days", "1 day"),
        ("1200", "count", "1,200"),
        ("45.25", "rate per 10,000", "45.3 per 10,000"),
    ],
    ids=["percent", "one-day", "count", "rate"],
)
def test_values_are_written_with_their_units(value, unit, text):
    assert written(Decimal(value), unit) == text
