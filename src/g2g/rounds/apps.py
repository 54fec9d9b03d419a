from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "g2g.rounds"
    verbose_name = "Monthly update rounds"
