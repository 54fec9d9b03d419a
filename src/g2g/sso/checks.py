"""System checks on the G2G_OIDC_* settings, so a mistake shows at `g2g check`, not at the
first person's sign-in."""

import re

from django.conf import settings
from django.core.checks import Error, Warning, register

GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@register()
def check_oidc_settings(app_configs, **kwargs):
    problems = []
    client_id = settings.G2G_OIDC_CLIENT_ID.strip()
    tenants = [tenant.strip() for tenant in settings.G2G_OIDC_ALLOWED_TENANTS if tenant.strip()]
    for tenant in tenants:
        if not GUID.match(tenant.lower()):
            problems.append(
                Error(
                    f"G2G_OIDC_ALLOWED_TENANTS holds {tenant!r}, which is not a tenant id.",
                    hint="List tenant ids (GUIDs), not domain names, 'common' or 'organizations'.",
                    id="g2g_sso.E001",
                )
            )
    if client_id and not tenants:
        problems.append(
            Warning(
                "G2G_OIDC_CLIENT_ID is set but G2G_OIDC_ALLOWED_TENANTS is empty: single "
                "sign-on stays off.",
                id="g2g_sso.W001",
            )
        )
    if client_id and tenants and not settings.G2G_OIDC_CLIENT_SECRET:
        problems.append(
            Warning(
                "Single sign-on is on but G2G_OIDC_CLIENT_SECRET is empty: every sign-in will "
                "be refused by the provider.",
                id="g2g_sso.W002",
            )
        )
    return problems
