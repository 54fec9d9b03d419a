"""Where the tests find the demo data: the seed plans and reports, the reference workbooks and
the Ofsted inspection reports.

`make` exports G2G_SEEDS, G2G_REFERENCE and G2G_REPORTS (from its SEEDS, REFERENCE and REPORTS,
by default the repository's demo-data/...); run without make, demo-data/ is used. A missing file
fails the test that needs it, never skips it: a check that quietly stops running is a check
lost.
"""

import os
from pathlib import Path

import pytest

DEMO_DATA = Path(__file__).resolve().parents[1] / "demo-data"
SEEDS = Path(os.environ.get("G2G_SEEDS") or DEMO_DATA / "seeds")
REFERENCE = Path(os.environ.get("G2G_REFERENCE") or DEMO_DATA / "reference")
REPORTS = Path(os.environ.get("G2G_REPORTS") or DEMO_DATA / "inspection-reports")


def existing(path: Path) -> Path:
    """`path`, or the test fails saying which file is missing and where it was looked for."""
    if not path.is_file():
        pytest.fail(
            f"{path} is missing: the demo data is found through G2G_SEEDS, G2G_REFERENCE and "
            f"G2G_REPORTS (exported by make), else in {DEMO_DATA}",
            pytrace=False,
        )
    return path


def seed(name: str) -> Path:
    return existing(SEEDS / name)


def reference(name: str) -> Path:
    return existing(REFERENCE / name)


def report(name: str) -> Path:
    return existing(REPORTS / name)
