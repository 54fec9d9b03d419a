"""The post-inspection action plan is due 70 working days after the report is published,
English bank holidays not counted (`inspections.deadlines`, over `core.dates`)."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from g2g.core.dates import is_working_day, working_days_between
from g2g.inspections.deadlines import PLAN_WORKING_DAYS, due_from, plan_due, plan_due_on

days = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))


@pytest.mark.parametrize(
    ("published", "due"),
    [
        # Fri 13 Dec 2024: Christmas Day, Boxing Day and New Year's Day are not counted.
        (date(2024, 12, 13), date(2025, 3, 26)),
        # Mon 3 Feb 2025: Good Friday, Easter Monday and the early May bank holiday are not.
        (date(2025, 2, 3), date(2025, 5, 15)),
        # Tameside's report was published on Tue 13 Feb 2024; Good Friday (29 March), Easter
        # Monday (1 April) and 6 May 2024 fall inside.
        (date(2024, 2, 13), date(2024, 5, 24)),
        # Published on a Saturday: the days are counted from the Monday.
        (date(2025, 2, 1), date(2025, 5, 14)),
    ],
    ids=["christmas", "easter", "tameside-2024", "published-on-a-saturday"],
)
def test_seventy_working_days_from_publication(published, due):
    assert plan_due_on(published) == due


@given(days)
def test_the_due_date_is_a_working_day_exactly_seventy_working_days_on(published):
    due = plan_due_on(published)
    assert is_working_day(due)
    assert working_days_between(published, due) == PLAN_WORKING_DAYS
    # and the first such day: the day before it is fewer than 70 working days on
    assert working_days_between(published, due - timedelta(days=1)) == PLAN_WORKING_DAYS - 1


def test_counted_from_the_publication_date_when_it_is_known():
    due = due_from(date(2024, 2, 13), date(2023, 12, 15))
    assert (due.due, due.counted_from, due.from_publication) == (
        date(2024, 5, 24),
        date(2024, 2, 13),
        True,
    )


def test_an_inspection_is_counted_from_its_last_day_and_says_so():
    # Tameside's 2024 report does not print its publication date: from Fri 15 Dec 2023, over
    # Christmas, Boxing Day and New Year's Day, to the Wednesday before Good Friday.
    tameside = SimpleNamespace(start=date(2023, 12, 4), end=date(2023, 12, 15))
    due = plan_due(tameside)
    assert (due.due, due.counted_from, due.from_publication) == (
        date(2024, 3, 27),
        date(2023, 12, 15),
        False,
    )
    assert plan_due(SimpleNamespace(start=date(2019, 11, 14), end=None)).counted_from == date(
        2019, 11, 14
    )


def test_no_due_date_without_any_date():
    assert plan_due(SimpleNamespace(start=None, end=None)) is None
    assert due_from(None, None) is None
