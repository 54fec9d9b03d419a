"""SECURITY.md #10: `check --deploy` is clean at WARNING with the production settings."""

import os
import secrets
import subprocess  # nosec B404: runs this project's own check command, no shell
import sys


def deploy_check(**extra_env: str) -> subprocess.CompletedProcess:
    # A clean environment, as on a server: nothing from the test run (e.g. the browser tests'
    # DJANGO_ALLOW_ASYNC_UNSAFE, which the deploy check rightly refuses) leaks in.
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "g2g.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": "sqlite:///:memory:",
        "ALLOWED_HOSTS": "g2g.example.gov.uk",
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
