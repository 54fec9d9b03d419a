"""Board pack files made in the background (issue 17, part 3): the pack's page asks for a PDF or
Word file, a task makes it, and a page shows its progress and then offers it. Tasks run on the
tests' immediate backend (they run as they are enqueued) unless a test holds them back with the
dummy backend; tests/core/test_tasks.py runs a real worker."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Q

from g2g.core.dates import add_months, current_period
from g2g.measures.models import MeasureValue
from g2g.measures.services import record_value
from g2g.reports.background import check_progress, make_pack_file, request_pack_file
from g2g.reports.models import PackFile
from g2g.tenancy.access import Access, operator_access
from g2g.tenancy.models import Membership, Role

pytestmark = pytest.mark.django_db

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def month() -> str:
    return f"{current_period():%Y-%m}"


def ask(client, world, kind: str, **extra):
    return client.get(
        f"/{world.authority.slug}/reports/board-pack/download/",
        {"format": kind, "period": month(), **extra},
    )


def asked(world, kind: str) -> PackFile:
    return PackFile.objects.filter(authority=world.authority, format=kind).latest("pk")


def test_a_pdf_is_made_in_the_background_then_offered(client, world):
    client.force_login(world.users[Role.VIEWER])
    response = ask(client, world, "pdf")
    made = asked(world, "pdf")
    page = f"/{world.authority.slug}/reports/board-pack/files/{made.pk}/"
    assert response.status_code == 302
    assert response["Location"] == page
    assert made.status == PackFile.Status.READY
    assert made.attempts == 1
    assert made.requested_by == world.users[Role.VIEWER]
    assert made.task_id
    assert bytes(made.content).startswith(b"%PDF")
    assert made.size == len(made.content)
    shown = client.get(page).content.decode()
    assert "Ready" in shown
    assert f"Download northshire-board-pack-{month()}.pdf" in shown
    assert "Check again" not in shown
    file = client.get(f"{page}download/")
    assert file["Content-Type"] == "application/pdf"
    assert file["Content-Disposition"] == (
        f'attachment; filename="northshire-board-pack-{month()}.pdf"'
    )
    assert file.content == bytes(made.content)


def test_asking_again_for_the_same_data_finds_the_same_file(client, world):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    first = ask(client, world, "docx")
    second = ask(client, world, "docx")
    assert first["Location"] == second["Location"]
    assert PackFile.objects.filter(format="docx").count() == 1
    # A new value changes what the pack shows: a new file, the first one kept as it was.
    access = operator_access(world.authority)
    record_value(access, world.measure, period=current_period(), value=Decimal("50"))
    third = ask(client, world, "docx")
    assert third["Location"] != first["Location"]
    assert PackFile.objects.filter(format="docx", status="ready").count() == 2
    # Another month, or the plan as at another day, is another file too.
    ask(client, world, "docx", period=f"{add_months(current_period(), -1):%Y-%m}")
    assert PackFile.objects.filter(format="docx").count() == 3


def test_the_progress_page_works_without_javascript_and_with_htmx(client, world, settings):
    settings.TASKS = DUMMY  # the task is queued, not run
    client.force_login(world.users[Role.VIEWER])
    page = ask(client, world, "pdf")["Location"]
    queued = asked(world, "pdf")
    shown = client.get(page).content.decode()
    assert queued.status == PackFile.Status.QUEUED
    assert "Waiting to be made" in shown
    # No meta refresh (WCAG 2.2.1): a link to look again, and htmx asking every 2 s.
    assert "http-equiv" not in shown
    assert re.search(rf'<a class="govuk-link" href="{page}">Check again', shown)
    assert f'hx-get="{page}" hx-trigger="every 2s"' in shown
    partial = client.get(page, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()
    make_pack_file.call(queued.pk, world.users[Role.VIEWER].pk)  # what the worker does
    ready = client.get(page, headers={"HX-Request": "true"})
    assert ready.status_code == 286  # htmx stops asking
    assert "Download northshire-board-pack" in ready.content.decode()
    assert 'hx-trigger="every' not in client.get(page).content.decode()


def test_a_file_not_made_can_be_asked_for_again(client, world, settings):
    settings.TASKS = DUMMY
    client.force_login(world.users[Role.VIEWER])
    page = ask(client, world, "docx")["Location"]
    queued = asked(world, "docx")
    PackFile.objects.filter(pk=queued.pk).update(status="failed", error="Something broke.")
    shown = client.get(page).content.decode()
    assert "Not made" in shown
    assert "Something broke." in shown
    again = re.search(r'<a class="govuk-button" data-module="govuk-button" href="([^"]+)"', shown)
    assert again
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert client.get(again.group(1).replace("&amp;", "&"))["Location"] == page
    queued.refresh_from_db()
    assert queued.status == PackFile.Status.READY
    assert queued.error == ""


def test_the_task_runs_as_the_person_who_asked(world, settings):
    settings.TASKS = DUMMY
    viewer = world.users[Role.VIEWER]
    access = Access(viewer, world.authority, Role.VIEWER)
    queued = request_pack_file(access, world.plan, current_period(), None, "docx")
    Membership.objects.filter(user=viewer, authority=world.authority).delete()
    assert make_pack_file.call(queued.pk, viewer.pk) == PackFile.Status.FAILED
    queued.refresh_from_db()
    assert queued.status == PackFile.Status.FAILED
    assert queued.content is None
    assert "no longer has a role" in queued.error
    # With no user (a command, the demo) it runs as the authority's operator.
    PackFile.objects.filter(pk=queued.pk).update(status="queued")
    assert make_pack_file.call(queued.pk, None) == PackFile.Status.READY


def test_a_task_that_ended_without_the_file_shows_as_not_made(world, settings):
    settings.TASKS = DATABASE  # keeps each task's result, as the service's queue does
    from django_tasks_db.models import DBTaskResult

    queued = request_pack_file(
        operator_access(world.authority), world.plan, current_period(), None, "pdf"
    )
    assert check_progress(queued).status == PackFile.Status.QUEUED
    DBTaskResult.objects.filter(pk=queued.task_id).update(status="FAILED")
    assert check_progress(queued).status == PackFile.Status.FAILED


def test_another_authoritys_file_is_not_found(client, world, foreign_world):
    client.force_login(foreign_world.users[Role.ADMINISTRATOR])
    for path in ("", "download/"):
        url = f"/{foreign_world.authority.slug}/reports/board-pack/files/{world.pack_file.pk}/"
        assert client.get(url + path).status_code == 404
    client.force_login(world.users[Role.VIEWER])
    url = f"/{world.authority.slug}/reports/board-pack/files/{world.pack_file.pk}/download/"
    assert b"only-in-northshire" in client.get(url).content


def test_a_file_not_ready_cannot_be_downloaded(client, world):
    PackFile.objects.filter(pk=world.pack_file.pk).update(status="running", content=None)
    client.force_login(world.users[Role.VIEWER])
    url = f"/{world.authority.slug}/reports/board-pack/files/{world.pack_file.pk}/download/"
    assert client.get(url).status_code == 404


def test_a_ready_file_always_has_its_content(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        PackFile.objects.filter(pk=world.pack_file.pk).update(content=None)
    assert PackFile.objects.filter(Q(status="ready") & Q(content__isnull=True)).count() == 0


# ---------------------------------------------------------------------------------------------
# The pack's page draws no chart in the request


def test_the_pack_page_shows_undrawn_charts_as_being_drawn(client, world, settings):
    settings.G2G_PACK_CHARTS = "all"
    settings.TASKS = DUMMY  # nothing draws them yet
    for months_ago, value in ((1, "61.5"), (0, "64")):
        MeasureValue.objects.create(
            measure=world.measure,
            period=add_months(current_period(), -months_ago),
            value=Decimal(value),
        )
    client.force_login(world.users[Role.VIEWER])
    page = f"/{world.authority.slug}/reports/board-pack/"
    shown = client.get(page).content.decode()
    assert "1 chart is still being drawn" in shown
    assert 'id="measure-' not in shown
    # The page enqueued drawing them: a worker (here, the immediate backend) draws them.
    from django.core.cache import cache

    cache.clear()  # the "enqueued a minute ago" mark
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    client.get(page)
    shown = client.get(page).content.decode()
    assert "still being drawn" not in shown
    assert f'id="measure-{world.measure.pk}-title"' in shown


def test_pack_files_made_more_than_a_month_ago_are_pruned_and_saved_packs_kept(world):
    """`g2g prune_pack_files` (weekly, docs/deploy.md): files whose making ended more than the
    days given ago go, whatever the authority; newer ones, ones still waiting or being made,
    and packs saved for the record stay."""
    from django.core.management import call_command
    from django.utils import timezone

    from g2g.reports.models import SavedPack
    from tests.factories import PackFileFactory

    days_ago = lambda days: timezone.now() - timedelta(days=days)  # noqa: E731
    old = PackFileFactory(authority=world.authority, plan=world.plan, finished_at=days_ago(31))
    failed = PackFileFactory(
        authority=world.authority, plan=world.plan, status="failed", finished_at=days_ago(40)
    )
    recent = PackFileFactory(authority=world.authority, plan=world.plan, finished_at=days_ago(29))
    waiting = PackFileFactory(
        authority=world.authority, plan=world.plan, status="queued", content=None, finished_at=None
    )
    elsewhere = PackFileFactory(finished_at=days_ago(90))  # another authority's
    out = io.StringIO()
    call_command("prune_pack_files", "--min-age-days", "30", stdout=out)
    assert out.getvalue().strip() == "Deleted 3 board pack files."
    kept = set(PackFile.objects.values_list("pk", flat=True))
    assert world.pack_file.pk in kept  # made just now (the world's)
    assert {recent.pk, waiting.pk} <= kept
    assert not {old.pk, failed.pk, elsewhere.pk} & kept
    assert SavedPack.objects.filter(pk=world.saved_pack.pk).exists()
