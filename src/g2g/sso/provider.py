"""The identity provider as this service sees it: settings, published metadata and signing keys
(both cached), and an Authlib client for the authorisation-code flow (state, nonce, PKCE).

Single sign-on is off unless `G2G_OIDC_CLIENT_ID` and `G2G_OIDC_ALLOWED_TENANTS` are set.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import requests
from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from django.conf import settings
from django.core.cache import cache
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

# Names the flow's entries in the session (Authlib keeps state, nonce and PKCE verifier there).
FLOW_NAME = "g2g_oidc"
TIMEOUT_SECONDS = 10
# How the client secret goes to the token endpoint: in the form body, as Entra documents.
CLIENT_AUTH_METHOD = "client_secret_post"
METADATA_CACHE_SECONDS = 24 * 60 * 60
KEYS_CACHE_SECONDS = 60 * 60
# Entra's multi-tenant metadata names its issuer with this placeholder for the tenant id.
TENANT_PLACEHOLDER = "{tenantid}"


class ProviderUnavailable(Exception):
    """The identity provider could not be reached, or answered with something unusable."""


@dataclass(frozen=True)
class OidcConfig:
    client_id: str
    client_secret: str
    metadata_url: str
    allowed_tenants: frozenset[str]


def oidc_config() -> OidcConfig | None:
    """The single sign-on settings, or None when single sign-on is off."""
    client_id = settings.G2G_OIDC_CLIENT_ID.strip()
    tenants = frozenset(
        tenant.strip().lower() for tenant in settings.G2G_OIDC_ALLOWED_TENANTS if tenant.strip()
    )
    if not client_id or not tenants:
        return None
    return OidcConfig(
        client_id=client_id,
        client_secret=settings.G2G_OIDC_CLIENT_SECRET,
        metadata_url=settings.G2G_OIDC_METADATA_URL,
        allowed_tenants=tenants,
    )


def provider_metadata(config: OidcConfig) -> dict[str, Any]:
    """The provider's discovery document, cached for a day."""
    key = _cache_key("metadata", config.metadata_url)
    metadata = cache.get(key)
    if metadata is None:
        metadata = _fetch_json(config.metadata_url)
        required = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
        if not all(isinstance(metadata.get(name), str) for name in required):
            raise ProviderUnavailable("The provider's metadata lacks an issuer or an endpoint")
        cache.set(key, metadata, METADATA_CACHE_SECONDS)
    return metadata


def expected_issuer(metadata: dict[str, Any], tenant_id: str) -> str:
    """The `iss` a token from `tenant_id` must carry: the metadata's issuer, with the tenant put
    in place of Entra's `{tenantid}` placeholder (a single-tenant issuer has none)."""
    return metadata["issuer"].replace(TENANT_PLACEHOLDER, tenant_id)


def signing_keys(metadata: dict[str, Any], *, refresh: bool = False) -> KeySet:
    """The provider's RSA signing keys (its JWKS), cached for an hour; `refresh` fetches them
    again, for a token signed with a key the cached set does not have (keys are rotated)."""
    key = _cache_key("jwks", metadata["jwks_uri"])
    jwks = None if refresh else cache.get(key)
    if jwks is None:
        jwks = _fetch_json(metadata["jwks_uri"])
        cache.set(key, jwks, KEYS_CACHE_SECONDS)
    # Only RSA keys meant for signatures: a symmetric ("oct") key in the set must never become a
    # way to accept a token signed with a shared secret.
    usable = [
        entry
        for entry in jwks.get("keys", [])
        if isinstance(entry, dict)
        and entry.get("kty") == "RSA"
        and entry.get("use", "sig") == "sig"
    ]
    try:
        return KeySet.import_key_set({"keys": usable})
    except (JoseError, ValueError, TypeError) as error:
        raise ProviderUnavailable("The provider publishes no usable signing key") from error


def oauth_client(config: OidcConfig, metadata: dict[str, Any]) -> DjangoOAuth2App:
    """An Authlib client for one request: authorisation URL with state, nonce and an S256 PKCE
    challenge; the code exchanged at the token endpoint with the client secret."""
    return DjangoOAuth2App(
        DjangoIntegration(FLOW_NAME),
        name=FLOW_NAME,
        client_id=config.client_id,
        client_secret=config.client_secret,
        authorize_url=metadata["authorization_endpoint"],
        access_token_url=metadata["token_endpoint"],
        client_kwargs={
            "scope": "openid profile email",
            "code_challenge_method": "S256",
            "token_endpoint_auth_method": CLIENT_AUTH_METHOD,
            "default_timeout": TIMEOUT_SECONDS,
        },
    )


def _fetch_json(url: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"Could not read {url}") from error
    if not isinstance(data, dict):
        raise ProviderUnavailable(f"{url} did not answer with a JSON object")
    return data


def _cache_key(kind: str, url: str) -> str:
    return f"g2g-sso-{kind}-{hashlib.sha256(url.encode()).hexdigest()}"
