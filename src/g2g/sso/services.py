"""Signing in through the council's identity provider: starting the flow, finishing it, and
finding (or, the first time, linking) the user an identity belongs to."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.django_client import DjangoIntegration
from django.contrib.auth import get_user_model, login
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from g2g.core.audit import Kind, record_event

from .backends import SINGLE_SIGN_ON
from .models import ExternalIdentity
from .provider import FLOW_NAME, OidcConfig, ProviderUnavailable, oauth_client, provider_metadata
from .tokens import Reason, SignInRefused, validate_id_token

logger = logging.getLogger(__name__)
BACKEND = "g2g.sso.backends.SingleSignOnBackend"
# A sign-in started longer ago than this is refused (the session keeps the flow otherwise).
FLOW_SECONDS = 30 * 60


@dataclass(frozen=True)
class SignIn:
    user: AbstractBaseUser
    next_url: str


def begin_sign_in(
    request: HttpRequest, config: OidcConfig, *, redirect_uri: str, next_url: str
) -> str:
    """The provider's authorisation URL for a new sign-in. Its state, nonce and PKCE verifier
    stay in this browser's session, for the callback. Raises ProviderUnavailable."""
    metadata = provider_metadata(config)
    client = oauth_client(config, metadata)
    flow = client.create_authorization_url(redirect_uri)
    DjangoIntegration(FLOW_NAME).set_state_data(
        request.session,
        flow["state"],
        {
            "nonce": flow["nonce"],
            "code_verifier": flow["code_verifier"],
            "redirect_uri": redirect_uri,
            "next_url": next_url,
            "started": time.time(),
        },
    )
    return flow["url"]


def finish_sign_in(request: HttpRequest, config: OidcConfig) -> SignIn:
    """Sign in the person the provider sent back, or raise SignInRefused (recorded in the audit
    log with its reason, never with a token or code).

    The state is used once: it leaves the session before anything else is checked, so the same
    callback cannot be replayed, whatever happened the first time.
    """
    try:
        user, next_url = _user_from_callback(request, config)
    except SignInRefused as refusal:
        username = refusal.user.get_username() if refusal.user is not None else ""
        record_event(
            Kind.SIGN_IN_FAILED,
            request=request,
            username=username,
            known_user=bool(username),
            method=SINGLE_SIGN_ON,
            reason=refusal.reason.value,
        )
        logger.warning("Single sign-on refused: %s", refusal.reason.value)
        raise
    # Rotates the session key and records the sign-in (core.audit, with the method).
    login(request, user, backend=BACKEND)
    return SignIn(user=user, next_url=next_url)


def _user_from_callback(request: HttpRequest, config: OidcConfig) -> tuple[AbstractBaseUser, str]:
    framework = DjangoIntegration(FLOW_NAME)
    state = request.GET.get("state", "")
    flow = framework.get_state_data(request.session, state) if state else None
    if state:
        framework.clear_state_data(request.session, state)
    if not flow or time.time() - flow.get("started", 0) > FLOW_SECONDS:
        raise SignInRefused(Reason.NO_FLOW)
    if request.GET.get("error"):
        raise SignInRefused(Reason.PROVIDER_ERROR)
    code = request.GET.get("code")
    if not code:
        raise SignInRefused(Reason.CODE_REFUSED)
    try:
        metadata = provider_metadata(config)
        token = oauth_client(config, metadata).fetch_access_token(
            redirect_uri=flow["redirect_uri"], code=code, code_verifier=flow["code_verifier"]
        )
    except OAuthError as error:
        raise SignInRefused(Reason.CODE_REFUSED) from error
    except (ProviderUnavailable, requests.RequestException, ValueError) as error:
        raise SignInRefused(Reason.PROVIDER_UNAVAILABLE) from error
    id_token = token.get("id_token")
    if not id_token:
        raise SignInRefused(Reason.NO_ID_TOKEN)
    try:
        claims = validate_id_token(id_token, nonce=flow["nonce"], config=config, metadata=metadata)
    except ProviderUnavailable as error:
        raise SignInRefused(Reason.PROVIDER_UNAVAILABLE) from error
    return user_for_claims(claims), flow.get("next_url", "")


def user_for_claims(claims: dict[str, Any]) -> AbstractBaseUser:
    """The user of a validated identity (tenant id + object id).

    The first time, the identity is linked to the one active user whose email address equals
    the token's verified address, if that user has no identity in this tenant yet; afterwards
    the identity alone decides, so an address changed at the provider moves no account.
    """
    with transaction.atomic():
        identity = (
            ExternalIdentity.objects.select_related("user")
            .filter(tenant_id=claims["tid"], object_id=claims["oid"])
            .first()
        )
        if identity is None:
            identity = _link(claims)
        if not identity.user.is_active:
            raise SignInRefused(Reason.INACTIVE, user=identity.user)
        # Bookkeeping, not a change to the identity: the audit log holds each sign-in.
        ExternalIdentity.objects.filter(pk=identity.pk).update(last_used=timezone.now())
    return identity.user


def verified_addresses(claims: dict[str, Any]) -> list[str]:
    """Addresses a token vouches for: `preferred_username` (the sign-in name, on a domain the
    tenant has verified), and `email` only with `xms_edov` true (Entra's "email domain owner
    verified"), because Entra's plain `email` claim is whatever the account's mail field says."""
    found = []
    name = claims.get("preferred_username")
    if isinstance(name, str) and "@" in name:
        found.append(name)
    email = claims.get("email")
    if claims.get("xms_edov") is True and isinstance(email, str) and "@" in email:
        found.append(email)
    return list(dict.fromkeys(address.strip().lower() for address in found))


def _link(claims: dict[str, Any]) -> ExternalIdentity:
    addresses = verified_addresses(claims)
    if not addresses:
        raise SignInRefused(Reason.NO_ACCOUNT)
    matches = Q()
    for address in addresses:
        matches |= Q(email__iexact=address)
    users = list(get_user_model()._default_manager.filter(matches, is_active=True)[:2])
    if not users:
        raise SignInRefused(Reason.NO_ACCOUNT)
    if len(users) > 1:
        raise SignInRefused(Reason.AMBIGUOUS)
    user = users[0]
    if ExternalIdentity.objects.filter(user=user, tenant_id=claims["tid"]).exists():
        raise SignInRefused(Reason.ALREADY_LINKED, user=user)
    try:
        with transaction.atomic():
            return ExternalIdentity.objects.create(
                user=user,
                tenant_id=claims["tid"],
                object_id=claims["oid"],
                linked_by_email=addresses[0],
            )
    except IntegrityError as error:  # linked by a simultaneous sign-in a moment ago
        raise SignInRefused(Reason.ALREADY_LINKED, user=user) from error
