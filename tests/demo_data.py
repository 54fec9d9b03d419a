"""The demo data for tests: loaded through the real `g2g load_demo` command, as fast as can be.

Loading the demo costs about ten seconds, two thirds of it pypdf reading the text of the six
Ofsted report PDFs. So:

* `load_demo()` keeps pypdf's text of each report for the rest of the test session (keyed by
  the file's SHA-256, with the problems pypdf's reading noted), so only the first load reads the
  PDFs; everything after pypdf (the report parser, the importers, every write) runs every time.
* On SQLite's in-memory test database a whole loaded database is copied with SQLite's backup API
  (`copy_database`) in milliseconds: the demo is loaded once per test run, by the first worker
  to need it, and kept in a file for the others (`demo_copy`); each test that uses it is given
  a pristine copy (tests/conftest.py, tests/e2e/conftest.py).
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from importlib import import_module
from pathlib import Path
from unittest import mock

from django.core.management import call_command
from django.db import connection

from g2g.inspections import parser
from tests.seed_files import REFERENCE, REPORTS, SEEDS

# (SHA-256 of the PDF, its name) -> (pypdf's text of each page, the problems noted reading it)
_REPORT_PAGES: dict[tuple[bytes, str], tuple[list[str], list]] = {}


@contextmanager
def report_text_kept() -> Iterator[None]:
    """While open, each report PDF is read by pypdf once per session: the same bytes give the
    same pages and problems again. Refusals are not kept (they raise every time)."""
    read = parser._pdf_pages

    def pages(data: bytes, source: str, problems: list) -> list[str]:
        key = (hashlib.sha256(data).digest(), source)
        if key not in _REPORT_PAGES:
            noted: list = []
            _REPORT_PAGES[key] = (read(data, source, noted), noted)
        texts, noted = _REPORT_PAGES[key]
        problems.extend(noted)
        return list(texts)

    with mock.patch.object(parser, "_pdf_pages", pages):
        yield


def frameworks_in_place() -> None:
    """Put back the inspection frameworks, written by a data migration, if a test emptied
    them: after a `transactional_db` test Django flushes every table, so a demo loaded later on
    the same worker would read every Ofsted report as an "Other" inspection."""
    from django.apps import apps

    from g2g.inspections.models import Framework

    if not Framework.objects.exists():
        migration = import_module("g2g.inspections.migrations.0003_framework_data")
        migration.add_frameworks(apps, None)


def load_demo() -> str:
    """Run `g2g load_demo` on the demo data (tests/seed_files.py); what it printed."""
    frameworks_in_place()
    out = io.StringIO()
    with report_text_kept():
        call_command("load_demo", seeds=SEEDS, reference=REFERENCE, reports=REPORTS, stdout=out)
    return out.getvalue()


def can_copy_database() -> bool:
    """Is the test database SQLite in memory, where `copy_database` works?"""
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


def copy_database(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    """Replace the whole of `target`'s database (tables, rows, sequences) with `source`'s."""
    source.backup(target)


def demo_copy(folder: Path) -> tuple[str, sqlite3.Connection]:
    """What `load_demo` printed, and a copy of the test database with the demo loaded (the
    test database is left as it was). Made by whichever process asks first and kept in
    `folder` for the others, which wait for it: `folder` is shared by the workers of one test
    run (pytest-xdist's recipe for a session fixture made once), and loading the demo costs
    half a minute."""
    saved, printed = folder / "demo.sqlite3", folder / "demo.txt"
    with (folder / "demo.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not saved.exists():
            before = database_copy()
            printed.write_text(load_demo())
            with closing(sqlite3.connect(saved)) as file:
                copy_database(connection.connection, file)
            restore(before)
            before.close()
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    with closing(sqlite3.connect(saved)) as file:
        copy_database(file, copy)
    return printed.read_text(), copy


def database_copy() -> sqlite3.Connection:
    """A copy of the test database as it is now, in a private in-memory database."""
    connection.ensure_connection()
    copy = sqlite3.connect(":memory:", check_same_thread=False)
    copy_database(connection.connection, copy)
    return copy


def restore(copy: sqlite3.Connection) -> None:
    """The test database becomes `copy` again, exactly."""
    from django.contrib.contenttypes.models import ContentType

    connection.ensure_connection()
    copy_database(copy, connection.connection)
    ContentType.objects.clear_cache()  # its ids are the copy's again
