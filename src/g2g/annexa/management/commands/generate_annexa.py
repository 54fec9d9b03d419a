"""`g2g generate_annexa --authority NAME --children N --seed S --output PATH`: a synthetic Annex
A return (made-up children) with data-quality faults planted at known rates."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from g2g.annexa.generator import FAULTS, PLANS_WITHOUT_ICPC, generate, write_csv_folder, write_xlsx

MAX_CHILDREN = 2_000_000


class Command(BaseCommand):
    help = (
        "Write a synthetic Annex A return: an .xlsx workbook (one sheet per list), or a folder "
        "of CSV files when the output does not end in .xlsx. All data are made up."
    )

    def add_arguments(self, parser):
        parser.add_argument("--authority", required=True, help="Name used for the child ids")
        parser.add_argument("--children", type=int, default=2000, help="Children (2000)")
        parser.add_argument("--seed", type=int, default=1, help="Same seed, same file (1)")
        parser.add_argument("--output", required=True, help="A .xlsx file or a folder")
        parser.add_argument("--snapshot", metavar="YYYY-MM-DD", help="Extraction date (today)")

    def handle(self, authority, children, seed, output, snapshot, **options):
        if not 1 <= children <= MAX_CHILDREN:
            raise CommandError(f"--children must be between 1 and {MAX_CHILDREN:,}")
        try:
            day = date.fromisoformat(snapshot) if snapshot else None
        except ValueError as error:
            raise CommandError(
                f"--snapshot must be a date like 2025-03-31, not {snapshot}"
            ) from error
        generated = generate(authority, children, seed=seed, snapshot=day)
        path = Path(output)
        if path.suffix.lower() == ".xlsx":
            write_xlsx(generated, path)
        else:
            write_csv_folder(generated, path)
        self.stdout.write(
            f"Wrote a SYNTHETIC Annex A return for {authority} to {path}: "
            f"{generated.rows:,} rows, data as at {generated.snapshot:%d/%m/%Y}."
        )
        rates = ", ".join(
            f"{check} in {column} of {key} {share:.1%}" for key, column, check, share in FAULTS
        )
        self.stdout.write(
            f"Faults planted: {rates}; CP plans without an ICPC {PLANS_WITHOUT_ICPC:.0%}."
        )
        for (key, column, check), count in generated.faults.items():
            self.stdout.write(f"  {key} / {column} / {check}: {count} rows")
