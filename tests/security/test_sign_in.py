"""docs/security.md #7: sign-in resists guessing without locking people out for good.

django-axes locks one username from one address after AXES_FAILURE_LIMIT (10) failures, for
AXES_COOLOFF_TIME (15 minutes); other addresses and other usernames carry on."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db.models import F
from django.test import RequestFactory

from g2g.core.audit import client_address
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
HOME = "/"


def sign_in(client, username: str, password: str, address: str = "192.0.2.10"):
    return client.post(
        "/sign-in/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail(client, username: str, times: int, address: str = "192.0.2.10") -> None:
    for _ in range(times):
        assert sign_in(client, username, "not-the-password", address).status_code == 200


def lock_out(client, username: str, address: str = "192.0.2.10") -> None:
    """Fail up to the limit: the last failure is the one that locks."""
    fail(client, username, settings.AXES_FAILURE_LIMIT - 1, address)
    assert sign_in(client, username, "not-the-password", address).status_code == 429


def signed_in(response) -> bool:
    return response.status_code == 302 and response.url == HOME


def test_the_limit_is_at_most_ten_with_a_cool_off_not_a_permanent_lock():
    assert 1 <= settings.AXES_FAILURE_LIMIT <= 10
    assert timedelta(minutes=1) <= settings.AXES_COOLOFF_TIME <= timedelta(hours=1)
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_a_few_failures_do_not_stop_the_right_password(client):
    user = UserFactory()
    fail(client, user.username, settings.AXES_FAILURE_LIMIT - 1)
    assert signed_in(sign_in(client, user.username, PASSWORD))


def test_after_the_limit_even_the_right_password_is_refused_with_a_plain_page(client):
    user = UserFactory()
    lock_out(client, user.username)
    response = sign_in(client, user.username, PASSWORD)
    assert response.status_code == 429
    text = response.content.decode()
    assert "Too many attempts to sign in" in text
    assert "15 minutes" in text
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_user_and_address(client):
    user, colleague = UserFactory(), UserFactory()
    lock_out(client, user.username)
    assert sign_in(client, user.username, PASSWORD).status_code == 429
    # The same user from another address, and a colleague from the same address, sign in.
    assert signed_in(sign_in(client, user.username, PASSWORD, address="198.51.100.7"))
    client.logout()
    assert signed_in(sign_in(client, colleague.username, PASSWORD))


def test_the_lock_lifts_after_the_cool_off(client):
    user = UserFactory()
    lock_out(client, user.username)
    assert sign_in(client, user.username, PASSWORD).status_code == 429
    # The cool-off passes: every recorded failure is now older than it.
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - settings.AXES_COOLOFF_TIME - timedelta(seconds=1)
    )
    assert signed_in(sign_in(client, user.username, PASSWORD))


def test_a_successful_sign_in_clears_the_count(client):
    user = UserFactory()
    fail(client, user.username, settings.AXES_FAILURE_LIMIT - 1)
    assert signed_in(sign_in(client, user.username, PASSWORD))
    client.logout()
    fail(client, user.username, settings.AXES_FAILURE_LIMIT - 1)
    assert signed_in(sign_in(client, user.username, PASSWORD))


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Sh0rt-pass!", "at least 12 characters"),
        ("password1234", "too common"),
        ("qwertyuiop123", "too common"),
        ("384729105638", "entirely numeric"),
    ],
    ids=["eleven-characters", "common", "common-keyboard", "numeric"],
)
def test_weak_passwords_are_refused(password, reason):
    with pytest.raises(ValidationError, match=reason):
        validate_password(password)


def test_a_long_uncommon_password_is_accepted():
    validate_password("violet-harbour-tuesday")


def test_the_sign_in_page_allows_pasting_passwords(client):
    """No `onpaste` blocking and no autocomplete="off" on the password (NCSC advice)."""
    text = client.get("/sign-in/").content.decode()
    assert "onpaste" not in text
    assert 'autocomplete="off"' not in text


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "198.51.100.1", "10.0.0.1"),  # no proxy trusted: X-Forwarded-For is ignored
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # the client's own claim is ignored
        (2, "6.6.6.6, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (2, "203.0.113.5", "10.0.0.1"),  # fewer entries than proxies: not trusted
        (1, "not-an-address", "10.0.0.1"),
        (1, "2001:db8::7", "2001:db8::7"),
    ],
    ids=["no-proxy", "one-proxy", "spoofed", "two-proxies", "short-header", "garbage", "ipv6"],
)
def test_the_client_address_behind_trusted_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_behind_a_proxy_the_lock_follows_the_client_not_the_proxy(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/sign-in/",
            {"username": user.username, "password": "wrong"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.5",
        )
    response = client.post(
        "/sign-in/",
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )
    assert signed_in(response)


def test_behind_one_proxy_lockout_and_the_audit_log_record_the_client(client, settings):
    """docs/security.md #20: the address counted by django-axes and written to the audit log is
    the one the proxy appended to X-Forwarded-For, not the proxy's own."""
    from g2g.core.models import AuditEvent

    settings.TRUSTED_PROXY_COUNT = 1
    user = UserFactory()
    behind_proxy = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.5"}
    client.post("/sign-in/", {"username": user.username, "password": "wrong"}, **behind_proxy)
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["203.0.113.5"]
    client.post("/sign-in/", {"username": user.username, "password": PASSWORD}, **behind_proxy)
    addresses = set(AuditEvent.objects.values_list("ip_address", flat=True))
    assert addresses == {"203.0.113.5"}
