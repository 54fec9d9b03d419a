from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from g2g.operations.backup import BackupError, import_authority


class Command(BaseCommand):
    help = (
        "Restore an authority from a `g2g export_all` file into a database that does not hold "
        "its data yet: all of it in one transaction, or nothing. See docs/backup.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="Zip file written by g2g export_all")

    def handle(self, path: Path, **options):
        try:
            with path.open("rb") as source:
                restored = import_authority(source)
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror}") from error
        except BackupError as error:
            raise CommandError(f"{path} was not restored: {error}") from error
        self.stdout.write(
            f"Restored {restored.authority.name}: {restored.rows:,} rows, "
            f"{restored.users_created} people added (they set a password again), "
            f"{restored.files} files."
        )
