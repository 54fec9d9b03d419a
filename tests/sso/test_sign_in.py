"""docs/security.md #9, the journey: "Sign in with your council account" → the provider (a stub
Entra ID on 127.0.0.1) → back to the callback → signed in, through the app's real pages."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache

from g2g.core.models import AuditEvent
from g2g.sso.models import ExternalIdentity
from tests.factories import UserFactory

from .journey import callback, start
from .stub_idp import CLIENT_ID, CLIENT_SECRET, TENANT

pytestmark = pytest.mark.django_db
Kind = AuditEvent.Kind


@pytest.fixture
def pat(db):
    return UserFactory(username="pat", email="Pat.Lee@northshire.gov.uk")


def signed_in_as(client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


def test_the_start_sends_the_browser_to_the_provider_with_state_nonce_and_pkce(client, idp):
    flow = start(client)
    assert flow.url.startswith(idp.authorize_url + "?")
    assert flow.response_type == "code"
    assert flow.client_id == CLIENT_ID
    assert flow.redirect_uri == "http://testserver/oidc/callback/"
    assert set(flow.scope.split()) >= {"openid", "email", "profile"}
    assert len(flow.state) >= 20
    assert len(flow.nonce) >= 20
    assert flow.code_challenge_method == "S256"
    assert len(flow.code_challenge) == 43
    # A second start gets fresh values.
    again = start(client)
    assert (again.state, again.nonce, again.code_challenge) != (
        flow.state,
        flow.nonce,
        flow.code_challenge,
    )


def test_a_good_token_signs_the_person_in_and_links_their_identity(client, idp, pat):
    client.get("/sign-in/")  # a session before signing in
    flow = start(client)
    before = client.session.session_key
    response = callback(client, flow, idp.issue(flow))
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_as(client) == pat.pk
    assert client.session.session_key != before  # the session id rotates at sign-in
    identity = ExternalIdentity.objects.get()
    assert (identity.user, identity.tenant_id) == (pat, TENANT)
    assert identity.object_id == "00000000-0000-4000-8000-00000000000a"
    assert identity.last_used is not None
    # The code was exchanged with the client secret and the PKCE verifier.
    (sent,) = idp.token_requests
    assert sent["client_secret"] == CLIENT_SECRET
    assert sent["code_verifier"]
    assert client.get("/").status_code == 200


def test_the_sign_in_is_recorded_with_its_method(client, idp, pat):
    flow = start(client)
    callback(client, flow, idp.issue(flow), REMOTE_ADDR="203.0.113.9")
    (event,) = AuditEvent.objects.filter(kind=Kind.SIGN_IN)
    assert (event.user, event.ip_address) == (pat, "203.0.113.9")
    assert event.detail == {"method": "single_sign_on"}


def test_a_password_sign_in_is_recorded_as_one(client, pat):
    client.post("/sign-in/", {"username": "pat", "password": "correct-horse-battery"})
    assert AuditEvent.objects.get(kind=Kind.SIGN_IN).detail == {"method": "password"}


def test_next_is_kept_when_it_stays_on_the_site(client, idp, pat):
    flow = start(client, next="/northshire/actions/?status=overdue")
    response = callback(client, flow, idp.issue(flow))
    assert response["Location"] == "/northshire/actions/?status=overdue"


def test_without_next_the_login_redirect_setting_is_honoured(client, idp, pat, settings):
    settings.LOGIN_REDIRECT_URL = "/account/tokens/"
    flow = start(client)
    assert callback(client, flow, idp.issue(flow))["Location"] == "/account/tokens/"


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "http://testserver/x"],
    ids=["other-site", "scheme-relative", "javascript", "http-on-https"],
)
def test_next_leading_elsewhere_is_dropped(client, idp, pat, next_url):
    flow = start(client, next=next_url, secure=True)
    code = idp.issue(flow)
    response = client.get("/oidc/callback/", {"code": code, "state": flow.state}, secure=True)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_the_sign_in_page_offers_the_button_and_passes_next_on(client, idp):
    page = client.get("/sign-in/", {"next": "/northshire/"}).content.decode()
    assert "Sign in with your council account" in page
    assert 'href="/oidc/start/?next=%2Fnorthshire%2F"' in page


def test_replaying_the_same_callback_is_refused(client, client_factory, idp, pat):
    flow = start(client)
    code = idp.issue(flow)
    url = f"/oidc/callback/?code={code}&state={flow.state}"
    assert client.get(url).status_code == 302
    client.post("/sign-out/")
    # The same browser again, and another browser with the copied address: both refused.
    for browser in (client, client_factory()):
        response = browser.get(url)
        assert response.status_code == 400
        assert "Your sign-in has expired" in response.content.decode()
        assert signed_in_as(browser) is None
    assert AuditEvent.objects.filter(kind=Kind.SIGN_IN).count() == 1


def test_a_token_accepted_once_is_refused_the_second_time(client, client_factory, idp, pat):
    """Two requests that both read the flow from the session before either finished: the
    second one's token (same nonce) is a replay, even if the provider answered twice."""
    flow = start(client)
    stored = {k: v for k, v in client.session.items() if k.startswith("_state_")}
    code = idp.issue(flow, reusable=True)
    assert callback(client, flow, code).status_code == 302
    # The second request, with the session as it was before the first one saved it.
    second = client_factory()
    session = second.session
    session.update(stored)
    session.save()
    response = callback(second, flow, code)
    assert response.status_code == 400
    assert signed_in_as(second) is None
    assert AuditEvent.objects.get(kind=Kind.SIGN_IN_FAILED).detail["reason"] == "replayed"


def test_a_state_from_another_browser_is_refused(client, client_factory, idp, pat):
    flow = start(client)
    other = client_factory()
    response = callback(other, flow, idp.issue(flow))
    assert response.status_code == 400
    assert signed_in_as(other) is None


def test_a_sign_in_left_too_long_is_refused(client, idp, pat):
    flow = start(client)
    session = client.session
    key = f"_state_g2g_oidc_{flow.state}"
    entry = session[key]
    entry["data"]["started"] -= 31 * 60
    session[key] = entry
    session.save()
    assert callback(client, flow, idp.issue(flow)).status_code == 400
    assert signed_in_as(client) is None


def test_the_provider_sending_an_error_back_is_a_plain_page(client, idp, pat):
    flow = start(client)
    response = client.get(
        "/oidc/callback/",
        {"error": "access_denied", "error_description": "cancelled", "state": flow.state},
    )
    assert response.status_code == 400
    assert "You are not signed in" in response.content.decode()


def test_a_code_the_provider_refuses_is_a_plain_page(client, idp, pat, settings):
    flow = start(client)
    settings.G2G_OIDC_CLIENT_SECRET = "not-the-secret"
    response = callback(client, flow, idp.issue(flow))
    assert response.status_code == 400
    assert signed_in_as(client) is None


def test_an_unreachable_provider_is_a_plain_page_not_an_error(client, idp, pat):
    flow = start(client)
    code = idp.issue(flow)
    idp.stop()
    cache.clear()  # the metadata must be fetched again, and cannot be
    response = callback(client, flow, code)
    assert response.status_code == 503
    assert "not working" in response.content.decode()
    response = client.get("/oidc/start/")
    assert response.status_code == 503


def test_a_user_switched_off_after_signing_in_is_out_on_the_next_request(client, idp, pat):
    flow = start(client)
    callback(client, flow, idp.issue(flow))
    assert client.get("/").status_code == 200
    pat.is_active = False
    pat.save()
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_the_authorisation_url_carries_no_secret(client, idp):
    flow = start(client)
    query = parse_qs(urlsplit(flow.url).query)
    assert "client_secret" not in query
    assert CLIENT_SECRET not in flow.url
