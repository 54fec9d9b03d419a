from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "g2g.assurance"
    verbose_name = "Quality assurance audits"
