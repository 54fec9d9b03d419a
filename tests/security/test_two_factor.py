"""docs/security.md #7: optional 2-step verification (TOTP) for administrators and improvement
leads.

Codes are computed as the user's app would, with django-otp's own TOTP, against a clock the test
moves on by one 30-second step whenever a new code is needed (a code is accepted once)."""

import base64
import re
import time
from datetime import timedelta

import pytest
from django.db.models import F
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp import models as totp_models
from django_otp.plugins.otp_totp.models import TOTPDevice

from g2g.api.models import ApiToken
from g2g.core.models import AuditEvent
from g2g.tenancy import two_factor
from g2g.tenancy.models import Role
from tests.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
Kind = AuditEvent.Kind

ACCOUNT = "/account/2-step-verification/"
SET_UP = ACCOUNT + "set-up/"
TURN_OFF = ACCOUNT + "turn-off/"
NEW_CODES = ACCOUNT + "backup-codes/"
CODE = "/sign-in/code/"
BACKUP = "/sign-in/backup-code/"


class Clock:
    """Stands in for the `time` module inside django-otp's TOTP device."""

    def __init__(self):
        self.now = float(int(time.time()))

    def time(self) -> float:
        return self.now

    def tick(self) -> None:
        self.now += 30


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(totp_models, "time", clock)
    monkeypatch.setattr(two_factor, "time", clock)  # a set-up's key, checked before it is saved
    return clock


def shown_device(page: str) -> TOTPDevice:
    """The app a person sets up from the key the set-up page shows (unsaved: only the key)."""
    key = re.search(r'id="setup-key">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    return TOTPDevice(key=base64.b32decode(key + "=" * (-len(key) % 8)).hex())


def code_now(device: TOTPDevice, clock: Clock, drift: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift + drift)
    totp.time = clock.now
    return f"{totp.token():0{device.digits}d}"


def new_code(device: TOTPDevice, clock: Clock) -> str:
    """The code the app shows 30 seconds later (the last one was used)."""
    clock.tick()
    return code_now(device, clock)


def wrong_code(device: TOTPDevice, clock: Clock) -> str:
    """A 6-digit code that no step within the tolerance accepts."""
    valid = {code_now(device, clock, drift) for drift in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(10**6) if f"{n:06d}" not in valid)


def let_throttle_pass(model) -> None:
    """As if the throttle's delay had passed (it is seconds to minutes in real time)."""
    model.objects.update(
        throttling_failure_timestamp=F("throttling_failure_timestamp") - timedelta(days=1)
    )


def app_device(user) -> TOTPDevice:
    return TOTPDevice.objects.get(user=user, confirmed=True)


def events(kind) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(kind=kind).order_by("pk"))


def set_up(client, user, clock) -> list[str]:
    """Turn it on through the pages; returns the backup codes shown."""
    client.force_login(user)
    page = client.get(SET_UP)
    assert page.status_code == 200
    device = shown_device(page.content.decode())
    response = client.post(SET_UP, {"code": new_code(device, clock)})
    assert response.status_code == 200
    return re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())


def sign_in_with_password(client, user):
    client.logout()
    response = client.post("/sign-in/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


@pytest.fixture
def lead(world):
    return world.users[Role.IMPROVEMENT_LEAD]


# Setting it up


def test_set_up_refuses_a_wrong_code_then_accepts_the_right_one(client, world, lead, clock):
    client.force_login(lead)
    page = client.get(SET_UP).content.decode()
    device = shown_device(page)
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    assert " ".join(re.findall(".{1,4}", key)) in page  # the key in groups of 4, to type
    assert 'src="data:image/svg+xml;base64,' in page

    response = client.post(SET_UP, {"code": wrong_code(device, clock)})
    assert "The security code is not right" in response.content.decode()
    assert shown_device(response.content.decode()).key == device.key  # the same key again
    assert not two_factor.is_on(lead)

    response = client.post(SET_UP, {"code": new_code(device, clock)})
    assert response.status_code == 200
    assert "2-step verification is on" in response.content.decode()
    codes = re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())
    assert len(codes) == len(set(codes)) == 10
    assert two_factor.is_on(lead)
    assert StaticToken.objects.filter(device__user=lead).count() == 10
    # This session proved the code: it goes on to authority pages without asking again.
    assert client.get(f"/{world.authority.slug}/").status_code == 200
    assert [event.user for event in events(Kind.TWO_FACTOR_SET_UP)] == [lead]
    failure = events(Kind.TWO_FACTOR_FAILED)[0]
    assert failure.detail == {
        "method": "authenticator app",
        "purpose": "set up",
        "throttled": False,
    }


def test_the_qr_code_is_an_svg_image_holding_the_key(client, lead):
    client.force_login(lead)
    page = client.get(SET_UP).content.decode()
    data = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', page).group(1)
    svg = base64.b64decode(data).decode()
    assert svg.startswith("<svg")
    assert "<script" not in svg
    assert "style" not in svg
    device = shown_device(page)
    device.user = lead
    url = two_factor.config_url(device)
    assert url.startswith("otpauth://totp/Getting%20to%20Good%3A")
    assert "secret=" + base64.b32encode(device.bin_key).decode().rstrip("=") in url
    assert "issuer=Getting%20to%20Good" in url


def test_opening_the_set_up_page_saves_no_key_and_each_opening_makes_a_new_one(client, lead):
    """docs/security.md #7 (issue 19): the key being set up is kept in the session, not the
    database, and is new each time the page opens: a key someone saw on an earlier opening
    (on the user's unlocked computer, say) is not the one the user goes on to scan."""
    client.force_login(lead)
    first = shown_device(client.get(SET_UP).content.decode())
    second = shown_device(client.get(SET_UP).content.decode())
    assert first.key != second.key
    assert not TOTPDevice.objects.filter(user=lead).exists()


def test_a_key_seen_in_another_session_never_gives_the_users_codes(client, lead, clock):
    """Whoever opened the user's set-up page elsewhere saw a key of that session alone: the key
    the user confirms is another, and codes from the seen key neither confirm nor sign in."""
    from django.test import Client

    onlooker = Client()
    onlooker.force_login(lead)
    seen = shown_device(onlooker.get(SET_UP).content.decode())

    set_up(client, lead, clock)
    assert app_device(lead).key != seen.key
    assert list(TOTPDevice.objects.filter(user=lead).values_list("confirmed", flat=True)) == [True]
    sign_in_with_password(client, lead)
    response = client.post(CODE, {"code": new_code(seen, clock)})
    assert "The security code is not right" in response.content.decode()
    assert not client.session.get("otp_device_id")


def test_a_code_from_an_earlier_opening_of_the_page_does_not_confirm(client, lead, clock):
    client.force_login(lead)
    earlier = shown_device(client.get(SET_UP).content.decode())
    client.get(SET_UP)  # opened again: a new key
    response = client.post(SET_UP, {"code": new_code(earlier, clock)})
    assert "The security code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=lead).exists()


def test_unconfirmed_keys_kept_before_are_deleted_by_the_migration(lead):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("g2g.tenancy.migrations.0003_forget_pending_totp_keys")
    TOTPDevice.objects.create(user=lead, name="Authenticator app", confirmed=False)
    confirmed = TOTPDevice.objects.create(user=lead, name="Authenticator app", confirmed=True)
    migration.forget_pending_keys(apps, None)
    assert list(TOTPDevice.objects.filter(user=lead)) == [confirmed]


@pytest.mark.parametrize("role", [Role.ACTION_LEAD, Role.VIEWER, Role.REGIONAL_VIEWER])
def test_other_roles_cannot_turn_it_on(client, world, clock, role):
    user = world.users[role]
    client.force_login(user)
    assert "2-step verification" not in client.get("/", follow=True).content.decode()
    assert client.get(ACCOUNT).status_code == 403
    assert client.get(SET_UP).status_code == 403
    assert client.post(SET_UP, {"code": "123456"}).status_code == 403
    assert not TOTPDevice.objects.filter(user=user).exists()


@pytest.mark.parametrize("role", [Role.ADMINISTRATOR, Role.IMPROVEMENT_LEAD])
def test_administrators_and_improvement_leads_see_the_option(client, world, role):
    client.force_login(world.users[role])
    assert f'href="{ACCOUNT}"' in client.get("/", follow=True).content.decode()
    page = client.get(ACCOUNT).content.decode()
    assert "Set up 2-step verification" in page


# Signing in


def test_sign_in_asks_for_the_code_before_any_page(client, world, lead, clock):
    set_up(client, lead, clock)
    response = sign_in_with_password(client, lead)
    assert client.get(response.url)["Location"] == f"{CODE}?next=/"
    authority_page = f"/{world.authority.slug}/actions/"
    assert client.get(authority_page)["Location"] == f"{CODE}?next=/{world.authority.slug}/actions/"

    page = client.get(CODE).content.decode()
    assert 'autocomplete="one-time-code"' in page
    assert 'inputmode="numeric"' in page
    session_before = client.session.session_key
    response = client.post(
        CODE, {"code": new_code(app_device(lead), clock), "next": authority_page}
    )
    assert response.status_code == 302
    assert response["Location"] == authority_page
    assert client.get(authority_page).status_code == 200
    assert client.session.session_key != session_before  # a new id once verified
    assert events(Kind.TWO_FACTOR_VERIFIED)[-1].detail == {"method": "authenticator app"}


def test_the_code_page_does_not_send_people_elsewhere(client, lead, clock):
    set_up(client, lead, clock)
    sign_in_with_password(client, lead)
    response = client.post(
        CODE, {"code": new_code(app_device(lead), clock), "next": "https://example.com/"}
    )
    assert response["Location"] == "/"


def test_a_wrong_code_is_refused_clearly_and_throttled(client, world, lead, clock):
    set_up(client, lead, clock)
    sign_in_with_password(client, lead)
    device = app_device(lead)
    failures = 5
    for _ in range(failures):
        response = client.post(CODE, {"code": wrong_code(device, clock)})
        assert response.status_code == 200
        page = response.content.decode()
        assert "There is a problem" in page
        assert "The security code is not right or has expired" in page
        let_throttle_pass(TOTPDevice)
    client.post(CODE, {"code": wrong_code(device, clock)})
    # Now 6 failures in a row: the next try must wait 2^5 = 32 seconds, even with the right code.
    response = client.post(CODE, {"code": new_code(device, clock)})
    assert "You entered a wrong code too many times. Wait" in response.content.decode()
    assert client.get(f"/{world.authority.slug}/").status_code == 302
    assert events(Kind.TWO_FACTOR_FAILED)[-1].detail["throttled"] is True
    assert len(events(Kind.TWO_FACTOR_FAILED)) == failures + 2

    let_throttle_pass(TOTPDevice)  # the throttle lifts: not a permanent lock
    response = client.post(CODE, {"code": new_code(device, clock)})
    assert response.status_code == 302
    assert app_device(lead).throttling_failure_count == 0


def test_a_code_is_accepted_only_once(client, lead, clock):
    set_up(client, lead, clock)
    sign_in_with_password(client, lead)
    code = new_code(app_device(lead), clock)
    assert client.post(CODE, {"code": code}).status_code == 302
    sign_in_with_password(client, lead)
    response = client.post(CODE, {"code": code})
    assert response.status_code == 200
    assert "not right or has expired" in response.content.decode()


def test_a_code_must_be_six_digits(client, lead, clock):
    set_up(client, lead, clock)
    sign_in_with_password(client, lead)
    page = client.post(CODE, {"code": "12345"}).content.decode()
    assert "The security code must be 6 digits" in page
    page = client.post(CODE, {"code": ""}).content.decode()
    assert "Enter the 6 digit security code" in page
    assert app_device(lead).throttling_failure_count == 0  # not a guess: not counted


def test_a_backup_code_works_once(client, world, lead, clock):
    codes = set_up(client, lead, clock)
    sign_in_with_password(client, lead)
    assert client.get(BACKUP).status_code == 200
    response = client.post(BACKUP, {"code": codes[0].upper()})
    assert response.status_code == 302
    assert client.get(f"/{world.authority.slug}/").status_code == 200
    assert events(Kind.TWO_FACTOR_VERIFIED)[-1].detail == {
        "method": "backup code",
        "codes_left": 9,
    }

    sign_in_with_password(client, lead)
    response = client.post(BACKUP, {"code": codes[0]})
    assert "not right or has been used already" in response.content.decode()
    assert client.get(f"/{world.authority.slug}/").status_code == 302
    let_throttle_pass(StaticDevice)
    assert client.post(BACKUP, {"code": codes[1]}).status_code == 302


# Kept out until verified


def test_an_unverified_user_reaches_no_authority_page_token_page_or_admin(
    client, world, lead, clock
):
    lead.is_staff = lead.is_superuser = True
    lead.save()
    set_up(client, lead, clock)
    client.logout()
    client.force_login(lead)  # a password sign-in, without the code
    for url in [
        f"/{world.authority.slug}/",
        f"/{world.authority.slug}/actions/{world.led_action.pk}/",
        "/account/tokens/",
        "/account/tokens/new/",
        ACCOUNT,
        TURN_OFF,
        "/admin/",
        "/admin/core/auditevent/",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(CODE + "?next="), url
    response = client.post("/account/tokens/new/", {"name": "Sneaky", "lifetime_days": 30})
    assert response.status_code == 302
    assert not ApiToken.objects.exists()
    # After the code, the same pages open.
    client.post(CODE, {"code": new_code(app_device(lead), clock)})
    assert client.get("/admin/").status_code == 200
    assert client.get("/account/tokens/").status_code == 200


def test_signing_in_through_the_admin_still_asks_for_the_code(client, lead, clock):
    lead.is_staff = True
    lead.save()
    set_up(client, lead, clock)
    client.logout()
    client.post("/admin/login/", {"username": lead.username, "password": PASSWORD})
    assert client.get("/admin/")["Location"].startswith(CODE)


def test_users_without_it_are_not_asked_for_a_code(client, world):
    client.force_login(world.users[Role.ADMINISTRATOR])
    assert client.get(f"/{world.authority.slug}/").status_code == 200
    assert client.get(CODE)["Location"] == "/"


# Required by setting


def test_a_role_the_setting_requires_is_sent_to_set_it_up(client, world, lead, clock, settings):
    settings.G2G_REQUIRE_TOTP_FOR = [Role.IMPROVEMENT_LEAD]
    client.force_login(lead)
    authority_page = f"/{world.authority.slug}/"
    for url in ["/", authority_page, "/account/tokens/", ACCOUNT]:
        assert client.get(url)["Location"].startswith(SET_UP + "?next="), url
    response = client.get(f"{SET_UP}?next={authority_page}")
    assert "Your role needs 2-step verification" in response.content.decode()
    device = shown_device(response.content.decode())
    response = client.post(SET_UP, {"code": new_code(device, clock), "next": authority_page})
    assert f'href="{authority_page}"' in response.content.decode()  # "I have saved my codes"
    assert client.get(authority_page).status_code == 200
    # Other roles are not affected.
    client.force_login(world.users[Role.ADMINISTRATOR])
    assert client.get(authority_page).status_code == 200


def test_a_viewer_may_set_it_up_when_the_setting_requires_it_for_viewers(client, world, settings):
    settings.G2G_REQUIRE_TOTP_FOR = [Role.VIEWER]
    client.force_login(world.users[Role.VIEWER])
    assert client.get(SET_UP).status_code == 200


# Changes need a current code


def test_turning_it_off_needs_a_current_code(client, world, lead, clock):
    codes = set_up(client, lead, clock)
    assert client.get(TURN_OFF).status_code == 200
    response = client.post(TURN_OFF, {"code": wrong_code(app_device(lead), clock)})
    assert "The security code is not right" in response.content.decode()
    assert two_factor.is_on(lead)
    assert client.post(TURN_OFF, {"code": ""}).status_code == 200
    assert two_factor.is_on(lead)
    let_throttle_pass(TOTPDevice)

    response = client.post(TURN_OFF, {"code": new_code(app_device(lead), clock)})
    assert response["Location"] == ACCOUNT
    assert not TOTPDevice.objects.filter(user=lead).exists()
    assert not StaticDevice.objects.filter(user=lead).exists()
    assert [event.user for event in events(Kind.TWO_FACTOR_OFF)] == [lead]
    # Signing in needs only the password again; the backup codes are gone.
    sign_in_with_password(client, lead)
    assert client.get(f"/{world.authority.slug}/").status_code == 200
    assert not StaticToken.objects.filter(token=codes[0]).exists()


def test_a_backup_code_can_turn_it_off_when_the_phone_is_lost(client, lead, clock):
    codes = set_up(client, lead, clock)
    assert client.post(TURN_OFF, {"code": codes[3]}).status_code == 302
    assert not two_factor.is_on(lead)


def test_new_backup_codes_replace_the_old_ones(client, lead, clock):
    old = set_up(client, lead, clock)
    response = client.post(NEW_CODES, {"code": new_code(app_device(lead), clock)})
    new = re.findall(r"<li><code>(\w+)</code></li>", response.content.decode())
    assert len(new) == 10
    assert not set(new) & set(old)
    assert set(StaticToken.objects.values_list("token", flat=True)) == set(new)
    assert len(events(Kind.TWO_FACTOR_NEW_CODES)) == 1


def test_the_audit_log_holds_no_codes(client, lead, clock):
    codes = set_up(client, lead, clock)
    sign_in_with_password(client, lead)
    code = new_code(app_device(lead), clock)
    client.post(CODE, {"code": code})
    client.post(TURN_OFF, {"code": codes[0]})
    recorded = str(list(AuditEvent.objects.values_list()))
    assert code not in recorded
    assert not any(backup in recorded for backup in codes)
    kinds = list(AuditEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert [kind for kind in kinds if kind.startswith("two_factor")] == [
        Kind.TWO_FACTOR_SET_UP,
        Kind.TWO_FACTOR_VERIFIED,
        Kind.TWO_FACTOR_OFF,
    ]


def test_someone_without_a_role_cannot_use_it(client):
    client.force_login(UserFactory())
    assert client.get(ACCOUNT).status_code == 403
    MembershipFactory(role=Role.VIEWER)
    assert client.get(SET_UP).status_code == 403
