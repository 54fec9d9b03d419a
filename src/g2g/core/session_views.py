"""The two JSON endpoints behind the session-timeout warning (static/js/session-timeout.mjs).

Both answer only a signed-in user (401 otherwise: the script then knows the session has ended)
and are never cached. The status does not extend the session, so another tab's activity can be
seen; "Stay signed in" POSTs (with the CSRF token) to extend it.
"""

from functools import wraps

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from .sessions import extend_session, keep_session_expiry, session_seconds_left


def signed_in_json(view):
    """401 with a JSON body for anyone not signed in, rather than a redirect to the sign-in
    page that fetch() would follow."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return JsonResponse({"signed_in": False, "remaining_seconds": 0}, status=401)
        return view(request, *args, **kwargs)

    return wrapped


@never_cache
@require_GET
@keep_session_expiry
@signed_in_json
def session_status(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {"signed_in": True, "remaining_seconds": session_seconds_left(request.session)}
    )


@never_cache
@require_POST
@signed_in_json
def session_extend(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"signed_in": True, "remaining_seconds": extend_session(request.session)})
