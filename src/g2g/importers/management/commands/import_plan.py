import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from g2g.core.commands import add_import_arguments, authority_argument, refuse_import
from g2g.core.dates import parse_year_month
from g2g.importers.draft import PlanImportError
from g2g.importers.reconcile import apply_reimport, reconcile
from g2g.importers.services import read_plan_file, write_plan
from g2g.plans.models import Plan


class Command(BaseCommand):
    help = "Import an improvement plan (Word, Excel, CSV, text or JSON export) into an authority."

    def add_arguments(self, parser):
        add_import_arguments(parser)
        parser.add_argument(
            "--close-missing",
            action="store_true",
            help="On re-import, close actions the newer version no longer has",
        )
        parser.add_argument(
            "--progress-period",
            metavar="YYYY-MM",
            help="Month that an undated Progress column was written in",
        )

    def handle(self, path: Path, authority: str, dry_run: bool, format: str, **options):
        target = authority_argument(authority)
        period = _month(options["progress_period"])
        try:
            draft = read_plan_file(path, progress_period=period)
            existing = Plan.objects.in_authority(target).filter(title=draft.title).first()
            reimport = reconcile(existing, draft) if existing else None
            if not dry_run and existing:
                apply_reimport(existing, draft, close_all_missing=options["close_missing"])
            elif not dry_run:
                write_plan(target, draft)
        except PlanImportError as error:
            raise refuse_import(self, path, error, format) from error
        summary = draft.summary()
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
        if reimport:
            self.stdout.write(
                f"Re-import of {existing.title!r}: {len(reimport.changed)} changed, "
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
