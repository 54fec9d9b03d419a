from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "g2g.core"
    verbose_name = "Core"
