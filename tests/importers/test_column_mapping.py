"""The preview's column mapping, through the real pages: the improvement lead sees what each
column was read as, changes it, sees the file read again, imports; the mapping is kept with the
plan and used for its next import, by page or command (and only by that authority)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from g2g.importers.models import PlanColumns
from g2g.importers.services import clean_columns
from g2g.plans.models import Plan, ProgressUpdate
from g2g.tenancy.models import Role

from .test_trackers import HEADERS, ROWS, tracker

pytestmark = pytest.mark.django_db

NOTES = (*HEADERS, "Notes")
ROWS_WITH_NOTES = [row if len(row) == 1 else (*row, f"Note on {row[0]}") for row in ROWS]


@pytest.fixture
def lead(client, world):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    return client


def upload(client, world, data: bytes, name="tracker.xlsx", **fields) -> str:
    response = client.post(
        f"/{world.authority.slug}/import/plan/",
        {"file": SimpleUploadedFile(name, data)} | fields,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def choices(page: str) -> dict[str, str]:
    """Each column's heading and the option selected for it on the page."""
    import re

    found = {}
    for label, options in re.findall(
        r"<label class=\"govuk-label\" for=\"id_column_\d+\">Column ‘([^’]*)’</label>.*?"
        r"<select[^>]*>(.*?)</select>",
        page,
        re.S,
    ):
        selected = re.search(r'<option value="([^"]*)" selected>', options)
        found[label] = selected[1] if selected else None
    return found


def mapping_post(page: str, **changes: str) -> dict[str, str]:
    """The mapping form as the page shows it, with `changes` (heading → field) made."""
    import re

    data = {"decision": "columns"}
    headers = dict(re.findall(r'name="header_(\d+)" value="([^"]*)"', page))
    shown = choices(page)
    for number, header in headers.items():
        data[f"header_{number}"] = header
        data[f"column_{number}"] = changes.get(header, shown[header] or "")
    return data


def test_the_mapping_is_shown_changed_and_kept_with_the_plan(lead, world):
    preview = upload(lead, world, tracker(ROWS_WITH_NOTES, NOTES), progress_period="2024-02")
    page = lead.get(preview).content.decode()
    assert choices(page) == {
        "Action No.": "ref",
        "Description": "action",
        "Responsible Officer": "lead",
        "Target Date": "end",
        "Status": "action_rating",
        "Notes": "",
    }
    assert "column &#x27;Notes&#x27;" in page or "column 'Notes'" in page  # the problem, located

    response = lead.post(preview, mapping_post(page, Notes="progress"))
    assert response.status_code == 302
    page = lead.get(preview).content.decode()
    assert choices(page)["Notes"] == "progress"
    assert "this column is not read" not in page
    assert not Plan.objects.filter(authority=world.authority, title__contains="tracker").exists()

    lead.post(preview, {"decision": "confirm"})
    plan = Plan.objects.get(authority=world.authority, title__contains="tracker")
    assert PlanColumns.objects.get(plan=plan).columns["notes"] == "progress"
    narratives = set(
        ProgressUpdate.objects.filter(action__plan=plan).values_list("narrative", flat=True)
    )
    assert "Note on 1.1" in narratives

    again = upload(lead, world, tracker(ROWS_WITH_NOTES, NOTES), progress_period="2024-03")
    page = lead.get(again).content.decode()
    assert "read as chosen for this plan" in page
    assert choices(page)["Notes"] == "progress"


def test_a_choice_that_is_not_a_field_is_refused_on_the_page(lead, world):
    preview = upload(lead, world, tracker(ROWS_WITH_NOTES, NOTES))
    page = lead.get(preview).content.decode()
    data = mapping_post(page)
    data["column_5"] = "password"
    response = lead.post(preview, data)
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()


def test_the_command_reads_with_the_remembered_mapping(tmp_path, world):
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(tracker(ROWS_WITH_NOTES, NOTES))
    out = io.StringIO()
    call_command("import_plan", str(path), "--authority", world.authority.name, stdout=out)
    plan = Plan.objects.get(authority=world.authority, title__contains="tracker")
    assert "column 'Notes': this column is not read" in out.getvalue()
    from g2g.importers.services import remember_columns
    from g2g.tenancy.access import operator_access

    remember_columns(operator_access(world.authority), plan, {"Notes": "progress"})
    out = io.StringIO()
    call_command(
        "import_plan",
        str(path),
        "--authority",
        world.authority.name,
        "--progress-period",
        "2024-02",
        stdout=out,
    )
    assert "column 'Notes'" not in out.getvalue()
    assert ProgressUpdate.objects.filter(
        action__plan=plan, narrative__startswith="Note on 2.1"
    ).exists()


@pytest.mark.parametrize(
    "columns",
    [{"x": "password"}, {f"h{n}": "ref" for n in range(101)}, ["ref"]],
    ids=["not-a-field", "too-many", "not-a-mapping"],
)
def test_a_mapping_is_checked_before_it_is_kept(columns):
    with pytest.raises(ValueError, match="column"):
        clean_columns(columns)
