"""Recompute the two assurance measures for recent months. Run it nightly: a remedial action
that passes its due date undone changes its month's "on time" figure without anyone writing."""

from django.core.management.base import BaseCommand, CommandError

from g2g.assurance.models import Audit
from g2g.assurance.services import compute_assurance_measures
from g2g.core.dates import add_months, current_period
from g2g.tenancy.access import operator_access
from g2g.tenancy.models import Authority


class Command(BaseCommand):
    help = "Recompute audits graded good or better and remedial actions on time, by month."

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=13, help="How many months back")
        parser.add_argument("--authority", help="An authority's slug (default: all with audits)")

    def handle(self, months: int, authority: str | None, **options):
        if months < 1:
            raise CommandError("--months must be 1 or more")
        authorities = Authority.objects.filter(pk__in=Audit.objects.values("authority")).order_by(
            "name"
        )
        if authority:
            authorities = authorities.filter(slug=authority)
            if not authorities.exists():
                raise CommandError(f"No authority {authority!r} with audits")
        periods = [_months_before(current_period(), back) for back in range(months)]
        for each in authorities:
            access = operator_access(each)
            written = sum(len(compute_assurance_measures(access, period)) for period in periods)
            self.stdout.write(f"{each.name}: {written} computed values over {months} months")


def _months_before(month, back: int):
    return add_months(month, -back)
