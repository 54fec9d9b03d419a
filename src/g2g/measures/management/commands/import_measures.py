"""`g2g import_measures PATH --authority NAME`: load a council's monthly measure values."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from g2g.core.problems import ReadError
from g2g.measures.services import import_values
from g2g.measures.values_reader import read_values_file
from g2g.tenancy.access import operator_access
from g2g.tenancy.commands import add_import_arguments, authority_argument, refuse_import
from g2g.tenancy.services import all_authority_names


class Command(BaseCommand):
    help = (
        "Import monthly measure values from CSV or Excel: one row per measure and month "
        "(measure, period, value, optional numerator, denominator, note, england, neighbours, "
        "region, or an authority's name), or one row per measure with a column per month. "
        "All or nothing."
    )

    def add_arguments(self, parser):
        add_import_arguments(parser)

    def handle(self, path: Path, authority: str, dry_run: bool, format: str, **options):
        target = authority_argument(authority)
        try:
            read = read_values_file(path, authorities=all_authority_names())
            result = import_values(
                operator_access(target),
                read.rows,
                source=path.name,
                dry_run=dry_run,
                problems=read.problems,
            )
        except ReadError as error:
            raise refuse_import(self, path, error, format) from error
        if format == "json":
            self.stdout.write(json.dumps(result.summary(), indent=2))
            return
        verb = "Read (dry run, nothing written)" if dry_run else f"Imported into {target.name}"
        self.stdout.write(
            f"{verb}: {result.values} values from {path.name} ({read.layout} layout), "
            f"{result.created} new and {result.updated} replacing earlier values; "
            f"{result.comparators} comparator values."
        )
