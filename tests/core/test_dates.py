from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from g2g.core.dates import (
    add_months,
    add_working_days,
    is_working_day,
    month_end,
    month_start,
    months_before,
    months_between,
    weekday_bank_holidays,
    working_days_between,
)

days = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))


def test_english_bank_holidays_are_not_working_days():
    assert not is_working_day(date(2026, 12, 25))  # Christmas Day, a Friday
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day substitute, a Monday
    assert not is_working_day(date(2026, 8, 31))  # summer bank holiday in England
    assert is_working_day(date(2026, 8, 3))  # Scotland's summer holiday is not England's
    assert not is_working_day(date(2026, 11, 21))  # a Saturday


def test_weekday_bank_holidays_are_the_weekdays_that_are_not_working_days():
    """The whole-column count's list (one calendar for all the years) and the day-by-day rule
    agree, year ends (New Year's Day moved to a Monday, Boxing Day's substitute) included."""
    found = weekday_bank_holidays(2009, 2032)
    day, expected = date(2009, 1, 1), []
    while day <= date(2032, 12, 31):
        if day.weekday() < 5 and not is_working_day(day):
            expected.append(day)
        day += timedelta(days=1)
    assert found == tuple(expected)


def test_christmas_week_counts_three_working_days():
    # Wed 23 Dec 2026 → Wed 30 Dec: 24th, 29th, 30th (25th, 28th are holidays; 26/27 weekend)
    assert working_days_between(date(2026, 12, 23), date(2026, 12, 30)) == 3
    assert add_working_days(date(2026, 12, 23), 3) == date(2026, 12, 30)


def test_forty_five_working_days_from_a_referral():
    # 45 working days from Mon 2 Nov 2026: 9 weeks, with Christmas and Boxing Day substitute and
    # New Year's Day inside, lands three working days later than 9 plain weeks would.
    assert add_working_days(date(2026, 11, 2), 45) == date(2027, 1, 7)


@given(days, st.integers(min_value=-400, max_value=400))
def test_adding_then_counting_working_days_round_trips(start, count):
    assume(count >= 0 or is_working_day(start))  # counting back from a Sunday skips Saturday
    end = add_working_days(start, count)
    assert is_working_day(end) or count == 0
    assert working_days_between(start, end) == count


@given(days, days)
def test_counting_is_antisymmetric_and_never_exceeds_calendar_days(start, end):
    assert working_days_between(start, end) == -working_days_between(end, start)
    assert abs(working_days_between(start, end)) <= abs((end - start).days)
    assert working_days_between(start, start + timedelta(days=7)) in range(3, 6)


# ---------------------------------------------------------------------------------------------
# Month arithmetic

any_days = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
counts = st.integers(min_value=-600, max_value=600)


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 1)),
        (date(2024, 12, 15), 1, date(2025, 1, 1)),
        (date(2024, 1, 1), -1, date(2023, 12, 1)),
        (date(2024, 3, 10), -14, date(2023, 1, 1)),
        (date(2024, 5, 1), 0, date(2024, 5, 1)),
    ],
    ids=["end-of-january", "into-january", "into-december", "over-a-year", "none"],
)
def test_add_months(day, count, expected):
    assert add_months(day, count) == expected


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (date(2024, 4, 30), 1, date(2024, 3, 30)),
        (date(2024, 3, 31), 1, date(2024, 2, 29)),
        (date(2023, 3, 31), 1, date(2023, 2, 28)),
        (date(2024, 1, 15), 1, date(2023, 12, 15)),
        (date(2025, 8, 31), 6, date(2025, 2, 28)),
    ],
    ids=["april", "leap-february", "february", "january", "six-months"],
)
def test_months_before_keeps_the_day_or_takes_the_last(day, count, expected):
    assert months_before(day, count) == expected


def test_month_start_end_and_months_between():
    assert month_start(date(2024, 2, 17)) == date(2024, 2, 1)
    assert month_end(date(2024, 2, 17)) == date(2024, 2, 29)
    assert month_end(date(2023, 12, 1)) == date(2023, 12, 31)
    assert months_between(date(2024, 1, 31), date(2024, 3, 1)) == 2
    assert months_between(date(2024, 3, 1), date(2023, 12, 31)) == -3


@given(any_days, counts)
def test_adding_months_counts_them_and_round_trips(day, count):
    month = add_months(day, count)
    assert month.day == 1
    assert months_between(day, month) == count
    assert add_months(month, -count) == month_start(day)


@given(any_days)
def test_a_month_runs_from_its_start_to_its_end(day):
    assert month_start(day) <= day <= month_end(day)
    assert month_end(day) + timedelta(days=1) == add_months(day, 1)
    assert add_months(day, -1) == month_start(month_start(day) - timedelta(days=1))


@given(any_days, st.integers(min_value=0, max_value=600))
def test_months_before_is_that_many_months_back_on_the_nearest_day(day, count):
    earlier = months_before(day, count)
    assert months_between(earlier, day) == count
    assert earlier.day == min(day.day, month_end(earlier).day)
    assert earlier <= day
