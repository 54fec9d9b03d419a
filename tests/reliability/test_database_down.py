"""docs/security.md #18: with PostgreSQL stopped the app answers 503 and recovers by itself.

The unit tests raise the database's errors where they arise: in a view, and in the session
middleware before any view. The end-to-end test (PostgreSQL only) serves the app with gunicorn
in another process through a TCP proxy in front of PostgreSQL, stops the proxy (listener and
open connections: to the app, the database is gone), then starts it again on the same port.
"""

import http.client
import logging
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError, connection
from django.test import override_settings

from g2g.tenancy.models import Role

ROOT = Path(__file__).resolve().parents[2]
ANSWER_WITHIN_SECONDS = 15  # generous: a refused connection fails in milliseconds
REFERENCE = re.compile(r"reference: <strong>([0-9A-F]{8})</strong>")


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(record.getMessage())

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@pytest.fixture
def logs():
    """What the 503 page's logger writes while the test runs."""
    logger, handler = logging.getLogger("g2g.core.views"), Collect()
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)


def assert_unavailable_page(response, logs) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Sorry, the service is unavailable" in page
    assert "Connection refused" not in page
    assert "Traceback" not in page
    reference = REFERENCE.search(page).group(1)
    assert f"Database unavailable, reference {reference}" in logs.text


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.reliability.database_down_urls")
def test_a_database_error_in_a_view_answers_503_with_a_reference(client, logs):
    client.raise_request_exception = False
    assert_unavailable_page(client.get("/database-gone/"), logs)


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="tests.reliability.database_down_urls")
def test_other_errors_are_still_500(client):
    client.raise_request_exception = False
    assert client.get("/broken/").status_code == 500


@pytest.mark.django_db
def test_a_database_error_before_any_view_answers_503(client, world, logs, monkeypatch):
    """The session is read in middleware (when the signed-in user is first needed)."""
    client.force_login(world.users[Role.VIEWER])

    def refuse(self):
        raise OperationalError("connection to server failed: Connection refused")

    monkeypatch.setattr(SessionStore, "load", refuse)
    client.raise_request_exception = False
    assert_unavailable_page(client.get(f"/{world.authority.slug}/actions/"), logs)


# ---------------------------------------------------------------------------------------------
# End to end: PostgreSQL goes away and comes back


class Proxy:
    """TCP proxy to `target`; `stop` closes the listener and every open connection."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = free_port()
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._listener: socket.socket | None = None

    def start(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        listener.settimeout(0.1)
        self._listener, self._stopped = listener, threading.Event()
        threading.Thread(target=self._accept, args=(listener, self._stopped), daemon=True).start()

    def stop(self) -> None:
        self._stopped.set()
        self._listener.close()
        with self._lock:
            sockets, self._open = self._open, set()
        for sock in sockets:
            _close(sock)

    def _accept(self, listener: socket.socket, stopped: threading.Event) -> None:
        while not stopped.is_set():
            try:
                client, _address = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            upstream = socket.create_connection(self.target, timeout=5)
            upstream.settimeout(None)
            with self._lock:
                self._open |= {client, upstream}
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pipe, args=(source, sink), daemon=True).start()


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        _close(source)
        _close(sink)


def _close(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    sock.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, url: str, cookie: str) -> tuple[int, dict, str, float]:
    """Status, headers, body and seconds taken."""
    began = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", url, headers={"Cookie": cookie})
        response = conn.getresponse()
        body = response.read().decode()
        return response.status, dict(response.getheaders()), body, time.perf_counter() - began
    finally:
        conn.close()


@pytest.fixture
def proxy():
    database = connection.settings_dict
    running = Proxy((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
    running.start()
    yield running
    running.stop()


@pytest.fixture
def app_server(proxy, tmp_path):
    """gunicorn (one worker, so one kept connection) on the test database, through the proxy."""
    database = connection.settings_dict
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "g2g.settings.test",
        "DATABASE_URL": (
            f"postgres://{database['USER']}{password}@127.0.0.1:{proxy.port}/{database['NAME']}"
        ),
        "CONN_MAX_AGE": "600",  # the connection outlives the outage: health checks must see it
    }
    command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    command += ["--chdir", str(ROOT), "--log-level", "warning", "g2g.wsgi:application"]
    log = tmp_path / "gunicorn.log"  # a file, not a pipe: a full pipe would stall the worker
    server = subprocess.Popen(  # noqa: S603 - our own gunicorn on loopback
        command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log.open("w")
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail(f"gunicorn did not start: {log.read_text()[-2000:]}")
            time.sleep(0.2)
    yield port, server, log
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="stopping the database server is a PostgreSQL matter: runs in the PostgreSQL pass",
)
@pytest.mark.django_db(transaction=True)
def test_with_postgresql_gone_pages_answer_503_and_recover_by_themselves(
    client, world, proxy, app_server
):
    port, server, log = app_server
    client.force_login(world.users[Role.VIEWER])
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    url = f"/{world.authority.slug}/actions/"

    status, _headers, body, _took = get(port, url, cookie)
    assert status == 200
    assert world.led_action.ref in body

    proxy.stop()
    status, headers, body, down_took = get(port, url, cookie)
    assert status == 503, body[:500]
    assert headers["Retry-After"] == "30"
    assert "Sorry, the service is unavailable" in body
    reference = REFERENCE.search(body).group(1)
    assert down_took < ANSWER_WITHIN_SECONDS
    status, *_ = get(port, url, cookie)  # still down: still 503, not a hang or a 500
    assert status == 503

    proxy.start()
    status, _headers, body, up_took = get(port, url, cookie)
    assert status == 200, body[:500]  # the first request after the restart, same process
    assert world.led_action.ref in body
    assert server.poll() is None
    assert f"Database unavailable, reference {reference}" in log.read_text()
    print(
        f"\n503 in {down_took * 1000:.0f} ms with the database gone; 200 in "
        f"{up_took * 1000:.0f} ms on the first request after it came back"
    )
