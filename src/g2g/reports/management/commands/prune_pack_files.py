"""`g2g prune_pack_files --min-age-days N`: delete board pack files made (or failed) more than N
days ago (default 30). Run weekly; packs saved for the record are kept."""

from django.core.management.base import BaseCommand

from g2g.reports.background import prune_pack_files


class Command(BaseCommand):
    help = "Delete board pack files made more than --min-age-days days ago (default 30)."

    def add_arguments(self, parser):
        parser.add_argument("--min-age-days", type=int, default=30)

    def handle(self, **options):
        deleted = prune_pack_files(options["min_age_days"])
        self.stdout.write(f"Deleted {deleted} board pack file{'s' if deleted != 1 else ''}.")
