"""A stub OpenID Connect provider shaped like Microsoft Entra ID, on a real HTTP server on
127.0.0.1 (a random port), for the single sign-on tests.

It serves discovery (with Entra's multi-tenant issuer template, `{tenantid}` in the issuer),
its JWKS and a token endpoint. There is no login page: a test reads state, nonce and the PKCE
challenge from the authorisation URL the app redirected to, registers a code with the ID token
it wants (`issue`), and calls the app's callback itself. The token endpoint checks the client
secret, the redirect URI and the PKCE verifier, and each code works once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from joserfc import jwt
from joserfc.jwk import RSAKey

CLIENT_ID = "11111111-2222-3333-4444-555555555555"
CLIENT_SECRET = "stub-client-secret"  # noqa: S105 (test value)
TENANT = "aaaaaaaa-0000-4000-8000-000000000001"
OTHER_TENANT = "bbbbbbbb-0000-4000-8000-000000000002"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def new_rsa_key(kid: str) -> tuple[RSAKey, bytes]:
    """An RSA key made with `cryptography`, as a joserfc key, and its public PEM."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return RSAKey.import_key(pem, parameters={"kid": kid, "use": "sig"}), public_pem


@dataclass
class Flow:
    """What the app sent to the authorisation endpoint."""

    url: str
    state: str
    nonce: str
    code_challenge: str
    code_challenge_method: str
    redirect_uri: str
    client_id: str
    scope: str
    response_type: str


@dataclass
class _Code:
    id_token: str
    flow: Flow
    reusable: bool = False


@dataclass
class StubIdP:
    keys: dict[str, tuple[RSAKey, bytes]] = field(default_factory=dict)
    codes: dict[str, _Code] = field(default_factory=dict)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    jwks_fetches: int = 0
    metadata_fetches: int = 0

    def __post_init__(self):
        self.kid = "stub-key-1"
        self.keys[self.kid] = new_rsa_key(self.kid)
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def do_GET(self):
                path = urlsplit(self.path).path
                if path == "/organizations/v2.0/.well-known/openid-configuration":
                    stub.metadata_fetches += 1
                    self._json(200, stub.metadata())
                elif path == "/discovery/v2.0/keys":
                    stub.jwks_fetches += 1
                    self._json(200, stub.jwks())
                else:
                    self._json(404, {"error": "not_found"})

            def do_POST(self):
                if urlsplit(self.path).path != "/organizations/oauth2/v2.0/token":
                    self._json(404, {"error": "not_found"})
                    return
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                stub.token_requests.append(form)
                status, body = stub.token_response(form)
                self._json(status, body)

            def _json(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    # What the provider publishes

    @property
    def metadata_url(self) -> str:
        return f"{self.base}/organizations/v2.0/.well-known/openid-configuration"

    @property
    def authorize_url(self) -> str:
        return f"{self.base}/organizations/oauth2/v2.0/authorize"

    def issuer(self, tenant: str) -> str:
        return f"{self.base}/{tenant}/v2.0"

    def metadata(self) -> dict:
        return {
            "issuer": self.base + "/{tenantid}/v2.0",
            "authorization_endpoint": self.authorize_url,
            "token_endpoint": f"{self.base}/organizations/oauth2/v2.0/token",
            "jwks_uri": f"{self.base}/discovery/v2.0/keys",
            "response_types_supported": ["code", "id_token", "code id_token"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict:
        return {"keys": [key.as_dict(private=False) for key, _pem in self.keys.values()]}

    def rotate_key(self) -> str:
        """Publish a new signing key and sign with it from now on; the old one stays listed."""
        self.kid = f"stub-key-{len(self.keys) + 1}"
        self.keys[self.kid] = new_rsa_key(self.kid)
        return self.kid

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # Tokens

    def claims(self, flow: Flow, **changes) -> dict:
        """A good ID token's claims for `flow`; `changes` replace claims (None removes one)."""
        now = int(time.time())
        tenant = changes.get("tid", TENANT)
        claims = {
            "ver": "2.0",
            "iss": self.issuer(tenant),
            "sub": "pairwise-subject",
            "aud": CLIENT_ID,
            "exp": now + 3600,
            "iat": now,
            "nbf": now,
            "nonce": flow.nonce,
            "tid": tenant,
            "oid": "00000000-0000-4000-8000-00000000000a",
            "preferred_username": "pat.lee@northshire.gov.uk",
            "name": "Pat Lee",
        }
        claims.update(changes)
        return {name: value for name, value in claims.items() if value is not None}

    def sign(self, claims: dict, *, alg: str = "RS256", kid: str | None = None, key=None) -> str:
        """An ID token; `alg` "none" and "HS256" (keyed with the public key's PEM, the classic
        confusion attack) are built by hand, as no honest library makes them."""
        kid = kid or self.kid
        if alg == "none":
            header = {"alg": "none", "typ": "JWT"}
            return f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}."
        if alg == "HS256":
            header = {"alg": "HS256", "typ": "JWT", "kid": kid}
            signing_input = (
                f"{b64url(json.dumps(header).encode())}.{b64url(json.dumps(claims).encode())}"
            )
            secret = self.keys[self.kid][1]
            signature = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
            return f"{signing_input}.{b64url(signature)}"
        signing_key = key or self.keys[self.kid][0]
        header = {"alg": alg, "typ": "JWT", "kid": kid}
        return jwt.encode(header, claims, signing_key, algorithms=[alg])

    def issue(self, flow: Flow, id_token: str | None = None, *, reusable: bool = False) -> str:
        """A code the token endpoint will exchange for `id_token` (by default a good one)."""
        code = uuid.uuid4().hex
        self.codes[code] = _Code(id_token or self.sign(self.claims(flow)), flow, reusable)
        return code

    def token_response(self, form: dict) -> tuple[int, dict]:
        entry = self.codes.get(form.get("code", ""))
        if entry is None:
            return 400, {"error": "invalid_grant", "error_description": "Unknown or used code"}
        if not entry.reusable:
            del self.codes[form["code"]]
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return 401, {"error": "invalid_client"}
        if form.get("grant_type") != "authorization_code":
            return 400, {"error": "unsupported_grant_type"}
        if form.get("redirect_uri") != entry.flow.redirect_uri:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri differs"}
        verifier = form.get("code_verifier", "")
        if b64url(hashlib.sha256(verifier.encode()).digest()) != entry.flow.code_challenge:
            return 400, {"error": "invalid_grant", "error_description": "PKCE check failed"}
        return 200, {
            "token_type": "Bearer",
            "scope": "openid profile email",
            "expires_in": 3600,
            "access_token": "stub-access-token",
            "id_token": entry.id_token,
        }


def flow_from(location: str) -> Flow:
    """The flow the app started, read from its redirect to the authorisation endpoint."""
    query = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    return Flow(
        url=location,
        state=query.get("state", ""),
        nonce=query.get("nonce", ""),
        code_challenge=query.get("code_challenge", ""),
        code_challenge_method=query.get("code_challenge_method", ""),
        redirect_uri=query.get("redirect_uri", ""),
        client_id=query.get("client_id", ""),
        scope=query.get("scope", ""),
        response_type=query.get("response_type", ""),
    )
