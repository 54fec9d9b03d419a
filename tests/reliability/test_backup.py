"""docs/security.md #15: a full export restored into an empty database exports identically."""

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from g2g.inspections.services import set_plan_inspections
from g2g.operations.backup import (
    FORMAT,
    BackupError,
    authority_payload,
    export_authority,
    import_authority,
)
from g2g.plans.models import Action, Plan, PostHolder, ProgressUpdate
from g2g.plans.services import approve_plan, edit_action
from g2g.tenancy.access import Access
from g2g.tenancy.models import Role

from ..conftest import sentinel
from ..factories import PlanFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _with_history(world) -> None:
    """Edits and a deletion, so the backup carries history of changed and deleted rows."""
    lead = world.users[Role.IMPROVEMENT_LEAD]
    access = Access(user=lead, authority=world.authority, role=Role.IMPROVEMENT_LEAD)
    action = Action.objects.select_related("plan").get(pk=world.other_action.pk)
    edit_action(access, action, version=action.version, title="Renamed once")
    edit_action(access, action, version=action.version, title="Renamed twice", leads=[])
    holder = PostHolder.objects.in_authority(world.authority).first()
    holder._history_user = lead
    holder.delete()
    # A plan's life cycle: a draft approved by the lead, and the inspections it answers.
    draft = PlanFactory(authority=world.authority, status=Plan.Status.DRAFT, title="Next plan")
    approve_plan(access, draft)
    set_plan_inspections(access, draft, [world.inspection])


def _data(archive: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        return json.loads(opened.read("backup.json"))


def test_the_backup_holds_the_authority_its_history_and_roles_only(world, foreign_world):
    _with_history(world)
    payload = _data(export_authority(world.authority))
    assert payload["format"] == FORMAT
    text = json.dumps(payload)
    assert sentinel(foreign_world.authority.name) not in text
    assert sentinel(world.authority.name) in text
    tables = payload["tables"]
    for label in (
        "plans.action",
        "plans.historicalaction",
        "plans.historicalaction_leads",
        "plans.progressupdate",
        "measures.measure",
        "inspections.finding",
        "tenancy.membership",
        "tenancy.historicalmembership",
        "governance.board",
        "assurance.audit",
        "reports.savedpack",
    ):
        assert tables[label]["rows"], label
    memberships = tables["tenancy.membership"]
    column = 1 + memberships["fields"].index("role")  # each row starts with its number
    roles = {row[column] for row in memberships["rows"]}
    assert roles == {role.value for role in Role}
    assert all("password" not in user for user in payload["users"])
    # The deleted post holder is still numbered, because its history names it.
    assert tables["plans.postholder"]["ids"] > len(tables["plans.postholder"]["rows"])
    assert "api.apitoken" not in tables
    assert "importers.upload" not in tables


def test_a_restore_into_an_empty_database_exports_identically(world, tmp_path):
    """Export A → migrate an empty database → import → export B: A == B (another process)."""
    _with_history(world)
    first = export_authority(world.authority)
    (tmp_path / "a.zip").write_bytes(first)
    env = os.environ | {"DATABASE_URL": _empty_database_url(tmp_path)}
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed arguments
        [
            sys.executable,
            "-m",
            "tests.reliability.restore_script",
            str(tmp_path / "a.zip"),
            world.authority.slug,
            str(tmp_path / "b.zip"),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    second = (tmp_path / "b.zip").read_bytes()
    assert _data(second) == _data(first)
    with zipfile.ZipFile(io.BytesIO(first)) as a, zipfile.ZipFile(io.BytesIO(second)) as b:
        assert a.read("backup.json") == b.read("backup.json")
        assert sorted(a.namelist()) == sorted(b.namelist())
        assert any(name.startswith("files/") for name in a.namelist())


def _empty_database_url(tmp_path: Path) -> str:
    """A fresh database of the same kind as the test database."""
    if connection.vendor != "postgresql":
        return f"sqlite:///{tmp_path / 'restore.sqlite3'}"
    import psycopg

    settings = connection.settings_dict
    name = f"{settings['NAME']}_restore"
    host, port, user = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432, settings["USER"]
    with psycopg.connect(
        host=host,
        port=port,
        user=user,
        password=settings["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://{user}@{host}:{port}/{name}"


def test_a_restore_refuses_an_authority_that_already_has_data(world):
    archive = export_authority(world.authority)
    before = ProgressUpdate.objects.count()
    with pytest.raises(BackupError, match="already holds data"):
        import_authority(archive)
    assert ProgressUpdate.objects.count() == before


def test_a_restore_after_losing_the_authority_brings_everything_back(world):
    _with_history(world)
    first = export_authority(world.authority)
    world.authority.delete()
    restored = import_authority(first)
    assert restored.rows > 50
    assert _data(export_authority(restored.authority)) == _data(first)
    action = Action.objects.in_authority(restored.authority).get(ref=world.other_action.ref)
    assert [h.title for h in action.history.all()][:2] == ["Renamed twice", "Renamed once"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a zip", "not a zip archive"),
        (None, "backup.json is missing"),
        ({"format": "something/else@9"}, "not a Getting to Good authority backup"),
    ],
    ids=["not-zip", "no-data", "wrong-format"],
)
def test_bad_backup_files_are_refused_with_a_reason(db, content, message):
    if not isinstance(content, bytes):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            if content is not None:
                archive.writestr("backup.json", json.dumps(content))
            else:
                archive.writestr("other.txt", "x")
        content = buffer.getvalue()
    with pytest.raises(BackupError, match=message):
        import_authority(content)


def test_a_path_traversal_name_is_refused_before_anything_is_written(world):
    payload, _files = authority_payload(world.authority)
    world.authority.delete()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("backup.json", json.dumps(payload))
        archive.writestr("files/../../escape.txt", "x")
    with pytest.raises(BackupError, match="unsafe file name"):
        import_authority(buffer.getvalue())
    assert not Action.objects.exists()


def test_the_commands_write_and_restore_a_file(world, tmp_path):
    target = tmp_path / "northshire.zip"
    out = io.StringIO()
    call_command("export_all", authority=world.authority.slug, output=target, stdout=out)
    assert "Wrote Northshire" in out.getvalue()
    with pytest.raises(CommandError, match="already holds data"):
        call_command("import_all", str(target), stdout=io.StringIO())
    world.authority.delete()
    out = io.StringIO()
    call_command("import_all", str(target), stdout=out)
    assert "Restored Northshire" in out.getvalue()
