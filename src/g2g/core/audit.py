"""The one way to write the audit log (`record_event`), and the sign-in signals that call it.

What is recorded is who, when (UTC), from which address, which authority, and a small detail
dictionary. Never secrets: passwords, tokens and session ids are refused by name, and the
username of a failed sign-in is kept only when such a user exists (people type passwords into
the username box).
"""

from __future__ import annotations

import ipaddress
from typing import Any, Protocol

from axes.helpers import get_client_ip_address
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Model
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.module_loading import import_string

from .models import AuditEvent

Kind = AuditEvent.Kind
_SECRET_WORDS = ("password", "token", "secret", "session", "key")


class Standing(Protocol):
    """Who is acting, in which authority: `g2g.tenancy.access.Access` is one."""

    user: Any
    authority: Model


def record_event(
    kind: AuditEvent.Kind,
    *,
    user=None,
    authority: Model | None = None,
    request: HttpRequest | None = None,
    username: str = "",
    **detail: Any,
) -> AuditEvent:
    """Append one audit event. `detail` must be JSON-serialisable and hold no secrets."""
    secret = [name for name in detail if any(word in name.lower() for word in _SECRET_WORDS)]
    if secret:
        raise ValueError(f"Audit details must not hold secrets: {', '.join(sorted(secret))}")
    if user is not None and not user.is_authenticated:
        user = None
    return AuditEvent.objects.create(
        kind=kind,
        user=user,
        username=(user.get_username() if user is not None else username)[:150],
        authority=authority,
        ip_address=_address(request),
        detail=detail,
    )


def record_export(access: Standing, request: HttpRequest, what: str, **detail: Any) -> AuditEvent:
    """An export or download of authority data by the signed-in user of `access`."""
    return record_event(
        Kind.EXPORT,
        user=access.user,
        authority=access.authority,
        request=request,
        what=what,
        **detail,
    )


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind `TRUSTED_PROXY_COUNT` proxies the entry
    they appended to X-Forwarded-For (entries further left are the client's own claims).
    Used by django-axes (AXES_CLIENT_IP_CALLABLE) and the audit log alike."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies and _is_address(forwarded[-proxies]):
            return forwarded[-proxies]
    address = request.META.get("REMOTE_ADDR") or ""
    return address if _is_address(address) else None


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _address(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return get_client_ip_address(request) or None


def _known_username(credentials: dict) -> str:
    """The username tried, if a user has it; otherwise nothing (it may be a password)."""
    field = get_user_model().USERNAME_FIELD
    name = str(credentials.get(field) or "")[:150]
    if name and get_user_model()._default_manager.filter(**{field: name}).exists():
        return name
    return ""


def _sign_in_method(request: HttpRequest | None) -> str:
    """How the user signed in: the session's backend may say (single sign-on's does, see
    g2g.sso.backends); otherwise it was a password."""
    path = getattr(request, "session", {}).get(BACKEND_SESSION_KEY, "")
    if path not in settings.AUTHENTICATION_BACKENDS:
        return "password"
    return getattr(import_string(path), "sign_in_method", "password")


@receiver(user_logged_in, dispatch_uid="g2g-audit-sign-in")
def _signed_in(sender, request, user, **kwargs) -> None:
    record_event(Kind.SIGN_IN, user=user, request=request, method=_sign_in_method(request))


@receiver(user_logged_out, dispatch_uid="g2g-audit-sign-out")
def _signed_out(sender, request, user, **kwargs) -> None:
    if user is not None:
        record_event(Kind.SIGN_OUT, user=user, request=request)


@receiver(user_login_failed, dispatch_uid="g2g-audit-sign-in-failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs) -> None:
    # Django has already replaced the password in `credentials` with stars; it is not used.
    username = _known_username(credentials)
    record_event(Kind.SIGN_IN_FAILED, request=request, username=username, known_user=bool(username))


@receiver(user_locked_out, dispatch_uid="g2g-audit-locked-out")
def _locked_out(sender, request, username, ip_address, **kwargs) -> None:
    field = get_user_model().USERNAME_FIELD
    record_event(Kind.LOCKED_OUT, request=request, username=_known_username({field: username}))
