from datetime import date, timedelta

from hypothesis import assume, given
from hypothesis import strategies as st

from g2g.core.dates import add_working_days, is_working_day, working_days_between

days = st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 12, 31))


def test_english_bank_holidays_are_not_working_days():
    assert not is_working_day(date(2026, 12, 25))  # Christmas Day, a Friday
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day substitute, a Monday
    assert not is_working_day(date(2026, 8, 31))  # summer bank holiday in England
    assert is_working_day(date(2026, 8, 3))  # Scotland's summer holiday is not England's
    assert not is_working_day(date(2026, 11, 21))  # a Saturday


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
