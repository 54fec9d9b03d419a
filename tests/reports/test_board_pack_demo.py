"""Tameside's demo pack for its latest month fits a board's papers: at most 12 A4 pages with the
default settings, tagged, titled, its first page naming the authority and the marking (issue 17
acceptance). The demo is loaded through the real command, once for the module."""

import io

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from g2g.core.dates import current_period

pytestmark = pytest.mark.django_db


def test_tamesides_latest_pack_is_at_most_twelve_tagged_a4_pages(loaded_demo, db, tmp_path):
    output = tmp_path / "pack.pdf"
    call_command(
        "board_pack", "--authority", "Tameside", "--period", f"{current_period():%Y-%m}",
        "--format", "pdf", "--output", str(output), stdout=io.StringIO(),
    )  # fmt: skip
    pdf = PdfReader(output)
    assert 3 <= len(pdf.pages) <= 12, len(pdf.pages)
    for page in pdf.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            (595.28, 841.89), abs=0.5
        )
    assert "/StructTreeRoot" in pdf.trailer["/Root"]  # tagged
    assert pdf.metadata.title.startswith("Tameside improvement board pack: ")
    first = " ".join(pdf.pages[0].extract_text().split())
    assert "Tameside" in first
    assert "OFFICIAL" in first
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    for section in ("Summary", "Ratings by priority", "Scorecard", "Last governance meeting"):
        assert text.count(section) >= 2  # in the contents and as the section's heading
