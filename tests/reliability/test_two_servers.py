"""docs/deploy.md, "Scaling out": two app servers on one database, one Redis and one folder of
files answer as one service, with no sticky sessions.

Two gunicorn servers (as tests/reliability/test_database_down.py starts one) serve the test
database, with CACHE_URL pointing both at the machine's Redis (under a key prefix of this test's
own) and one MEDIA_ROOT. A person signs in through A and is signed in on B; an update with an
evidence file saved through B's page (with B's CSRF token) is on A's pages at once, its file
downloaded through A; a chart A drew is served by B from the shared cache, not drawn again; and
signing out through B signs them out of A. PostgreSQL only (SQLite is one file on one machine);
without Redis the test is skipped, unless REQUIRE_POSTGRES=1 (CI), when it fails instead.
"""

import os
import pickle  # nosec B403: reads back what Django's Redis cache itself wrote, in a test
import re
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection

from g2g.core.dates import current_period
from g2g.measures.models import MeasureValue
from g2g.plans.models import EvidenceFile
from g2g.tenancy.models import Role
from tests.factories import PASSWORD
from tests.redis_cache import REDIS_URL, delete_keys, new_prefix, redis_client, require_redis

ROOT = Path(__file__).resolve().parents[2]
START_WITHIN_SECONDS = 60
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="several app servers share a PostgreSQL database: runs in the PostgreSQL pass",
    ),
    pytest.mark.django_db(transaction=True),  # the servers must see the test's data
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url() -> str:
    """The test database, for the servers."""
    database = connection.settings_dict
    host, port = database["HOST"] or "127.0.0.1", database["PORT"] or 5432
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    return f"postgres://{database['USER']}{password}@{host}:{port}/{database['NAME']}"


@pytest.fixture
def cache_prefix():
    require_redis()
    prefix = new_prefix()
    yield prefix
    delete_keys(prefix)


@pytest.fixture
def servers(cache_prefix, tmp_path):
    """Two gunicorn servers (one worker each) sharing the database, the cache and the files."""
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": os.environ.get("HOME", str(tmp_path)),  # matplotlib's font cache, built once
        "DJANGO_SETTINGS_MODULE": "g2g.settings.test",
        "DATABASE_URL": database_url(),
        "G2G_TEST_CACHE_URL": REDIS_URL,  # what CACHE_URL is to the other settings
        "CACHE_KEY_PREFIX": cache_prefix,
        "G2G_TEST_MEDIA_ROOT": str(tmp_path / "media"),  # what MEDIA_ROOT is to the others
    }
    started = []
    for name in ("a", "b"):
        port, log = free_port(), tmp_path / f"gunicorn-{name}.log"  # a file: a pipe could fill
        command = [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}"]
        command += ["--workers", "1", "--chdir", str(ROOT), "--log-level", "warning"]
        server = subprocess.Popen(  # noqa: S603 - our own gunicorn on loopback
            [*command, "g2g.wsgi:application"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=log.open("w"),
        )
        started.append((port, server, log))
    try:
        deadline = time.monotonic() + START_WITHIN_SECONDS
        for port, server, log in started:
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline or server.poll() is not None:
                        pytest.fail(f"gunicorn did not start: {log.read_text()[-2000:]}")
                    time.sleep(0.2)
        yield [f"http://127.0.0.1:{port}" for port, _server, _log in started]
        for _port, server, log in started:
            assert server.poll() is None, log.read_text()[-2000:]
    finally:
        for _port, server, _log in started:
            server.terminate()
        for _port, server, _log in started:
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()


class Browser:
    """One person's browser: its cookies go to whichever server the load balancer picks."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, method: str, server: str, path: str, **kwargs) -> requests.Response:
        response = requests.request(
            method,
            server + path,
            cookies=self.cookies,
            allow_redirects=False,
            timeout=60,
            **kwargs,
        )
        for cookie in response.cookies:
            if cookie.value:
                self.cookies[cookie.name] = cookie.value
            else:  # deleted (signing out)
                self.cookies.pop(cookie.name, None)
        return response

    def get(self, server: str, path: str) -> requests.Response:
        return self.request("GET", server, path)

    def post_form(self, server: str, path: str, data: dict, **kwargs) -> tuple:
        """Post the form of the page at `path`, as served by `server`, with its CSRF token:
        the answer, and the page the form was on."""
        page = self.get(server, path)
        assert page.status_code == 200, page.text[:500]
        data = {"csrfmiddlewaretoken": CSRF.search(page.text).group(1), **data}
        return self.request("POST", server, path, data=data, **kwargs), page


def test_two_app_servers_share_sessions_writes_files_and_the_cache(world, servers, cache_prefix):
    began = time.perf_counter()
    a, b = servers
    slug, action = world.authority.slug, world.led_action
    lead = world.users[Role.ACTION_LEAD]
    browser = Browser()
    action.updates.all().delete()  # this month's update is the one the lead writes below

    # Signed in through A, signed in on B.
    signed_in, _page = browser.post_form(
        a, "/sign-in/", {"username": lead.username, "password": PASSWORD}
    )
    assert signed_in.status_code == 302, signed_in.text[:500]
    on_b = browser.get(b, f"/{slug}/actions/")
    assert on_b.status_code == 200
    assert action.ref in on_b.text

    # An update with an evidence file, saved through B's page, is on A's at once.
    update_url = f"/{slug}/actions/{action.pk}/update/"
    narrative, evidence = "Saved through server B", b"month,value\n2025-03,31.4\n"
    form = browser.get(b, update_url)
    assert form.status_code == 200, (form.status_code, form.headers, form.text[:300])
    saved, _page = browser.post_form(
        b,
        update_url,
        {
            "period": current_period().isoformat(),
            "narrative": narrative,
            "action_rating": "green",
            "evidence_text": "Audit report.",
            "version": VERSION.search(form.text).group(1),
            "intent": "draft",
        },
        files={"evidence_files": ("audit.csv", evidence, "text/csv")},
    )
    assert saved.status_code == 302, saved.text[:1000]
    on_a = browser.get(a, update_url)
    assert on_a.status_code == 200
    assert narrative in on_a.text
    stored = EvidenceFile.objects.get(update__action=action, name="audit.csv")
    download = browser.get(a, f"/{slug}/rounds/evidence/{stored.pk}/")
    assert download.status_code == 200
    assert download.content == evidence

    # A chart drawn by A is served by B from the shared cache: B shows what the cache holds.
    for month, value in ((1, 40), (2, 45), (3, 52)):
        MeasureValue.objects.create(measure=world.measure, period=date(2025, month, 1), value=value)
    measure_url = f"/{slug}/measures/{world.measure.pk}/"
    assert browser.get(a, measure_url).status_code == 200
    redis = redis_client()
    keys = redis.keys(f"{cache_prefix}:1:chart:*:svg")
    assert len(keys) == 1, keys
    drawn = pickle.loads(redis.get(keys[0]))  # noqa: S301  # nosec B301: the cache's own value
    marker = "<!-- kept in the shared cache by server A -->"
    redis.set(keys[0], pickle.dumps(marker + drawn), keepttl=True)
    on_b = browser.get(b, measure_url)
    assert on_b.status_code == 200
    assert marker + drawn in on_b.text  # not drawn again by B
    assert redis.keys(f"{cache_prefix}:1:chart:*:svg") == keys

    # Signed out through B: the session is gone for A too, even with the old cookie.
    copied = dict(browser.cookies)
    page = browser.get(b, f"/{slug}/actions/")
    token = CSRF.search(page.text).group(1)
    signed_out = browser.request("POST", b, "/sign-out/", data={"csrfmiddlewaretoken": token})
    assert signed_out.status_code == 302
    replayed = requests.get(
        a + f"/{slug}/actions/", cookies=copied, allow_redirects=False, timeout=60
    )
    assert replayed.status_code == 302  # to the sign-in page
    assert replayed.headers["Location"].startswith("/sign-in/")
    print(f"\ntwo app servers: {time.perf_counter() - began:.1f} s once both had started")
