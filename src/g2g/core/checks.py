"""System checks of our own settings, run by `g2g check` (those tagged deploy only with
`--deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core import checks

PROXY_SETTINGS = ("SECURE_PROXY_SSL_HEADER", "USE_X_FORWARDED_HOST", "USE_X_FORWARDED_PORT")


@checks.register(checks.Tags.security, deploy=True)
def check_proxy_count(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """docs/security.md #20: settings that trust a header only a reverse proxy sets declare
    that the app runs behind one; then `TRUSTED_PROXY_COUNT` must say how many proxies append
    to X-Forwarded-For, or lockout and the audit log see every request as the proxy's."""
    declared = [name for name in PROXY_SETTINGS if getattr(settings, name, None)]
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if not declared or (isinstance(count, int) and count >= 1):
        return []
    return [
        checks.Error(
            f"{' and '.join(declared)} say the app runs behind a reverse proxy, but "
            f"TRUSTED_PROXY_COUNT is {count!r}: sign-in lockout and the audit log would see "
            "every request as coming from the proxy.",
            hint="Set TRUSTED_PROXY_COUNT to the number of proxies that append to "
            "X-Forwarded-For (usually 1); see docs/deploy.md. (AXES_PROXY_COUNT, named in "
            "older guides, is not read.)",
            id="g2g.E001",
        )
    ]
