import json
from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from g2g.core.commands import authority_argument
from g2g.importers.draft import PlanImportError
from g2g.importers.services import read_plan_file, write_plan


class Command(BaseCommand):
    help = "Import an improvement plan (text layout or JSON export) into an authority."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--authority", required=True, help="Authority name or slug")
        parser.add_argument("--dry-run", action="store_true", help="Read and report; write nothing")
        parser.add_argument("--format", choices=["text", "json"], default="text")
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
            if not dry_run:
                write_plan(target, draft)
        except PlanImportError as error:
            problems = [{"where": p.where, "message": p.message} for p in error.problems]
            if format == "json":
                self.stdout.write(json.dumps({"imported": False, "problems": problems}, indent=2))
            raise CommandError(f"{path} was not imported: {error}") from error
        summary = draft.summary()
        if format == "json":
            self.stdout.write(json.dumps(summary, indent=2))
            return
        verb = "Read" if dry_run else f"Imported into {target.name}"
        self.stdout.write(
            f"{verb}: {summary['priorities']} priorities, {summary['objectives']} objectives, "
            f"{summary['actions']} actions, {summary['focus_areas']} focus areas, "
            f"{summary['post_holders']} post holders."
        )
        for problem in summary["problems"]:
            self.stdout.write(f"  {problem['where']}: {problem['message']}")


def _month(text: str | None):
    if not text:
        return None
    try:
        return datetime.strptime(text, "%Y-%m").date()  # noqa: DTZ007 - a calendar month
    except ValueError as error:
        raise CommandError(f"--progress-period must look like 2019-08, not {text!r}") from error
