"""A URL that fails, for the error-page tests (used with override_settings(ROOT_URLCONF=...))."""

from django.urls import include, path

from g2g.urls import handler500  # noqa: F401 (the project's error views)
from g2g.urls import urlpatterns as project_patterns


def broken(request):
    raise RuntimeError("secret internals: do-not-show-this")


urlpatterns = [path("broken/", broken), path("", include(project_patterns))]
