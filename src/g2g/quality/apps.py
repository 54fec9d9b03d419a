from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "g2g.quality"
    verbose_name = "Quality assurance audits"
