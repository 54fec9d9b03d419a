"""Settings for the benchmark's gunicorn: the test settings, plus a URLconf with a trivial view
beside the app's pages, and static files served as in production (no per-request lookups)."""

from g2g.settings.test import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
WHITENOISE_AUTOREFRESH = False
WHITENOISE_USE_FINDERS = False
