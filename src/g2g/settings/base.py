"""Settings shared by every environment; values come from the environment (see .env.example)."""

from datetime import timedelta
from pathlib import Path

import environ

SRC_DIR = Path(__file__).resolve().parent.parent
PROJECT_DIR = SRC_DIR.parent.parent
VAR_DIR = Path(environ.Env().str("G2G_VAR_DIR", default=str(PROJECT_DIR / "var")))

env = environ.Env()
environ.Env.read_env(PROJECT_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "g2g.core",
    "g2g.tenancy",
    "g2g.plans",
    "g2g.inspections",
    "g2g.measures",
    "g2g.importers",
    "g2g.rounds",
    "g2g.governance",
    "g2g.assurance",
    "g2g.annexa",
    "g2g.reports",
    "g2g.api",
    "g2g.sso",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Django's, except that the session-status endpoint can answer without extending the session.
    "g2g.core.sessions.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After OTPMiddleware: a user with 2-step verification reaches no page until verified.
    "g2g.core.two_factor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "g2g.core.middleware.NoStoreForSignedInMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "g2g.urls"
WSGI_APPLICATION = "g2g.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database(url: str) -> dict:
    """SQLite gets WAL and immediate transactions so the demo copes with concurrent requests."""
    config = environ.Env.db_url_config(url)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        if config["NAME"] != ":memory:":
            Path(config["NAME"]).parent.mkdir(parents=True, exist_ok=True)
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    config["ATOMIC_REQUESTS"] = False
    # SECURITY.md #18: connections are kept for a while but checked before each request reuses
    # them, so after a database restart the next request reconnects; a stopped server is
    # reported within the connect timeout (503 page) instead of hanging the worker.
    config.setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"] == "django.db.backends.postgresql":
        options = config.setdefault("OPTIONS", {})
        options.setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5))
    return config


DATABASES = {
    "default": _database(env.str("DATABASE_URL", default=f"sqlite:///{VAR_DIR}/g2g.sqlite3"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Drawn charts are cached by what they show (measures.scorecard). Per process by default; set
# CACHE_URL (e.g. redis://127.0.0.1:6379/1) to share one cache between app servers.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a sign-in from a locked-out user and address before the password
# is checked (its backend needs the request, so `client.login` in tests must pass `request=`).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Names single sign-on sessions (g2g.sso); authenticates nobody by itself.
    "g2g.sso.backends.SingleSignOnBackend",
]
# SECURITY.md #7: lock one username from one address after 10 failures, for a cool-off (not for
# good: axes' defaults lock an address after 3 until an administrator resets it). A correct
# password during the cool-off is refused too; signing in successfully clears the count.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "core/locked_out.html"
# Sign-ins are recorded once, in core.AuditEvent; axes keeps only the failure counts.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Behind reverse proxies REMOTE_ADDR is a proxy: TRUSTED_PROXY_COUNT says how many proxies
# append to X-Forwarded-For, so the client is read from there (docs/security.md).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "g2g.core.audit.client_address"

# Single sign-on with OpenID Connect (Microsoft Entra ID), SECURITY.md #9 and docs/deploy.md:
# off unless a client id and at least one allowed tenant id are set.
G2G_OIDC_CLIENT_ID = env.str("G2G_OIDC_CLIENT_ID", default="")
G2G_OIDC_CLIENT_SECRET = env.str("G2G_OIDC_CLIENT_SECRET", default="")
G2G_OIDC_METADATA_URL = env.str(
    "G2G_OIDC_METADATA_URL",
    default="https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration",
)
G2G_OIDC_ALLOWED_TENANTS = env.list("G2G_OIDC_ALLOWED_TENANTS", default=[])

# Optional 2-step verification (TOTP, g2g.core.two_factor): roles that must set it up before
# reaching any page, e.g. administrator,improvement_lead. Others may turn it on themselves.
G2G_REQUIRE_TOTP_FOR = env.list("G2G_REQUIRE_TOTP_FOR", default=[])
# django-otp's admin would otherwise show staff each user's key and QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
# WCAG 2.2.1: signed-in pages warn this long before the idle timeout, with a way to stay signed in.
G2G_SESSION_WARNING_SECONDS = env.int("G2G_SESSION_WARNING_SECONDS", default=120)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# SECURITY.md #10 and docs/decisions/0002-content-security-policy.md: no inline script at all;
# inline style only as attributes (matplotlib's SVG charts), plus the one <style> element those
# charts carry, allowed by its hash (tests/security/test_headers.py checks it still matches).
MATPLOTLIB_SVG_STYLE_HASH = "'sha256-2Iqu4MW0P4n79bqVmTDfLWhO8TS7MxwRJn7HVNDr7EQ='"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "script-src-attr": ["'none'"],
        "style-src": ["'self'"],
        "style-src-elem": ["'self'", MATPLOTLIB_SVG_STYLE_HASH],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [SRC_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Evidence files for progress updates: kept under MEDIA_ROOT with random names and served only
# through an authority page (no MEDIA_URL: there is no public address for them).
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))

# Annex A files an authority opted to keep are encrypted with this key (Fernet, from
# `cryptography`): make one with `python -c "from cryptography.fernet import Fernet;
# print(Fernet.generate_key().decode())"`. Without it no Annex A file is ever kept.
ANNEXA_FILE_KEY = env.str("ANNEXA_FILE_KEY", default="")
EVIDENCE_MAX_UPLOAD_BYTES = env.int("EVIDENCE_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
EVIDENCE_MAX_FILES_PER_UPDATE = env.int("EVIDENCE_MAX_FILES_PER_UPDATE", default=10)

# Reminder mails (`g2g send_reminders`, daily): SMTP by default, console backend in the demo.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Getting to Good <noreply@localhost>")
# The address people use to reach the service, for links in mails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
CSRF_FAILURE_VIEW = "g2g.core.views.csrf_failure"
