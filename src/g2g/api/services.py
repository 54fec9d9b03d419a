"""Every write to API tokens: making one (the key is returned once, only its hash is kept),
revoking one, and recognising a key on a request."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from g2g.core.history import save_with_history

from .models import ApiToken

KEY_PREFIX = "g2g_"  # lets secret scanners and people recognise a key for what it is
VISIBLE_CHARACTERS = 12  # "g2g_" and 8 of the random characters: enough to tell keys apart
DEFAULT_LIFETIME_DAYS = 90
MAX_LIFETIME_DAYS = 365
LAST_USED_PRECISION = timedelta(minutes=1)  # at most one write a minute per busy token


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def create_token(
    user, *, name: str, lifetime_days: int = DEFAULT_LIFETIME_DAYS
) -> tuple[ApiToken, str]:
    """Make a token for `user`; returns it with its key, which is never shown again."""
    name = " ".join(name.split())
    errors = {}
    if not name:
        errors["name"] = "Enter a name that says what the token is for"
    elif len(name) > 100:
        errors["name"] = "The name must be 100 characters or fewer"
    if not 1 <= lifetime_days <= MAX_LIFETIME_DAYS:
        errors["lifetime_days"] = "A token must expire within a year"
    if errors:
        raise ValidationError(errors)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        name=name,
        key_hash=hash_key(key),
        prefix=key[:VISIBLE_CHARACTERS],
        expires_at=timezone.now() + timedelta(days=lifetime_days),
    )
    save_with_history(token, user)
    return token, key


@transaction.atomic
def revoke_token(user, token: ApiToken) -> ApiToken:
    """Stop the token working from now on. Precondition: `token` is one of `user`'s."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk, user=user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        save_with_history(token, user)
    return token


def user_for_key(key: str):
    """The active user whose usable token has this key, or None. Notes when it was used."""
    token = ApiToken.objects.usable().select_related("user").filter(key_hash=hash_key(key)).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        # A plain update: using a token is not a change to record in its history.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
