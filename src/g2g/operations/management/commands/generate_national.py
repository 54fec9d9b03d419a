import os
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from g2g.core.problems import ReadError
from g2g.measures.published import load_published_figures
from g2g.operations.national import NationalSize, generate_national


def _default_reference() -> Path | None:
    """The reference workbook `make` points at (G2G_REFERENCE), if it is there."""
    folder = os.environ.get("G2G_REFERENCE")
    path = Path(folder) / "ilacs-overview.xlsx" if folder else None
    return path if path and path.exists() else None


class Command(BaseCommand):
    help = (
        "Create a synthetic national dataset for benchmarks: authorities with a plan each "
        "(actions, monthly progress updates), measures with monthly values and comparators, "
        "and users. Deterministic by seed; writes all or nothing; all of it is labelled synthetic."
    )

    def add_arguments(self, parser):
        size = NationalSize()
        parser.add_argument("--authorities", type=int, default=153)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--actions", type=int, default=size.actions, help="per authority")
        parser.add_argument("--months", type=int, default=size.months, help="of updates, values")
        parser.add_argument("--measures", type=int, default=size.measures, help="per authority")
        parser.add_argument("--users", type=int, default=size.users, help="per authority")
        parser.add_argument(
            "--reference",
            type=Path,
            default=_default_reference(),
            help="ilacs-overview.xlsx: real authorities (default: $G2G_REFERENCE's, if there)",
        )
        parser.add_argument(
            "--synthetic-authorities",
            action="store_true",
            help="make authorities up instead of loading the reference workbook",
        )
        parser.add_argument(
            "--password", help="one password for every user (default: none, they cannot sign in)"
        )
        parser.add_argument(
            "--published",
            type=Path,
            help="DfE's published figures to load too (default: the dfe folder beside the "
            "reference workbook, if there)",
        )

    def handle(self, **options):
        counts = [options[name] for name in ("authorities", "actions", "months", "measures")]
        if min(counts) < 1 or options["users"] < 0:
            raise CommandError("Counts must be at least 1 (users at least 0).")
        reference = None if options["synthetic_authorities"] else options["reference"]
        if reference is not None and not reference.exists():
            raise CommandError(f"{reference} does not exist.")
        size = NationalSize(
            actions=options["actions"],
            months=options["months"],
            measures=options["measures"],
            users=options["users"],
        )
        start = time.perf_counter()
        try:
            result = generate_national(
                options["authorities"],
                seed=options["seed"],
                reference=reference,
                size=size,
                password=options["password"],
                log=self.stdout.write,
            )
        except (ReadError, ValueError, IntegrityError) as error:
            raise CommandError(f"Nothing was written: {error}") from error
        self.stdout.write(f"{result} in {time.perf_counter() - start:.1f} s")
        folder = options["published"] or (reference.parent / "dfe" if reference else None)
        if folder is not None and folder.is_dir():
            start = time.perf_counter()
            try:
                loaded = load_published_figures(folder)
            except ReadError as error:
                raise CommandError(f"The published figures were not loaded: {error}") from error
            took = time.perf_counter() - start
            self.stdout.write(f"DfE's published figures: {loaded.summary()} in {took:.1f} s")
