"""docs/security.md #8 and WCAG 2.2.1: signed-in pages warn before the idle timeout and let people
extend it. The endpoints behind the warning, the page's data for the script, and the sign-in
page's message after a timeout. The dialog itself is tested in a browser:
tests/e2e/test_session_timeout.py."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
STATUS = "/account/session/"
EXTEND = "/account/session/extend/"
TIMEOUT_MESSAGE = (
    "You have been signed out because you had not done anything for 30 minutes. "
    "Sign in again to continue."
)


@pytest.fixture
def signed_in():
    """A client that enforces CSRF like a browser, signed in through the sign-in page."""
    client = Client(enforce_csrf_checks=True)
    client.get("/sign-in/")
    user = UserFactory()
    response = client.post(
        "/sign-in/",
        {
            "username": user.username,
            "password": PASSWORD,
            "csrfmiddlewaretoken": client.cookies[settings.CSRF_COOKIE_NAME].value,
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def session_key(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def expire_in(client, seconds: int):
    """Age the stored session, as if the user had been idle; the new expiry."""
    expires = (timezone.now() + timedelta(seconds=seconds)).replace(microsecond=0)
    Session.objects.filter(session_key=session_key(client)).update(expire_date=expires)
    return expires


def stored_expiry(client):
    return Session.objects.get(session_key=session_key(client)).expire_date


def csrf_token(client) -> str:
    return client.cookies[settings.CSRF_COOKIE_NAME].value


# The endpoints


def test_the_status_says_how_long_is_left_without_extending_the_session(signed_in):
    expires = expire_in(signed_in, 300)
    response = signed_in.get(STATUS)
    assert response.status_code == 200
    assert response.json()["signed_in"] is True
    assert 290 <= response.json()["remaining_seconds"] <= 300
    assert stored_expiry(signed_in) == expires
    assert settings.SESSION_COOKIE_NAME not in response.cookies  # the cookie is not renewed


def test_a_page_still_extends_the_session(signed_in):
    """The status endpoint is the one exception to "every request extends the session"."""
    expires = expire_in(signed_in, 300)
    assert signed_in.get("/").status_code == 200
    assert stored_expiry(signed_in) > expires + timedelta(minutes=20)


def test_stay_signed_in_extends_the_session(signed_in):
    expires = expire_in(signed_in, 60)
    response = signed_in.post(EXTEND, {"csrfmiddlewaretoken": csrf_token(signed_in)})
    assert response.status_code == 200
    assert response.json() == {"signed_in": True, "remaining_seconds": settings.SESSION_COOKIE_AGE}
    assert stored_expiry(signed_in) > expires + timedelta(minutes=25)
    assert signed_in.get(STATUS).json()["remaining_seconds"] > settings.SESSION_COOKIE_AGE - 60


def test_the_csrf_token_may_come_in_a_header(signed_in):
    response = signed_in.post(EXTEND, HTTP_X_CSRFTOKEN=csrf_token(signed_in))
    assert response.status_code == 200


@pytest.mark.parametrize("token", [None, "x" * 32])
def test_stay_signed_in_needs_the_csrf_token(signed_in, token):
    data = {"csrfmiddlewaretoken": token} if token else {}
    response = signed_in.post(EXTEND, data)
    assert response.status_code == 403
    assert "remaining_seconds" not in response.content.decode()


@pytest.mark.parametrize(("method", "url"), [("get", STATUS), ("post", EXTEND)])
def test_anyone_not_signed_in_is_refused(method, url):
    client = Client(enforce_csrf_checks=True)
    client.get("/sign-in/")
    data = {"csrfmiddlewaretoken": csrf_token(client)} if method == "post" else {}
    response = getattr(client, method)(url, data)
    assert response.status_code == 401
    assert response.json() == {"signed_in": False, "remaining_seconds": 0}


def test_an_expired_session_cannot_be_extended(signed_in):
    expire_in(signed_in, -1)
    response = signed_in.post(EXTEND, {"csrfmiddlewaretoken": csrf_token(signed_in)})
    assert response.status_code == 401
    assert signed_in.get(STATUS).status_code == 401
    assert signed_in.get("/").status_code == 302


def test_after_signing_out_the_status_says_so(signed_in):
    signed_in.post("/sign-out/", {"csrfmiddlewaretoken": csrf_token(signed_in)})
    assert signed_in.get(STATUS).status_code == 401


@pytest.mark.parametrize(("method", "url"), [("post", STATUS), ("get", EXTEND)])
def test_each_endpoint_takes_one_method(signed_in, method, url):
    data = {"csrfmiddlewaretoken": csrf_token(signed_in)} if method == "post" else {}
    assert getattr(signed_in, method)(url, data).status_code == 405


@pytest.mark.parametrize(("method", "url"), [("get", STATUS), ("post", EXTEND)])
def test_the_answers_are_json_and_never_stored(signed_in, method, url):
    data = {"csrfmiddlewaretoken": csrf_token(signed_in)} if method == "post" else {}
    response = getattr(signed_in, method)(url, data)
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    anonymous = Client().get(STATUS)
    assert "no-store" in anonymous["Cache-Control"]


# The page's data for the script


def dialog_attributes(html: str) -> dict[str, str]:
    match = re.search(r'<dialog id="app-session-timeout"([^>]*)>', html)
    assert match, "no session-timeout dialog on the page"
    return dict(re.findall(r'data-([\w-]+)="([^"]*)"', match.group(1)))


def test_signed_in_pages_carry_the_timing_and_the_script(signed_in):
    html = signed_in.get("/").content.decode()
    attributes = dialog_attributes(html)
    assert attributes["session-seconds"] == str(settings.SESSION_COOKIE_AGE)
    assert attributes["warning-seconds"] == str(settings.G2G_SESSION_WARNING_SECONDS)
    assert attributes["status-url"] == STATUS
    assert attributes["timeout-url"] == "/sign-in/?timeout=1"
    assert '<script type="module" src="/static/js/session-timeout.mjs"></script>' in html
    assert "Stay signed in" in html


def test_signed_out_pages_have_neither():
    html = Client().get("/sign-in/").content.decode()
    assert "app-session-timeout" not in html
    assert "session-timeout.mjs" not in html


@override_settings(G2G_SESSION_WARNING_SECONDS=5 * 60)
def test_the_warning_lead_is_a_setting(signed_in):
    attributes = dialog_attributes(signed_in.get("/").content.decode())
    assert attributes["warning-seconds"] == "300"


@pytest.mark.parametrize(("setting", "expected"), [(1, 20), (3600, 1800)])
def test_the_warning_gives_at_least_20_seconds_within_the_session(signed_in, setting, expected):
    with override_settings(G2G_SESSION_WARNING_SECONDS=setting):
        attributes = dialog_attributes(signed_in.get("/").content.decode())
    assert attributes["warning-seconds"] == str(expected)


def test_the_script_is_served_as_it_is(client):
    """js/ files are served from static/ directly (no build step), as JavaScript."""
    response = client.get("/static/js/session-timeout.mjs")
    assert response.status_code == 200
    assert "javascript" in response["Content-Type"]
    assert b"app-session-timeout" in b"".join(response.streaming_content)


# The sign-in page after a timeout


def test_the_sign_in_page_says_why_after_a_timeout(client):
    response = client.get("/sign-in/?timeout=1&next=/oldham/actions/")
    html = response.content.decode()
    assert TIMEOUT_MESSAGE in html
    assert '<input type="hidden" name="next" value="/oldham/actions/">' in html


@pytest.mark.parametrize("query", ["", "?timeout=0", "?timeout=<script>", "?next=/"])
def test_the_message_only_shows_after_a_timeout(client, query):
    html = client.get(f"/sign-in/{query}").content.decode()
    assert "You have been signed out" not in html
    assert "timeout=" not in html  # nothing from the query is echoed


def test_the_message_is_not_shown_to_someone_still_signed_in(signed_in):
    html = signed_in.get("/sign-in/?timeout=1").content.decode()
    assert "You have been signed out" not in html


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "/\\evil.example/", "javascript:x"]
)
def test_next_after_a_timeout_cannot_leave_the_site(next_url):
    client = Client()
    user = UserFactory()
    page = client.get("/sign-in/", {"timeout": "1", "next": next_url}).content.decode()
    assert "evil.example" not in page
    assert "javascript:x" not in page
    response = client.post(
        "/sign-in/?timeout=1",
        {"username": user.username, "password": PASSWORD, "next": next_url},
    )
    assert response.status_code == 302
    assert response.url == "/"


def test_after_signing_in_again_the_user_returns_to_their_page():
    client = Client()
    user = UserFactory()
    response = client.post(
        "/sign-in/?timeout=1",
        {"username": user.username, "password": PASSWORD, "next": "/account/tokens/"},
    )
    assert response.status_code == 302
    assert response.url == "/account/tokens/"
