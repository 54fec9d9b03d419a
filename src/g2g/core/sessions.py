"""Idle sessions (docs/security.md #8): how long one has left, and a way to ask without
extending it.

With SESSION_SAVE_EVERY_REQUEST every response saves the session and pushes its expiry on, so
asking "how long is left?" would itself reset the clock. A view whose response is marked with
`keep_session_expiry` is answered as if that setting were off: the session is saved only if the
view changed it.
"""

from functools import wraps

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware
from django.utils import timezone
from django.utils.cache import patch_vary_headers

# Signing out with no warning left is no warning at all (WCAG 2.2.1 asks for at least 20 s).
MIN_WARNING_SECONDS = 20


class SessionMiddleware(DjangoSessionMiddleware):
    """Django's session middleware, except that a response marked `keep_session_expiry` leaves
    an unchanged session as it is (no save, no refreshed cookie)."""

    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if getattr(response, "keep_session_expiry", False) and session is not None:
            if not session.modified and not session.is_empty():
                if session.accessed:
                    patch_vary_headers(response, ("Cookie",))
                return response
        return super().process_response(request, response)


def keep_session_expiry(view):
    """Mark the view's responses so that answering them does not extend the session."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.keep_session_expiry = True
        return response

    return wrapped


def session_seconds_left(session: SessionBase) -> int:
    """Whole seconds until the stored session expires (0 if it has), read without saving it.

    The expiry is read from the session table (the database backend, Django's default, which
    this project uses): the session object itself only knows the age a save would give it.
    """
    if not session.session_key:
        return 0
    expires = (
        session.get_model_class()
        .objects.filter(session_key=session.session_key)
        .values_list("expire_date", flat=True)
        .first()
    )
    if expires is None:
        return 0
    return max(0, int((expires - timezone.now()).total_seconds()))


def extend_session(session: SessionBase) -> int:
    """Mark the session changed so this response saves it with a fresh expiry; the new age."""
    session.modified = True
    return session.get_expiry_age()


def warning_seconds(session_seconds: int) -> int:
    """How long before the end the warning shows: the setting, within the session's length."""
    lead = max(settings.G2G_SESSION_WARNING_SECONDS, MIN_WARNING_SECONDS)
    return min(lead, session_seconds)
