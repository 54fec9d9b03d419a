from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the service rather than using it: the demo, the national benchmark data, backup
    and restore. The top layer: it may use every app, and no app uses it."""

    name = "g2g.operations"
    verbose_name = "Operations"
