"""2-step verification (docs/security.md #7): a code from an authenticator app (TOTP, django-otp)
after the password, with 10 one-time backup codes.

Who may turn it on: administrators and improvement leads in any authority, and any role listed
in the `G2G_REQUIRE_TOTP_FOR` setting (for those roles it is required). Everything that sets it
up, checks a code or turns it off is here, with the middleware that keeps a signed-in user who
has it out of every page (authority pages, API tokens, the Django admin) until they have entered
a code. "Verified" means only what django-otp's OTPMiddleware says: `request.user.is_verified()`.

django-otp throttles each device: after n wrong codes in a row the next is refused for
2^(n-1) seconds; a right code resets it. Every wrong code is also an audit event.
"""

from __future__ import annotations

import base64
import math
import re
import time
from base64 import b32encode
from datetime import datetime
from enum import StrEnum
from urllib.parse import quote, urlencode

import django_otp
import qrcode
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex
from qrcode.image.svg import SvgPathFillImage

from g2g.core.audit import Kind, record_event
from g2g.tenancy.models import Membership, Role

ISSUER = "Getting to Good"  # the name authenticator apps show next to the code
ELIGIBLE_ROLES = frozenset({Role.ADMINISTRATOR, Role.IMPROVEMENT_LEAD})
BACKUP_CODE_COUNT = 10
APP_CODE = re.compile(r"\d{6}")
BACKUP_CODE = re.compile(r"[a-z0-9]{1,16}")

# Pages a signed-in user may open before entering their code (or, when their role requires
# 2-step verification, before setting it up). Every other page sends them there first. The
# session-timeout endpoints only read or extend the session's expiry (no council data), so the
# timeout warning keeps working on these pages.
_ALWAYS = frozenset({"logout", "session_status", "session_extend"})
VERIFY_VIEWS = _ALWAYS | {"two_factor_verify", "two_factor_backup_code"}
SET_UP_VIEWS = _ALWAYS | {"two_factor_set_up"}


class Method(StrEnum):
    APP = "authenticator app"
    BACKUP = "backup code"


def required_roles() -> frozenset[str]:
    return frozenset(getattr(settings, "G2G_REQUIRE_TOTP_FOR", ()) or ())


def _roles(user) -> set[str]:
    """The user's roles across their authorities (only their own memberships are read)."""
    return set(Membership.objects.filter(user=user).values_list("role", flat=True))


def may_set_up(user) -> bool:
    """Administrators and improvement leads anywhere, and roles for which it is required."""
    if not user.is_authenticated:
        return False
    return bool(_roles(user) & (ELIGIBLE_ROLES | required_roles()))


def is_required(user) -> bool:
    required = required_roles()
    return bool(required) and user.is_authenticated and bool(_roles(user) & required)


def is_on(user) -> bool:
    """Whether the user has a confirmed authenticator app (backup codes come only with one)."""
    return user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def shows_account_link(user) -> bool:
    """Whether the menu offers the 2-step verification page: one query, for every page."""
    if not getattr(user, "is_authenticated", False):
        return False
    roles = ELIGIBLE_ROLES | required_roles()
    return (
        get_user_model()
        .objects.filter(pk=user.pk)
        .filter(Q(memberships__role__in=roles) | Q(totpdevice__confirmed=True))
        .exists()
    )


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


# Setting up
#
# The key being set up is this session's alone (docs/security.md #7): made afresh each time the
# set-up page is opened and kept in the session, never in the database, until a code from it is
# entered. Only then is a device saved. So whoever once opened someone's set-up page (on their
# unlocked computer, say) holds a key that is replaced as soon as the page is opened again, and
# that no other session ever sees.

PENDING_SESSION_KEY = "g2g_two_factor_pending"
SET_UP_NAME = "Authenticator app"


def new_pending_device(request: HttpRequest) -> TOTPDevice:
    """A new key for this session's set-up, replacing any the session had; not saved."""
    if not may_set_up(request.user):
        raise PermissionDenied
    request.session[PENDING_SESSION_KEY] = {"user": request.user.pk, "key": random_hex(20)}
    return _unsaved_device(request.user, request.session[PENDING_SESSION_KEY]["key"])


def pending_device(request: HttpRequest) -> TOTPDevice | None:
    """The key this session is setting up (not saved), or None when it has none: the set-up
    page was not opened in this session, or the key was confirmed already."""
    pending = request.session.get(PENDING_SESSION_KEY)
    if not isinstance(pending, dict) or pending.get("user") != request.user.pk:
        return None
    key = pending.get("key")
    if not isinstance(key, str) or not re.fullmatch(r"[0-9a-f]{40}", key):
        return None
    return _unsaved_device(request.user, key)


def _unsaved_device(user, key: str) -> TOTPDevice:
    return TOTPDevice(user=user, name=SET_UP_NAME, key=key, confirmed=False)


def key_text(device: TOTPDevice) -> str:
    """The key as people type it into an app: base32 in groups of 4 ("ABCD EFGH …")."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[start : start + 4] for start in range(0, len(key), 4))


def config_url(device: TOTPDevice) -> str:
    """The otpauth:// address the QR code holds (Google's Key URI format)."""
    label = quote(f"{ISSUER}:{device.user.get_username()}")
    params = {
        "secret": b32encode(device.bin_key).decode().rstrip("="),
        "issuer": ISSUER,
        "algorithm": "SHA1",
        "digits": device.digits,
        "period": device.step,
    }
    return f"otpauth://totp/{label}?{urlencode(params, quote_via=quote)}"


def qr_code_data_uri(device: TOTPDevice) -> str:
    """The QR code as an SVG data: address for an <img> (CSP img-src allows data:; an image's
    SVG runs no script and is not subject to the page's style rules)."""
    image = qrcode.make(config_url(device), image_factory=SvgPathFillImage)
    return "data:image/svg+xml;base64," + base64.b64encode(image.to_string()).decode("ascii")


def confirm_set_up(request: HttpRequest, code: str) -> list[str]:
    """Turn 2-step verification on once the user proves their app shows a right code for this
    session's key: only now is the device saved (replacing any other). Returns the new backup
    codes, to show once. The session counts as verified from now on.

    Wrong codes are audit events but not throttled: there is no saved device to count them
    against, and whoever sees this page sees the key, so guessing gains nothing."""
    user = request.user
    if not may_set_up(user):
        raise PermissionDenied
    device = pending_device(request)
    if device is None:
        raise ValidationError({"code": "Start again: scan the new QR code on this page"})
    if not _verify_pending(device, code):
        _record_failure(request, Method.APP, "set up", throttled=False)
        raise ValidationError(
            {
                "code": "The security code is not right or has expired: enter the code your "
                "app shows now for the QR code on this page"
            }
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device.confirmed = True
        device.save()
        codes = _replace_backup_codes(user)
        record_event(Kind.TWO_FACTOR_SET_UP, user=user, request=request)
    request.session.pop(PENDING_SESSION_KEY, None)
    _mark_verified(request, device)
    return codes


def _verify_pending(device: TOTPDevice, code: str) -> bool:
    """Whether `code` is a current code of the unsaved device, as django-otp's
    `TOTPDevice.verify_token` judges it (same tolerance and drift), without saving anything.
    On success the device records the step used, so the same code cannot sign in again."""
    token = normalise(code)
    if not APP_CODE.fullmatch(token):
        return False
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not totp.verify(int(token), device.tolerance):
        return False
    device.last_t, device.drift = totp.t(), totp.drift
    return True


def _replace_backup_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name="Backup codes")
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


# Codes


def normalise(code: str) -> str:
    """People type codes with spaces or hyphens and in capitals: none of that matters."""
    return re.sub(r"[\s-]", "", code or "").lower()


def method_of(code: str) -> Method:
    """6 digits are from the app; anything else can only be a backup code."""
    return Method.APP if APP_CODE.fullmatch(normalise(code)) else Method.BACKUP


def _device_for(user, method: Method) -> TOTPDevice | StaticDevice | None:
    model = TOTPDevice if method == Method.APP else StaticDevice
    return model.objects.filter(user=user, confirmed=True).order_by("pk").first()


def verify_sign_in(request: HttpRequest, code: str, method: Method) -> None:
    """The second step of signing in. Precondition: the user has signed in with a password."""
    user = request.user
    device = _device_for(user, method)
    if device is None:
        raise ValidationError({"code": "You have no backup codes left"})
    _check(request, device, code, purpose="sign in")
    detail = {"method": method.value}
    if method == Method.BACKUP:
        detail["codes_left"] = backup_codes_left(user)
    record_event(Kind.TWO_FACTOR_VERIFIED, user=user, request=request, **detail)
    _mark_verified(request, device)


def new_backup_codes(request: HttpRequest, code: str) -> list[str]:
    """Replace the backup codes (the old ones stop working) after a current code."""
    user = request.user
    _check_any(request, code, purpose="new backup codes")
    with transaction.atomic():
        codes = _replace_backup_codes(user)
        record_event(Kind.TWO_FACTOR_NEW_CODES, user=user, request=request)
    return codes


def turn_off(request: HttpRequest, code: str) -> None:
    """Remove the app and the backup codes after a current code (from either). If the user's
    role requires 2-step verification they are sent to set it up again on their next page."""
    user = request.user
    _check_any(request, code, purpose="turn off")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        record_event(Kind.TWO_FACTOR_OFF, user=user, request=request)
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)


def _check_any(request: HttpRequest, code: str, purpose: str) -> None:
    if not is_on(request.user):
        raise ValidationError({"code": "2-step verification is not on"})
    device = _device_for(request.user, method_of(code))
    if device is None:
        raise ValidationError({"code": "You have no backup codes left"})
    _check(request, device, code, purpose=purpose)


def _check(request: HttpRequest, device, code: str, purpose: str) -> None:
    """Check one code against one device; raise a ValidationError for the form when it is
    wrong or the device is throttled. Not in a transaction, so the failure count and the audit
    event are kept when the error is raised."""
    method = Method.APP if isinstance(device, TOTPDevice) else Method.BACKUP
    allowed, why = device.verify_is_allowed()
    if not allowed:
        _record_failure(request, method, purpose, throttled=True)
        raise ValidationError({"code": wait_message((why or {}).get("locked_until"))})
    with transaction.atomic():
        locked = type(device).objects.select_for_update().get(pk=device.pk)
        verified = locked.verify_token(normalise(code))
    if not verified:
        _record_failure(request, method, purpose, throttled=False)
        if method == Method.APP:
            message = (
                "The security code is not right or has expired: enter the code your app shows now"
            )
        else:
            message = "That backup code is not right or has been used already"
        raise ValidationError({"code": message})


def _record_failure(request: HttpRequest, method: Method, purpose: str, throttled: bool) -> None:
    record_event(
        Kind.TWO_FACTOR_FAILED,
        user=request.user,
        request=request,
        method=method.value,
        purpose=purpose,
        throttled=throttled,
    )


def wait_message(until: datetime | None) -> str:
    seconds = 1
    if until is not None:
        seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
    if seconds < 120:
        wait = f"{seconds} second{'s' if seconds != 1 else ''}"
    else:
        wait = f"{math.ceil(seconds / 60)} minutes"
    return f"You entered a wrong code too many times. Wait {wait}, then try again"


def _mark_verified(request: HttpRequest, device) -> None:
    """The session is now verified: a new session id for it, as at sign-in."""
    request.session.cycle_key()
    django_otp.login(request, device)


# Enforcement


class TwoFactorMiddleware:
    """A signed-in user who has 2-step verification but has not entered a code in this session
    reaches only the code pages and sign-out; a user whose role requires it but who has not set
    it up reaches only the set-up page and sign-out. Covers every view, the admin included.
    Bearer-token API requests carry no session user, so they are not affected."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return None
        view_name = request.resolver_match.view_name if request.resolver_match else ""
        if is_on(user):
            if view_name in VERIFY_VIEWS:
                return None
            return redirect_to_login(request.get_full_path(), reverse("two_factor_verify"))
        if view_name not in SET_UP_VIEWS and is_required(user):
            return redirect_to_login(request.get_full_path(), reverse("two_factor_set_up"))
        return None
