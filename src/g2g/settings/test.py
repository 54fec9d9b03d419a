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
# Evidence files written by tests go to a throw-away folder, never var/media.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="g2g-test-media-"))  # noqa: F405

# A fixed key so tests can encrypt kept Annex A files (not a secret: test data only).
ANNEXA_FILE_KEY = "ZzJnLXRlc3Qta2V5LWZvci1hbm5leC1hLWZpbGVzISE="  # noqa: S105
