import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from g2g.core.problems import ReadError
from g2g.tenancy.reference import read_ilacs_overview
from g2g.tenancy.services import load_authorities


class Command(BaseCommand):
    help = (
        "Load or update every authority (codes, region, statistical neighbours, latest ILACS "
        "inspection) from the ILACS overview workbook. Writes all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="ilacs-overview.xlsx")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, path: Path, format: str, **options):
        try:
            rows = read_ilacs_overview(path)
        except ReadError as error:
            if format == "json":
                problems = [problem.as_dict() for problem in error.problems]
                report = {"created": 0, "updated": 0, "unchanged": 0, "problems": problems}
                self.stdout.write(json.dumps(report, indent=2))
            raise CommandError(f"{path} was not loaded; nothing was written.\n{error}") from error
        result = load_authorities(rows)
        if format == "json":
            problems = [problem.as_dict() for row in rows for problem in row.problems]
            self.stdout.write(json.dumps({**vars(result), "problems": problems}, indent=2))
            return
        self.stdout.write(str(result))
        for row in rows:
            for problem in row.problems:
                self.stdout.write(f"  {problem} ({row.name})")
