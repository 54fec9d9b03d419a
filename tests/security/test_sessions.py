"""docs/security.md #8: sessions end when they should."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
SIGNED_IN_PAGE = "/"


def sign_in(client, user):
    response = client.post("/sign-in/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]


def session_id(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def is_signed_in(client) -> bool:
    return client.get(SIGNED_IN_PAGE).status_code == 200


def test_the_session_id_changes_at_sign_in(client):
    client.get("/sign-in/")
    client.session.save()
    before = client.session.session_key
    sign_in(client, UserFactory())
    assert session_id(client) != before
    assert not Session.objects.filter(session_key=before).exists()


def test_a_cookie_replayed_after_sign_out_does_not_sign_in(client):
    sign_in(client, UserFactory())
    stolen = session_id(client)
    assert is_signed_in(client)
    client.post("/sign-out/")
    client.cookies[settings.SESSION_COOKIE_NAME] = stolen
    response = client.get(SIGNED_IN_PAGE)
    assert response.status_code == 302
    assert response.url.startswith("/sign-in/")


def test_a_disabled_user_is_out_on_the_next_request(client):
    user = UserFactory()
    sign_in(client, user)
    assert is_signed_in(client)
    user.is_active = False
    user.save()
    assert not is_signed_in(client)


def test_sessions_expire_after_at_most_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE <= 30 * 60
    # Each request pushes the expiry on: the timeout is idle time, not time since signing in.
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_an_idle_session_is_out(client):
    sign_in(client, UserFactory())
    key = session_id(client)
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    assert not is_signed_in(client)


def test_each_request_extends_the_session(client):
    sign_in(client, UserFactory())
    key = session_id(client)
    soon = timezone.now() + timedelta(minutes=5)
    Session.objects.filter(session_key=key).update(expire_date=soon)
    assert is_signed_in(client)
    assert Session.objects.get(session_key=key).expire_date > soon + timedelta(minutes=20)
