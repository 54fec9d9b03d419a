"""Test settings: fast hashing, in-memory mail; the database comes from DATABASE_URL."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-not-secret-" + "x" * 40)

from .base import *  # noqa: E402,F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Evidence files written by tests go to a throw-away folder, never var/media (the app servers of
# tests/reliability/test_two_servers.py are given one folder to share, G2G_TEST_MEDIA_ROOT).
MEDIA_ROOT = Path(  # noqa: F405
    os.environ.get("G2G_TEST_MEDIA_ROOT") or tempfile.mkdtemp(prefix="g2g-test-media-")
)

# A fixed key so tests can encrypt kept Annex A files (not a secret: test data only).
ANNEXA_FILE_KEY = "ZzJnLXRlc3Qta2V5LWZvci1hbm5leC1hLWZpbGVzISE="  # noqa: S105

# One cache per process, emptied before each test (tests/conftest.py). The app servers that
# tests/reliability/test_two_servers.py starts share one instead: G2G_TEST_CACHE_URL, a name of
# its own, so a CACHE_URL set for the app never has its cache cleared by the suite.
CACHES = {
    "default": cache_config(  # noqa: F405
        os.environ.get("G2G_TEST_CACHE_URL", "locmemcache://"),
        os.environ.get("CACHE_KEY_PREFIX", "g2g"),
    )
}

# Tasks run when they are enqueued, in the test's own process and transaction (django-tasks'
# immediate backend); the tests of the worker itself (tests/core/test_tasks.py) use the database
# backend and a real `g2g worker` process.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
if os.environ.get("G2G_TEST_TASKS") == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
