"""The one place an ID token is judged (docs/security.md #9). Every rule is written out here rather
than left to a library's defaults, so a reader can check each one against the promise."""

from __future__ import annotations

import hashlib
import hmac
import time
from datetime import timedelta
from enum import StrEnum
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from joserfc import jws, jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    JoseError,
)
from joserfc.jwk import KeySet

from .models import UsedNonce
from .provider import OidcConfig, expected_issuer, signing_keys

ALGORITHM = "RS256"
LEEWAY_SECONDS = 60
NONCE_KEPT_FOR = timedelta(days=1)
REQUIRED_CLAIMS = ("iss", "aud", "exp", "iat", "nonce", "tid", "oid")


class Reason(StrEnum):
    """Why a sign-in was refused: written to the audit log and shown as a short reference."""

    NO_FLOW = "no_flow"  # no sign-in started in this browser with that state, or already used
    PROVIDER_ERROR = "provider_error"  # the provider sent the person back with an error
    PROVIDER_UNAVAILABLE = "provider_unavailable"
    CODE_REFUSED = "code_refused"  # the token endpoint refused the code
    NO_ID_TOKEN = "no_id_token"  # noqa: S105 - a reason's name, not a secret  # nosec B105
    MALFORMED = "malformed"
    ALGORITHM = "algorithm"
    UNKNOWN_KEY = "unknown_key"
    SIGNATURE = "signature"
    MISSING_CLAIM = "missing_claim"
    TENANT = "tenant"
    ISSUER = "issuer"
    AUDIENCE = "audience"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    NONCE = "nonce"
    REPLAYED = "replayed"
    NO_ACCOUNT = "no_account"
    AMBIGUOUS = "ambiguous"  # more than one active user has the address
    ALREADY_LINKED = "already_linked"  # the user has another identity in that tenant
    INACTIVE = "inactive"


class SignInRefused(Exception):
    """`user`: the user the identity belongs to, when that is known (for the audit log)."""

    def __init__(self, reason: Reason, user=None):
        super().__init__(reason.value)
        self.reason = reason
        self.user = user


def validate_id_token(
    id_token: str, *, nonce: str, config: OidcConfig, metadata: dict[str, Any]
) -> dict[str, Any]:
    """The claims of `id_token` if it may sign someone in, else `SignInRefused`.

    Rules: signed with RS256 (never `none`, never an HMAC) by a key in the provider's JWKS
    (fetched again once for an unknown `kid`); `tid` in the allow-list; `iss` the issuer of
    that tenant; `aud` exactly our client id; `exp`, `nbf` and `iat` within a minute of now;
    `nonce` the one this browser's sign-in stored; and that nonce never accepted before.
    """
    header = _header(id_token)
    if header.get("alg") != ALGORITHM:
        raise SignInRefused(Reason.ALGORITHM)
    key = _signing_key(metadata, header.get("kid"))
    try:
        token = jwt.decode(id_token, key, algorithms=[ALGORITHM])
    except BadSignatureError as error:
        raise SignInRefused(Reason.SIGNATURE) from error
    except JoseError as error:
        raise SignInRefused(Reason.MALFORMED) from error
    claims = token.claims
    if any(claims.get(name) in (None, "", []) for name in REQUIRED_CLAIMS):
        raise SignInRefused(Reason.MISSING_CLAIM)
    tenant_id = claims["tid"]
    if not isinstance(tenant_id, str) or tenant_id not in config.allowed_tenants:
        raise SignInRefused(Reason.TENANT)
    if claims["iss"] != expected_issuer(metadata, tenant_id):
        raise SignInRefused(Reason.ISSUER)
    if claims["aud"] not in (config.client_id, [config.client_id]):
        raise SignInRefused(Reason.AUDIENCE)
    _check_times(claims)
    if not isinstance(claims["nonce"], str) or not hmac.compare_digest(
        claims["nonce"].encode(), nonce.encode()
    ):
        raise SignInRefused(Reason.NONCE)
    if not isinstance(claims["oid"], str):
        raise SignInRefused(Reason.MISSING_CLAIM)
    _use_nonce(claims["nonce"])
    return claims


def _header(id_token: str) -> dict[str, Any]:
    if not isinstance(id_token, str) or id_token.count(".") != 2:
        raise SignInRefused(Reason.MALFORMED)
    try:
        return jws.extract_compact(id_token.encode()).headers()
    except (JoseError, ValueError) as error:
        raise SignInRefused(Reason.MALFORMED) from error


def _signing_key(metadata: dict[str, Any], kid: Any):
    """The key named by `kid` (required: Entra always sends one)."""
    if not isinstance(kid, str) or not kid:
        raise SignInRefused(Reason.UNKNOWN_KEY)
    for refresh in (False, True):
        keys: KeySet = signing_keys(metadata, refresh=refresh)
        for key in keys:
            if key.kid == kid:
                return key
    raise SignInRefused(Reason.UNKNOWN_KEY)


def _check_times(claims: dict[str, Any]) -> None:
    registry = jwt.JWTClaimsRegistry(now=int(time.time()), leeway=LEEWAY_SECONDS)
    times = {name: claims[name] for name in ("exp", "nbf", "iat") if name in claims}
    try:
        registry.validate(times)
    except ExpiredTokenError as error:
        raise SignInRefused(Reason.EXPIRED) from error
    except InvalidClaimError as error:
        # nbf or iat in the future; any other time claim that is not a number is malformed.
        reason = Reason.NOT_YET_VALID if error.claim in ("nbf", "iat") else Reason.MALFORMED
        raise SignInRefused(reason) from error


def _use_nonce(nonce: str) -> None:
    """Record the nonce as used; a second use of it is a replay."""
    digest = hashlib.sha256(nonce.encode()).hexdigest()
    now = timezone.now()
    try:
        with transaction.atomic():
            UsedNonce.objects.create(digest=digest, used_at=now)
    except IntegrityError as error:
        raise SignInRefused(Reason.REPLAYED) from error
    UsedNonce.objects.filter(used_at__lt=now - NONCE_KEPT_FOR).delete()
