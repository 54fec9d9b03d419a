"""`g2g load_authorities` on the real ILACS overview workbook, copies of it, and bad files."""

import io
import json
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from g2g.tenancy.models import Authority, StatisticalNeighbour
from g2g.tenancy.reference import read_ilacs_overview
from g2g.tenancy.services import load_authorities
from tests.seed_files import REFERENCE

pytestmark = pytest.mark.django_db

WORKBOOK = REFERENCE / "ilacs-overview.xlsx"
SHEET = "sheet 'ofsted_cs_inspections_overview'"
OLDHAM_ROW = 103  # Oldham's row in the sheet (LA code 353)

# Ranked as in the file's stat_neighbours column.
OLDHAM_NEIGHBOURS = [
    "Blackburn with Darwen",
    "Bolton",
    "Rochdale",
    "Bradford",
    "Walsall",
    "Derby",
    "Stoke-on-Trent",
    "Coventry",
    "Birmingham",
    "Sandwell",
]
TAMESIDE_NEIGHBOURS = [
    "Rotherham",
    "Gateshead",
    "Rochdale",
    "Barnsley",
    "Wakefield",
    "Dudley",
    "Telford & Wrekin",
    "Plymouth",
    "Sunderland",
    "Torbay",
]


def run(*args: object) -> str:
    out = io.StringIO()
    call_command("load_authorities", *args, stdout=out)
    return out.getvalue()


def run_json(path: Path) -> dict:
    return json.loads(run(str(path), "--format", "json"))


def neighbours(name: str) -> list[str]:
    authority = Authority.objects.get(name=name)
    links = StatisticalNeighbour.objects.filter(authority=authority).order_by("rank")
    assert [link.rank for link in links] == list(range(1, 11))
    return [link.neighbour.name for link in links]


def snapshot() -> tuple[list, list]:
    """Every authority's values and every neighbour row, ids included."""
    return (
        list(Authority.objects.order_by("pk").values()),
        list(StatisticalNeighbour.objects.order_by("pk").values()),
    )


def edited_copy(tmp_path: Path, edits: dict[tuple[str, str], object]) -> Path:
    """A copy of the workbook with cells changed, each given as (LA code, column heading)."""
    workbook = openpyxl.load_workbook(WORKBOOK)
    sheet = workbook.active
    headings = [cell.value for cell in sheet[1]]
    rows = {row[headings.index("la_code")].value: row for row in sheet.iter_rows(min_row=2)}
    for (la_code, heading), value in edits.items():
        rows[la_code][headings.index(heading)].value = value
    path = tmp_path / "ilacs-overview-edited.xlsx"
    workbook.save(path)
    return path


def test_first_load_creates_all_153_authorities_with_ten_neighbours_each():
    output = run(str(WORKBOOK))

    assert output.splitlines()[0] == "153 authorities: 153 created, 0 updated, 0 unchanged"
    assert Authority.objects.count() == 153
    assert StatisticalNeighbour.objects.count() == 1530


def test_oldham_has_its_codes_region_inspection_and_neighbours_in_rank_order():
    run(str(WORKBOOK))

    oldham = Authority.objects.get(name="Oldham")
    assert (oldham.slug, oldham.la_number, oldham.ons_code) == ("oldham", "353", "E08000004")
    assert (oldham.region, oldham.ofsted_urn) == ("North West", "80535")
    assert oldham.inspection_framework == "ILACS standard"
    assert (oldham.inspection_start, oldham.inspection_end, oldham.inspection_published) == (
        date(2024, 5, 13),
        date(2024, 5, 24),
        date(2024, 7, 12),
    )
    assert oldham.inspection_link == "https://files.ofsted.gov.uk/v1/file/50252252"
    assert oldham.lead_inspector == "Rebekah Tucker"
    assert oldham.grade_overall == oldham.grade_care_leavers == "Good"
    assert neighbours("Oldham") == OLDHAM_NEIGHBOURS


def test_tameside_has_its_codes_grades_and_neighbours_in_rank_order():
    run(str(WORKBOOK))

    tameside = Authority.objects.get(name="Tameside")
    assert (tameside.la_number, tameside.ons_code, tameside.region) == (
        "357",
        "E08000008",
        "North West",
    )
    assert tameside.grade_overall == tameside.grade_leaders == "Inadequate"
    assert tameside.grade_care_leavers == "Requires improvement to be good"
    assert tameside.lead_inspector == ""  # 'None' in the file
    assert neighbours("Tameside") == TAMESIDE_NEIGHBOURS


def test_file_quirks_become_clean_values():
    run(str(WORKBOOK))

    names = set(Authority.objects.values_list("name", flat=True))
    assert {"Kingston upon Hull", "Southend-on-Sea", "Telford & Wrekin", "St Helens"} <= names
    assert Authority.objects.get(name="Isles of Scilly").region == "South West"
    # "inspection_pre_dates_judgement": inspected before care leavers were judged separately.
    assert Authority.objects.get(name="Trafford").grade_care_leavers == ""
    brighton = Authority.objects.get(name="Brighton and Hove")  # no framework or dates
    assert (brighton.inspection_framework, brighton.inspection_start) == ("", None)
    assert brighton.inspection_published == date(2024, 5, 16)


def test_missing_values_load_blank_and_are_reported():
    report = run_json(WORKBOOK)

    assert Authority.objects.get(name="Medway").region == ""
    medway = [p for p in report["problems"] if p["column"] == "C (region_code)"]
    assert medway == [
        {
            "where": f"ilacs-overview.xlsx, {SHEET}, row 89, column C (region_code)",
            "file": "ilacs-overview.xlsx",
            "message": "no value; left blank",
            "sheet": "ofsted_cs_inspections_overview",
            "row": 89,
            "column": "C (region_code)",
        }
    ]
    duplicated = [p["message"] for p in report["problems"] if p["column"] == "D (ltla23cd)"]
    assert duplicated == ["E10000006 is also the ONS code in row 27"]  # Cumbria's old code


def test_second_load_changes_nothing():
    run(str(WORKBOOK))
    before = snapshot()

    report = run_json(WORKBOOK)

    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 153)
    assert snapshot() == before  # same values, and the same neighbour rows (not recreated)


def test_changed_value_updates_exactly_that_authority(tmp_path):
    run(str(WORKBOOK))
    path = edited_copy(tmp_path, {("353", "overall_effectiveness_grade"): "outstanding"})
    tameside = Authority.objects.values().get(name="Tameside")

    report = run_json(path)

    assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, 152)
    assert Authority.objects.get(name="Oldham").grade_overall == "Outstanding"
    assert Authority.objects.values().get(name="Tameside") == tameside


def test_reordered_neighbours_update_exactly_that_authority(tmp_path):
    run(str(WORKBOOK))
    reordered = "390, 372, 354, 370, 384, 332, 894, 879, 394, 880"  # first two swapped
    path = edited_copy(tmp_path, {("357", "stat_neighbours"): reordered})

    report = run_json(path)

    assert (report["created"], report["updated"], report["unchanged"]) == (0, 1, 152)
    assert neighbours("Tameside")[:3] == ["Gateshead", "Rotherham", "Rochdale"]
    assert neighbours("Oldham") == OLDHAM_NEIGHBOURS
    assert StatisticalNeighbour.objects.count() == 1530


def test_same_values_spelt_differently_change_nothing(tmp_path):
    run(str(WORKBOOK))
    path = edited_copy(
        tmp_path,
        {
            ("353", "region_code"): "E12000002",  # ONS code for North West
            ("353", "inspection_start_date"): datetime(2024, 5, 13),  # noqa: DTZ001 - a cell
            ("353", "publication_date"): "12/07/2024",
            ("353", "overall_effectiveness_grade"): " Good ",
            ("353", "urn"): 80535,
        },
    )

    report = run_json(path)

    assert (report["created"], report["updated"], report["unchanged"]) == (0, 0, 153)


def test_missing_file_is_an_error_naming_it(tmp_path):
    missing = tmp_path / "nowhere.xlsx"

    with pytest.raises(CommandError, match="nowhere.xlsx.*no such file"):
        run(str(missing))


@pytest.mark.parametrize("content", [b"", b"la_code,local_authority\n353,oldham\n"])
def test_file_that_is_not_a_workbook_is_an_error(tmp_path, content):
    path = tmp_path / "authorities.xlsx"
    path.write_bytes(content)

    with pytest.raises(CommandError, match="authorities.xlsx: not an Excel .xlsx workbook"):
        run(str(path))

    assert Authority.objects.count() == 0


def test_workbook_without_la_code_column_is_an_error_naming_sheet_and_column(tmp_path):
    workbook = openpyxl.load_workbook(WORKBOOK)
    workbook.active.delete_cols(2)  # la_code
    path = tmp_path / "no-codes.xlsx"
    workbook.save(path)

    with pytest.raises(CommandError) as raised:
        run(str(path))

    message = str(raised.value)
    assert "nothing was written" in message
    assert f"no-codes.xlsx, {SHEET}, row 1, column la_code: no such column" in message
    assert Authority.objects.count() == 0


def test_unknown_neighbour_code_is_an_error_and_nothing_is_written(tmp_path):
    unknown = "889, 350, 354, 380, 335, 831, 861, 331, 330, 999"
    path = edited_copy(tmp_path, {("353", "stat_neighbours"): unknown})

    with pytest.raises(CommandError) as raised:
        run(str(path))

    where = f"ilacs-overview-edited.xlsx, {SHEET}, row {OLDHAM_ROW}, column E (stat_neighbours)"
    assert f"{where}: neighbour LA code(s) 999 are not authorities in this file" in str(
        raised.value
    )
    assert Authority.objects.count() == 0
    assert StatisticalNeighbour.objects.count() == 0


def test_bad_cells_are_all_reported_in_json_and_a_failed_reload_keeps_the_old_data(tmp_path):
    run(str(WORKBOOK))
    before = snapshot()
    path = edited_copy(
        tmp_path,
        {
            ("353", "overall_effectiveness_grade"): "excellent",
            ("357", "inspection_end_date"): "31/02/2024",
            ("370", "local_authority"): "Oldham",
        },
    )
    out = io.StringIO()

    with pytest.raises(CommandError):
        call_command("load_authorities", str(path), "--format", "json", stdout=out)

    problems = {
        (p["row"], p["column"], p["message"]) for p in json.loads(out.getvalue())["problems"]
    }
    assert problems == {
        (OLDHAM_ROW, "I (overall_effectiveness_grade)", "not an Ofsted grade: 'excellent'"),
        (137, "M (inspection_end_date)", "not a date (dd/mm/yyyy or dd/mm/yy): '31/02/2024'"),
        (OLDHAM_ROW, "G (local_authority)", "same name as row 2"),
    }
    assert snapshot() == before


def test_load_authorities_writes_nothing_when_a_neighbour_is_not_among_the_rows():
    rows = [row for row in read_ilacs_overview(WORKBOOK) if row.la_number != "353"]

    with pytest.raises(ValueError, match="not among the authorities"):
        load_authorities(rows)

    assert Authority.objects.count() == 0
