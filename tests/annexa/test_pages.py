"""The upload journey, what is kept (nothing child-level unless opted in), adding KPIs to the
scorecard, who may do what, and query counts."""

import io
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from g2g.annexa import services
from g2g.annexa.generator import generate, write_xlsx
from g2g.annexa.models import AnnexAReturn
from g2g.importers.models import Upload
from g2g.measures.models import Measure, MeasureValue
from g2g.plans.models import Plan
from tests.factories import AnnexAReturnFactory, MeasureFactory, PlanFactory

pytestmark = pytest.mark.django_db
SNAPSHOT = date(2025, 3, 31)


@pytest.fixture(scope="module")
def synthetic():
    generated = generate("Northshire", 400, seed=5, snapshot=SNAPSHOT)
    buffer = io.BytesIO()
    write_xlsx(generated, buffer)
    return generated, buffer.getvalue()


def upload(client, world, data: bytes, name="annex-a.xlsx", snapshot="31/03/2025"):
    file = SimpleUploadedFile(name, data)
    url = f"/{world.authority.slug}/annex-a/upload/"
    return client.post(url, {"file": file, "snapshot_date": snapshot})


def stored_text() -> str:
    """Everything the Annex A tables hold, as text."""
    rows = [str(list(r.__dict__.values())) for r in AnnexAReturn.objects.all()]
    rows += [str(list(r.__dict__.values())) for r in AnnexAReturn.history.all()]
    rows += [str(list(v.__dict__.values())) for v in MeasureValue.objects.all()]
    return "\n".join(rows)


def files_under(folder) -> set[Path]:
    root = Path(folder)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def test_an_upload_keeps_aggregates_and_nothing_child_level(client, world, synthetic):
    generated, data = synthetic
    client.force_login(world.users["improvement_lead"])
    media_before, uploads_before = files_under(settings.MEDIA_ROOT), Upload.objects.count()
    response = upload(client, world, data)
    record = AnnexAReturn.objects.get(authority=world.authority, file_name="annex-a.xlsx")
    assert response.status_code == 302
    assert response["Location"] == f"/{world.authority.slug}/annex-a/{record.pk}/"
    assert record.snapshot_date == SNAPSHOT
    assert record.rows["contacts"] == generated.lists["contacts"].height
    assert record.kpis["re_referrals_12_months"]["denominator"] > 0
    assert record.quality["counts"] == generated.fault_counts()
    assert record.kept_file is None
    assert record.kept_until is None
    # No child id, date of birth or worker name is stored anywhere, nor any file.
    text = stored_text()
    for list_frame in generated.lists.values():
        for child_id in list_frame["child_id"].drop_nulls().unique().head(200):
            assert child_id not in text
    assert generated.lists["contacts"]["birth_date"][0] not in text
    assert files_under(settings.MEDIA_ROOT) == media_before
    assert Upload.objects.count() == uploads_before
    page = client.get(response["Location"]).content.decode()
    assert "Re-referrals within 12 months" in page
    assert "Required value missing" in page


def test_an_authority_that_opted_in_keeps_the_file_only_encrypted(client, world, synthetic):
    _generated, data = synthetic
    client.force_login(world.users["administrator"])
    response = client.post(
        f"/{world.authority.slug}/annex-a/retention/", {"keep_files": "on", "keep_days": "7"}
    )
    assert response.status_code == 302
    upload(client, world, data)
    record = AnnexAReturn.objects.get(authority=world.authority, file_name="annex-a.xlsx")
    sealed = bytes(record.kept_file)
    assert data[:200] not in sealed
    assert Fernet(settings.ANNEXA_FILE_KEY).decrypt(sealed) == data
    assert record.kept_until > timezone.now() + timedelta(days=6)


@override_settings(ANNEXA_FILE_KEY="")
def test_without_a_key_the_file_is_not_kept_and_the_return_says_why(client, world, synthetic):
    _generated, data = synthetic
    client.force_login(world.users["administrator"])
    client.post(
        f"/{world.authority.slug}/annex-a/retention/", {"keep_files": "on", "keep_days": "7"}
    )
    upload(client, world, data)
    record = AnnexAReturn.objects.get(authority=world.authority, file_name="annex-a.xlsx")
    assert record.kept_file is None
    assert "ANNEXA_FILE_KEY" in record.kept_note
    page = client.get(f"/{world.authority.slug}/annex-a/{record.pk}/").content.decode()
    assert "ANNEXA_FILE_KEY" in page


def test_a_kept_file_is_encrypted_and_purged_when_it_expires(world, synthetic, monkeypatch):
    _generated, data = synthetic
    monkeypatch.setattr(services, "encrypt_for_keeping", lambda data: b"sealed:" + data[:10])
    from g2g.tenancy.access import access_for

    access = access_for(world.users["improvement_lead"], world.authority.slug)
    services.set_retention(access, keep_files=True, keep_days=3)
    record = services.check_return_upload(access, "kept.xlsx", data, snapshot=SNAPSHOT)
    assert bytes(record.kept_file).startswith(b"sealed:")
    assert record.kept_until > timezone.now() + timedelta(days=2)
    assert services.purge_expired_files() == 0  # not yet
    AnnexAReturn.objects.filter(pk=record.pk).update(
        kept_until=timezone.now() - timedelta(seconds=1)
    )
    out = io.StringIO()
    call_command("purge_annexa", stdout=out)
    assert "Deleted 1 expired" in out.getvalue()
    record.refresh_from_db()
    assert record.kept_file is None
    assert record.kept_until is None
    assert not hasattr(AnnexAReturn.history.model, "kept_file")  # history never held it


def test_adding_to_the_scorecard_writes_values_with_numerator_and_denominator(client, world):
    tracked = MeasureFactory(authority=world.authority, indicator="assessments_45_days", unit="%")
    record = AnnexAReturnFactory(
        authority=world.authority,
        snapshot_date=SNAPSHOT,
        sha256="ab" * 32,
        file_name="march.xlsx",
        kpis={
            "assessments_45_days": {"numerator": 2, "denominator": 3, "value": 66.7},
            "cp_second_time": {"numerator": 1, "denominator": 8, "value": 12.5},
            "care_leavers_eet": {"numerator": 0, "denominator": 0, "value": None},
        },
    )
    client.force_login(world.users["improvement_lead"])
    url = f"/{world.authority.slug}/annex-a/{record.pk}/publish/"
    assert client.post(url).status_code == 302
    value = MeasureValue.objects.get(measure=tracked)
    assert (value.period, value.value, value.numerator, value.denominator) == (
        date(2025, 3, 1),
        66.7 and value.value,
        2,
        3,
    )
    assert str(value.value) == "66.70"
    assert value.source == MeasureValue.Source.COMPUTED
    assert value.note == "Annex A march.xlsx, 31 Mar 2025, sha256 abababababab"
    created = Measure.objects.get(authority=world.authority, indicator="cp_second_time")
    assert created.name == "Child protection plans starting for a second or subsequent time"
    assert created.values.get().numerator == 1
    assert not Measure.objects.filter(authority=world.authority, indicator="care_leavers_eet")
    record.refresh_from_db()
    assert record.status == AnnexAReturn.Status.PUBLISHED
    assert client.post(url).status_code == 302  # again: nothing more written
    assert MeasureValue.objects.filter(measure__authority=world.authority).count() == 2


def test_a_measure_the_return_adds_belongs_to_the_current_plan(client, world):
    """The current plan is read as everywhere else (`PlanQuerySet.current`): the active plan,
    not a newer draft."""
    PlanFactory(authority=world.authority, status=Plan.Status.DRAFT, title="Next plan")
    record = AnnexAReturnFactory(
        authority=world.authority,
        snapshot_date=SNAPSHOT,
        kpis={"cp_second_time": {"numerator": 1, "denominator": 8, "value": 12.5}},
    )
    client.force_login(world.users["improvement_lead"])
    assert client.post(f"/{world.authority.slug}/annex-a/{record.pk}/publish/").status_code == 302
    created = Measure.objects.get(authority=world.authority, indicator="cp_second_time")
    assert created.plan == world.plan


@pytest.mark.parametrize("role", ["action_lead", "viewer", "regional_viewer"])
def test_only_improvement_leads_and_administrators_upload(client, world, role, synthetic):
    client.force_login(world.users[role])
    slug = world.authority.slug
    assert client.get(f"/{slug}/annex-a/upload/").status_code == 403
    assert upload(client, world, synthetic[1]).status_code == 403
    assert client.post(f"/{slug}/annex-a/{world.annexa_return.pk}/publish/").status_code == 403
    assert client.get(f"/{slug}/annex-a/retention/").status_code == 403
    assert client.get(f"/{slug}/annex-a/").status_code == 200
    assert "Check an Annex A return" not in client.get(f"/{slug}/annex-a/").content.decode()
    assert AnnexAReturn.objects.count() == 1
    assert not MeasureValue.objects.filter(source="computed").exists()


@pytest.mark.parametrize("role", ["action_lead", "viewer", "regional_viewer"])
def test_the_services_refuse_roles_that_do_not_edit_the_plan(world, role, synthetic):
    from g2g.annexa.analysis import analyse
    from g2g.tenancy.access import access_for

    access = access_for(world.users[role], world.authority.slug)
    analysis = analyse(synthetic[1], "annex-a.xlsx", SNAPSHOT)
    MeasureFactory(authority=world.authority, indicator="assessments_45_days", unit="%")
    with pytest.raises(PermissionDenied):
        services.record_return(access, analysis, data=synthetic[1])
    with pytest.raises(PermissionDenied):
        services.write_measure_values(access, world.annexa_return)
    with pytest.raises(PermissionDenied):
        services.publish_return(access, world.annexa_return)
    assert AnnexAReturn.objects.count() == 1
    assert not MeasureValue.objects.exists()
    assert Measure.objects.filter(authority=world.authority).count() == 2  # the world's two


def test_the_services_record_who_wrote_the_return_and_its_values(world, synthetic):
    from g2g.annexa.analysis import analyse
    from g2g.tenancy.access import access_for

    lead = access_for(world.users["improvement_lead"], world.authority.slug)
    record = services.record_return(lead, analyse(synthetic[1], "annex-a.xlsx", SNAPSHOT))
    assert (record.authority, record.uploaded_by) == (world.authority, lead.user)
    assert record.history.get().history_user == lead.user
    assert services.write_measure_values(lead, record) > 0
    assert {v.history.get().history_user for v in MeasureValue.objects.all()} == {lead.user}
    assert record.status != AnnexAReturn.Status.PUBLISHED  # publish_return marks it


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("annex-a.xlsx", b"not a workbook at all", "is not an Excel workbook"),
        ("annex-a.csv", b"Child Unique ID\nC1\n", "as an Excel file"),
        ("annex-a.xlsm", b"PK\x03\x04", "macro"),
    ],
)
def test_a_bad_file_is_refused_with_a_reason_and_nothing_is_stored(
    client, world, name, data, message
):
    client.force_login(world.users["improvement_lead"])
    response = upload(client, world, data, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert AnnexAReturn.objects.filter(authority=world.authority).count() == 1  # world's own


def test_a_workbook_with_no_annex_a_sheet_is_refused(client, world):
    from .builders import workbook

    client.force_login(world.users["improvement_lead"])
    response = upload(client, world, workbook({"Summary": [["a"], [1]]}))
    assert "no sheet is an Annex A list" in response.content.decode()


def test_a_list_without_its_header_row_is_refused_and_nothing_is_kept(client, world):
    """docs/security.md #21: the first row of a list without its header row is a child's; the
    upload is refused at its place and nothing of it is stored or shown."""
    from .builders import headers, workbook

    child = ["C-7731", "a) Male", "a) WBRI", "14/02/2015", 10, "03/03/2025", "q) 6: Police"]
    data = workbook({"List 1": [headers("contacts"), ["C1"]], "List 3": [child, child]})
    client.force_login(world.users["improvement_lead"])
    page = upload(client, world, data).content.decode()
    assert "annex-a.xlsx, sheet &#x27;List 3&#x27;, row 1" in page
    assert "C-7731" not in page
    assert AnnexAReturn.objects.filter(authority=world.authority).count() == 1  # world's own
    assert "C-7731" not in stored_text()


def test_a_stored_return_holds_how_many_columns_were_not_read_never_their_headings(client, world):
    from .builders import headers, workbook

    data = workbook({"List 3": [[*headers("referrals"), "C-7731 Jane"], ["C1"]]})
    client.force_login(world.users["improvement_lead"])
    response = upload(client, world, data)
    record = AnnexAReturn.objects.exclude(pk=world.annexa_return.pk).get()
    assert record.quality["unknown_columns"] == {"referrals": 1}
    assert "C-7731" not in stored_text()
    page = client.get(response.url).content.decode()
    assert "1 column is not in Annex A and was not read" in page
    workbook_text = client.get(response.url + "data-quality.xlsx").content
    book = openpyxl.load_workbook(io.BytesIO(workbook_text))
    cells = [str(c.value) for row in book["Summary"].iter_rows() for c in row if c.value]
    assert "1 column is not in Annex A and was not read (its heading is not kept)" in cells


def test_returns_stored_before_keep_only_the_count_of_unknown_headings():
    """The migration forgets headings stored before issue 19, in returns and their history."""
    import importlib

    migration = importlib.import_module("g2g.annexa.migrations.0002_no_unknown_headings_kept")
    quality = {"counts": {}, "unknown_columns": {"referrals": ["C-7731", "Jane"], "cin": 3}}
    assert migration._counted(quality) == {
        "counts": {},
        "unknown_columns": {"referrals": 2, "cin": 3},
    }
    assert migration._counted({"unknown_columns": {"referrals": 1}}) is None
    assert migration._counted({}) is None


def test_a_bad_snapshot_date_is_an_error(client, world, synthetic):
    client.force_login(world.users["improvement_lead"])
    response = upload(client, world, synthetic[1], snapshot="31 Feb")
    assert "The date the data were extracted must be a real date" in response.content.decode()


def test_the_data_quality_workbook_has_row_numbers_and_no_formulas(client, world):
    record = AnnexAReturnFactory(
        authority=world.authority,
        quality={
            "counts": {"invalid_code": 2},
            "issues": [
                {
                    "list": "referrals",
                    "column": "gender",
                    "check": "invalid_code",
                    "count": 2,
                    "rows": [5, 9],
                }
            ],
            "unknown_sheets": ['=HYPERLINK("http://x")'],
            "unknown_columns": {"referrals": 2},
        },
    )
    client.force_login(world.users["viewer"])
    response = client.get(f"/{world.authority.slug}/annex-a/{record.pk}/data-quality.xlsx")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book["Problems"].iter_rows(min_row=2, values_only=True))
    assert rows == [
        ("List 3: Referrals", "Gender", "Not one of the allowed codes", 2, 5),
        ("List 3: Referrals", "Gender", "Not one of the allowed codes", 2, 9),
    ]
    summary = [cell for row in book["Summary"].iter_rows() for cell in row if cell.value]
    assert any(str(cell.value).startswith("=HYPERLINK") for cell in summary)
    assert all(cell.data_type != "f" for cell in summary)


def test_query_counts_do_not_grow_with_returns(client, world):
    client.force_login(world.users["viewer"])
    url = f"/{world.authority.slug}/annex-a/"

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    AnnexAReturnFactory.create_batch(25, authority=world.authority)
    assert count() == few
    detail = f"/{world.authority.slug}/annex-a/{world.annexa_return.pk}/"
    with CaptureQueriesContext(connection) as queries:
        assert client.get(detail).status_code == 200
    assert len(queries) <= few + 1


def test_the_demo_loads_a_synthetic_return_labelled_synthetic(monkeypatch):
    from g2g.operations.demo import annexa as demo
    from tests.factories import AuthorityFactory

    monkeypatch.setattr(demo, "DEMO_CHILDREN", {"Oldham": 300})
    oldham = AuthorityFactory(name="Oldham", slug="oldham")
    demo.load_annexa_demo(log=lambda text: None)
    demo.load_annexa_demo(log=lambda text: None)  # again: the same return, values rewritten
    record = AnnexAReturn.objects.get(authority=oldham)
    assert record.synthetic
    assert record.status == AnnexAReturn.Status.PUBLISHED
    values = MeasureValue.objects.filter(measure__authority=oldham)
    assert values.exists()
    assert set(values.values_list("source", flat=True)) == {MeasureValue.Source.SYNTHETIC}
    assert all(
        note.startswith("Synthetic Annex A") for note in values.values_list("note", flat=True)
    )
