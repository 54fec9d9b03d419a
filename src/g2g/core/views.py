"""The error pages (400, 403, 404, CSRF failure, 500 and the 503 for a database that is down)."""

import logging
import secrets
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger(__name__)

# What Django raises when PostgreSQL is stopped, restarting or unreachable (and, transiently,
# for a lock or serialisation failure): the same answer, "try again shortly", fits them all.
DATABASE_ERRORS = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def csrf_failure(request, reason=""):
    """A form sent from an old page or after signing out: say so plainly, in our own page."""
    return render(request, "errors/403.html", {"csrf_failed": True}, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request) -> HttpResponse:
    """Rendered without a request context: whatever broke must not break the error page too.
    The page shows a reference, never the error; the log holds the error under that reference.
    Every uncaught error comes here, raised in a view or in middleware before it (sessions and
    the signed-in user are read there), so a database error gets the 503 page here, once
    (docs/security.md #18)."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return service_unavailable(request)
    reference = secrets.token_hex(4).upper()
    logger.error("Server error reference %s at %s", reference, request.path, exc_info=True)
    page = loader.get_template("errors/500.html").render({"reference": reference})
    return HttpResponseServerError(page)


def service_unavailable(request) -> HttpResponse:
    """The 503 page with a reference; the log holds the error under it. Nothing here may touch
    the database."""
    reference = secrets.token_hex(4).upper()
    logger.error("Database unavailable, reference %s at %s", reference, request.path, exc_info=True)
    page = loader.get_template("errors/503.html").render({"reference": reference})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
