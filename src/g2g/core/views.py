"""Home (the authorities a user may see) and the error pages."""

import logging
import secrets
import sys

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from g2g.tenancy.access import authorities_for

from .middleware import unavailable_if_database_error

logger = logging.getLogger(__name__)


@login_required
def home(request):
    return render(request, "core/home.html", {"authorities": authorities_for(request.user)})


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
    A database error (raised in middleware, before any view) gets the 503 page instead."""
    unavailable = unavailable_if_database_error(request, sys.exc_info()[1])
    if unavailable is not None:
        return unavailable
    reference = secrets.token_hex(4).upper()
    logger.error("Server error reference %s at %s", reference, request.path, exc_info=True)
    page = loader.get_template("errors/500.html").render({"reference": reference})
    return HttpResponseServerError(page)
