"""`g2g worker [--worker-id ID] [db_worker's options]`: run background tasks (board packs, chart
images) from the queue in the database, after putting back on the queue any task a dead worker
left running (`core.tasks.recover_stale_tasks`). Give each worker of the service a fixed, unique
`--worker-id` (the systemd unit in docs/deploy.md uses the host name and the instance), so a
worker that is restarted takes back what it was doing when it died."""

import socket

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorkerCommand

from g2g.core.collector import settle_garbage_collector
from g2g.core.tasks import recover_stale_tasks


class Command(DatabaseWorkerCommand):
    help = (
        "Run background tasks (board packs, chart images) from the database queue; tasks a dead "
        "worker left running are queued again first."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # A fixed default, so that one worker per host restarted under the same name recovers
        # its own tasks; db_worker's default is a new random id on every start.
        parser.set_defaults(worker_id=f"{socket.gethostname()[:40]}-1", reload=False)

    def handle(self, *args, **options):
        recovered = recover_stale_tasks(options["worker_id"])
        if recovered and options["verbosity"]:
            self.stdout.write(f"Queued again {recovered} task(s) a stopped worker left running")
        settle_garbage_collector()  # as the app servers do: a PDF's pauses stay out of its time
        super().handle(*args, **options)
