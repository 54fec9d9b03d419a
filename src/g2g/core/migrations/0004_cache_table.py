"""The table of Django's database cache, the cache used when CACHE_URL is unset
(settings.base.cache_config): made by `migrate` whatever cache the settings name, so app servers
sharing a database share a cache with no extra step, and switching CACHE_URL needs none either.
It is Django's `createcachetable` for the one table (that command alone would make it only while
the settings name the database cache). Not a model: `flush` and backups leave it alone."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "g2g_cache"  # settings.base.CACHE_TABLE


def create_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)  # once only


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_append_only")]

    operations = [migrations.RunPython(create_table, drop_table, elidable=False)]
