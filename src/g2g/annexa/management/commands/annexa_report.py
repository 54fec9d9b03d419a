"""`g2g annexa_report PATH --format json`: the KPIs and data-quality counts of an Annex A
workbook or folder of CSVs, read on this machine (nothing is stored). `--region`: PATH is a
folder of several authorities' returns, analysed one by one with their KPIs pooled."""

import json
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from g2g.annexa.analysis import analyse, analyse_pooled
from g2g.annexa.quality import CHECKS
from g2g.core.problems import ReadError
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
        parser.add_argument(
            "--region",
            action="store_true",
            help="PATH is a folder of returns (workbooks, folders of CSVs): pool their KPIs",
        )

    def handle(self, path, format, snapshot, rows, region=False, **options):
        source = Path(path)
        if not source.exists():
            raise CommandError(f"{source} does not exist")
        try:
            day = date.fromisoformat(snapshot) if snapshot else None
        except ValueError as error:
            raise CommandError(
                f"--snapshot must be a date like 2025-03-31, not {snapshot}"
            ) from error
        if region:
            return self._region(source, day, format)
        try:
            analysis = analyse(source, snapshot=day)
        except ReadError as error:
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

    def _region(self, source, day, format):
        try:
            pooled = analyse_pooled(source, snapshot=day)
        except ReadError as error:
            raise CommandError(str(error)) from error
        if format == "json":
            result = pooled.as_dict()
            for one in result["returns"]:
                for issue in one["data_quality"]["issues"]:
                    del issue["rows"]
            self.stdout.write(json.dumps(result, indent=2))
            return
        names = ", ".join(analysis.name for analysis in pooled.returns)
        self.stdout.write(f"{pooled.name}: {len(pooled.returns)} returns pooled ({names})")
        for key, kpi in pooled.kpis.items():
            value = "no value" if kpi.value is None else f"{kpi.value}%"
            self.stdout.write(
                f"  {BY_KEY[key].name}: {value} ({kpi.numerator} / {kpi.denominator})"
            )
