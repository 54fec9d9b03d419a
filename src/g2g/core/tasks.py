"""The task queue's upkeep: tasks whose worker died are run again.

Background work goes through Django's tasks API (`django-tasks`, the backport of Django 6's
`django.tasks`) on `django-tasks-db`'s queue in the project's own database. Its worker marks a
task RUNNING when it claims it and SUCCESSFUL or FAILED when it ends; a worker killed in between
(kill -9, the machine lost, the out-of-memory killer) leaves the task RUNNING for ever, and
django-tasks-db has no lease or heartbeat that would give it back. `recover_stale_tasks` does:

- a task still RUNNING under this worker's own id belonged to an earlier life of this worker
  (ids are unique across the pool and the service starts each worker under the same id:
  docs/deploy.md), so it cannot be running now;
- a task RUNNING for longer than `G2G_TASK_STALE_SECONDS` (default 30 minutes; a board pack takes
  seconds) is taken to belong to a worker that is not coming back.

Either goes back to READY and is run again, by whichever worker claims it first. Tasks are
written to be run again safely: each writes its result once, in one transaction, at its end.
`g2g worker` recovers when it starts, then runs django-tasks-db's worker.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)


def recover_stale_tasks(worker_id: str | None = None, *, stale_seconds: int | None = None) -> int:
    """Put back on the queue the tasks left RUNNING by a dead worker (see the module docstring);
    returns how many. Each goes back in a transaction that rechecks it is still RUNNING, so a
    task that ends meanwhile is left alone."""
    if stale_seconds is None:
        stale_seconds = settings.G2G_TASK_STALE_SECONDS
    cutoff = timezone.now() - timedelta(seconds=stale_seconds)
    recovered = 0
    with transaction.atomic():
        running = DBTaskResult.objects.select_for_update().filter(status=TaskResultStatus.RUNNING)
        for task in running:
            mine = bool(worker_id) and bool(task.worker_ids) and task.worker_ids[-1] == worker_id
            if not mine and (task.started_at is None or task.started_at >= cutoff):
                continue
            task.status = TaskResultStatus.READY
            task.save(update_fields=["status"])
            recovered += 1
            logger.warning(
                "Task %s (%s) was left running by worker %s: queued to run again",
                task.pk,
                task.task_path,
                task.worker_ids[-1] if task.worker_ids else "unknown",
            )
    return recovered
