"""The task queue (issue 17, part 3): a worker killed mid-task leaves no half-written file, and the
task runs again, to one finished file, when the worker starts again (`core.tasks`).

The real-worker test starts `g2g worker` (django-tasks-db's `db_worker`, after recovery) as a
process of its own on the test's data: on PostgreSQL the test database itself; on SQLite (where
the test database is in memory) a file copy of it made with SQLite's backup API."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from g2g.core.dates import add_months, current_period
from g2g.core.tasks import recover_stale_tasks
from g2g.measures.models import MeasureValue
from g2g.reports.background import make_pack_file, request_pack_file
from g2g.tenancy.access import operator_access
from tests.conftest import build_world
from tests.factories import MeasureFactory

ROOT = Path(__file__).resolve().parents[2]
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
WITHIN_SECONDS = 120


def claimed(worker_id: str, started_minutes_ago: int = 0) -> DBTaskResult:
    """A task enqueued on the database queue and claimed by `worker_id`, as db_worker does."""
    result = make_pack_file.enqueue(1, None)
    task = DBTaskResult.objects.get(pk=result.id)
    task.claim(worker_id)
    DBTaskResult.objects.filter(pk=task.pk).update(
        started_at=timezone.now() - timedelta(minutes=started_minutes_ago)
    )
    return task


@pytest.mark.django_db
def test_a_task_this_worker_left_running_is_queued_again(settings):
    settings.TASKS = DATABASE
    mine, theirs = claimed("host-1"), claimed("host-2")
    assert recover_stale_tasks("host-1") == 1
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == TaskResultStatus.READY  # ready to be claimed again
    assert theirs.status == TaskResultStatus.RUNNING  # another worker's, running now


@pytest.mark.django_db
def test_a_task_running_too_long_is_queued_again_by_any_worker(settings):
    settings.TASKS = DATABASE
    settings.G2G_TASK_STALE_SECONDS = 30 * 60
    recent, stale = claimed("host-2", started_minutes_ago=29), claimed("host-2", 31)
    finished = claimed("host-1")
    finished.set_successful("ready")
    assert recover_stale_tasks("host-1") == 1
    statuses = {
        task.pk: DBTaskResult.objects.get(pk=task.pk).status for task in (recent, stale, finished)
    }
    assert statuses == {
        recent.pk: TaskResultStatus.RUNNING,
        stale.pk: TaskResultStatus.READY,
        finished.pk: TaskResultStatus.SUCCESSFUL,
    }


# ---------------------------------------------------------------------------------------------
# A real worker, killed during a PDF


class WorkerDatabase:
    """The database the worker process uses, and how the test reads what it wrote."""

    def __init__(self, tmp_path: Path):
        self.sqlite = connection.vendor == "sqlite"
        if self.sqlite:
            self.path = tmp_path / "worker.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(self.path) as copy:
                connection.connection.backup(copy)
            self.url = f"sqlite:///{self.path}"
        else:
            database = connection.settings_dict
            host, port = database["HOST"] or "127.0.0.1", database["PORT"] or 5432
            password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
            self.url = f"postgres://{database['USER']}{password}@{host}:{port}/{database['NAME']}"

    def one(self, sql: str, *params):
        if self.sqlite:
            with sqlite3.connect(self.path, timeout=30) as reader:
                return reader.execute(sql.replace("%s", "?"), params).fetchone()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()


def start_worker(database: WorkerDatabase, tmp_path: Path, name: str) -> subprocess.Popen:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(tmp_path)),  # matplotlib's font cache
        "DJANGO_SETTINGS_MODULE": "g2g.settings.test",
        "DATABASE_URL": database.url,
        "G2G_TEST_TASKS": "database",
        "G2G_PACK_CHARTS": "all",  # every measure charted: a PDF that takes a while
    }
    command = [sys.executable, "-c", "from g2g.manage import main; main()", "worker"]
    command += ["--worker-id", "test-worker", "--interval", "0.1", "--no-startup-delay"]
    return subprocess.Popen(  # noqa: S603 - our own command, on the test's database
        command,
        env=env,
        cwd=ROOT,
        stdout=(tmp_path / f"{name}.log").open("w"),
        stderr=subprocess.STDOUT,
    )


def wait_for(check, process: subprocess.Popen, tmp_path: Path, name: str, what: str):
    deadline = time.monotonic() + WITHIN_SECONDS
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        if process.poll() is not None:
            break
        time.sleep(0.05)
    pytest.fail(f"no {what} within {WITHIN_SECONDS} s: {(tmp_path / f'{name}.log').read_text()}")


@pytest.mark.django_db(transaction=True)  # the worker must see the test's data
def test_a_worker_killed_during_a_pdf_leaves_no_file_and_the_task_completes_on_restart(
    tmp_path, settings
):
    settings.TASKS = DATABASE
    world = build_world("Workshire")
    months = [add_months(current_period(), -back) for back in range(12)]
    for number in range(8):
        measure = MeasureFactory(authority=world.authority, plan=world.plan)
        MeasureValue.objects.bulk_create(
            MeasureValue(measure=measure, period=month, value=Decimal(40 + number + index))
            for index, month in enumerate(months)
        )
    asked = request_pack_file(
        operator_access(world.authority), world.plan, current_period(), None, "pdf"
    )
    database = WorkerDatabase(tmp_path)
    file_row = "SELECT status, content IS NULL, attempts FROM reports_packfile WHERE id = %s"
    task_row = "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE id = %s"
    task_id = asked.task_id.replace("-", "") if database.sqlite else asked.task_id

    first = start_worker(database, tmp_path, "first")
    try:
        wait_for(
            lambda: database.one(file_row, asked.pk)[0] == "running",
            first, tmp_path, "first", "PDF being made",
        )  # fmt: skip
        time.sleep(0.3)  # into the PDF's making
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    status, empty, attempts = database.one(file_row, asked.pk)
    assert (status, empty, attempts) == ("running", 1, 1), "killed after the file was written"
    assert database.one(task_row, task_id)[0] == "RUNNING"  # left so by the dead worker

    second = start_worker(database, tmp_path, "second")
    try:
        wait_for(
            lambda: database.one(file_row, asked.pk)[0] == "ready",
            second, tmp_path, "second", "finished PDF",
        )  # fmt: skip
        wait_for(
            lambda: database.one(task_row, task_id)[0] == "SUCCESSFUL",
            second, tmp_path, "second", "task finished",
        )  # fmt: skip
    finally:
        second.send_signal(signal.SIGTERM)  # db_worker stops between tasks
        try:
            second.wait(timeout=30)
        except subprocess.TimeoutExpired:
            second.kill()
    assert "Queued again 1 task(s)" in (tmp_path / "second.log").read_text()
    files = database.one(
        "SELECT COUNT(*), MIN(status), MAX(attempts) FROM reports_packfile WHERE key = %s",
        asked.key,
    )
    assert files == (1, "ready", 2)  # one file, made on the second attempt
    content = bytes(database.one("SELECT content FROM reports_packfile WHERE id = %s", asked.pk)[0])
    assert content.startswith(b"%PDF")
    assert content.rstrip().endswith(b"%%EOF")
    worker_ids = database.one(task_row, task_id)[1]
    assert worker_ids.count("test-worker") == 2  # claimed, killed, claimed again
