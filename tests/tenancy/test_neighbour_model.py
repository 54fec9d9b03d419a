"""DfE's 2025 statistical neighbour model: ten ranked neighbours with their closeness band,
loaded beside the ILACS overview's list, which is kept."""

import csv
import shutil

import pytest

from g2g.core.problems import ReadError
from g2g.tenancy.models import Authority, StatisticalNeighbour, neighbour_lists
from g2g.tenancy.neighbours import BANDS, read_neighbour_model
from g2g.tenancy.services import load_neighbour_model
from tests.factories import AuthorityFactory
from tests.seed_files import REFERENCE

MODEL = REFERENCE / "dfe" / "sn_model_2025_wide.csv"


def test_the_model_is_read_with_ranks_and_bands():
    model = read_neighbour_model(MODEL)
    assert model.name == "2025"
    assert len(model.rows) == 153
    oldham = next(row for row in model.rows if row.la_number == "353")
    assert oldham.neighbours[0] == ("889", "Very close")
    assert {band for row in model.rows for _code, band in row.neighbours} <= set(BANDS)
    assert "Close" in {band for row in model.rows for _code, band in row.neighbours}  # "Close "


def spoil(tmp_path, column: str, value: str, row: int = 0):
    path = tmp_path / MODEL.name
    shutil.copy(MODEL, path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[row][column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("SN_3P", "Quite close", "not one of DfE's bands"),
        ("SN_2", "30", "not a three-digit DfE LA code"),
        ("SN_1", "301", "its own neighbour"),
        ("old_la_code", "", "not a three-digit DfE LA code"),
    ],
)
def test_a_bad_cell_is_located(tmp_path, column, value, message):
    path = spoil(tmp_path, column, value)
    with pytest.raises(ReadError, match=message) as refused:
        read_neighbour_model(path)
    problem = refused.value.problems[0]
    assert (problem.file, problem.row) == (MODEL.name, 2)
    assert problem.column.startswith(column[:4])


@pytest.mark.django_db
def test_loading_keeps_the_earlier_list_and_needs_every_authority():
    model = read_neighbour_model(MODEL)
    with pytest.raises(ReadError, match="not a loaded authority"):
        load_neighbour_model(model)
    authorities = {
        row.la_number: AuthorityFactory(la_number=row.la_number, name=row.name, slug=row.la_number)
        for row in model.rows
    }
    oldham = authorities["353"]
    StatisticalNeighbour.objects.create(
        authority=oldham, neighbour=authorities["350"], rank=1, model="ilacs-overview"
    )
    result = load_neighbour_model(model)
    assert (result.authorities, result.changed) == (153, 153)
    assert load_neighbour_model(model).changed == 0
    lists = neighbour_lists(Authority.objects.get(pk=oldham.pk))
    assert lists.current_model == "2025"
    assert [n.name for n in lists.current][:2] == ["Blackburn with Darwen", "Bolton"]
    assert lists.current[0].closeness == "Very close"
    ((label, earlier, same),) = lists.earlier()
    assert "ILACS overview" in label
    assert [n.name for n in earlier] == ["Bolton"]
    assert same is False
