"""The one source of "today" and of reporting periods, so tests can fix the date, and the one
home of month arithmetic: every "the month before", "the end of the month" and "months since" in
the service is one of the functions here, so none is re-derived (and none gets December wrong)."""

import calendar
from datetime import date, datetime, time, timedelta
from functools import cache

from django.utils import timezone

# The calendar's module is loaded with this one, not on the first working-day sum: `holidays`
# imports every country's module then (about 0.5 s), which a request or an Annex A check would
# otherwise pay once per process.
from holidays.countries.united_kingdom import UnitedKingdom


def today() -> date:
    return timezone.localdate()


def end_of_day(day: date) -> datetime:
    """The last moment of `day` in the service's time zone: "as at" a date means all of it, so
    history is read up to and including this moment."""
    return timezone.make_aware(datetime.combine(day, time.max))


def month_start(day: date) -> date:
    """The first day of the month `day` is in: how a reporting period (a month) is stored."""
    return day.replace(day=1)


def month_end(day: date) -> date:
    """The last day of the month `day` is in: milestones fall due, and periods end, then."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: date, count: int) -> date:
    """The first day of the month `count` months after the month of `day` (before it when
    `count` is negative): add_months(31 January, 1) is 1 February."""
    year, month = divmod(day.year * 12 + day.month - 1 + count, 12)
    return date(year, month + 1, 1)


def months_before(day: date, count: int) -> date:
    """The same day `count` months earlier, or that month's last day when it has no such day:
    31 August less 6 months is 28 February. "A month ago" and "the last six months" mean this."""
    month = add_months(day, -count)
    return month.replace(day=min(day.day, month_end(month).day))


def months_between(earlier: date, later: date) -> int:
    """Calendar months from the month of `earlier` to the month of `later` (negative when
    `later` is the earlier): January to March is 2, whatever the days."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def current_period() -> date:
    """The reporting period (month) that progress updates are due for now."""
    return month_start(today())


def parse_year_month(text: str) -> date:
    """ "2019-08" as the first day of that month; ValueError for anything else."""
    return datetime.strptime(text.strip(), "%Y-%m").date().replace(day=1)  # noqa: DTZ007


@cache
def _english_bank_holidays(year: int) -> frozenset[date]:
    return frozenset(UnitedKingdom(subdiv="ENG", years=year))


def is_working_day(day: date) -> bool:
    """Monday to Friday and not an English bank holiday (the `holidays` package keeps the list)."""
    return day.weekday() < 5 and day not in _english_bank_holidays(day.year)


@cache
def weekday_bank_holidays(first_year: int, last_year: int) -> tuple[date, ...]:
    """The days from `first_year` to `last_year` (both whole) that `is_working_day` refuses
    though they are Monday to Friday, in order: for counting working days over whole columns.
    One calendar for all the years (one a year costs about 1 ms each), made once a process."""
    calendar = UnitedKingdom(subdiv="ENG", years=range(first_year, last_year + 1))
    return tuple(sorted(day for day in calendar if day.weekday() < 5))


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
