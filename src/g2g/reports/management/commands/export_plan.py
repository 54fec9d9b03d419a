import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from g2g.core.dates import today
from g2g.importers.json_format import plan_to_json
from g2g.plans.reads import current_plan
from g2g.reports.plan_export import plan_docx, plan_for_export, plan_xlsx
from g2g.tenancy.access import operator_access
from g2g.tenancy.commands import authority_argument


class Command(BaseCommand):
    help = (
        "Export an authority's current improvement plan: JSON (the app's own layout, printed), "
        "or Word or Excel in the familiar table layout (written to --output)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--authority", required=True, help="Authority name or slug")
        parser.add_argument(
            "--plan", type=int, help="The plan's id (default: the authority's active plan)"
        )
        parser.add_argument("--format", choices=["json", "docx", "xlsx"], default="json")
        parser.add_argument("--output", type=Path, help="File to write (needed for docx and xlsx)")

    def handle(self, authority: str, format: str, output: Path | None, **options):
        target = authority_argument(authority)
        try:
            plan = current_plan(operator_access(target), options.get("plan"))
        except Http404 as missing:
            raise CommandError(f"{target.name} has no plan {options['plan']}") from missing
        if plan is None:
            raise CommandError(f"{target.name} has no plan to export")
        if format == "json":
            text = json.dumps(plan_to_json(plan), indent=2, ensure_ascii=False)
            if output is None:
                self.stdout.write(text)
                return
            data = (text + "\n").encode()
        else:
            if output is None:
                raise CommandError(f"--output FILE is needed for --format {format}")
            # The command is run by the service's operators, who see every authority.
            access = operator_access(target)
            export = plan_for_export(access, plan, today())
            data = plan_docx(export) if format == "docx" else plan_xlsx(export)
        try:
            output.write_bytes(data)
        except OSError as error:
            raise CommandError(f"cannot write {output}: {error.strerror}") from error
        self.stdout.write(f"Wrote {plan.title!r} to {output} ({len(data):,} bytes)")
