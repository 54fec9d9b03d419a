from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "g2g.core"
    verbose_name = "Core"

    def ready(self):
        # Connects the sign-in, sign-out and lockout signals to the audit log.
        from . import audit  # noqa: F401
