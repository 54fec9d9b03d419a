"""A region's returns pooled (issue 19): each authority's return analysed as it would be alone,
and the KPIs pooled as sums of numerators over sums of denominators."""

import shutil
from datetime import date

import pytest

from g2g.annexa.analysis import analyse, analyse_pooled, returns_in
from g2g.annexa.generator import generate, write_csv_folder, write_xlsx
from g2g.core.problems import ReadError

SNAPSHOT = date(2025, 3, 31)


@pytest.fixture
def region(tmp_path):
    folder = tmp_path / "london"
    write_csv_folder(generate("Borough A", 600, seed=1, snapshot=SNAPSHOT), folder / "a")
    write_xlsx(generate("Borough B", 400, seed=2, snapshot=SNAPSHOT), folder / "b.xlsx")
    (folder / "notes.txt").write_text("not a return")
    return folder


def test_each_return_is_analysed_as_alone_and_the_kpis_are_pooled(region):
    alone = [
        analyse(region / "a", snapshot=SNAPSHOT),
        analyse(region / "b.xlsx", snapshot=SNAPSHOT),
    ]
    pooled = analyse_pooled(region, snapshot=SNAPSHOT)
    assert [r.as_dict() for r in pooled.returns] == [r.as_dict() for r in alone]
    assert pooled.rows == {
        key: alone[0].rows.get(key, 0) + alone[1].rows.get(key, 0) for key in pooled.rows
    }
    assert pooled.kpis  # every KPI of the two returns, pooled
    for key, result in pooled.kpis.items():
        assert result.numerator == sum(r.kpis[key].numerator for r in alone)
        assert result.denominator == sum(r.kpis[key].denominator for r in alone)


def test_a_region_of_one_return_twice_has_that_returns_kpi_values(region, tmp_path):
    twice = tmp_path / "twice"
    shutil.copytree(region / "a", twice / "a")
    shutil.copytree(region / "a", twice / "a-again")
    one = analyse(region / "a", snapshot=SNAPSHOT)
    pooled = analyse_pooled(twice, snapshot=SNAPSHOT)
    assert {key: r.value for key, r in pooled.kpis.items()} == {
        key: r.value for key, r in one.kpis.items()
    }


def test_a_folder_that_is_one_return_or_holds_none_is_refused(region, tmp_path):
    with pytest.raises(ReadError, match="is one return"):
        returns_in(region / "a")
    (tmp_path / "empty").mkdir()
    with pytest.raises(ReadError, match="holds no Annex A return"):
        analyse_pooled(tmp_path / "empty")
    assert [path.name for path in returns_in(region)] == ["a", "b.xlsx"]


def test_the_report_command_pools_a_region(region):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("annexa_report", str(region), "--region", "--snapshot", "2025-03-31", stdout=out)
    assert out.getvalue().startswith("london: 2 returns pooled (a, b.xlsx)")
    pooled = analyse_pooled(region, snapshot=SNAPSHOT)
    first = next(iter(pooled.kpis.values()))
    assert f"({first.numerator} / {first.denominator})" in out.getvalue()
