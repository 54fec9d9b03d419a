from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from g2g.core.problems import ReadError
from g2g.operations.demo import DEMO_DATA, load_demo
from g2g.tenancy.models import Authority


class Command(BaseCommand):
    help = "Load the demo: all authorities, Oldham's and Tameside's plans, one user per role."

    def add_arguments(self, parser):
        parser.add_argument("--seeds", type=Path, default=DEMO_DATA / "seeds")
        parser.add_argument("--reference", type=Path, default=DEMO_DATA / "reference")
        parser.add_argument("--reports", type=Path, default=DEMO_DATA / "inspection-reports")

    def handle(self, seeds: Path, reference: Path, reports: Path, **options):
        try:
            load_demo(seeds, reference, reports, log=self.stdout.write)
        except (ReadError, OSError) as error:
            raise CommandError(f"The demo could not be loaded: {error}") from error
        except Authority.DoesNotExist as error:
            raise CommandError(
                "The demo needs Oldham and Tameside in the reference file; they are missing"
            ) from error
