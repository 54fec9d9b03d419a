from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from g2g.operations.backup import BackupError, export_authority
from g2g.tenancy.commands import authority_argument


class Command(BaseCommand):
    help = (
        "Back up everything one authority holds (plans, history, measures, inspections, "
        "governance, audits, reports, people's roles; not passwords) to one zip file that "
        "`g2g import_all` restores. See docs/backup.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("--authority", required=True, help="Authority name or slug")
        parser.add_argument("--output", type=Path, required=True, help="Zip file to write")

    def handle(self, authority: str, output: Path, **options):
        target = authority_argument(authority)
        try:
            data = export_authority(target)
        except BackupError as error:
            raise CommandError(f"{target.name} was not exported: {error}") from error
        try:
            output.write_bytes(data)
        except OSError as error:
            raise CommandError(f"cannot write {output}: {error.strerror}") from error
        self.stdout.write(f"Wrote {target.name} to {output} ({len(data):,} bytes)")
