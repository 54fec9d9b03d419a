"""Signed-in pages hold council data: browsers and proxies must not keep copies. And when the
database cannot be reached, every page answers 503 and the service recovers by itself
(SECURITY.md #18)."""

import logging
import secrets

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

# What Django raises when PostgreSQL is stopped, restarting or unreachable (and, transiently,
# for a lock or serialisation failure): the same answer, "try again shortly", fits them all.
DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


class NoStoreForSignedInMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


class DatabaseUnavailableMiddleware:
    """A view (or its template) that meets a database error answers 503, not 500.

    Errors raised in other middleware (sessions and the signed-in user are read there, before
    any view) never reach a middleware: Django turns each into a response where it is raised,
    through `handler500`. So `core.views.server_error` answers those with the same 503 page
    (`unavailable_if_database_error`), and this middleware only needs `process_exception`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return service_unavailable(request)
        return None


def service_unavailable(request: HttpRequest) -> HttpResponse:
    """The 503 page with a reference; the log holds the error under it. Rendered from a plain
    template with no request context: nothing here may touch the database."""
    reference = secrets.token_hex(4).upper()
    logger.error("Database unavailable, reference %s at %s", reference, request.path, exc_info=True)
    page = loader.get_template("errors/503.html").render({"reference": reference})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


def unavailable_if_database_error(request: HttpRequest, error: BaseException | None):
    """For `handler500`: the 503 page when the error being handled is the database's."""
    return service_unavailable(request) if isinstance(error, DATABASE_ERRORS) else None
