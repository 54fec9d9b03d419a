import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from g2g.core.dates import parse_year_month
from g2g.core.problems import ReadError
from g2g.importers.services import (
    import_plan,
    preview_plan_import,
    read_plan_file,
    read_with_columns,
)
from g2g.tenancy.access import operator_access
from g2g.tenancy.commands import add_import_arguments, authority_argument, refuse_import


class Command(BaseCommand):
    help = (
        "Import an improvement plan (Word, Excel, CSV, PDF, text or JSON export) into an authority."
    )

    def add_arguments(self, parser):
        add_import_arguments(parser)
        parser.add_argument(
            "--close-missing",
            action="store_true",
            help="On re-import, close actions the newer version no longer has",
        )
        parser.add_argument(
            "--allow-other-authority",
            action="store_true",
            help="Import a document that names another authority (it is this one's plan)",
        )
        parser.add_argument(
            "--progress-period",
            metavar="YYYY-MM",
            help="Month that an undated Progress column was written in",
        )

    def handle(self, path: Path, authority: str, dry_run: bool, format: str, **options):
        target = authority_argument(authority)
        access = operator_access(target)
        period = _month(options["progress_period"])
        try:
            draft, _columns = read_with_columns(  # the plan's remembered column mapping, if any
                access, lambda **more: read_plan_file(path, progress_period=period, **more), None
            )
            if dry_run:
                result = preview_plan_import(access, draft)
            else:
                result = import_plan(
                    access,
                    draft,
                    close_all_missing=options["close_missing"],
                    allow_other_authority=options["allow_other_authority"],
                    source=path.name,
                )
        except ReadError as error:
            raise refuse_import(self, path, error, format) from error
        summary, reimport = draft.summary(), result.reimport
        summary["outcome"] = result.outcome
        summary["status"] = result.plan.status if result.plan else result.new_status
        summary["other_authorities"] = [
            {"name": other.name, "count": other.count, "at_the_top": other.at_the_top}
            for other in result.others
        ]
        if reimport:
            summary["reimport"] = {
                "changed": [change.action.ref for change in reimport.changed],
                "added": [action.ref for _number, action in reimport.added],
                "unchanged": len(reimport.unchanged),
                "missing": [action.ref for action in reimport.missing],
                "closed": options["close_missing"] and not dry_run,
            }
        if format == "json":
            self.stdout.write(json.dumps(summary, indent=2))
            return
        verb = "Read" if dry_run else f"Imported into {target.name}"
        self.stdout.write(
            f"{verb}: {summary['priorities']} priorities, {summary['objectives']} objectives, "
            f"{summary['actions']} actions, {summary['focus_areas']} focus areas, "
            f"{summary['post_holders']} post holders."
        )
        self.stdout.write(f"{'Would be' if dry_run else 'Done'}: {result.outcome}.")
        for other in result.others:
            self.stdout.write(
                f"  The document names another authority: {other}"
                + ("" if dry_run else "; imported as --allow-other-authority said")
            )
        if reimport:
            self.stdout.write(
                f"Re-import of {result.plan.title!r}: {len(reimport.changed)} changed, "
                f"{len(reimport.added)} added, {len(reimport.unchanged)} unchanged."
            )
            for action in reimport.missing:
                state = "closed" if options["close_missing"] and not dry_run else "still open"
                self.stdout.write(f"  {action.ref} is not in the new version ({state})")
        for problem in summary["problems"]:
            self.stdout.write(f"  {problem['where']}: {problem['message']}")


def _month(text: str | None):
    if not text:
        return None
    try:
        return parse_year_month(text)
    except ValueError as error:
        raise CommandError(f"--progress-period must look like 2019-08, not {text!r}") from error
