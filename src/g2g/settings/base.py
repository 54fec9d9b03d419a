"""Settings shared by every environment; values come from the environment (see .env.example)."""

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
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "g2g.core.middleware.NoStoreForSignedInMiddleware",
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

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
