"""Focused-visit findings read from Oldham's December 2020 council report."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from g2g.core.problems import ReadError
from g2g.inspections.visit_findings import read_visit_findings
from tests.importers.test_plan_commands import SEEDS

COUNCIL_REPORT = SEEDS / "oldham-council-report-2020-12.txt"


def test_oldhams_focused_visit_findings():
    report = read_visit_findings(COUNCIL_REPORT.read_text(), source=COUNCIL_REPORT.name)
    assert report.type == "Focused visit"
    assert (report.start.isoformat(), report.end.isoformat()) == ("2020-10-13", "2020-10-15")
    assert len(report.strengths) == 10 + 12 + 7
    assert len(report.areas_for_development) == 3 + 3 + 2
    assert (
        report.strengths[0]
        == "Visits to children are purposeful and relationships with Social Workers are strong"
    )
    assert "Clear evidence of management oversight" in report.strengths
    assert report.areas_for_development[-1] == "Further analysis of trends in CME"
    assert not report.problems


def test_text_without_findings_is_refused():
    with pytest.raises(ReadError, match="Strengths"):
        read_visit_findings("Purpose of the report\n\n- a point", source="x.txt")


@given(st.text())
def test_any_text_gives_findings_or_the_documented_error(text):
    try:
        read_visit_findings(text)
    except ReadError:
        pass
