"""`g2g generate_synthetic_values --authority NAME`: demo values for an authority's % measures,
stored as synthetic and labelled synthetic everywhere they are shown (see measures.services)."""

from datetime import date, datetime

from django.core.management.base import BaseCommand, CommandError

from g2g.core.commands import authority_argument
from g2g.core.dates import current_period
from g2g.measures.models import Measure
from g2g.measures.services import add_months, generate_synthetic_values

MAX_MONTHS = 240


class Command(BaseCommand):
    help = (
        "Write synthetic (demo) monthly values and comparators for every % measure of an "
        "authority. Re-running replaces them; imported and entered values are never touched."
    )

    def add_arguments(self, parser):
        parser.add_argument("--authority", required=True, help="Authority name or slug")
        parser.add_argument("--months", type=int, default=24, help="How many months (24)")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same values (1)")
        parser.add_argument("--end", metavar="YYYY-MM", help="The last month (this month)")

    def handle(self, authority: str, months: int, seed: int, end: str | None, **options):
        target = authority_argument(authority)
        if not 1 <= months <= MAX_MONTHS:
            raise CommandError(f"--months must be between 1 and {MAX_MONTHS}, not {months}")
        last = _month(end) if end else current_period()
        written = generate_synthetic_values(target, months=months, seed=seed, end=last)
        measures = Measure.objects.in_authority(target).filter(unit=Measure.Unit.PERCENT).count()
        first = add_months(last, 1 - months)
        self.stdout.write(
            f"Wrote {written} synthetic values for {measures} % measures of {target.name}, "
            f"{first:%b %Y} to {last:%b %Y}, with neighbours' and England comparators. "
            "They are demo data, labelled synthetic wherever they are shown."
        )


def _month(text: str) -> date:
    try:
        return datetime.strptime(text, "%Y-%m").date()  # noqa: DTZ007 - a calendar month
    except ValueError as error:
        raise CommandError(f"--end must look like 2025-03, not {text!r}") from error
