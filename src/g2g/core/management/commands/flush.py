"""Django's `flush`, able to empty the append-only audit log on SQLite.

Emptying the whole database is the owner's act. PostgreSQL flushes with TRUNCATE, which the
audit triggers do not stop; SQLite flushes with DELETE, which they do, so here the triggers are
lifted for the flush and put back in the same transaction (g2g.core.audit_guard). Django's test
runner flushes this way after every transactional test.
"""

from django.core.management.commands import flush
from django.db import connections

from g2g.core import audit_guard


class Command(flush.Command):
    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with audit_guard.lifted(connection):
            return super().handle(**options)
