"""Frameworks as data, SIF recommendations, and letters, on documents built to the structure of
Ofsted's published reports and letters (tests/inspections/documents.py), as text and as PDF: the
facts people compare (type, framework, dates, lead inspector, grades, the number of
recommendations, first and last) are right; letters have no grades; a framework added as data
is read with no new code."""

from dataclasses import replace
from datetime import date
from functools import cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from g2g.core.problems import ReadError
from g2g.inspections.frameworks import load_frameworks
from g2g.inspections.models import Finding, Framework, FrameworkArea, Inspection
from g2g.inspections.parser import (
    OVERALL_EFFECTIVENESS,
    InspectionReport,
    read_report_pdf,
    read_report_text,
)
from g2g.inspections.services import write_inspection
from g2g.tenancy.access import operator_access
from tests.factories import AuthorityFactory

from .documents import Built, all_built, as_pdf, focused_visit, jtai, monitoring_visit

pytestmark = pytest.mark.django_db

BUILT = {built.name: built for built in all_built()}


@cache
def pdf_of(name: str) -> bytes:
    return as_pdf(BUILT[name])


def read(built: Built, how: str) -> InspectionReport:
    if how == "pdf":
        return read_report_pdf(pdf_of(built.name), source=f"{built.name}.pdf")
    return read_report_text(built.text, source=built.name)


def area_grades(report: InspectionReport) -> dict[str, str]:
    return {j.area: j.grade for j in report.judgements if j.area != OVERALL_EFFECTIVENESS}


CASES = [(name, how) for name in BUILT for how in ("text", "pdf")]


@pytest.mark.parametrize(("name", "how"), CASES, ids=[f"{n}-{h}" for n, h in CASES])
def test_a_built_document_reads_right(name, how):
    built = BUILT[name]
    found = read(built, how)
    assert (found.type, found.framework_key) == (built.type, built.framework)
    assert (found.start, found.end) == (built.start, built.end)
    assert found.lead_inspector == built.lead
    assert found.overall == built.overall
    assert area_grades(found) == built.grades
    assert len(found.recommendations) == built.recommendations
    if built.recommendations:
        assert found.recommendations[0] == built.first_recommendation
        assert found.recommendations[-1] == built.last_recommendation
    others = {kind: len(texts) for kind, texts in found.findings() if texts}
    others.pop("recommendation", None)
    assert others == built.findings
    assert not [p for p in found.problems if "judgements" in p.where or "overall" in p.where]


def test_themed_recommendations_over_a_page_break_are_all_kept_whole():
    found = read(BUILT["sif-themed-2014"], "pdf")
    assert len(found.recommendations) == 24
    assert all(text.endswith(").") for text in found.recommendations)
    assert not any(
        text.startswith(("Children who need", "Adoption")) for text in found.recommendations
    )


def test_points_under_a_recommendation_are_its_own():
    third = read(BUILT["sif-points-2016"], "text").recommendations[2]
    assert third.endswith(
        "\n• the history of the family is considered\n• the views of the child are recorded"
        "\n• contingency plans are clear."
    )


def test_strengths_are_kept_apart_from_recommendations():
    found = read(BUILT["sif-strengths-2014"], "text")
    assert len(found.recommendations) == 25
    assert len(found.strengths) == 9
    assert found.strengths[0].startswith("Leaders know the service well")


def test_a_report_from_april_2026_has_no_overall_grade_and_that_is_no_problem():
    found = read(BUILT["ilacs-2026"], "text")
    assert found.overall == ""
    assert len(found.judgements) == 4
    assert not any("overall" in p.where for p in found.problems)
    assert found.framework_name == "ILACS, from April 2026 (no overall effectiveness grade)"


@pytest.mark.parametrize("build", [focused_visit, monitoring_visit, jtai], ids=["fv", "mv", "jtai"])
def test_letters_are_never_graded(build):
    text = build().text + "\nOverall effectiveness Good\nThe impact of leaders Good"
    found = read_report_text(text, source="letter")
    assert (found.judgements, found.overall) == ([], "")


def test_a_jtai_names_no_lead_inspector_and_that_is_no_problem():
    found = read(BUILT["jtai-2023"], "text")
    assert found.lead_inspector == ""
    assert not any("lead inspector" in p.where for p in found.problems)


# ---------------------------------------------------------------------------------------------
# Grades as written, the overall judgement in words, lead inspectors that are not names


def ilacs(*lines: str) -> str:
    return "\n".join(
        [
            "Inspection of Northshire local authority children's services",
            "Inspection dates: 4 to 15 December 2023",
            *lines,
            "The impact of leaders on social work practice with children and families Good",
            "The experiences and progress of children who need help and protection Good",
            "The experiences and progress of children in care Good",
            "The experiences and progress of care leavers Good",
            "Overall effectiveness Good",
        ]
    )


@pytest.mark.parametrize(
    ("sentence", "grade", "written"),
    [
        (
            "The overall judgement is that children’s services in Northshire are inadequate",
            "Inadequate",
            "inadequate",
        ),
        (
            "The overall judgement is that children’s services require improvement",
            "Requires improvement to be good",
            "require improvement",
        ),
        ("The overall judgement is inadequate.", "Inadequate", "inadequate"),
        ("The overall judgement is ‘Good’", "Good", "Good"),
        ("Children’s services in Northshire are good", "Good", "good"),
    ],
)
def test_the_overall_judgement_in_words(sentence, grade, written):
    text = "\n".join(
        [
            "Northshire County Council",
            "Inspection of services for children in need of help and protection, children",
            "looked after and care leavers",
            "Inspection date: 3 March 2015 – 25 March 2015",
            sentence,
            "1. Children who need help and protection Good",
        ]
    )
    found = read_report_text(text, source="sif")
    assert found.overall == grade
    overall = next(j for j in found.judgements if j.area == OVERALL_EFFECTIVENESS)
    assert overall.as_written == written


@pytest.mark.parametrize(
    ("line", "name", "problem"),
    [
        ("Lead inspector: Andy Waugh, His Majesty's Inspector", "Andy Waugh", False),
        ("Lead inspector: Mary-Jane O’Neill HMI", "Mary-Jane O’Neill", False),
        ("Lead inspector: Anna van der Berg", "Anna van der Berg", False),
        ("Lead inspector\nThe inspection was led by an experienced team", "", True),
        ("Lead inspector: the report was written by the team", "", True),
    ],
)
def test_a_lead_inspector_must_look_like_a_name(line, name, problem):
    found = read_report_text(ilacs(line), source="report")
    assert found.lead_inspector == name
    assert any("lead inspector" in p.where for p in found.problems) == problem


def test_no_lead_inspector_in_a_report_is_a_problem():
    found = read_report_text(ilacs(), source="report")
    assert any(p.message == "no lead inspector found" for p in found.problems)


def test_a_recommendation_that_looks_like_a_fragment_is_a_problem():
    found = read_report_text(
        ilacs("Lead inspector: Andy Waugh")
        + "\nWhat needs to improve?\n• The quality of plans for children in need of help.\n"
        "• and protection.\n"
        "The experiences and progress of children who need help and protection: good\n"
        "1. Children are seen.\n",
        source="report",
    )
    assert any("may be a fragment" in p.message for p in found.problems)


# ---------------------------------------------------------------------------------------------
# Frameworks as data: one added by a migration is read with no new code


def test_a_framework_added_as_data_is_read_with_no_new_code():
    framework = Framework.objects.create(
        key="ilacs-2027",
        name="Renewed ILACS, 2027",
        type=Inspection.Type.ILACS,
        order=5,
        title=r"\binspection of children['’]s social care in\b",
        first_used=date(2027, 1, 1),
        grades=[
            ["Exceptional", ["exceptional"]],
            ["Strong", ["strong"]],
            ["Needs attention", ["needs attention"]],
        ],
        overall=False,
        findings=[["areas for development", "improvement"]],
    )
    FrameworkArea.objects.create(
        framework=framework, order=0, name="Safety of children", wordings=["safety of children"]
    )
    FrameworkArea.objects.create(
        framework=framework, order=1, name="Quality of care", wordings=["quality of care"]
    )
    found = read_report_text(
        "Inspection of children's social care in Northshire\n"
        "Inspection dates: 1 to 12 March 2027\n"
        "Lead inspector: Grace Obi\n"
        "Safety of children Strong\n"
        "Quality of care Needs attention\n"
        "Areas for development\n"
        "• Placement sufficiency.\n"
        "• Care leavers' accommodation.\n",
        source="2027",
    )
    assert (found.framework_key, found.overall) == ("ilacs-2027", "")
    assert area_grades(found) == {
        "Safety of children": "Strong",
        "Quality of care": "Needs attention",
    }
    assert found.areas_for_improvement == ["Placement sufficiency.", "Care leavers' accommodation."]
    assert [p.where for p in found.problems] == ["2027: authority"]  # not named in its title


def test_the_frameworks_of_the_migration_are_all_there():
    keys = [framework.key for framework in load_frameworks()]
    for key in ("sif", "looked-after-2012", "ilacs-2018", "ilacs-2023", "ilacs-2026"):
        assert key in keys
    for key in ("focused-visit", "monitoring-visit", "jtai"):
        assert key in keys
    ilacs_2026 = next(f for f in load_frameworks() if f.key == "ilacs-2026")
    assert (ilacs_2026.overall, len(ilacs_2026.areas)) == (False, 4)


# ---------------------------------------------------------------------------------------------
# Letters written: their findings link to actions like recommendations do


def test_a_letter_is_written_with_its_findings_to_act_on(monkeypatch):
    authority = AuthorityFactory()
    found = read(BUILT["focused-visit-2019"], "text")
    inspection = write_inspection(operator_access(authority), found, code="FV1")
    assert inspection.type == "Focused visit"
    assert inspection.framework_key == "focused-visit"
    assert not inspection.judgements.exists()
    kinds = list(inspection.findings.values_list("kind", flat=True))
    assert kinds.count(Finding.Kind.PRIORITY_ACTION) == 1
    assert kinds.count(Finding.Kind.AREA_FOR_IMPROVEMENT) == 3
    assert all(finding.to_answer for finding in inspection.findings.all())


def test_grades_as_written_are_stored():
    authority = AuthorityFactory()
    text = BUILT["sif-points-2016"].text
    inspection = write_inspection(operator_access(authority), read_report_text(text, source="s"))
    written = dict(inspection.judgements.values_list("area", "as_written"))
    assert written["Children who need help and protection"] == "Requires improvement"


# ---------------------------------------------------------------------------------------------
# Never a crash

LETTER_LINES = sorted({line for built in all_built() for line in built.text.split("\n") if line})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(LETTER_LINES) | st.text(max_size=40), max_size=60))
def test_any_letter_like_text_reads_or_is_refused(lines):
    try:
        found = read_report_text("\n".join(lines), source="letter")
    except ReadError as error:
        assert error.problems  # noqa: PT017 - the refusal must say why
        return
    for kind, texts in found.findings():
        assert all(isinstance(text, str) and text for text in texts), kind
    assert all(j.grade for j in found.judgements)


def test_a_letter_built_without_its_dates_says_so():
    letter = replace(BUILT["monitoring-visit-2024"])
    text = letter.text.replace("on 30 and 31 January 2024", "recently")
    with pytest.raises(ReadError):
        read_report_text(text.replace("Monitoring visit to", "A visit to"), source="x")


def test_bulleted_recommendations_under_themed_sub_headings():
    text = "\n".join(
        [
            "Northshire County Council",
            "Inspection of services for children in need of help and protection, children",
            "looked after and care leavers",
            "Inspection date: 3 March 2015 – 25 March 2015",
            "Children’s services in Northshire require improvement to be good",
            "Recommendations",
            "Children who need help and protection",
            "• Ensure that strategy meetings include the police and health services.",
            "• Improve the quality of assessments.",
            "Leadership, management and governance",
            "• Ensure that elected members scrutinise performance.",
            "Summary for children and young people",
        ]
    )
    found = read_report_text(text, source="sif")
    assert found.recommendations == [
        "Ensure that strategy meetings include the police and health services.",
        "Improve the quality of assessments.",
        "Ensure that elected members scrutinise performance.",
    ]
