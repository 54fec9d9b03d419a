import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "g2g.settings.production")
application = get_wsgi_application()

# What start-up loads (Django, every app's modules, the URLconf and so every view) lives as long
# as the process. Left to the garbage collector, each full collection walks all of it again:
# ~300,000 objects, hundreds of milliseconds on a busy two-core machine, and that pause lands in
# whichever request is running (the p95 of every page: docs/performance.md). Frozen, a
# collection walks only what requests made. Garbage from start-up is collected first.
get_resolver().url_patterns  # noqa: B018 - imports every view module now, not on a request
gc.collect()
gc.freeze()
