"""Settings shared by every environment; values come from the environment (see .env.example)."""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

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
    "django_tasks",
    "django_tasks_db",
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
    "g2g.operations",
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
    "g2g.tenancy.two_factor.TwoFactorMiddleware",
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
    # docs/security.md #18: connections are kept for a while but checked before each request reuses
    # them, so after a database restart the next request reconnects; a stopped server is
    # reported within the connect timeout (503 page) instead of hanging the worker.
    config.setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    config["CONN_HEALTH_CHECKS"] = True
    if config["ENGINE"] == "django.db.backends.postgresql":
        options = config.setdefault("OPTIONS", {})
        options.setdefault("connect_timeout", env.int("DATABASE_CONNECT_TIMEOUT", default=5))
        # Forms read their choices with `.iterator()`, which on PostgreSQL is a server-side
        # cursor: DECLARE, FETCH and CLOSE for a list of ten posts, four lists on the action
        # list (6 ms of its 55). Nothing here iterates over more rows than fit in memory.
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
    return config


DATABASES = {
    "default": _database(env.str("DATABASE_URL", default=f"sqlite:///{VAR_DIR}/g2g.sqlite3"))
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The cache holds drawn charts (by what they show), the plan overview's reads and fragments
# (by the plan's revision) and the single sign-on provider's metadata: nothing that must be
# invalidated, so any process may fill it for all. CACHE_URL names it (docs/deploy.md).
CACHE_TABLE = "g2g_cache"  # made by migration core.0004, whatever the settings name


def cache_config(url: str, key_prefix: str = "g2g") -> dict:
    """CACHES["default"] for CACHE_URL: unset, Django's database cache (every app server on the
    database shares it, no other software needed); redis:// or rediss:// (a URL Django's own
    Redis backend and redis-py read: redis://:PASSWORD@host:6379/1), Django's Redis backend,
    forgiving Redis being out of reach;
    any other django-environ cache URL as it says (locmemcache://: one cache per process)."""
    if not url:
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            # Django's default of 300 entries would cull a large scorecard's charts at once.
            "OPTIONS": {"MAX_ENTRIES": 20000},
            "KEY_PREFIX": key_prefix,
        }
    scheme = url.partition("://")[0]
    if scheme in ("redis", "rediss"):
        # Django's own Redis backend (not django-environ's choice, which would be django-redis
        # were it ever installed), with Redis out of reach a cache miss (g2g.core.cache).
        return {
            "BACKEND": "g2g.core.cache.ForgivingRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": key_prefix,
        }
    return environ.Env.cache_url_config(url) | {"KEY_PREFIX": key_prefix}


CACHES = {
    "default": cache_config(
        env.str("CACHE_URL", default=""), env.str("CACHE_KEY_PREFIX", default="g2g")
    )
}

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
# docs/security.md #7: lock one username from one address after 10 failures, for a cool-off (not for
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
# Behind reverse proxies REMOTE_ADDR is a proxy: TRUSTED_PROXY_COUNT (the one name, in the
# environment and here; docs/deploy.md) says how many proxies append to X-Forwarded-For, so the
# client is read from there (docs/security.md #20). django-axes reads the client's address only
# through AXES_CLIENT_IP_CALLABLE, the audit log's own function, so no AXES_IPWARE_* setting
# applies. `check --deploy` fails when a proxy is declared without it (g2g.core.checks).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
AXES_CLIENT_IP_CALLABLE = "g2g.core.audit.client_address"

# Single sign-on with OpenID Connect (Microsoft Entra ID), docs/security.md #9 and docs/deploy.md:
# off unless a client id and at least one allowed tenant id are set.
G2G_OIDC_CLIENT_ID = env.str("G2G_OIDC_CLIENT_ID", default="")
G2G_OIDC_CLIENT_SECRET = env.str("G2G_OIDC_CLIENT_SECRET", default="")
G2G_OIDC_METADATA_URL = env.str(
    "G2G_OIDC_METADATA_URL",
    default="https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration",
)
G2G_OIDC_ALLOWED_TENANTS = env.list("G2G_OIDC_ALLOWED_TENANTS", default=[])

# Optional 2-step verification (TOTP, g2g.tenancy.two_factor): roles that must set it up before
# reaching any page, e.g. administrator,improvement_lead. Others may turn it on themselves.
G2G_REQUIRE_TOTP_FOR = env.list("G2G_REQUIRE_TOTP_FOR", default=[])
# django-otp's admin would otherwise show staff each user's key and QR code.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# Sessions are rows in the database, so every app server reads the same ones (no sticky
# sessions) and signing out ends a session everywhere. core.sessions and the session-status
# endpoint read a session's expiry from its row: the engine must stay the database's.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
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

# docs/security.md #10 and docs/decisions/0002-content-security-policy.md: no inline script at all;
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


def file_storage(kind: str) -> dict:
    """STORAGES["default"], where evidence files are kept, for FILE_STORAGE: `filesystem` (under
    MEDIA_ROOT: a shared volume when there are several app servers) or `s3` (a bucket of Amazon
    S3 or any S3-compatible store, through django-storages; docs/deploy.md). Code reaches the
    files only through the storage (FileField, default_storage), never by a path."""
    if kind == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind == "s3":
        options = {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
            "location": env.str("AWS_LOCATION", default=""),  # a folder in the bucket
            # Files are never served from the bucket: no public ACL, no addresses handed out;
            # the bucket's own policy (private, encrypted) applies to every object.
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
        }
        # Unset: AWS itself (s3.amazonaws.com, the region boto3 finds). Keys unset: boto3's own
        # chain (an instance or task role, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).
        optional = {
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default=""),
            "region_name": env.str("AWS_S3_REGION_NAME", default=""),
            "access_key": env.str("AWS_ACCESS_KEY_ID", default=""),
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default=""),
        }
        options |= {option: value for option, value in optional.items() if value}
        return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
    raise ImproperlyConfigured(f"FILE_STORAGE must be filesystem or s3, not {kind!r}")


STORAGES = {
    "default": file_storage(env.str("FILE_STORAGE", default="filesystem")),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Evidence files for progress updates: kept in the default storage (under MEDIA_ROOT unless
# FILE_STORAGE=s3) with random names and served only through an authority page (no MEDIA_URL:
# there is no public address for them).
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))

# Annex A files an authority opted to keep are encrypted with this key (Fernet, from
# `cryptography`): make one with `python -c "from cryptography.fernet import Fernet;
# print(Fernet.generate_key().decode())"`. Without it no Annex A file is ever kept.
ANNEXA_FILE_KEY = env.str("ANNEXA_FILE_KEY", default="")
EVIDENCE_MAX_UPLOAD_BYTES = env.int("EVIDENCE_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
EVIDENCE_MAX_FILES_PER_UPDATE = env.int("EVIDENCE_MAX_FILES_PER_UPDATE", default=10)

# The protective marking (Government Security Classifications) printed on every page of a board
# pack: the cover, headers and footers of the PDF and Word files, and Excel's print headers.
G2G_PROTECTIVE_MARKING = env.str("G2G_PROTECTIVE_MARKING", default="OFFICIAL")

# Background work (board packs, chart images) through Django's tasks API: the `django-tasks`
# backport with `django-tasks-db`, a queue in the project's own database, run by `g2g worker`
# (docs/deploy.md). A task left running by a worker that died is run again when a worker with
# the same id starts, or by any worker once it has been running this long (`core.tasks`).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
G2G_TASK_STALE_SECONDS = env.int("G2G_TASK_STALE_SECONDS", default=30 * 60)

# Which measures the board pack's page and PDF draw a trend chart for: "off-track" (rated Amber
# or Red for the month; the rest are in the scorecard's words only), "all" or "none".
G2G_PACK_CHARTS = env.str("G2G_PACK_CHARTS", default="off-track")
if G2G_PACK_CHARTS not in ("off-track", "all", "none"):
    raise ImproperlyConfigured('G2G_PACK_CHARTS must be "off-track", "all" or "none"')

# Reminder mails (`g2g send_reminders`, daily): SMTP by default, console backend in the demo.
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Getting to Good <noreply@localhost>")
# Or GOV.UK Notify: EMAIL_BACKEND=g2g.core.notify.NotifyEmailBackend, an API key and the id of the
# service's template whose subject is ((subject)) and body ((body)) (docs/deploy.md, "Mail").
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="")
NOTIFY_TEMPLATE_ID = env.str("NOTIFY_TEMPLATE_ID", default="")
NOTIFY_REPLY_TO_ID = env.str("NOTIFY_REPLY_TO_ID", default="")
NOTIFY_BASE_URL = env.str("NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
# The address people use to reach the service, for links in mails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
}
CSRF_FAILURE_VIEW = "g2g.core.views.csrf_failure"
