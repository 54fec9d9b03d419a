"""The demo data for tests: loaded through the real `g2g load_demo` command, as fast as can be.

Loading the demo costs about ten seconds, two thirds of it pypdf reading the text of the six
Ofsted report PDFs. So:

* `load_demo()` keeps pypdf's text of each report for the rest of the test session (keyed by
  the file's SHA-256, with the problems pypdf's reading noted), so only the first load reads the
  PDFs; everything after pypdf (the report parser, the importers, every write) runs every time.
* On SQLite's in-memory test database a whole loaded database is copied with SQLite's backup API
  (`copy_database`) in milliseconds: the browser tests load the demo once per session and give
  each test a pristine copy (tests/e2e/conftest.py).
"""

from __future__ import annotations

import hashlib
import io
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import import_module
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
