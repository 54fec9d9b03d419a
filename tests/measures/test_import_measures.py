"""`g2g import_measures`: monthly values from CSV and Excel, long and wide, all or nothing."""

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from g2g.core.problems import ReadError
from g2g.measures.models import ComparatorValue, Measure, MeasureValue
from g2g.measures.services import import_values
from g2g.measures.values_reader import parse_month, read_values, read_values_file
from g2g.tenancy.access import access_for
from g2g.tenancy.models import Role
from tests.factories import AuthorityFactory, MeasureFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def import_json(path: Path, *extra: str) -> dict:
    return json.loads(
        run("import_measures", str(path), "--authority", "Tameside", "--format", "json", *extra)
    )


def refused(path: Path) -> tuple[str, list[dict]]:
    """The error and the JSON problems of an import that must fail."""
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command(
            "import_measures", str(path), "--authority", "Tameside", "--format", "json", stdout=out
        )
    report = json.loads(out.getvalue())
    assert report["imported"] is False
    return str(error.value), report["problems"]


def write_csv(path: Path, rows: list[list]) -> Path:
    with path.open("w", newline="", encoding="utf-8-sig") as file:
        csv.writer(file).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list], *, percent: tuple[int, int] | None = None) -> Path:
    """A workbook whose first sheet holds `rows`; `percent` (row, column), 1-based, is shown
    as a percentage, as Excel users often format them."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Scorecard"
    for row in rows:
        sheet.append(row)
    if percent:
        sheet.cell(*percent).number_format = "0.0%"
    workbook.create_sheet("Lookups").append(["not", "read"])
    workbook.save(path)
    return path


def values() -> dict[tuple[str, date], MeasureValue]:
    return {(v.measure.code, v.period): v for v in MeasureValue.objects.select_related("measure")}


def comparators() -> dict[tuple[str, date, str], Decimal]:
    return {
        (c.measure.code, c.period, c.kind): c.value
        for c in ComparatorValue.objects.select_related("measure")
    }


@pytest.fixture
def tameside(db):
    authority = AuthorityFactory(name="Tameside", slug="tameside")
    MeasureFactory(authority=authority, code="CIN1", name="% of assessments completed in time")
    MeasureFactory(authority=authority, code="WF6, WF14", name="Social worker turnover")
    MeasureFactory(
        authority=authority, code="CLA1", name="Children in care", unit=Measure.Unit.COUNT
    )
    MeasureFactory(code="CIN1", name="Another authority's measure")  # never matched
    return authority


SEP, OCT, NOV = date(2023, 9, 1), date(2023, 10, 1), date(2023, 11, 1)


# ---------------------------------------------------------------------------------------------
# Layouts


def test_long_csv_with_numerators_notes_and_comparators(tameside, tmp_path):
    path = write_csv(
        tmp_path / "values.csv",
        [
            ["Measure code", "Month", "Value", "Numerator", "Denominator", "Notes", "England"]
            + ["Statistical neighbours' average", "Region"],
            ["CIN1", "2023-09", "85.3", "128", "150", "Validated", "82", "80.5", ""],
            ["cin1", "Oct 2023", "87%", "", "", "", "", "", ""],
            ["WF6, WF14", "01/11/2023", "12.5", "", "", "", "15", "14", "13"],
            ["wf14", "Dec 2023", "11", "", "", "", "", "", ""],
            ["Children in care", "Nov 23", "1,234", "", "", "", "", "", ""],
        ],
    )
    summary = import_json(path)
    assert summary == {"values": 5, "created": 5, "updated": 0, "comparators": 5, "problems": []}
    stored = values()
    first = stored["CIN1", SEP]
    assert (first.value, first.numerator, first.denominator) == (Decimal("85.3"), 128, 150)
    assert (first.source, first.note) == (MeasureValue.Source.IMPORTED, "Validated")
    assert stored["CIN1", OCT].value == 87
    assert stored["WF6, WF14", NOV].value == Decimal("12.5")
    assert stored["WF6, WF14", date(2023, 12, 1)].value == 11
    assert stored["CLA1", NOV].value == 1234
    assert comparators() == {
        ("CIN1", SEP, "england"): 82,
        ("CIN1", SEP, "neighbours"): Decimal("80.5"),
        ("WF6, WF14", NOV, "england"): 15,
        ("WF6, WF14", NOV, "neighbours"): 14,
        ("WF6, WF14", NOV, "region"): 13,
    }
    comparator = ComparatorValue.objects.get(kind="region")
    assert (comparator.label, comparator.source) == ("", "values.csv")


def test_a_column_headed_with_an_authoritys_name_gives_its_figure(tameside, tmp_path):
    AuthorityFactory(name="Stockport", slug="stockport")
    path = write_csv(
        tmp_path / "values.csv",
        [
            ["Code", "Month", "Value", "STOCKPORT", "Comments"],
            ["CIN1", "2023-09", "85.3", "88.1%", "anything at all"],
            ["CIN1", "2023-10", "86", "", ""],
        ],
    )
    assert import_json(path)["comparators"] == 1
    comparator = ComparatorValue.objects.get()
    assert (comparator.kind, comparator.label, comparator.value) == (
        "authority",
        "Stockport",
        Decimal("88.1"),
    )
    bad = write_csv(
        tmp_path / "bad.csv",
        [["Code", "Month", "Value", "Stockport"], ["CIN1", "2023-09", "85", "high"]],
    )
    _error, problems = refused(bad)
    assert problems == [
        {"where": "bad.csv, row 2, column 'Stockport'", "message": "'high' is not a number"}
    ]


def test_wide_csv_by_code_or_name_with_gaps(tameside, tmp_path):
    path = write_csv(
        tmp_path / "wide.csv",
        [
            ["Measure", "2023-09", "Oct 23", "November 2023", "Unit"],
            ["CIN1", "80", "", "82.5", "%"],
            ["social worker TURNOVER", "15", "14", "-", "%"],
        ],
    )
    summary = import_json(path)
    assert (summary["values"], summary["created"], summary["problems"]) == (4, 4, [])
    assert {key: v.value for key, v in values().items()} == {
        ("CIN1", SEP): 80,
        ("CIN1", NOV): Decimal("82.5"),
        ("WF6, WF14", SEP): 15,
        ("WF6, WF14", OCT): 14,
    }


def test_long_xlsx_with_excel_dates_a_title_and_a_percentage_cell(tameside, tmp_path):
    path = write_xlsx(
        tmp_path / "values.xlsx",
        [
            ["Tameside scorecard, autumn 2023"],
            [],
            ["Code", "Period", "Value", "National average"],
            ["CIN1", datetime(2023, 9, 1), 0.853, 0.8],  # noqa: DTZ001 - Excel has no zones
            ["CLA1", date(2023, 10, 31), 410, None],
        ],
        percent=(4, 3),
    )
    summary = import_json(path)
    assert (summary["values"], summary["comparators"]) == (2, 1)
    stored = values()
    assert stored["CIN1", SEP].value == Decimal("85.3")  # 85.3% in Excel is 0.853
    assert stored["CLA1", OCT].value == 410
    assert comparators() == {("CIN1", SEP, "england"): Decimal("0.8")}  # shown as a number


def test_wide_xlsx_with_date_headings(tameside, tmp_path):
    path = write_xlsx(
        tmp_path / "wide.xlsx",
        [
            ["Measure", datetime(2023, 9, 1), datetime(2023, 10, 1)],  # noqa: DTZ001
            ["CIN1", 70, 72.25],
            ["CLA1", 400, 405],
        ],
    )
    assert import_json(path)["values"] == 4
    assert values()["CIN1", OCT].value == Decimal("72.25")


def test_text_output_says_what_was_done(tameside, tmp_path):
    path = write_csv(
        tmp_path / "values.csv", [["measure", "period", "value"], ["CIN1", "2023-09", "80"]]
    )
    out = run("import_measures", str(path), "--authority", "tameside")
    assert "Imported into Tameside: 1 values from values.csv (long layout), 1 new" in out


@pytest.mark.parametrize("role", [Role.ACTION_LEAD, Role.VIEWER, Role.REGIONAL_VIEWER])
def test_only_roles_that_edit_the_plan_import_values(tameside, tmp_path, role):
    path = write_csv(
        tmp_path / "values.csv", [["Measure", "Month", "Value"], ["CIN1", "2023-09", "85"]]
    )
    read = read_values_file(path)
    access = access_for(MembershipFactory(authority=tameside, role=role).user, tameside.slug)
    for dry_run in (True, False):
        with pytest.raises(PermissionDenied):
            import_values(access, read.rows, source=path.name, dry_run=dry_run)
    assert not MeasureValue.objects.exists()
    lead = access_for(
        MembershipFactory(authority=tameside, role=Role.IMPROVEMENT_LEAD).user, tameside.slug
    )
    assert import_values(lead, read.rows, source=path.name).values == 1
    assert MeasureValue.objects.get().history.get().history_user == lead.user


def test_a_dry_run_counts_and_writes_nothing(tameside, tmp_path):
    path = write_csv(
        tmp_path / "values.csv",
        [["measure", "period", "value", "england"], ["CIN1", "2023-09", "80", "75"]],
    )
    summary = import_json(path, "--dry-run")
    assert summary == {"values": 1, "created": 1, "updated": 0, "comparators": 1, "problems": []}
    assert (MeasureValue.objects.count(), ComparatorValue.objects.count()) == (0, 0)


def test_existing_values_are_replaced_and_counted_as_updated(tameside, tmp_path):
    cin1 = Measure.objects.get(authority=tameside, code="CIN1")
    MeasureValue.objects.create(measure=cin1, period=SEP, value=50, note="typed in")
    ComparatorValue.objects.create(measure=cin1, period=SEP, kind="england", value=70)
    path = write_csv(
        tmp_path / "values.csv",
        [
            ["measure", "period", "value", "england"],
            ["CIN1", "Sep 2023", "80", "75"],
            ["CIN1", "Oct 2023", "81", ""],
        ],
    )
    summary = import_json(path)
    assert (summary["created"], summary["updated"]) == (1, 1)
    replaced = MeasureValue.objects.get(measure=cin1, period=SEP)
    assert (replaced.value, replaced.source, replaced.note) == (80, "imported", "")
    assert [h.value for h in replaced.history.order_by("history_date")] == [50, 80]
    assert ComparatorValue.objects.get(measure=cin1, period=SEP).value == 75
    assert import_json(path)["updated"] == 2  # importing again replaces both
    assert MeasureValue.objects.count() == 2


# ---------------------------------------------------------------------------------------------
# Problems: every one listed with its row and column, and nothing written

HEADER = ["measure", "period", "value"]
GOOD = ["CIN1", "2023-09", "80"]


@pytest.mark.parametrize(
    ("bad", "where", "message"),
    [
        (["XYZ9", "2023-10", "80"], "column 'measure'", "'XYZ9' is not one of this authority's"),
        (["CIN1", "2023-10", "twelve"], "column 'value'", "'twelve' is not a number"),
        (["cin1", "Sep 2023", "81"], "column 'period'", "Sep 2023 is given twice for CIN1"),
        (["CIN1", "Q3 2023", "80"], "column 'period'", "'Q3 2023' is not a month"),
        (["CIN1", "2023-13", "80"], "column 'period'", "'2023-13' is not a month"),
        (["CIN1", "2023-10", ""], "column 'value'", "is empty"),
        (["CIN1", "2023-10", "120"], "column 'value'", "120 is not a percentage between 0"),
        (["CIN1", "2023-10", "-3"], "column 'value'", "-3 is not a percentage between 0"),
    ],
    ids=[
        "unknown-measure",
        "text-in-number",
        "period-twice",
        "not-a-month",
        "month-13",
        "empty-value",
        "percentage-over-100",
        "negative-percentage",
    ],
)
def test_a_bad_row_is_reported_with_row_and_column_and_nothing_written(
    tameside, tmp_path, bad, where, message
):
    path = write_csv(tmp_path / "values.csv", [HEADER, GOOD, bad])
    error, problems = refused(path)
    assert len(problems) == 1
    assert problems[0]["where"] == f"values.csv, row 3, {where}"
    assert message in problems[0]["message"]
    assert f"values.csv, row 3, {where}: " in error
    assert MeasureValue.objects.count() == 0


def test_every_problem_in_a_file_is_listed_at_once(tameside, tmp_path):
    path = write_csv(
        tmp_path / "values.csv",
        [
            ["Measure", "Month", "Value", "England"],
            ["CIN1", "2023-09", "twelve", "80"],
            ["Nonsense", "2023-09", "80", ""],
            ["CIN1", "Autumn", "", "lots"],
            ["CLA1", "2023-09", "1200", ""],  # a count may exceed 100
            ["CIN1", "2023-10", "80", "101"],
        ],
    )
    _error, problems = refused(path)
    assert [(p["where"], p["message"]) for p in problems] == [
        ("values.csv, row 2, column 'Value'", "'twelve' is not a number"),
        (
            "values.csv, row 4, column 'Month'",
            "'Autumn' is not a month: write it like 2023-09 or Sep 2023",
        ),
        ("values.csv, row 4, column 'Value'", "is empty: give the value, or leave the row out"),
        ("values.csv, row 4, column 'England'", "'lots' is not a number"),
        (
            "values.csv, row 3, column 'Measure'",
            "'Nonsense' is not one of this authority's measures (by code or exact name)",
        ),
        (
            "values.csv, row 6, column 'England'",
            "101 is not a percentage between 0 and 100 (CIN1 % of assessments completed in time)",
        ),
    ]
    assert MeasureValue.objects.count() == 0


def test_wide_problems_name_the_month_column(tameside, tmp_path):
    path = write_xlsx(
        tmp_path / "wide.xlsx",
        [
            ["Measure", "Sep 23", "Sept 2O23", "Oct 23"],
            ["CIN1", 80, None, "eighty"],
            ["CIN99", 80, None, 81],
        ],
    )
    _error, problems = refused(path)
    assert problems == [
        {
            "where": "wide.xlsx, row 1, column 'Sept 2O23'",
            "message": "'Sept 2O23' is not a month: write it like 2023-09 or Sep 2023",
        },
        {"where": "wide.xlsx, row 2, column 'Oct 23'", "message": "'eighty' is not a number"},
        {  # once, not once for each month
            "where": "wide.xlsx, row 3, column 'Measure'",
            "message": "'CIN99' is not one of this authority's measures (by code or exact name)",
        },
    ]


def test_a_code_two_measures_share_is_ambiguous_unless_the_name_decides(tameside, tmp_path):
    MeasureFactory(authority=tameside, code="CIN1", name="Repeat referrals")
    path = write_csv(
        tmp_path / "values.csv",
        [
            ["measure code", "measure name", "period", "value"],
            ["CIN1", "Repeat referrals", "2023-09", "20"],
            ["CIN1", "", "2023-09", "20"],
        ],
    )
    _error, problems = refused(path)
    assert len(problems) == 1
    assert problems[0]["where"] == "values.csv, row 3, column 'measure code'"
    assert problems[0]["message"].startswith("'CIN1' could be 'CIN1 % of assessments")


def test_a_typing_mistake_gets_a_suggestion(tameside, tmp_path):
    path = write_csv(tmp_path / "values.csv", [HEADER, ["Social worker turnovr", "2023-09", "12"]])
    _error, problems = refused(path)
    assert problems[0]["message"].endswith("did you mean 'WF6, WF14 Social worker turnover'?")


# ---------------------------------------------------------------------------------------------
# Files that are not values at all


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("values.xlsx", b"measure,period,value\nCIN1,2023-09,80\n", "is not an Excel workbook"),
        ("values.xlsx", b"PK\x03\x04 truncated", "is damaged or incomplete"),
        ("values.csv", b"\x7fELF\x02\x01\x01\x00", "is a program"),
        ("values.csv", "measure,period,value\nCaf\xe9,2023-09,1\n".encode("latin-1"), "not UTF-8"),
        ("values.csv", b"", "is empty"),
        ("values.pdf", b"%PDF-1.4 a report", "is not a CSV file or an Excel workbook"),
        ("values.csv", b"a,b,c\n1,2,3\n", "has no header row"),
        ("values.csv", b"measure,period,value\n", "has no values to import"),
    ],
    ids=[
        "xlsx-not-a-zip",
        "broken-zip",
        "renamed-program",
        "not-utf8",
        "empty",
        "pdf",
        "no-header",
        "header-only",
    ],
)
def test_a_file_that_is_not_values_is_refused(tameside, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    error, problems = refused(path)
    assert name in error
    assert message in problems[0]["message"]
    assert problems[0]["where"] == name
    assert MeasureValue.objects.count() == 0


def test_a_zip_bomb_is_refused_before_openpyxl_sees_it(tameside, tmp_path):
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (5 * 1024 * 1024))
    _error, problems = refused(path)
    assert "zip bomb" in problems[0]["message"]


@pytest.mark.parametrize("last_row", [20_001, 1_048_576])
def test_a_sheet_past_the_row_limit_is_refused_before_a_row_is_read(
    tmp_path, monkeypatch, last_row
):
    """A sheet with a row past the limit (by its number) is refused from its XML: openpyxl,
    which takes seconds to reach row 20,000, never reads a row of it."""
    from g2g.measures import values_reader

    path = write_xlsx(tmp_path / "long.xlsx", [["measure", "period", "value"]])
    workbook = openpyxl.load_workbook(path)
    workbook.active.cell(last_row, 1, "RE1")
    workbook.save(path)

    def read_rows(*args):
        raise AssertionError("openpyxl read the rows")

    monkeypatch.setattr(values_reader, "_xlsx_filled_rows", read_rows)
    with pytest.raises(ReadError) as refusal:
        read_values("long.xlsx", path.read_bytes())
    assert "more than 20,000 rows" in refusal.value.problems[0].message


def test_a_sheet_within_the_row_limit_is_read_as_before(tmp_path):
    rows = [["measure", "period", "value"], *(["RE1", "2025-01", n] for n in range(3))]
    path = write_xlsx(tmp_path / "short.xlsx", rows)
    assert len(read_values("short.xlsx", path.read_bytes()).rows) == 3


def test_a_missing_file_is_a_clear_error(tameside, tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        run("import_measures", str(tmp_path / "nope.csv"), "--authority", "Tameside")


# ---------------------------------------------------------------------------------------------
# Reading, without the database


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("2023-09", SEP),
        ("2023/9", SEP),
        ("2023-09-15", SEP),
        ("2023-09-01T00:00:00", SEP),
        ("15/09/2023", SEP),
        ("1/9/23", SEP),
        ("09/2023", SEP),
        ("Sep 2023", SEP),
        ("Sep-23", SEP),
        ("sept 2023", SEP),
        ("September 2023", SEP),
        ("1st September 2023", SEP),
        (datetime(2023, 9, 30, 12), SEP),  # noqa: DTZ001
        (date(2023, 9, 30), SEP),
        ("Q3 2023", None),
        ("2023", None),
        ("31/02/2023", None),
        ("Sep 1823", None),
        (45170, None),  # an Excel date serial without a date format is just a number
        ("", None),
    ],
)
def test_parse_month(text, month):
    assert parse_month(text) == month


def test_the_reader_reads_semicolons_and_a_byte_order_mark():
    data = "\ufeffMeasure;Period;Value;Note\nCIN1;Sep 2023;80,5;\n".encode()
    found = read_values("values.csv", data)
    assert found.layout == "long"
    assert [p.message for p in found.problems] == ["'80,5' is not a number"]
