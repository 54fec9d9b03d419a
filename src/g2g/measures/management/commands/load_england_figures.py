"""`g2g load_england_figures`: England's published figures as comparators of every measure that
names a published indicator (run after the cited file is updated)."""

from django.core.management.base import BaseCommand

from g2g.measures.england import attach_england_figures
from g2g.measures.models import Measure


class Command(BaseCommand):
    help = "Write England's published figures (data/england-kpis.csv) as measures' comparators."

    def handle(self, **options):
        measures = Measure.objects.exclude(indicator="")
        written = attach_england_figures(measures)
        self.stdout.write(f"{written} England figures written for {measures.count()} measures.")
