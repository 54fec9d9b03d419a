"""The one source of "today" and of reporting periods, so tests can fix the date."""

from datetime import date, datetime, timedelta
from functools import cache

import holidays
from django.utils import timezone


def today() -> date:
    return timezone.localdate()


def month_start(day: date) -> date:
    return day.replace(day=1)


def current_period() -> date:
    """The reporting period (month) that progress updates are due for now."""
    return month_start(today())


def parse_year_month(text: str) -> date:
    """ "2019-08" as the first day of that month; ValueError for anything else."""
    return datetime.strptime(text.strip(), "%Y-%m").date().replace(day=1)  # noqa: DTZ007


@cache
def _english_bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    """Monday to Friday and not an English bank holiday (the `holidays` package keeps the list)."""
    return day.weekday() < 5 and day not in _english_bank_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The working day `days` working days after `start` (before it when negative)."""
    step = 1 if days >= 0 else -1
    day, remaining = start, abs(days)
    while remaining:
        day += timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`: the count statutory timescales use
    ("within 45 working days of the referral"). Negative when `end` is before `start`."""
    if end < start:
        return -working_days_between(end, start)
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if is_working_day(start + timedelta(days=offset))
    )
