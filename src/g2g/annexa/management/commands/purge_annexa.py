"""`g2g purge_annexa`: delete kept Annex A files whose retention period has ended. Run daily."""

from django.core.management.base import BaseCommand

from g2g.annexa.services import purge_expired_files


class Command(BaseCommand):
    help = "Delete kept (encrypted) Annex A files whose retention period has ended."

    def handle(self, **options):
        purged = purge_expired_files()
        self.stdout.write(f"Deleted {purged} expired Annex A file{'s' if purged != 1 else ''}.")
