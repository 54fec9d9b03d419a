from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "g2g.reports"
    verbose_name = "Board packs, council reports and exports"
