"""Where the tests find DfE's published files, and small copies of them to break on purpose."""

import csv
import shutil
from pathlib import Path

import pytest

from tests.conftest import kept_for_the_module
from tests.seed_files import REFERENCE

DFE = REFERENCE / "dfe"
ILACS_OVERVIEW = REFERENCE / "ilacs-overview.xlsx"


def dfe_file(pattern: str) -> Path:
    """The one file of DfE's folder whose name starts with `pattern`."""
    (found,) = [path for path in DFE.iterdir() if path.name.startswith(pattern)]
    return found


def read_rows(path: Path) -> list[dict[str, str]]:
    """A published file read independently of the service's reader (Python's csv module)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def copy_files(folder: Path, *patterns: str) -> Path:
    """Copy the named files of DfE's folder into `folder` (a test's tmp_path)."""
    for pattern in patterns:
        source = dfe_file(pattern)
        shutil.copy(source, folder / source.name)
    return folder


def rewrite(path: Path, change) -> None:
    """Rewrite a CSV in place: `change(header, rows)` returns the new (header, rows)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header, *rows = list(reader)
    header, rows = change(header, rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture(scope="module")
def published(django_db_setup, django_db_blocker):
    """The 153 authorities (with the workbook's neighbour list) and DfE's folder, loaded once per
    module (`tests.conftest.kept_for_the_module`); what the load reported."""
    from g2g.measures.published import load_published_figures
    from g2g.tenancy.reference import read_ilacs_overview
    from g2g.tenancy.services import load_authorities

    with kept_for_the_module(django_db_blocker):
        with django_db_blocker.unblock():
            load_authorities(read_ilacs_overview(ILACS_OVERVIEW))
            result = load_published_figures(DFE)
        yield result
