from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "g2g.measures"
    verbose_name = "Measures and scorecards"
