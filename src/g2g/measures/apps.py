from django.apps import AppConfig


class MeasuresConfig(AppConfig):
    name = "g2g.measures"
    verbose_name = "Measures and scorecards"

    def ready(self) -> None:
        # Writes of measures' data send `measures_changed`; the task draws their charts.
        from . import signals, tasks  # noqa: F401
