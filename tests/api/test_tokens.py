"""Personal API tokens: only a hash is kept, and expired, revoked or unknown keys read nothing."""

import hashlib
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from g2g.api.models import ApiToken
from g2g.api.services import create_token, revoke_token
from g2g.tenancy.models import Role

pytestmark = pytest.mark.django_db

AUTHORITIES = "/api/v1/authorities"


def headers(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


def test_only_a_hash_of_the_key_is_stored(world):
    user = world.users[Role.VIEWER]
    token, key = create_token(user, name="Power BI scorecard")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key.startswith(stored.prefix)
    assert len(stored.prefix) == 12
    assert len(key) > 40
    for record in [stored, *stored.history.all()]:
        assert key not in {str(value) for value in vars(record).values()}
    assert stored.history.get().history_user == user


def test_a_token_expires_in_90_days_unless_asked_and_never_after_a_year(world):
    user = world.users[Role.VIEWER]
    token, _key = create_token(user, name="Default")
    assert token.expires_at - timezone.now() == pytest.approx(
        timedelta(days=90), abs=timedelta(minutes=1)
    )
    with pytest.raises(ValidationError) as error:
        create_token(user, name="Forever", lifetime_days=366)
    assert "lifetime_days" in error.value.message_dict
    with pytest.raises(ValidationError):
        create_token(user, name="   ")


def test_a_valid_key_reads_and_its_use_is_noted(client, world):
    token, key = create_token(world.users[Role.VIEWER], name="Excel")
    response = client.get(AUTHORITIES, headers=headers(key))
    assert response.status_code == 200
    assert [a["slug"] for a in response.json()["items"]] == [world.authority.slug]
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.history.count() == 1  # using a token is not a change to it


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda t: setattr(t, "expires_at", timezone.now()), id="expired"),
        pytest.param(lambda t: setattr(t, "revoked_at", timezone.now()), id="revoked"),
        pytest.param(lambda t: setattr(t.user, "is_active", False), id="user deactivated"),
    ],
)
def test_expired_revoked_and_deactivated_tokens_are_refused(client, world, spoil):
    token, key = create_token(world.users[Role.ADMINISTRATOR], name="Script")
    spoil(token)
    token.user.save()
    token.save()
    response = client.get(AUTHORITIES, headers=headers(key))
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "authorization",
    ["", "Bearer", "Bearer not-a-key", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 5000],
    ids=["none", "empty", "unknown", "basic", "huge"],
)
def test_anything_but_a_valid_key_is_refused(client, world, authorization):
    response = client.get(AUTHORITIES, headers={"Authorization": authorization})
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Give a valid API token")


def test_a_session_is_not_enough(client, world):
    """Token only: a signed-in browser cannot be tricked into writing (no CSRF to weigh)."""
    client.force_login(world.users[Role.ADMINISTRATOR])
    assert client.get(AUTHORITIES).status_code == 401


def test_revoking_stops_the_key_at_once_and_is_recorded(client, world):
    user = world.users[Role.ADMINISTRATOR]
    token, key = create_token(user, name="Old laptop")
    assert client.get(AUTHORITIES, headers=headers(key)).status_code == 200
    revoke_token(user, token)
    assert client.get(AUTHORITIES, headers=headers(key)).status_code == 401
    latest = token.history.first()
    assert latest.revoked_at is not None
    assert latest.history_user == user


# Pages ---------------------------------------------------------------------------------------


def test_the_key_is_shown_once_and_the_list_shows_only_its_prefix(client, world):
    user = world.users[Role.ACTION_LEAD]
    client.force_login(user)
    assert client.get("/account/tokens/new/").status_code == 200
    made = client.post("/account/tokens/new/", {"name": "Power BI", "lifetime_days": "30"})
    assert made.status_code == 200
    token = ApiToken.objects.get(user=user)
    key = made.context["key"]
    assert key in made.content.decode()
    assert "no-store" in made["Cache-Control"]
    listing = client.get("/account/tokens/").content.decode()
    assert token.prefix in listing
    assert key not in listing
    assert "Power BI" in listing
    assert token.expires_at - timezone.now() == pytest.approx(
        timedelta(days=30), abs=timedelta(minutes=1)
    )


def test_a_token_needs_a_name_and_an_allowed_lifetime(client, world):
    client.force_login(world.users[Role.VIEWER])
    response = client.post("/account/tokens/new/", {"name": "", "lifetime_days": "3650"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "lifetime_days"}
    assert not ApiToken.objects.exists()


def test_people_revoke_their_own_tokens_only(client, world):
    mine, _ = create_token(world.users[Role.VIEWER], name="Mine")
    theirs, _ = create_token(world.users[Role.ADMINISTRATOR], name="Theirs")
    client.force_login(world.users[Role.VIEWER])
    assert client.get(f"/account/tokens/{theirs.pk}/revoke/").status_code == 404
    assert client.post(f"/account/tokens/{theirs.pk}/revoke/").status_code == 404
    assert client.get(f"/account/tokens/{mine.pk}/revoke/").status_code == 200
    assert client.post(f"/account/tokens/{mine.pk}/revoke/").status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None
    assert theirs.revoked_at is None
    assert "Revoked" in client.get("/account/tokens/").content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    for url in ("/account/tokens/", "/account/tokens/new/", "/account/tokens/1/revoke/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/sign-in/")
