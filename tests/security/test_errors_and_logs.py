"""docs/security.md #13: errors show a reference, never a stack trace; passwords and session ids
never reach the logs."""

import logging
import re

import pytest
from django.conf import settings
from django.test import override_settings

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.lines.append(text)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def logs():
    """Everything logged at any level by any logger while the test runs."""
    root, handler = logging.getLogger(), Collect()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    yield handler
    root.removeHandler(handler)
    root.setLevel(level)


@override_settings(ROOT_URLCONF="tests.security.error_urls")
def test_a_server_error_shows_a_reference_and_logs_the_error_under_it(client, logs):
    client.raise_request_exception = False
    response = client.get("/broken/")
    assert response.status_code == 500
    page = response.content.decode()
    assert "Sorry, there is a problem with the service" in page
    assert "Traceback" not in page
    assert "do-not-show-this" not in page
    reference = re.search(r"reference: <strong>([0-9A-F]{8})</strong>", page).group(1)
    assert f"Server error reference {reference}" in logs.text
    assert "do-not-show-this" in logs.text  # the log, not the page, holds the error


def test_not_found_shows_our_page_not_a_debug_page(client):
    response = client.get("/no-such-authority/nothing-here/")
    assert response.status_code == 404
    assert "Traceback" not in response.content.decode()
    assert "URLconf" not in response.content.decode()


def test_signing_in_and_failing_never_logs_passwords_or_session_ids(client, logs):
    user = UserFactory()
    wrong = "Wrong-Password-That-Is-Secret"
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        client.post("/sign-in/", {"username": user.username, "password": wrong})
    other = UserFactory()
    client.post("/sign-in/", {"username": other.username, "password": PASSWORD})
    session_id = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.get("/")
    client.post("/sign-out/")
    assert logs.lines, "nothing was logged: the test would prove nothing"
    assert wrong not in logs.text
    assert PASSWORD not in logs.text
    assert session_id not in logs.text


@override_settings(ROOT_URLCONF="tests.security.error_urls")
def test_a_server_error_log_holds_no_session_id(client, logs):
    client.force_login(UserFactory())
    session_id = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.raise_request_exception = False
    client.get("/broken/")
    assert "Server error reference" in logs.text
    assert session_id not in logs.text
