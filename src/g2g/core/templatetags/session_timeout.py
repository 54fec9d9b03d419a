"""The idle-timeout warning on signed-in pages and the message after a timeout
(docs/security.md #8)."""

from django import template
from django.conf import settings

from g2g.core.sessions import warning_seconds

register = template.Library()


@register.inclusion_tag("core/session_timeout_dialog.html", takes_context=True)
def session_timeout_dialog(context) -> dict:
    """The (closed) warning dialog, carrying what static/js/session-timeout.mjs needs as data
    attributes: this page's response resets the session, so it has its full age left."""
    session_seconds = context["request"].session.get_expiry_age()
    return {
        "session_seconds": session_seconds,
        "warning_seconds": warning_seconds(session_seconds),
        "warning_minutes": max(1, round(warning_seconds(session_seconds) / 60)),
    }


@register.inclusion_tag("core/signed_out_message.html", takes_context=True)
def signed_out_message(context) -> dict:
    """On the sign-in page after the timeout (?timeout=1): a fixed message, nothing from the
    URL is shown, and not to someone still signed in."""
    request = context["request"]
    show = request.GET.get("timeout") == "1" and not request.user.is_authenticated
    return {"show": show, "idle_minutes": settings.SESSION_COOKIE_AGE // 60}
