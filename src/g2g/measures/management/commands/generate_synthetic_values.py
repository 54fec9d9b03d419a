"""`g2g generate_synthetic_values --authority NAME`: demo values for an authority's % measures,
stored as synthetic and labelled synthetic everywhere they are shown (see measures.services)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from g2g.core.dates import add_months, current_period, parse_year_month
from g2g.measures.models import Measure
from g2g.measures.services import generate_synthetic_values
from g2g.tenancy.access import operator_access
from g2g.tenancy.commands import authority_argument

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
        written = generate_synthetic_values(
            operator_access(target), months=months, seed=seed, end=last
        )
        measures = Measure.objects.in_authority(target).filter(unit=Measure.Unit.PERCENT).count()
        first = add_months(last, 1 - months)
        self.stdout.write(
            f"Wrote {written} synthetic values for {measures} % measures of {target.name}, "
            f"{first:%b %Y} to {last:%b %Y}, with neighbours' and England comparators. "
            "They are demo data, labelled synthetic wherever they are shown."
        )


def _month(text: str) -> date:
    try:
        return parse_year_month(text)
    except ValueError as error:
        raise CommandError(f"--end must look like 2025-03, not {text!r}") from error
