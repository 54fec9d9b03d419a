from django.apps import AppConfig


class ImportersConfig(AppConfig):
    name = "g2g.importers"
    verbose_name = "Plan importers"
