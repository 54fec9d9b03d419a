"""`g2g load_england_figures`: the published figures as comparators of every measure that names an
indicator: DfE's loaded figures (`g2g load_published_figures`, which runs this itself), or, for
an indicator they do not cover, England's figures from the cited file data/england-kpis.csv (run
after that file is updated)."""

from django.core.management.base import BaseCommand

from g2g.measures.models import Measure
from g2g.measures.published import attach_published_figures


class Command(BaseCommand):
    help = (
        "Write the published figures (DfE's loaded files, else data/england-kpis.csv) as the "
        "comparators of every measure naming an indicator."
    )

    def handle(self, **options):
        measures = Measure.objects.exclude(indicator="").select_related("authority")
        written = attach_published_figures(measures)
        self.stdout.write(f"{written} published figures written for {measures.count()} measures.")
