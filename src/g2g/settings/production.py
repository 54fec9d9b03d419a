"""Production: DEBUG off, SECRET_KEY required from the environment, HTTPS only.

`g2g check --deploy --fail-level WARNING` is clean with these settings
(tests/security/test_deploy_check.py).
"""

import copy

from .base import *  # noqa: F403

DEBUG = False
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)  # noqa: F405
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Preload is a promise for the whole domain: turn it off (SECURE_HSTS_PRELOAD=false) if the
# service shares a domain with sites that are not HTTPS-only.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)  # noqa: F405
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The app runs behind a reverse proxy that ends TLS (docs/deploy.md): so TRUSTED_PROXY_COUNT must
# be set too, or `check --deploy` fails (g2g.E001, docs/security.md #20).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Ask browsers to upgrade any stray http:// sub-resource.
CONTENT_SECURITY_POLICY = copy.deepcopy(CONTENT_SECURITY_POLICY)  # noqa: F405
CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True
