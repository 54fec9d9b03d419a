"""Upload → preview → confirm or cancel, through the real pages. Nothing is written before
confirming; the write is one transaction."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from g2g.importers.models import Upload
from g2g.inspections.models import Inspection
from g2g.plans.models import Action, Plan
from g2g.tenancy.models import Role
from tests.importers.test_plan_commands import OLDHAM, TAMESIDE
from tests.seed_files import REPORTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(client, world):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    return client


def upload(client, world, path, kind="plan", **fields):
    data = {"file": SimpleUploadedFile(path.name, path.read_bytes())} | fields
    response = client.post(f"/{world.authority.slug}/import/{kind}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def test_a_plan_is_previewed_then_imported_on_confirm(lead, world):
    preview_url = upload(lead, world, TAMESIDE)
    page = lead.get(preview_url).content.decode()
    assert "Check the plan before importing it" in page
    assert "Review threshold document" in page
    assert "second start date column" in page  # the problem list, with its place
    assert Plan.objects.filter(title__startswith="Tameside").count() == 0
    response = lead.post(preview_url, {"decision": "confirm"})
    assert response.status_code == 302
    plan = Plan.objects.get(title__startswith="Tameside")
    assert plan.actions.count() == 31
    assert plan.history.get().history_user == world.users[Role.IMPROVEMENT_LEAD]
    assert not Upload.objects.exclude(pk=world.upload.pk).exists()


def test_cancel_writes_nothing_and_forgets_the_file(lead, world):
    preview_url = upload(lead, world, OLDHAM, progress_period="2019-08")
    lead.post(preview_url, {"decision": "cancel"})
    assert not Plan.objects.filter(title__startswith="Oldham").exists()
    assert not Upload.objects.exclude(pk=world.upload.pk).exists()


def test_the_second_upload_of_a_plan_updates_it(lead, world):
    lead.post(upload(lead, world, TAMESIDE), {"decision": "confirm"})
    preview_url = upload(lead, world, TAMESIDE)
    page = lead.get(preview_url).content.decode()
    assert "Check the changes before updating the plan" in page
    lead.post(preview_url, {"decision": "confirm"})
    assert Action.objects.filter(plan__title__startswith="Tameside").count() == 31


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ofsted.txt", (TAMESIDE.parent / "oldham-ofsted-ilacs-2019.txt").read_bytes(), "no plan"),
        ("plan.xlsx", b"PK\x03\x04 not really a zip", "not"),
        ("plan.txt", bytes(range(256)), "binary"),
    ],
    ids=["not-a-plan", "fake-xlsx", "binary"],
)
def test_a_file_that_is_not_a_plan_is_explained_and_nothing_written(
    lead, world, name, content, message
):
    uploads = Upload.objects.count()
    response = lead.post(
        f"/{world.authority.slug}/import/plan/", {"file": SimpleUploadedFile(name, content)}
    )
    if response.status_code == 200:  # refused by safe_files on the upload page: not kept
        page = response.content.decode()
        assert "There is a problem" in page
        assert Upload.objects.count() == uploads
    else:  # a file that is safe to read, read on the preview
        page = lead.get(response["Location"]).content.decode()
        assert "This file cannot be imported" in page
        plans = Plan.objects.count()
        lead.post(response["Location"], {"decision": "confirm"})
        assert Plan.objects.count() == plans
    assert message in page.lower()
    assert "Import the plan" not in page


def test_an_empty_upload_is_refused_by_the_form(lead, world):
    response = lead.post(
        f"/{world.authority.slug}/import/plan/", {"file": SimpleUploadedFile("x.txt", b"")}
    )
    assert response.status_code == 200
    assert "The file you chose is empty" in response.content.decode()


def test_a_bad_progress_month_is_explained(lead, world):
    response = lead.post(
        f"/{world.authority.slug}/import/plan/",
        {"file": SimpleUploadedFile(OLDHAM.name, OLDHAM.read_bytes()), "progress_period": "Aug"},
    )
    assert "Enter the month as year and month" in response.content.decode()


@pytest.mark.parametrize("role", [Role.ACTION_LEAD, Role.VIEWER, Role.REGIONAL_VIEWER])
def test_only_improvement_leads_and_administrators_import(client, world, role):
    client.force_login(world.users[role])
    response = client.post(
        f"/{world.authority.slug}/import/plan/",
        {"file": SimpleUploadedFile(TAMESIDE.name, TAMESIDE.read_bytes())},
    )
    assert response.status_code == 403
    assert not Upload.objects.exclude(pk=world.upload.pk).exists()


def test_another_users_upload_cannot_be_confirmed(lead, world):
    preview_url = upload(lead, world, TAMESIDE)
    lead.force_login(world.users[Role.ADMINISTRATOR])
    assert lead.post(preview_url, {"decision": "confirm"}).status_code == 404
    assert not Plan.objects.filter(title__startswith="Tameside").exists()


def test_an_inspection_report_pdf_is_previewed_then_imported(lead, world):
    pdf = REPORTS / "tameside-13-february-2024.pdf"
    preview_url = upload(lead, world, pdf, kind="inspection", code="ILAC24")
    page = lead.get(preview_url).content.decode()
    assert "Andy Waugh" in page
    assert "Inadequate" in page
    assert not Inspection.objects.filter(lead_inspector="Andy Waugh").exists()
    lead.post(preview_url, {"decision": "confirm"})
    inspection = Inspection.objects.get(lead_inspector="Andy Waugh")
    assert inspection.code == "ILAC24"
    assert inspection.findings.exists()
