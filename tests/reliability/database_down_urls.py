"""A view that meets a database error, for tests/reliability/test_database_down.py."""

from django.db import OperationalError
from django.urls import include, path

from g2g.urls import handler500  # noqa: F401 (the project's error views)
from g2g.urls import urlpatterns as project_patterns


def database_gone(request):
    raise OperationalError("connection to server failed: Connection refused")


def broken(request):
    raise RuntimeError("not the database")


urlpatterns = [
    path("database-gone/", database_gone),
    path("broken/", broken),
    path("", include(project_patterns)),
]
