"""The one source of "today" and of reporting periods, so tests can fix the date."""

from datetime import date, datetime

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
