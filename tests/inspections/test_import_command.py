"""`g2g import_inspection` on the real reports."""

import json

import pytest
from django.core.management import CommandError

from g2g.inspections.models import Finding, Inspection
from tests.factories import AuthorityFactory
from tests.importers.test_plan_commands import SEEDS, run

pytestmark = pytest.mark.django_db

REPORTS = SEEDS.parent / "inspection-reports"


@pytest.fixture
def oldham(db):
    return AuthorityFactory(name="Oldham", slug="oldham")


def dry_run(path, *extra) -> dict:
    return json.loads(
        run(
            "import_inspection",
            str(path),
            "--authority",
            "Oldham",
            "--dry-run",
            "--format",
            "json",
            *extra,
        )
    )


@pytest.mark.parametrize(
    "path",
    [SEEDS / "oldham-ofsted-ilacs-2019.txt", REPORTS / "oldham-04-march-2019.pdf"],
    ids=["seed-text", "pdf"],
)
def test_oldhams_2019_inspection(oldham, path):
    summary = dry_run(path)
    assert summary["type"] == "ILACS"
    assert (summary["start"], summary["end"]) == ("2019-01-21", "2019-02-01")
    assert len(summary["judgements"]) == 4
    assert {j["grade"] for j in summary["judgements"]} == {"Requires improvement to be good"}
    # The report lists seven points under "What needs to improve?" (the plan restates six).
    assert len(summary["recommendations"]) == 7
    assert summary["paragraphs"] == 47
    assert Inspection.objects.count() == 0


def test_tameside_2024(oldham):
    summary = dry_run(REPORTS / "tameside-13-february-2024.pdf")
    assert (summary["start"], summary["end"]) == ("2023-12-04", "2023-12-15")
    assert summary["lead_inspector"] == "Andy Waugh"
    assert summary["overall"] == "Inadequate"
    grades = {j["area"]: j["grade"] for j in summary["judgements"]}
    assert grades["Experiences and progress of care leavers"] == "Requires improvement to be good"


def test_import_writes_once_and_refuses_the_same_inspection_again(oldham):
    path = REPORTS / "oldham-04-march-2019.pdf"
    run("import_inspection", str(path), "--authority", "Oldham", "--code", "ILAC")
    inspection = Inspection.objects.get()
    assert inspection.findings.count() == 7
    assert inspection.paragraphs.count() == 47
    assert inspection.judgements.count() == 3  # overall effectiveness is the inspection's own
    with pytest.raises(CommandError, match="already has this inspection"):
        run("import_inspection", str(path), "--authority", "Oldham")
    assert Inspection.objects.count() == 1


def test_a_focused_visit_from_a_council_report(oldham):
    run(
        "import_inspection",
        str(SEEDS / "oldham-council-report-2020-12.txt"),
        "--authority",
        "Oldham",
        "--focused-visit",
    )
    visit = Inspection.objects.get()
    assert visit.type == "Focused visit"
    assert visit.findings.filter(kind=Finding.Kind.STRENGTH).count() == 29
    assert visit.findings.filter(kind=Finding.Kind.AREA_FOR_DEVELOPMENT).count() == 8


@pytest.mark.parametrize(
    "name", ["tameside-improvement-plan-2023.txt", "oldham-council-report-2020-12.txt"]
)
def test_a_file_that_is_not_a_report_is_refused(oldham, name):
    with pytest.raises(CommandError, match="was not imported"):
        run("import_inspection", str(SEEDS / name), "--authority", "Oldham")
    assert Inspection.objects.count() == 0
