import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from g2g.core.problems import ReadError
from g2g.inspections.parser import report_file_bytes
from g2g.inspections.services import (
    InspectionExistsError,
    read_report_upload,
    write_inspection,
)
from g2g.tenancy.access import operator_access
from g2g.tenancy.commands import add_import_arguments, authority_argument, refuse_import


class Command(BaseCommand):
    help = (
        "Import an Ofsted inspection report, or a focused visit, monitoring visit or JTAI letter "
        "(PDF or text), into an authority."
    )

    def add_arguments(self, parser):
        add_import_arguments(parser)
        parser.add_argument(
            "--focused-visit",
            action="store_true",
            help="The file is a council report listing a focused visit's strengths and areas "
            "for development",
        )
        parser.add_argument(
            "--code", default="", help="How the plan cites this inspection, e.g. ILAC or FV1"
        )

    def handle(self, path: Path, authority: str, dry_run: bool, format: str, code: str, **options):
        target = authority_argument(authority)
        try:
            report = read_report_upload(
                path.name, report_file_bytes(path), focused_visit=options["focused_visit"]
            )
            if not dry_run:
                write_inspection(operator_access(target), report, code=code, source_name=path.name)
        except ReadError as error:
            raise refuse_import(self, path, error, format) from error
        except InspectionExistsError as error:
            raise CommandError(f"{path} was not imported: {error}") from error
        summary = report.summary()
        if format == "json":
            self.stdout.write(json.dumps(summary, indent=2))
            return
        verb = "Read" if dry_run else f"Imported into {target.name}"
        grades = "; ".join(f"{j['area']}: {j['grade']}" for j in summary["judgements"])
        found = ", ".join(
            f"{len(texts)} {kind}"
            for kind, texts in summary["findings"].items()
            if kind != "recommendation"
        )
        self.stdout.write(
            f"{verb}: {summary['type']} ({summary['framework'] or 'framework not known'}) "
            f"{summary['start']} to {summary['end']}, "
            f"overall {summary['overall'] or 'not graded'}; {grades or 'no grades'}; "
            f"{len(summary['recommendations'])} recommendations"
            f"{'; ' + found if found else ''}, {summary['paragraphs']} paragraphs."
        )
        for problem in summary["problems"]:
            self.stdout.write(f"  {problem['where']}: {problem['message']}")
