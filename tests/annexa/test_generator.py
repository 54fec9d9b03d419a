"""The synthetic generator and the command-line report: planted faults are found at their
known rates, and the rates sit near England's."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from g2g.annexa.analysis import analyse
from g2g.annexa.generator import FAULTS, generate, write_csv_folder

SNAPSHOT = date(2025, 3, 31)


@pytest.fixture(scope="module")
def generated():
    return generate("Northshire", 4000, seed=7, snapshot=SNAPSHOT)


def test_the_same_seed_gives_the_same_return():
    first = generate("Northshire", 300, seed=3, snapshot=SNAPSHOT)
    again = generate("Northshire", 300, seed=3, snapshot=SNAPSHOT)
    assert all(first.lists[key].equals(again.lists[key]) for key in first.lists)


def test_faults_are_planted_at_their_rates(generated):
    for key, column, check, share in FAULTS:
        rows = generated.lists[key].height
        planted = generated.faults[(key, column, check)]
        assert planted == pytest.approx(rows * share, abs=1), (key, column, check)


def test_the_report_command_finds_every_planted_fault_and_nothing_else(generated, tmp_path):
    folder = write_csv_folder(generated, tmp_path / "annex-a")
    output = StringIO()
    call_command(
        "annexa_report", str(folder), "--format", "json", "--snapshot", "2025-03-31", stdout=output
    )
    result = json.loads(output.getvalue())
    found = {
        (issue["list"], issue["column"], issue["check"]): issue["count"]
        for issue in result["data_quality"]["issues"]
    }
    assert found == {where: count for where, count in generated.faults.items() if count}
    assert all(generated.faults.values())  # at this size every fault is planted
    assert result["data_quality"]["counts"] == generated.fault_counts()
    for kpi in result["kpis"].values():
        assert set(kpi) == {"numerator", "denominator", "value"}


def test_the_rates_are_near_englands(generated, tmp_path):
    folder = write_csv_folder(generated, tmp_path / "annex-a")
    kpis = {key: result.value for key, result in analyse(folder, snapshot=SNAPSHOT).kpis.items()}
    assert 17 <= kpis["re_referrals_12_months"] <= 28  # England 22.6%
    assert 78 <= kpis["assessments_45_days"] <= 94  # England 85.7%
    assert 24 <= kpis["s47_to_icpc"] <= 40  # England 31.3%
    assert 70 <= kpis["icpc_15_days"] <= 92  # England 81.4%
    assert kpis["cp_ended_two_years"] <= 12  # England 4.4%


def test_the_generate_command_writes_a_workbook_the_report_reads(tmp_path):
    path = tmp_path / "synthetic.xlsx"
    output = StringIO()
    call_command(
        "generate_annexa",
        "--authority",
        "Northshire",
        "--children",
        "2000",
        "--seed",
        "2",
        "--output",
        str(path),
        "--snapshot",
        "2025-03-31",
        stdout=output,
    )
    assert "SYNTHETIC" in output.getvalue()
    report = StringIO()
    call_command("annexa_report", str(path), "--format", "json", stdout=report)
    result = json.loads(report.getvalue())
    assert result["snapshot_date"] == "2025-03-31"  # from the file, strays ignored
    assert result["rows"]["contacts"] > 0
    assert result["data_quality"]["counts"]["missing"] > 0
