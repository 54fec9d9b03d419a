import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "g2g.settings.production")
application = get_wsgi_application()

from g2g.core.collector import settle_garbage_collector  # noqa: E402 - needs the apps loaded

settle_garbage_collector()
