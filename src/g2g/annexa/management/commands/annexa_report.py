"""`g2g annexa_report PATH --format json`: the KPIs and data-quality counts of an Annex A
workbook or folder of CSVs, read on this machine (nothing is stored)."""

import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from g2g.annexa.analysis import analyse
from g2g.annexa.quality import CHECKS
from g2g.annexa.reader import AnnexAReadError
from g2g.measures.indicators import BY_KEY


class Command(BaseCommand):
    help = "Print the KPIs (numerator, denominator, value) and data-quality counts of a return."

    def add_arguments(self, parser):
        parser.add_argument("path", help="An Annex A .xlsx workbook or a folder of CSV files")
        parser.add_argument("--format", choices=("json", "text"), default="text")
        parser.add_argument("--snapshot", metavar="YYYY-MM-DD", help="Extraction date")
        parser.add_argument(
            "--rows", action="store_true", help="Include the row numbers of each problem"
        )

    def handle(self, path, format, snapshot, rows, **options):
        source = Path(path)
        if not source.exists():
            raise CommandError(f"{source} does not exist")
        try:
            day = date.fromisoformat(snapshot) if snapshot else None
        except ValueError as error:
            raise CommandError(
                f"--snapshot must be a date like 2025-03-31, not {snapshot}"
            ) from error
        try:
            analysis = analyse(source, snapshot=day)
        except AnnexAReadError as error:
            raise CommandError(str(error)) from error
        result = analysis.as_dict()
        if not rows:
            for issue in result["data_quality"]["issues"]:
                del issue["rows"]
        if format == "json":
            self.stdout.write(json.dumps(result, indent=2))
            return
        self.stdout.write(f"{analysis.name}: data as at {analysis.snapshot:%d/%m/%Y}")
        for key, kpi in result["kpis"].items():
            value = "no value" if kpi["value"] is None else f"{kpi['value']}%"
            name = BY_KEY[key].name
            self.stdout.write(f"  {name}: {value} ({kpi['numerator']} / {kpi['denominator']})")
        self.stdout.write("Data quality:")
        for check, count in result["data_quality"]["counts"].items():
            self.stdout.write(f"  {CHECKS[check]}: {count}")
