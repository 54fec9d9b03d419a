"""docs/security.md #10: safe defaults — CSP with no inline script, nosniff, Referrer-Policy,
no-store on signed-in pages, HSTS and secure cookies in production."""

import base64
import hashlib
import importlib
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from g2g.measures.charts import Series, trend_chart_svg
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
SRC = Path(__file__).resolve().parents[2] / "src" / "g2g"


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


@pytest.fixture
def signed_in_page(client, world):
    client.force_login(world.users["viewer"])
    return client.get(f"/{world.authority.slug}/")


def test_a_signed_in_page_carries_a_strict_policy(signed_in_page):
    assert signed_in_page.status_code == 200
    policy = directives(signed_in_page["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["script-src-attr"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["style-src"] + policy["style-src-elem"]
    assert not any("unsafe-eval" in value for values in policy.values() for value in values)


def test_a_signed_in_page_carries_the_other_headers(signed_in_page):
    assert signed_in_page["X-Content-Type-Options"] == "nosniff"
    assert signed_in_page["Referrer-Policy"] == "same-origin"
    assert signed_in_page["X-Frame-Options"] == "DENY"
    assert "no-store" in signed_in_page["Cache-Control"]


def test_the_sign_in_page_has_the_policy_too(client):
    response = client.get("/sign-in/")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_the_session_and_csrf_cookies_are_httponly_and_samesite(client):
    user = UserFactory()
    client.post("/sign-in/", {"username": user.username, "password": PASSWORD})
    session = client.cookies[settings.SESSION_COOKIE_NAME]
    assert session["httponly"]
    assert session["samesite"] == "Lax"
    assert settings.CSRF_COOKIE_SAMESITE == "Lax"


def test_production_sends_hsts_and_secure_cookies():
    production = importlib.import_module("g2g.settings.production")
    assert production.DEBUG is False
    assert production.SECURE_HSTS_SECONDS >= 31536000
    assert production.SECURE_HSTS_INCLUDE_SUBDOMAINS is True
    assert production.SESSION_COOKIE_SECURE is True
    assert production.CSRF_COOKIE_SECURE is True
    assert production.SECURE_SSL_REDIRECT is True
    # The test settings' policy is not changed by importing production's.
    assert "upgrade-insecure-requests" not in settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]


@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_hsts_is_sent_over_https(client):
    response = client.get("/sign-in/", secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_chart_style_element_is_allowed_by_its_hash():
    """Matplotlib's SVG carries one fixed <style> element; the policy allows exactly it."""
    svg = trend_chart_svg("Test", "%", [Series("A", [(date(2025, 1, 1), Decimal(1))])])
    styles = re.findall(r"<style[^>]*>(.*?)</style>", svg, re.S)
    assert styles, "matplotlib no longer emits a <style> element: drop the hash from the policy"
    allowed = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src-elem"]
    for style in styles:
        digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed


def template_files():
    return sorted(SRC.glob("**/templates/**/*.html"))


@pytest.mark.parametrize("template", template_files(), ids=lambda path: path.name)
def test_no_template_has_inline_script_or_event_handlers(template):
    text = template.read_text()
    for tag in re.findall(r"<script\b[^>]*>", text, re.I):
        assert "src=" in tag, f"{template}: inline <script> (the CSP blocks it)"
    assert not re.search(r"\son[a-z]+\s*=", text, re.I), f"{template}: inline event handler"
    assert not re.search(r"\sstyle\s*=", text, re.I), f"{template}: inline style attribute"
