"""docs/security.md #10: `check --deploy` is clean at WARNING with the production settings;
#20: it fails when a reverse proxy is declared without `TRUSTED_PROXY_COUNT`, the one name the
settings, `.env.example` and docs/deploy.md give it."""

import os
import re
import secrets
import subprocess  # nosec B404: runs this project's own check command, no shell
import sys
from pathlib import Path

import pytest

from g2g.core.checks import check_proxy_count

PROJECT = Path(__file__).resolve().parents[2]


def deploy_check(**extra_env: str) -> subprocess.CompletedProcess:
    # A clean environment, as on a server: nothing from the test run (e.g. the browser tests'
    # DJANGO_ALLOW_ASYNC_UNSAFE, which the deploy check rightly refuses) leaks in.
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "g2g.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": "sqlite:///:memory:",
        "ALLOWED_HOSTS": "g2g.example.gov.uk",
        "TRUSTED_PROXY_COUNT": "1",  # production trusts its proxy's X-Forwarded-Proto
    }
    command = [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"]
    return subprocess.run(  # noqa: S603  # nosec B603: fixed arguments, no shell
        command, env=env | extra_env, capture_output=True, text=True, timeout=120, check=False
    )


def test_the_production_settings_pass_the_deploy_check():
    result = deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_check_does_fail_when_a_setting_is_weakened():
    """The test above can fail: without HSTS preload Django warns (security.W021)."""
    result = deploy_check(SECURE_HSTS_PRELOAD="false")
    assert result.returncode != 0
    assert "security.W021" in result.stdout + result.stderr


def test_a_proxy_declared_without_its_count_fails_the_deploy_check():
    """The production settings trust X-Forwarded-Proto (a proxy ends TLS): without
    TRUSTED_PROXY_COUNT lockout would count the proxy's address, so the check fails. The name
    an older deploy guide gave (AXES_PROXY_COUNT) does not count."""
    result = deploy_check(TRUSTED_PROXY_COUNT="0", AXES_PROXY_COUNT="1")
    assert result.returncode != 0
    assert "g2g.E001" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("declared", "count", "fails"),
    [
        ({"SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")}, 0, True),
        ({"USE_X_FORWARDED_HOST": True}, 0, True),
        ({"USE_X_FORWARDED_PORT": True}, 0, True),
        ({"USE_X_FORWARDED_HOST": True}, -1, True),
        ({"SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https")}, 1, False),
        ({}, 0, False),  # no proxy declared: REMOTE_ADDR is the client
    ],
    ids=["ssl-header", "forwarded-host", "forwarded-port", "negative", "counted", "no-proxy"],
)
def test_the_proxy_check(settings, declared, count, fails):
    settings.SECURE_PROXY_SSL_HEADER = None
    settings.USE_X_FORWARDED_HOST = settings.USE_X_FORWARDED_PORT = False
    for name, value in declared.items():
        setattr(settings, name, value)
    settings.TRUSTED_PROXY_COUNT = count
    assert [message.id for message in check_proxy_count()] == (["g2g.E001"] if fails else [])


def _names_read_by_settings() -> set[str]:
    text = "".join(path.read_text() for path in (PROJECT / "src/g2g/settings").glob("*.py"))
    return set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z0-9_]+)"', text)) | {"DJANGO_SETTINGS_MODULE"}


def test_every_setting_the_deploy_guide_and_env_example_name_is_read():
    """An operator following docs/deploy.md or .env.example sets names the settings read: the
    guide once told them to set AXES_PROXY_COUNT, which nothing read (issue 19)."""
    guide = (PROJECT / "docs/deploy.md").read_text()
    rows = re.findall(r"^\| (`[A-Z0-9_]+`(?:, `[A-Z0-9_]+`)*) \|", guide, flags=re.MULTILINE)
    named = {name for row in rows for name in re.findall(r"`([A-Z0-9_]+)`", row)}
    example = (PROJECT / ".env.example").read_text()
    named |= set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE))
    assert "TRUSTED_PROXY_COUNT" in named
    assert named - _names_read_by_settings() == set()
