"""System checks of our own settings, run by `g2g check` (those tagged deploy only with
`--deploy`)."""

from __future__ import annotations

import re

from django.conf import settings
from django.core import checks

PROXY_SETTINGS = ("SECURE_PROXY_SSL_HEADER", "USE_X_FORWARDED_HOST", "USE_X_FORWARDED_PORT")
NOTIFY_BACKEND = "g2g.core.notify.NotifyEmailBackend"
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# A Notify API key is the key's name, the service id and the secret: `name-<uuid>-<uuid>`.
NOTIFY_API_KEY = re.compile(rf".+-{UUID}-{UUID}", re.IGNORECASE)


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


@checks.register()
def check_notify_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """With mail through GOV.UK Notify, its API key and template must be set, or every reminder
    would fail at the first send."""
    if settings.EMAIL_BACKEND != NOTIFY_BACKEND:
        return []
    problems = []
    if not NOTIFY_API_KEY.fullmatch(settings.NOTIFY_API_KEY):
        problems.append(
            checks.Error(
                "EMAIL_BACKEND sends mail through GOV.UK Notify, but NOTIFY_API_KEY is "
                f"{'not a Notify API key' if settings.NOTIFY_API_KEY else 'empty'}.",
                hint="Create an API key in Notify (API integration, API keys) and set the whole "
                'key: its name followed by two ids. See docs/deploy.md, "Mail".',
                id="g2g.E002",
            )
        )
    if not re.fullmatch(UUID, settings.NOTIFY_TEMPLATE_ID, re.IGNORECASE):
        problems.append(
            checks.Error(
                "EMAIL_BACKEND sends mail through GOV.UK Notify, but NOTIFY_TEMPLATE_ID is "
                f"{'not a template id' if settings.NOTIFY_TEMPLATE_ID else 'empty'}.",
                hint="Make an email template in Notify with the subject ((subject)) and the body "
                '((body)) and set its id. See docs/deploy.md, "Mail".',
                id="g2g.E003",
            )
        )
    return problems
