from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "g2g.plans"
    verbose_name = "Improvement plans"
