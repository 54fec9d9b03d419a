"""`g2g load_published_figures [FOLDER]`: DfE's published figures for every authority, region and
England, and DfE's statistical neighbour model, from the folder of DfE's files (default: the
repository's demo-data/reference/dfe). All or nothing; loading again writes only what changed."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

import g2g
from g2g.core.problems import ReadError
from g2g.measures.published import load_published_figures

DEFAULT_FOLDER = Path(g2g.__file__).resolve().parents[2] / "demo-data" / "reference" / "dfe"


class Command(BaseCommand):
    help = (
        "Load DfE's published children's social care figures (every file of the folder the "
        "indicator catalogue reads) and the statistical neighbour model. Reports rows read, "
        "loaded and suppressed per file; a file with any problem loads nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path, nargs="?", default=DEFAULT_FOLDER)
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, folder: Path, format: str, **options):
        try:
            result = load_published_figures(folder)
        except ReadError as error:
            if format == "json":
                problems = [problem.as_dict() for problem in error.problems]
                self.stdout.write(json.dumps({"loaded": False, "problems": problems}, indent=2))
            lines = "\n".join(f"  {problem}" for problem in error.problems)
            raise CommandError(f"Nothing was loaded from {folder}:\n{lines}") from error
        if format == "json":
            self.stdout.write(json.dumps({"loaded": True, **result.as_dict()}, indent=2))
            return
        for line in result.lines():
            self.stdout.write(line)
