from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "g2g.inspections"
    verbose_name = "Inspections"
