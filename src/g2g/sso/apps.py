from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "g2g.sso"
    verbose_name = "Single sign-on"

    def ready(self):
        # Registers the system checks on the G2G_OIDC_* settings.
        from . import checks  # noqa: F401
