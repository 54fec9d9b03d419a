"""`g2g send_reminders`: run daily by a scheduler (cron or a systemd timer)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from g2g.core.dates import today
from g2g.rounds.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Send the monthly rounds' reminder mails due today (round opened, deadline in 3 working "
        "days, overdue): one digest per person. Safe to run more than once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD)")
        parser.add_argument(
            "--dry-run", action="store_true", help="List who would be mailed; send nothing"
        )
        parser.add_argument(
            "--force", action="store_true", help="Send even on a weekend or bank holiday"
        )

    def handle(self, *args, date: str | None = None, dry_run=False, force=False, **options):
        on = _date(date) if date else today()
        run = send_reminders(on, dry_run=dry_run, force=force)
        if dry_run:
            for digest in run.digests:
                kinds = ", ".join(section.kind for section in digest.sections)
                self.stdout.write(f"Would send to {digest.user.email}: {digest.subject} [{kinds}]")
            self.stdout.write(f"{len(run.digests)} mail(s) would be sent")
            return
        self.stdout.write(run.summary())
        if run.failed:
            raise CommandError(f"{len(run.failed)} reminder mail(s) could not be sent")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"--date {text!r} is not a date like 2025-03-31") from None
