"""Sign-ins, failed sign-ins, exports and Annex A uploads are recorded with who and when; the
record cannot be changed or deleted by anyone through the app."""

import io
import re
from datetime import UTC, date, timedelta
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, connection, models, transaction
from django.test import RequestFactory
from django.utils import timezone

from g2g.annexa.generator import generate, write_xlsx
from g2g.api.services import create_token
from g2g.core.audit import record_event
from g2g.core.models import AuditEvent, AuditEventEditRefused
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
Kind = AuditEvent.Kind
SRC = Path(__file__).resolve().parents[2] / "src" / "g2g"
ADDRESS = "203.0.113.9"


def only_event(kind) -> AuditEvent:
    events = list(AuditEvent.objects.filter(kind=kind))
    assert len(events) == 1, events
    return events[0]


def assert_recent(event: AuditEvent) -> None:
    assert event.occurred_at.utcoffset() == timedelta(0)
    assert timezone.now() - event.occurred_at < timedelta(minutes=1)


def test_a_sign_in_and_a_sign_out_are_recorded(client):
    user = UserFactory()
    client.post("/sign-in/", {"username": user.username, "password": PASSWORD}, REMOTE_ADDR=ADDRESS)
    event = only_event(Kind.SIGN_IN)
    assert (event.user, event.username, event.ip_address) == (user, user.username, ADDRESS)
    assert_recent(event)
    client.post("/sign-out/")
    assert only_event(Kind.SIGN_OUT).user == user


def test_a_failed_sign_in_is_recorded_without_the_password(client):
    user = UserFactory()
    client.post(
        "/sign-in/", {"username": user.username, "password": "Guess-1234567"}, REMOTE_ADDR=ADDRESS
    )
    event = only_event(Kind.SIGN_IN_FAILED)
    assert (event.username, event.ip_address, event.user) == (user.username, ADDRESS, None)
    assert event.detail == {"known_user": True}
    assert_recent(event)
    assert "Guess-1234567" not in str(AuditEvent.objects.values_list())


def test_an_unknown_username_is_not_kept(client):
    """People type passwords into the username box: an unknown name is not stored."""
    client.post("/sign-in/", {"username": "Pa55word-typed-here", "password": "x"})
    event = only_event(Kind.SIGN_IN_FAILED)
    assert event.username == ""
    assert event.detail == {"known_user": False}


def test_a_lockout_is_recorded(client, settings):
    user = UserFactory()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/sign-in/", {"username": user.username, "password": "wrong"})
    assert only_event(Kind.LOCKED_OUT).username == user.username


def export_urls(world) -> list[tuple[str, str]]:
    slug = world.authority.slug
    return [
        (f"/{slug}/reports/board-pack/download/?format=xlsx", "board_pack"),
        (f"/{slug}/reports/board-pack/files/{world.pack_file.pk}/download/", "board_pack"),
        (f"/{slug}/reports/saved/{world.saved_pack.pk}/?format=html", "saved_board_pack"),
        (f"/{slug}/reports/plan/word/", "plan"),
        (f"/{slug}/reports/plan/excel/", "plan"),
        (f"/{slug}/reports/council/{world.council_report.pk}/word/", "council_report"),
        (
            f"/{slug}/annex-a/{world.annexa_return.pk}/data-quality.xlsx",
            "annexa_quality_workbook",
        ),
    ]


def test_every_export_is_recorded_with_who_and_which_authority(client, world):
    lead = world.users["improvement_lead"]
    client.force_login(lead)
    for url, what in export_urls(world):
        response = client.get(url, REMOTE_ADDR=ADDRESS)
        assert response.status_code == 200, url
        event = AuditEvent.objects.filter(kind=Kind.EXPORT).first()
        assert event.detail["what"] == what, url
        assert (event.user, event.authority, event.ip_address) == (lead, world.authority, ADDRESS)
        assert_recent(event)
    assert AuditEvent.objects.filter(kind=Kind.EXPORT).count() == len(export_urls(world))


@pytest.mark.parametrize(
    ("feed", "what"),
    [
        ("actions.csv", "actions_feed"),
        ("updates.csv", "updates_feed"),
        ("measure-values.csv", "measure_values_feed"),
    ],
)
def test_every_api_csv_feed_is_recorded(client, world, feed, what):
    viewer = world.users["viewer"]
    _token, key = create_token(viewer, name="Audit test")
    response = client.get(
        f"/api/v1/{world.authority.slug}/feeds/{feed}",
        headers={"Authorization": f"Bearer {key}"},
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 200
    event = only_event(Kind.EXPORT)
    assert event.detail == {"what": what, "format": "csv"}
    assert (event.user, event.authority, event.ip_address) == (viewer, world.authority, ADDRESS)
    assert key not in str(event.detail)


def test_a_refused_export_is_not_recorded_as_an_export(client, world, foreign_world):
    client.force_login(foreign_world.users["improvement_lead"])
    for url, _ in export_urls(world):
        assert client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(kind=Kind.EXPORT).exists()


def test_an_annex_a_upload_is_recorded(client, world):
    buffer = io.BytesIO()
    write_xlsx(generate("Northshire", 60, seed=3, snapshot=date(2025, 3, 31)), buffer)
    lead = world.users["improvement_lead"]
    client.force_login(lead)
    response = client.post(
        f"/{world.authority.slug}/annex-a/upload/",
        {
            "file": SimpleUploadedFile("return.xlsx", buffer.getvalue()),
            "snapshot_date": "31/03/2025",
        },
        REMOTE_ADDR=ADDRESS,
    )
    assert response.status_code == 302
    event = only_event(Kind.ANNEXA_UPLOAD)
    assert (event.user, event.authority, event.ip_address) == (lead, world.authority, ADDRESS)
    assert event.detail["file_name"] == "return.xlsx"
    assert event.detail["annexa_return"] == int(response.url.rstrip("/").split("/")[-1])


def test_a_refused_upload_is_not_recorded(client, world):
    client.force_login(world.users["improvement_lead"])
    client.post(
        f"/{world.authority.slug}/annex-a/upload/",
        {"file": SimpleUploadedFile("return.xlsx", b"not a workbook"), "snapshot_date": ""},
    )
    assert not AuditEvent.objects.filter(kind=Kind.ANNEXA_UPLOAD).exists()


# ---------------------------------------------------------------------------------------------
# Append-only


@pytest.fixture
def event(world):
    request = RequestFactory().get("/", REMOTE_ADDR=ADDRESS)
    return record_event(Kind.EXPORT, user=world.users["viewer"], request=request, what="x")


def test_an_event_cannot_be_changed_or_deleted(event):
    event.detail = {"what": "something else"}
    with pytest.raises(AuditEventEditRefused):
        event.save()
    with pytest.raises(AuditEventEditRefused):
        event.delete()
    with pytest.raises(AuditEventEditRefused):
        AuditEvent.objects.filter(pk=event.pk).update(kind=Kind.SIGN_IN)
    with pytest.raises(AuditEventEditRefused):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).detail == {"what": "x"}


def test_deleting_a_user_keeps_their_events(event, world):
    """The event still names them: by username, and by the id they had."""
    viewer = world.users["viewer"]
    viewer_id = viewer.pk
    viewer.delete()
    kept = AuditEvent.objects.get(pk=event.pk)
    assert (kept.user_id, kept.username) == (viewer_id, event.username)
    assert not get_user_model().objects.filter(pk=viewer_id).exists()


def test_deleting_an_authority_keeps_its_events(world):
    authority = world.authority
    event = record_event(Kind.EXPORT, user=world.users["viewer"], authority=authority, what="x")
    authority_id = authority.pk
    authority.delete()
    assert AuditEvent.objects.get(pk=event.pk).authority_id == authority_id


# The database refuses too (g2g.core.audit_guard), on PostgreSQL and SQLite alike


def refused(change) -> bool:
    """Whether the database refuses `change`, saying why (in a savepoint, so the test goes on)."""
    try:
        with transaction.atomic():
            change()
    except IntegrityError as error:
        return "append-only" in str(error)
    return False


def raw(sql: str, *params):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, params)

    return run


def test_the_database_refuses_raw_sql_updates_and_deletes(event):
    table = AuditEvent._meta.db_table
    assert refused(raw(f"UPDATE {table} SET username = %s WHERE id = %s", "someone", event.pk))  # noqa: S608
    assert refused(raw(f"UPDATE {table} SET detail = %s", "{}"))  # noqa: S608
    assert refused(raw(f"DELETE FROM {table} WHERE id = %s", event.pk))  # noqa: S608
    assert refused(raw(f"DELETE FROM {table}"))  # noqa: S608
    assert AuditEvent.objects.get(pk=event.pk).username == event.username


def test_the_database_refuses_the_orm_even_past_the_apps_own_refusal(event):
    """The base manager and Model.save are what a bug or a shortcut would reach for."""
    rows = AuditEvent._base_manager.filter(pk=event.pk)
    assert refused(lambda: rows.update(kind=Kind.SIGN_IN))
    assert refused(lambda: rows.delete())
    assert refused(lambda: AuditEvent._base_manager.all().delete())
    username = event.username
    event.username = "someone else"
    assert refused(lambda: models.Model.save(event))
    assert refused(lambda: models.Model.delete(event))
    kept = AuditEvent.objects.get(pk=event.pk)
    assert (kept.kind, kept.username) == (Kind.EXPORT, username)


@pytest.mark.django_db(transaction=True)
def test_a_flush_empties_the_log_and_the_guard_stays():
    """Emptying the whole database (flush; TRUNCATE on PostgreSQL) is the owner's act. The
    test runner flushes after every transactional test, so this must work on both."""
    record_event(Kind.SIGN_IN, username="before-the-flush")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()
    again = record_event(Kind.SIGN_IN, username="after-the-flush")
    assert refused(lambda: AuditEvent._base_manager.filter(pk=again.pk).delete())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no TRUNCATE")
def test_the_owner_can_still_truncate_on_postgresql(event):
    """The operator's retention route (docs/security.md): TRUNCATE fires no row trigger."""
    assert not refused(raw(f"TRUNCATE {AuditEvent._meta.db_table}"))
    assert not AuditEvent.objects.exists()


def test_details_refuse_anything_named_like_a_secret():
    for name in ("password", "api_token", "session_key", "client_secret"):
        with pytest.raises(ValueError, match="secrets"):
            record_event(Kind.EXPORT, **{name: "x"})


def test_the_admin_shows_events_read_only_even_to_superusers(event, client):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    model_admin = admin.site._registry[AuditEvent]
    request = RequestFactory().get("/admin/")
    request.user = superuser
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    client.force_login(superuser)
    url = f"/admin/core/auditevent/{event.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_only_record_event_writes_audit_events():
    """No page, API endpoint or command creates audit events except through `record_event`."""
    writers = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts or path.name in {"audit.py", "models.py"}:
            continue
        if re.search(r"AuditEvent(\.objects\.\w*create|\()", path.read_text()):
            writers.append(str(path))
    assert writers == []


def test_times_are_stored_in_utc(event):
    assert event.occurred_at.tzinfo is not None
    assert event.occurred_at.astimezone(UTC) == event.occurred_at
