"""What several app servers share (docs/deploy.md, "Scaling out"): the cache CACHE_URL names
(Django's database cache by default, or Redis), sessions in the database, and evidence files in
the default storage FILE_STORAGE names (a shared folder or an S3 bucket). Two real servers on
one database and one Redis: tests/reliability/test_two_servers.py."""

import re
import socket
from contextlib import contextmanager
from datetime import date
from importlib import import_module

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings

from g2g.core.dates import current_period
from g2g.measures import scorecard
from g2g.measures.models import MeasureValue
from g2g.plans import changes
from g2g.plans.models import EvidenceFile, ProgressUpdate
from g2g.settings.base import cache_config, file_storage
from g2g.tenancy.models import Role
from tests.factories import PASSWORD
from tests.redis_cache import REDIS_URL, delete_keys, new_prefix, require_redis

CACHE_TABLE_MIGRATION = import_module("g2g.core.migrations.0004_cache_table")


# ---- settings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("", "django.core.cache.backends.db.DatabaseCache", "g2g_cache"),
        ("redis://127.0.0.1:6379/1", "g2g.core.cache.ForgivingRedisCache", None),
        (
            "rediss://:secret@cache.example:6380/2",
            "g2g.core.cache.ForgivingRedisCache",
            None,
        ),
        ("locmemcache://", "django.core.cache.backends.locmem.LocMemCache", ""),
        ("dbcache://other_table", "django.core.cache.backends.db.DatabaseCache", "other_table"),
    ],
    ids=["unset-database", "redis", "rediss-with-password", "locmem", "dbcache-url"],
)
def test_cache_url_chooses_the_cache(url, backend, location):
    config = cache_config(url, "g2g-x")
    assert config["BACKEND"] == backend
    assert config["LOCATION"] == (url if location is None else location)
    assert config["KEY_PREFIX"] == "g2g-x"


def test_the_database_cache_keeps_more_than_djangos_300_entries():
    assert cache_config("")["OPTIONS"]["MAX_ENTRIES"] >= 10000


@pytest.mark.django_db
def test_migrating_makes_the_database_caches_table():
    assert settings.CACHE_TABLE == CACHE_TABLE_MIGRATION.TABLE == cache_config("")["LOCATION"]
    assert settings.CACHE_TABLE in connection.introspection.table_names()


def test_files_are_kept_on_the_filesystem_unless_s3_is_named(monkeypatch):
    assert file_storage("filesystem") == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    with pytest.raises(ImproperlyConfigured, match="FILE_STORAGE"):
        file_storage("nfs")


def test_s3_storage_reads_its_bucket_and_endpoint_from_the_environment(monkeypatch):
    from storages.backends.s3 import S3Storage

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_S3_REGION_NAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("AWS_STORAGE_BUCKET_NAME", raising=False)
    with pytest.raises(ImproperlyConfigured, match="AWS_STORAGE_BUCKET_NAME"):
        file_storage("s3")

    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "g2g-evidence")
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", "https://s3.example.gov.uk")
    monkeypatch.setenv("AWS_LOCATION", "northshire")
    config = file_storage("s3")
    assert config["BACKEND"] == "storages.backends.s3.S3Storage"
    assert "access_key" not in config["OPTIONS"]  # boto3's own chain: a role, or its variables
    storage = S3Storage(**config["OPTIONS"])  # connects to nothing until a file is read
    assert storage.bucket_name == "g2g-evidence"
    assert storage.endpoint_url == "https://s3.example.gov.uk"
    assert storage.location == "northshire"
    assert storage.default_acl is None  # never a public ACL: the bucket's policy applies
    assert storage.file_overwrite is False


# ---- sessions --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_sessions_are_rows_in_the_database(client, world):
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    user = world.users[Role.VIEWER]
    response = client.post("/sign-in/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.get(session_key=key).get_decoded()["_auth_user_id"] == str(user.pk)


# ---- what the pages cache, in each shared cache ---------------------------------------------


@contextmanager
def shared_cache(kind: str):
    """The default cache as an app server with CACHE_URL unset (the database) or set to the
    machine's Redis (under a prefix of its own, removed afterwards) would have it."""
    if kind == "redis":
        require_redis()
    prefix = new_prefix()
    config = cache_config(REDIS_URL if kind == "redis" else "", prefix)
    try:
        with override_settings(CACHES={"default": config}):
            yield
    finally:
        if kind == "redis":
            delete_keys(prefix)


class Calls:
    def __init__(self, function):
        self.function, self.count = function, 0

    def __call__(self, *args, **kwargs):
        self.count += 1
        return self.function(*args, **kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["database", "redis"])
def test_charts_and_the_plan_overview_come_back_from_a_shared_cache(
    client, world, monkeypatch, kind
):
    """Each value goes through the backend (pickled; base64 too in the database) and comes back
    the same: the second visit draws no chart and reads no history."""
    for month, value in ((1, 40), (2, 45), (3, 52)):
        MeasureValue.objects.create(measure=world.measure, period=date(2025, month, 1), value=value)
    draws = Calls(scorecard.trend_chart_svg)
    reads = Calls(changes.changes_between)
    monkeypatch.setattr(scorecard, "trend_chart_svg", draws)
    monkeypatch.setattr(changes, "changes_between", reads)
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    slug = world.authority.slug
    pages = (f"/{slug}/measures/{world.measure.pk}/", f"/{slug}/measures/", f"/{slug}/")
    with shared_cache(kind):
        first = [client.get(url) for url in pages]
        assert [page.status_code for page in first] == [200, 200, 200]
        drawn, read = draws.count, reads.count
        assert drawn >= 1
        assert read == 1
        again = [client.get(url) for url in pages]
        assert (draws.count, reads.count) == (drawn, read)
    charts = [re.findall(r"<svg.*?</svg>", page.content.decode(), re.S) for page in first]
    assert charts[0]
    assert [re.findall(r"<svg.*?</svg>", page.content.decode(), re.S) for page in again] == charts
    if kind == "database":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {settings.CACHE_TABLE}")  # noqa: S608
            assert cursor.fetchone()[0] >= drawn + 2  # the overview's reads and its fragment


# ---- files only through the storage ----------------------------------------------------------

IN_MEMORY = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": settings.STORAGES["staticfiles"],
}


def files_under(folder) -> set:
    return {path for path in folder.rglob("*") if path.is_file()} if folder.exists() else set()


@pytest.mark.django_db
@override_settings(STORAGES=IN_MEMORY)
def test_evidence_files_are_reached_only_through_the_storage(
    client, world, django_capture_on_commit_callbacks
):
    """With a storage that is not a folder (as S3 is not), an evidence file is written, read back
    and removed through the pages, and nothing touches MEDIA_ROOT."""
    before = files_under(settings.MEDIA_ROOT)
    client.force_login(world.users[Role.ACTION_LEAD])
    ProgressUpdate.objects.all().delete()
    url = f"/{world.authority.slug}/actions/{world.led_action.pk}/update/"
    written = {
        "period": current_period().isoformat(),
        "narrative": "Audit of 20 cases completed.",
        "action_rating": "green",
        "evidence_text": "Audit report.",
        "version": "0",
        "intent": "draft",
        "evidence_files": SimpleUploadedFile("audit.csv", b"month,value\n2025-03,31.4\n"),
    }
    assert client.post(url, written).status_code == 302
    evidence = EvidenceFile.objects.get()
    assert default_storage.exists(evidence.file.name)
    download = client.get(f"/{world.authority.slug}/rounds/evidence/{evidence.pk}/")
    assert b"".join(download.streaming_content) == b"month,value\n2025-03,31.4\n"

    update = ProgressUpdate.objects.get()
    removed = written | {"version": update.version, "remove_files": [evidence.pk]}
    del removed["evidence_files"]
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once committed
        assert client.post(url, removed).status_code == 302
    assert not EvidenceFile.objects.exists()
    assert not default_storage.exists(evidence.file.name)
    assert files_under(settings.MEDIA_ROOT) == before


# ---- Redis out of reach ----------------------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again on leaving: nothing listens there


@pytest.mark.django_db
def test_with_redis_out_of_reach_pages_are_drawn_afresh(client, world, caplog):
    """The cache is only a cache: a page that reads it while Redis is down answers as usual."""
    MeasureValue.objects.create(measure=world.measure, period=date(2025, 1, 1), value=40)
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    gone = cache_config(f"redis://127.0.0.1:{closed_port()}/5", new_prefix())
    slug = world.authority.slug
    with override_settings(CACHES={"default": gone}):
        measure = client.get(f"/{slug}/measures/{world.measure.pk}/")
        assert measure.status_code == 200
        assert "<svg" in measure.content.decode()
        assert client.get(f"/{slug}/").status_code == 200
        assert cache.add("k", 1) is False
        assert cache.delete("k") is False
    assert "Cache (Redis) unreachable" in caplog.text
