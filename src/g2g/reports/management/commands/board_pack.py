"""`g2g board_pack --authority NAME --period YYYY-MM --format FORMAT [--output PATH]`: FORMAT is
docx, pdf, xlsx, html or json.

Without --output the file is named for the authority and month in the current folder:
`tameside-board-pack-2025-12.pdf`. `--format json` writes the pack's sections as data
(`reports.outputs.pack_data`); `--output -` writes to standard output.
"""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from g2g.core.dates import month_end, parse_year_month
from g2g.plans.models import Plan
from g2g.plans.reads import current_plan
from g2g.reports.outputs import FORMATS, render_file
from g2g.reports.services import pack_for
from g2g.tenancy.access import operator_access
from g2g.tenancy.commands import authority_argument


class Command(BaseCommand):
    help = "Write an authority's board pack for a month as Word, PDF, Excel, a web page or JSON."

    def add_arguments(self, parser):
        parser.add_argument("--authority", required=True, help="Authority name or slug")
        parser.add_argument(
            "--plan",
            type=int,
            help="The plan's id (default: the plan being worked to in that month)",
        )
        parser.add_argument("--period", required=True, help="The month, e.g. 2026-10")
        parser.add_argument("--format", choices=sorted(FORMATS), required=True)
        parser.add_argument(
            "--output",
            type=Path,
            help="A file, or - for stdout (default: AUTHORITY-board-pack-YYYY-MM.FORMAT here)",
        )
        parser.add_argument(
            "--as-at", help="Read the plan as it stood at the end of this day (YYYY-MM-DD)"
        )

    def handle(self, authority, period, format, output, as_at, **options):
        target = authority_argument(authority)
        try:
            month = parse_year_month(period)
            day = date.fromisoformat(as_at) if as_at else None
        except ValueError as error:
            message = f"Give --period as YYYY-MM and --as-at as YYYY-MM-DD: {error}"
            raise CommandError(message) from error
        access = operator_access(target)
        try:
            plan = current_plan(access, options.get("plan"))
        except Http404 as missing:
            raise CommandError(f"{target.name} has no plan {options['plan']}") from missing
        if plan is None:
            raise CommandError(f"{target.name} has no plan: import one first (g2g import_plan)")
        if not options.get("plan"):  # the plan being worked to in that month
            plan = access.scope(Plan.objects.all()).active_during(month, month_end(month))
        to_stdout = str(output) == "-"
        if to_stdout and format not in ("json", "html"):
            raise CommandError(f"--output - writes json or html, not {format}: give a file")
        pack = pack_for(plan, month, day)
        content = render_file(pack, format)
        if to_stdout:
            self.stdout.write(content.decode(), ending="")
            return
        output = output or Path(pack.filename(format))
        try:
            output.write_bytes(content)
        except OSError as error:
            raise CommandError(f"cannot write {output}: {error.strerror}") from error
        self.stdout.write(f"Wrote {pack.title} ({format}) to {output}")
