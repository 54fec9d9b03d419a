"""The audit log is append-only in the database too, not only in the app (docs/security.md #12).

Triggers refuse every UPDATE and DELETE of a `core_auditevent` row, whoever sends it: the
ORM, raw SQL, a bug or an injected statement. Inserting stays possible (`record_event`).

* PostgreSQL: a plpgsql function and a BEFORE UPDATE OR DELETE row trigger. TRUNCATE fires
  no row trigger, so the table's owner can still empty it: that is the operator's retention
  route (docs/security.md), and how Django's test flush empties it.
* SQLite: BEFORE UPDATE and BEFORE DELETE triggers that RAISE(ABORT). Django's `flush` empties
  SQLite tables with DELETE, so `g2g flush` (core/management/commands/flush.py) lifts the
  triggers inside its transaction and puts them back.

Both refuse with an IntegrityError. SQLite drops a table's triggers when a migration rebuilds
the table: a migration that alters AuditEvent's columns must call `install` again after.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = "core_auditevent"
MESSAGE = "audit events are append-only"

_INSTALL = {
    "postgresql": [
        f"""
        CREATE OR REPLACE FUNCTION g2g_audit_event_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION '{MESSAGE}: % refused', TG_OP
                USING ERRCODE = 'integrity_constraint_violation';
        END
        $$
        """,
        f"""
        CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION g2g_audit_event_append_only()
        """,
    ],
    "sqlite": [
        f"""
        CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}: UPDATE refused'); END
        """,
        f"""
        CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}: DELETE refused'); END
        """,
    ],
}
_REMOVE = {
    "postgresql": [
        f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
        "DROP FUNCTION IF EXISTS g2g_audit_event_append_only()",
    ],
    "sqlite": [
        f"DROP TRIGGER IF EXISTS {TABLE}_no_update",
        f"DROP TRIGGER IF EXISTS {TABLE}_no_delete",
    ],
}


def install(connection: BaseDatabaseWrapper) -> None:
    """Create the triggers (a database other than PostgreSQL or SQLite gets none)."""
    _run(connection, _INSTALL.get(connection.vendor, []))


def remove(connection: BaseDatabaseWrapper) -> None:
    _run(connection, _REMOVE.get(connection.vendor, []))


@contextmanager
def lifted(connection: BaseDatabaseWrapper) -> Iterator[None]:
    """Within one transaction: no triggers, then the triggers again. If anything fails the
    transaction rolls back, triggers included (DDL is transactional on both databases)."""
    with transaction.atomic(using=connection.alias):
        remove(connection)
        yield
        install(connection)


def _run(connection: BaseDatabaseWrapper, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
