"""Loading DfE's published figures, and reading them back out exactly as published.

The acceptance check of issue 14: for several (authority, indicator, year), a region and England,
and a suppressed cell, what `g2g published_figures` prints equals the published file read
independently (Python's csv module); the neighbours' average, rank and quartile are recomputed
here from the files and the neighbour model by hand.
"""

import io
import json
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from g2g.core.problems import ReadError
from g2g.measures.models import PublishedFigure
from g2g.measures.published import load_published_figures
from g2g.tenancy.models import Authority, StatisticalNeighbour

from .published_data import DFE, copy_files, dfe_file, read_rows, rewrite

pytestmark = pytest.mark.django_db


def printed(*args) -> dict:
    out = io.StringIO()
    call_command("published_figures", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def published_cell(pattern: str, column: str, code: str, year: int, **rows) -> str:
    """The cell of a published file for an area (LA code, region or country code) and year."""
    for row in read_rows(dfe_file(pattern)):
        area = row["old_la_code"] or row["region_code"] or row["country_code"]
        if row["geographic_level"] == "Regional":
            area = row["region_code"]
        if (
            area == code
            and row["time_period"] == str(year)
            and all(row[name] == value for name, value in rows.items())
        ):
            return row[column]
    raise LookupError((pattern, code, year, rows))


def number(text: str):
    value = Decimal(text)
    return int(value) if value == value.to_integral_value() else float(text)


SN = {row["old_la_code"]: row for row in read_rows(dfe_file("sn_model_2025"))}

CHECKS = [
    # (authority, LA code, region code, indicator, year, file, column, breakdown)
    ("Tameside", "357", "E12000002", "cla_three_placements", 2025, "la_cla_placement_stability",
     "children_percent", {"cla_group": "CLA on 31 March",
                          "placement_stability": "With 3 or more placements during the year"}),
    ("Oldham", "353", "E12000002", "re_referrals_12_months", 2019, "c1_", "rereferral_percent", {}),
    ("Oldham", "353", "E12000002", "caseload", 2022, "csww_", "caseload_fte", {}),
    ("Norfolk", "926", "E12000006", "cp_second_time", 2014, "d3_", "CPP_subsequent_percent", {}),
    ("Barnet", "302", "E12000007", "care_leavers_eet", 2023, "la_care_leavers_activity",
     "care_leaver_percent", {"care_leaver_age": "19 to 21 years",
                             "breakdown": "Total in education, employment or training"}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "code", "region", "key", "year", "pattern", "column", "rows"),
    CHECKS,
    ids=[f"{c[0]}-{c[3]}-{c[4]}" for c in CHECKS],
)
def test_what_is_printed_equals_the_published_file(
    published, name, code, region, key, year, pattern, column, rows
):
    out = printed("--authority", name, "--indicator", key)
    entry = next(item for item in out["series"] if item["year"] == year)
    assert entry["value"] == number(published_cell(pattern, column, code, year, **rows))
    assert entry["suppressed"] is False
    assert entry["england"] == number(published_cell(pattern, column, "E92000001", year, **rows))
    assert entry["region"] == number(published_cell(pattern, column, region, year, **rows))
    # The neighbours (2025 model) from the model's file, their figures from the published file.
    neighbours = [SN[code][f"SN_{rank}"] for rank in range(1, 11)]
    theirs = []
    for neighbour in neighbours:
        try:
            cell = published_cell(pattern, column, neighbour, year, **rows)
        except LookupError:
            continue
        if cell not in ("c", "k", "x", "z", "u", "low", ""):
            theirs.append(Decimal(cell))
    mean = (sum(theirs) / len(theirs)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert entry["sn_average"] == float(mean)
    assert entry["sn_count"] == len(theirs)
    mine = Decimal(published_cell(pattern, column, code, year, **rows))
    lower = out["polarity"] == "lower"
    better = sum((v < mine) if lower else (v > mine) for v in theirs)
    assert entry["rank_in_neighbours"] == 1 + better
    assert entry["ranked_in_neighbours"] == len(theirs) + 1
    assert out["indicator"] == key
    assert out["unit"]
    assert out["polarity"] in ("higher", "lower", "neither")
    assert out["framework_area"]
    assert "DfE" in out["source"]


def test_the_national_quartile_is_among_every_authority_with_a_value(published):
    out = printed("--authority", "Tameside", "--indicator", "cla_three_placements")
    entry = next(item for item in out["series"] if item["year"] == 2025)
    values = [
        Decimal(row["children_percent"])
        for row in read_rows(dfe_file("la_cla_placement_stability"))
        if row["geographic_level"] == "Local authority"
        and row["time_period"] == "2025"
        and row["cla_group"] == "CLA on 31 March"
        and row["placement_stability"] == "With 3 or more placements during the year"
        and row["children_percent"] not in ("c", "x", "z", "k", "u", "low")
    ]
    mine = Decimal(entry["value"])
    rank = 1 + sum(value < mine for value in values)  # lower is better
    assert entry["ranked_nationally"] == len(values)
    assert entry["national_quartile"] == -(-4 * rank // len(values))


def test_a_suppressed_cell_comes_back_suppressed_with_no_value(published):
    row = next(
        r
        for r in read_rows(dfe_file("d5_"))
        if r["2_years_or_more_percent"] == "c" and r["old_la_code"] in SN
    )
    name = Authority.objects.get(la_number=row["old_la_code"]).name
    out = printed("--authority", name, "--indicator", "cp_two_years")
    entry = next(item for item in out["series"] if item["year"] == int(row["time_period"]))
    assert entry["suppressed"] is True
    assert entry["value"] is None
    assert entry["suppression"] == "c"
    assert entry["rank_in_neighbours"] is None
    assert entry["national_quartile"] is None


def test_the_neighbours_are_the_2025_model_in_rank_order_with_their_bands(published):
    out = printed("--authority", "Oldham", "--neighbours")
    codes = [SN["353"][f"SN_{rank}"] for rank in range(1, 11)]
    assert [n["code"] for n in out["neighbours"]] == codes
    assert [n["rank"] for n in out["neighbours"]] == list(range(1, 11))
    assert [n["closeness"] for n in out["neighbours"]] == [
        SN["353"][f"SN_{rank}P"].strip() for rank in range(1, 11)
    ]
    assert out["neighbours"][0]["name"] == "Blackburn with Darwen"


def test_the_earlier_neighbour_list_is_kept_as_history(published):
    oldham = Authority.objects.get(name="Oldham")
    models = set(
        StatisticalNeighbour.objects.filter(authority=oldham).values_list("model", flat=True)
    )
    assert models == {"ilacs-overview", "2025"}
    assert oldham.neighbours_in_order()[0].name == "Blackburn with Darwen"


def test_loading_again_writes_nothing(published):
    again = load_published_figures(DFE)
    assert (again.created, again.updated, again.removed) == (0, 0, 0)
    assert again.unchanged == published.created
    assert again.neighbours.changed == 0
    assert again.comparators == 0


def test_the_load_reports_every_file(published):
    files = {report.file for report in published.reports}
    assert {path.name for path in DFE.iterdir()} <= files
    assert published.created > 20_000
    assert len(published.indicators) >= 15


def test_a_bad_file_writes_nothing(published, tmp_path):
    copy_files(tmp_path, "c1_", "d3_")
    rewrite(
        tmp_path / dfe_file("d3_").name,
        lambda header, rows: ([h.replace("CPP_start", "CPP_starts") for h in header], rows),
    )
    before = PublishedFigure.objects.count()
    PublishedFigure.objects.filter(indicator="re_referrals_12_months").delete()
    with pytest.raises(ReadError):
        load_published_figures(tmp_path)
    assert PublishedFigure.objects.count() == before - 2132  # c1 was not written either


def test_the_command_says_what_is_wrong_and_where(published, tmp_path):
    copy_files(tmp_path, "d3_")
    rewrite(
        tmp_path / dfe_file("d3_").name,
        lambda header, rows: ([h.replace("CPP_start", "CPP_starts") for h in header], rows),
    )
    with pytest.raises(CommandError, match="Nothing was loaded") as refused:
        call_command("load_published_figures", str(tmp_path), stdout=io.StringIO())
    assert "d3_cpps_subsequent_plan_2013_to_2025.csv" in str(refused.value)
    assert "CPP_start" in str(refused.value)


def test_the_command_prints_rows_read_loaded_and_suppressed(published):
    out = io.StringIO()
    call_command("load_published_figures", str(DFE), stdout=out)
    text = out.getvalue()
    assert "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv: 2,132 rows read" in text
    assert "27 suppressed" in text
    assert "0 created" in text
