"""`g2g board_pack --authority NAME --period YYYY-MM --format docx|pdf|xlsx|html --output PATH`"""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from g2g.core.commands import authority_argument
from g2g.core.dates import parse_year_month
from g2g.plans.models import Plan
from g2g.reports.outputs import FORMATS, render_file
from g2g.reports.services import pack_for


class Command(BaseCommand):
    help = "Write an authority's board pack for a month as Word, PDF, Excel or a web page."

    def add_arguments(self, parser):
        parser.add_argument("--authority", required=True, help="Authority name or slug")
        parser.add_argument("--period", required=True, help="The month, e.g. 2026-10")
        parser.add_argument("--format", choices=sorted(FORMATS), required=True)
        parser.add_argument("--output", type=Path, required=True)
        parser.add_argument(
            "--as-at", help="Read the plan as it stood at the end of this day (YYYY-MM-DD)"
        )

    def handle(self, authority, period, format, output, as_at, **options):
        target = authority_argument(authority)
        plan = Plan.objects.in_authority(target).current()
        if plan is None:
            raise CommandError(f"{target.name} has no plan: import one first (g2g import_plan)")
        try:
            month = parse_year_month(period)
            day = date.fromisoformat(as_at) if as_at else None
        except ValueError as error:
            message = f"Give --period as YYYY-MM and --as-at as YYYY-MM-DD: {error}"
            raise CommandError(message) from error
        pack = pack_for(plan, month, day)
        output.write_bytes(render_file(pack, format))
        self.stdout.write(f"Wrote {pack.title} ({format}) to {output}")
