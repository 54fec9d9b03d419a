"""docs/security.md #9: ID tokens from other tenants, for another audience, unsigned, HMAC-signed
with the public key, expired, not yet valid, with another nonce or issuer, signed by an unknown or
forged key, or lacking the person's ids: all refused with a plain page (400 or 403, never a 500),
nobody signed in, and the refusal recorded with its reason but without the token."""

import logging
import time

import pytest
from django.contrib.auth import SESSION_KEY

from g2g.core.models import AuditEvent
from g2g.sso.models import ExternalIdentity
from tests.factories import UserFactory

from .journey import callback, start
from .stub_idp import CLIENT_ID, OTHER_TENANT, TENANT, new_rsa_key

pytestmark = pytest.mark.django_db


def now() -> int:
    """Read when the token is made (not at collection: a long run would make "future" past)."""
    return int(time.time())


def other_tenant(idp, flow):
    # A perfectly signed token for someone in a tenant that is not on the allow-list.
    return idp.sign(idp.claims(flow, tid=OTHER_TENANT))


def forged_signature(idp, flow):
    # Signed by an attacker's key that claims the provider's key id.
    forged_key, _pem = new_rsa_key(idp.kid)
    return idp.sign(idp.claims(flow), key=forged_key)


BAD_TOKENS = {
    "other-tenant": (other_tenant, 403, "tenant"),
    "wrong-audience": (
        lambda idp, flow: idp.sign(idp.claims(flow, aud="99999999-0000-4000-8000-000000000000")),
        400,
        "audience",
    ),
    "audience-list-with-another": (
        lambda idp, flow: idp.sign(idp.claims(flow, aud=[CLIENT_ID, "someone-else"])),
        400,
        "audience",
    ),
    "alg-none": (lambda idp, flow: idp.sign(idp.claims(flow), alg="none"), 400, "algorithm"),
    "hs256-with-public-key": (
        lambda idp, flow: idp.sign(idp.claims(flow), alg="HS256"),
        400,
        "algorithm",
    ),
    "rs512": (lambda idp, flow: idp.sign(idp.claims(flow), alg="RS512"), 400, "algorithm"),
    "expired": (
        lambda idp, flow: idp.sign(
            idp.claims(flow, exp=now() - 600, iat=now() - 4200, nbf=now() - 4200)
        ),
        400,
        "expired",
    ),
    "not-yet-valid": (
        lambda idp, flow: idp.sign(idp.claims(flow, nbf=now() + 600)),
        400,
        "not_yet_valid",
    ),
    "issued-in-the-future": (
        lambda idp, flow: idp.sign(idp.claims(flow, iat=now() + 600)),
        400,
        "not_yet_valid",
    ),
    "wrong-nonce": (
        lambda idp, flow: idp.sign(idp.claims(flow, nonce="not-the-nonce-we-sent")),
        400,
        "nonce",
    ),
    "no-nonce": (lambda idp, flow: idp.sign(idp.claims(flow, nonce=None)), 400, "missing_claim"),
    "issuer-of-another-tenant": (
        lambda idp, flow: idp.sign(idp.claims(flow, iss=idp.issuer(OTHER_TENANT))),
        400,
        "issuer",
    ),
    "real-entra-issuer-from-the-stub": (
        lambda idp, flow: idp.sign(
            idp.claims(flow, iss=f"https://login.microsoftonline.com/{TENANT}/v2.0")
        ),
        400,
        "issuer",
    ),
    "unknown-kid": (
        lambda idp, flow: idp.sign(idp.claims(flow), kid="not-a-published-key"),
        400,
        "unknown_key",
    ),
    "forged-signature": (forged_signature, 400, "signature"),
    "missing-oid": (lambda idp, flow: idp.sign(idp.claims(flow, oid=None)), 400, "missing_claim"),
    "missing-tid": (lambda idp, flow: idp.sign(idp.claims(flow, tid=None)), 400, "missing_claim"),
    "not-a-jwt": (lambda idp, flow: "not.a.jwt", 400, "malformed"),
}


@pytest.fixture
def pat(db):
    return UserFactory(username="pat", email="pat.lee@northshire.gov.uk")


@pytest.fixture
def sso_log():
    """Everything the single sign-on code logs (the suite runs with pytest's logging off)."""
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("g2g.sso")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


@pytest.mark.parametrize(("make", "status", "reason"), BAD_TOKENS.values(), ids=BAD_TOKENS.keys())
def test_a_bad_token_is_refused(client, idp, pat, sso_log, make, status, reason):
    flow = start(client)
    token = make(idp, flow)
    response = callback(client, flow, idp.issue(flow, token))
    assert response.status_code == status
    assert SESSION_KEY not in client.session
    assert not ExternalIdentity.objects.exists()
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.SIGN_IN).exists()
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.SIGN_IN_FAILED)
    assert event.detail == {"known_user": False, "method": "single_sign_on", "reason": reason}
    # Neither the token nor any part of it is kept or logged.
    signature = token.rsplit(".", 1)[-1] or token
    assert signature not in str(event.__dict__)
    assert [record.getMessage() for record in sso_log] == [f"Single sign-on refused: {reason}"]
    page = response.content.decode()
    assert "Go to sign in" in page
    assert token not in page


def test_the_same_token_is_good_when_nothing_is_wrong(client, idp, pat):
    """The refusals above are for their reason: an honest token through the same steps works."""
    flow = start(client)
    response = callback(client, flow, idp.issue(flow, idp.sign(idp.claims(flow))))
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(pat.pk)


def test_a_single_tenant_issuer_works_without_the_placeholder(client, idp, pat):
    """Metadata for one tenant names its issuer outright (no `{tenantid}`): tokens must carry
    exactly that issuer."""
    metadata = idp.metadata()
    idp.metadata = lambda: {**metadata, "issuer": idp.issuer(TENANT)}
    flow = start(client)
    assert callback(client, flow, idp.issue(flow)).status_code == 302


def test_keys_are_cached_and_fetched_again_once_for_a_new_key(client, client_factory, idp):
    UserFactory(email="pat.lee@northshire.gov.uk")
    for _ in range(2):
        browser = client_factory()
        flow = start(browser)
        assert callback(browser, flow, idp.issue(flow)).status_code == 302
    assert (idp.metadata_fetches, idp.jwks_fetches) == (1, 1)
    # The provider rotates its key: one more fetch finds it.
    idp.rotate_key()
    flow = start(client)
    assert callback(client, flow, idp.issue(flow)).status_code == 302
    assert idp.jwks_fetches == 2


def test_an_unknown_key_costs_at_most_one_extra_fetch(client, idp, pat):
    flow = start(client)
    callback(client, flow, idp.issue(flow, idp.sign(idp.claims(flow), kid="nobody")))
    assert idp.jwks_fetches == 2
