from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from g2g.core.demo import load_demo
from g2g.importers.draft import PlanImportError
from g2g.inspections.parser import InspectionParseError
from g2g.tenancy.models import Authority
from g2g.tenancy.reference import ReferenceFileError


class Command(BaseCommand):
    help = "Load the demo: all authorities, Oldham's and Tameside's plans, one user per role."

    def add_arguments(self, parser):
        parser.add_argument("--seeds", type=Path, default=Path("../shared/seeds"))
        parser.add_argument("--reference", type=Path, default=Path("../shared/reference"))
        parser.add_argument("--reports", type=Path, default=Path("../shared/inspection-reports"))

    def handle(self, seeds: Path, reference: Path, reports: Path, **options):
        try:
            load_demo(seeds, reference, reports, log=self.stdout.write)
        except (PlanImportError, ReferenceFileError, InspectionParseError, OSError) as error:
            raise CommandError(f"The demo could not be loaded: {error}") from error
        except Authority.DoesNotExist as error:
            raise CommandError(
                "The demo needs Oldham and Tameside in the reference file; they are missing"
            ) from error
