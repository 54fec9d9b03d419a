from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "g2g.core"
    verbose_name = "Core"

    def ready(self):
        # `audit` connects the sign-in, sign-out and lockout signals to the audit log; `checks`
        # registers the deploy checks (the proxy count, docs/security.md #20); `history` fills
        # the fields a history entry has of its own (`save_with_history(recorded=...)`).
        from . import (
            audit,  # noqa: F401
            checks,  # noqa: F401
            history,  # noqa: F401
        )
