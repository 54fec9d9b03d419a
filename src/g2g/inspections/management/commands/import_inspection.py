import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from g2g.core.commands import authority_argument
from g2g.inspections.parser import InspectionParseError, read_report_file
from g2g.inspections.services import InspectionExistsError, write_inspection


class Command(BaseCommand):
    help = "Import an Ofsted inspection report (PDF or text) into an authority."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--authority", required=True, help="Authority name or slug")
        parser.add_argument("--dry-run", action="store_true", help="Read and report; write nothing")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument(
            "--code", default="", help="How the plan cites this inspection, e.g. ILAC or FV1"
        )

    def handle(self, path: Path, authority: str, dry_run: bool, format: str, code: str, **options):
        target = authority_argument(authority)
        try:
            report = read_report_file(path)
            if not dry_run:
                write_inspection(target, report, code=code, source_name=path.name)
        except InspectionParseError as error:
            problems = [{"where": p.where, "message": p.message} for p in error.problems]
            if format == "json":
                self.stdout.write(json.dumps({"imported": False, "problems": problems}, indent=2))
            raise CommandError(f"{path} was not imported: {error}") from error
        except InspectionExistsError as error:
            raise CommandError(f"{path} was not imported: {error}") from error
        summary = report.summary()
        if format == "json":
            self.stdout.write(json.dumps(summary, indent=2))
            return
        verb = "Read" if dry_run else f"Imported into {target.name}"
        grades = "; ".join(f"{j['area']}: {j['grade']}" for j in summary["judgements"])
        self.stdout.write(
            f"{verb}: {summary['type']} {summary['start']} to {summary['end']}, "
            f"overall {summary['overall'] or 'not graded'}; {grades}; "
            f"{len(summary['recommendations'])} recommendations, "
            f"{summary['paragraphs']} paragraphs."
        )
        for problem in summary["problems"]:
            self.stdout.write(f"  {problem['where']}: {problem['message']}")
