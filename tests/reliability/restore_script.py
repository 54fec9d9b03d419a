"""Run in a fresh process against an empty database: migrate, restore a backup, export it again.

Usage: python -m tests.reliability.restore_script BACKUP.zip AUTHORITY_SLUG OUTPUT.zip
(DATABASE_URL names the empty database). Kept as a script so the restore really starts from a
database that has only been migrated, as an operator's would.
"""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "g2g.settings.test")


def main(backup: str, slug: str, output: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from g2g.operations.backup import export_authority, import_authority
    from g2g.tenancy.models import Authority

    call_command("migrate", verbosity=0, interactive=False)
    assert not Authority.objects.exists(), "the target database is not empty"
    with open(backup, "rb") as source:
        import_authority(source)
    with open(output, "wb") as target:
        target.write(export_authority(Authority.objects.get(slug=slug)))


if __name__ == "__main__":
    main(*sys.argv[1:4])
