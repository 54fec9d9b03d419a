"""The inspection report parser on ten real Ofsted reports (2013–2024), on the published
overview of latest grades, on small made-up reports, and on junk."""

import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

from g2g.core.problems import ReadError
from g2g.inspections.frameworks import load_frameworks
from g2g.inspections.parser import (
    ADOPTION,
    CARE_LEAVERS,
    GRADES,
    HELP_AND_PROTECTION,
    IMPACT_OF_LEADERS,
    IN_CARE,
    IN_CARE_AND_CARE_LEAVERS,
    LEADERSHIP,
    LSCB,
    OVERALL_EFFECTIVENESS,
    SIF_HELP_AND_PROTECTION,
    SIF_LOOKED_AFTER,
    InspectionReport,
    read_report_file,
    read_report_pdf,
    read_report_text,
)
from tests.seed_files import REFERENCE, REPORTS, SEEDS

# The reader is a pure function of its input and the frameworks; the frameworks are data in the
# database (the migration's), so these tests read them from there.
pytestmark = pytest.mark.django_db

OLDHAM_SEED = SEEDS / "oldham-ofsted-ilacs-2019.txt"

RI = "Requires improvement to be good"
GOOD, INADEQUATE, OUTSTANDING = "Good", "Inadequate", "Outstanding"


def canonical_areas() -> set[str]:
    areas = {area.name for framework in load_frameworks() for area in framework.areas}
    return areas | {OVERALL_EFFECTIVENESS}


@cache
def report(name: str) -> InspectionReport:
    """Each PDF is read once per run: pypdf takes about half a second a report."""
    return read_report_file(REPORTS / name)


def read_seed() -> InspectionReport:
    return read_report_text(OLDHAM_SEED.read_text(encoding="utf-8"), source="seed")


# ---------------------------------------------------------------------------------------------
# Acceptance: Oldham 2019 (seed text and PDF) and Tameside 2024


@pytest.mark.parametrize(
    "read",
    [
        pytest.param(read_seed, id="seed"),
        pytest.param(lambda: report("oldham-04-march-2019.pdf"), id="pdf"),
    ],
)
def test_oldham_2019_acceptance(read) -> None:
    oldham = read()
    assert oldham.type == "ILACS"
    assert (oldham.start, oldham.end) == (date(2019, 1, 21), date(2019, 2, 1))
    # Three areas and the overall effectiveness row of the report's judgement table.
    assert len(oldham.judgements) == 4
    assert {j.grade for j in oldham.judgements} == {RI}
    # The report lists seven bullets under "What needs to improve" (seed and PDF alike).
    assert len(oldham.recommendations) == 7
    assert oldham.recommendations[0].replace("’", "'") == (  # the PDF has curly apostrophes
        "The quality of assessments to effectively analyse risks and parents' capacity to "
        "meet children's needs."
    )
    assert oldham.recommendations[6].startswith("Management oversight and practice leadership")
    assert [p.number for p in oldham.paragraphs] == list(range(1, 48))
    assert oldham.problems == []


def test_oldham_2019_seed_text_and_pdf_agree() -> None:
    """The seed is another tool's text of the same report: no wrapped lines, straight quotes,
    some hyphens lost ('wellcoordinated')."""

    def plain(text: str) -> str:
        return text.replace("’", "'").replace("-", "")

    seed, pdf = read_seed(), report("oldham-04-march-2019.pdf")
    assert [plain(r) for r in seed.recommendations] == [plain(r) for r in pdf.recommendations]
    assert [(p.number, p.section) for p in seed.paragraphs] == [
        (p.number, p.section) for p in pdf.paragraphs
    ]
    assert [plain(p.text)[:60] for p in seed.paragraphs] == [
        plain(p.text)[:60] for p in pdf.paragraphs
    ]


def test_oldham_2019_paragraphs_join_wrapped_lines_and_page_breaks() -> None:
    paragraphs = report("oldham-04-march-2019.pdf").paragraphs
    seventh = paragraphs[6]
    assert seventh.section == (
        "The experiences and progress of children who need help and protection"
    )
    assert "individual social workers, most assessments are not good." in seventh.text
    assert paragraphs[15].section == (
        "The experience and progress of children in care and care leavers"
    )
    assert paragraphs[46].text.endswith("before the service provided for all children is good.")


def test_tameside_2024_acceptance() -> None:
    tameside = report("tameside-13-february-2024.pdf")
    assert (tameside.start, tameside.end) == (date(2023, 12, 4), date(2023, 12, 15))
    assert tameside.lead_inspector == "Andy Waugh"
    assert tameside.overall == INADEQUATE
    assert grades(tameside)[CARE_LEAVERS] == RI


def test_tameside_2024_recommendation_wrapped_over_a_page_break_is_whole() -> None:
    recommendations = report("tameside-13-february-2024.pdf").recommendations
    assert len(recommendations) == 13
    assert recommendations[10] == (
        "The work with care leavers to help them understand their rights and entitlements, "
        "their health histories and their understanding of the local offer."
    )
    assert recommendations[11].startswith("The engagement and participation of children")


def test_running_headers_are_not_in_paragraphs() -> None:
    for paragraph in report("tameside-13-february-2024.pdf").paragraphs:
        assert "Inspection of Tameside" not in paragraph.text
        assert "December 2023" not in paragraph.text


def grades(found: InspectionReport) -> dict[str, str]:
    return {j.area: j.grade for j in found.judgements}


# ---------------------------------------------------------------------------------------------
# All ten PDFs, read off the reports by hand


@dataclass(frozen=True)
class Expected:
    type: str
    framework: str
    start: date
    end: date
    lead: str
    overall: str
    judgements: dict[str, str]
    recommendations: int
    paragraphs: int


EXPECTED = {
    "barnsley-27-october-2023.pdf": Expected(
        "ILACS", "ILACS short", date(2023, 9, 11), date(2023, 9, 15), "Anna Gravelle", GOOD,
        {IMPACT_OF_LEADERS: GOOD, HELP_AND_PROTECTION: RI, IN_CARE: GOOD, CARE_LEAVERS: GOOD},
        4, 53,
    ),
    "birmingham-17-january-2019.pdf": Expected(
        "ILACS", "ILACS standard", date(2018, 12, 3), date(2018, 12, 14), "Pauline Higham", RI,
        {IMPACT_OF_LEADERS: RI, HELP_AND_PROTECTION: RI, IN_CARE_AND_CARE_LEAVERS: RI},
        6, 57,
    ),
    "isle-of-wight-07-january-2019.pdf": Expected(
        "ILACS", "ILACS standard", date(2018, 11, 19), date(2018, 11, 30), "Tracey Scott", GOOD,
        {IMPACT_OF_LEADERS: GOOD, HELP_AND_PROTECTION: GOOD, IN_CARE_AND_CARE_LEAVERS: GOOD},
        4, 35,
    ),
    # An inspection of looked after children services (2012–13), graded "Grade 4 (inadequate)".
    "norfolk-16-august-2013.pdf": Expected(
        "Looked after children", "", date(2013, 7, 8), date(2013, 7, 12), "Gary Lamb", INADEQUATE,
        {
            "Capacity to improve": INADEQUATE,
            "Outcomes for looked after children and young people": INADEQUATE,
            "Quality of provision": INADEQUATE,
            "Leadership and management": INADEQUATE,
        },
        17, 72,
    ),
    "oldham-03-august-2015.pdf": Expected(
        "SIF", "SIF", date(2015, 5, 22), date(2015, 6, 18), "Sheena Doyle", RI,
        {
            SIF_HELP_AND_PROTECTION: RI, SIF_LOOKED_AFTER: RI, ADOPTION: GOOD,
            CARE_LEAVERS: RI, LEADERSHIP: RI, LSCB: RI,
        },
        15, 184,
    ),
    "oldham-04-march-2019.pdf": Expected(
        "ILACS", "ILACS standard", date(2019, 1, 21), date(2019, 2, 1), "Paula Thomson-Jones", RI,
        {IMPACT_OF_LEADERS: RI, HELP_AND_PROTECTION: RI, IN_CARE_AND_CARE_LEAVERS: RI},
        7, 47,
    ),
    "oldham-12-july-2024.pdf": Expected(
        "ILACS", "ILACS standard", date(2024, 5, 13), date(2024, 5, 24), "Rebekah Tucker", GOOD,
        {IMPACT_OF_LEADERS: GOOD, HELP_AND_PROTECTION: GOOD, IN_CARE: GOOD, CARE_LEAVERS: GOOD},
        3, 62,
    ),
    "tameside-01-july-2019.pdf": Expected(
        "ILACS", "ILACS standard", date(2019, 5, 13), date(2019, 5, 24), "Dominic Stevens", RI,
        {IMPACT_OF_LEADERS: RI, HELP_AND_PROTECTION: RI, IN_CARE_AND_CARE_LEAVERS: RI},
        4, 45,
    ),
    "tameside-09-december-2016.pdf": Expected(
        "SIF", "SIF", date(2016, 9, 26), date(2016, 10, 20), "Paula Thomson-Jones", INADEQUATE,
        {
            SIF_HELP_AND_PROTECTION: INADEQUATE, SIF_LOOKED_AFTER: RI, ADOPTION: GOOD,
            CARE_LEAVERS: RI, LEADERSHIP: INADEQUATE, LSCB: RI,
        },
        14, 150,
    ),
    "tameside-13-february-2024.pdf": Expected(
        "ILACS", "ILACS standard", date(2023, 12, 4), date(2023, 12, 15), "Andy Waugh",
        INADEQUATE,
        {
            IMPACT_OF_LEADERS: INADEQUATE, HELP_AND_PROTECTION: INADEQUATE,
            IN_CARE: INADEQUATE, CARE_LEAVERS: RI,
        },
        13, 57,
    ),
}  # fmt: skip


@pytest.mark.parametrize(("name", "expected"), EXPECTED.items(), ids=list(EXPECTED))
def test_real_report(name: str, expected: Expected) -> None:
    found = report(name)
    assert (found.type, found.framework) == (expected.type, expected.framework)
    assert (found.start, found.end) == (expected.start, expected.end)
    assert found.lead_inspector == expected.lead
    assert found.overall == expected.overall
    assert grades(found) == {**expected.judgements, OVERALL_EFFECTIVENESS: expected.overall}
    assert len(found.recommendations) == expected.recommendations
    assert [p.number for p in found.paragraphs] == list(range(1, expected.paragraphs + 1))
    assert found.problems == []


FRAMEWORK_KEYS = {
    "barnsley-27-october-2023.pdf": "ilacs-2023",
    "birmingham-17-january-2019.pdf": "ilacs-2018",
    "isle-of-wight-07-january-2019.pdf": "ilacs-2018",
    "norfolk-16-august-2013.pdf": "looked-after-2012",
    "oldham-03-august-2015.pdf": "sif",
    "oldham-04-march-2019.pdf": "ilacs-2018",
    "oldham-12-july-2024.pdf": "ilacs-2023",
    "tameside-01-july-2019.pdf": "ilacs-2018",
    "tameside-09-december-2016.pdf": "sif",
    "tameside-13-february-2024.pdf": "ilacs-2023",
}


@pytest.mark.parametrize(("name", "key"), FRAMEWORK_KEYS.items(), ids=list(FRAMEWORK_KEYS))
def test_each_report_is_read_as_its_framework(name: str, key: str) -> None:
    assert report(name).framework_key == key


def test_grades_are_kept_as_written() -> None:
    sif = {j.area: j.as_written for j in report("oldham-03-august-2015.pdf").judgements}
    assert sif[SIF_HELP_AND_PROTECTION] == "Requires improvement"
    assert sif[OVERALL_EFFECTIVENESS] == "require improvement to be good"
    older = {j.area: j.as_written for j in report("norfolk-16-august-2013.pdf").judgements}
    assert older["Capacity to improve"] == "Grade 4 (inadequate)"


@pytest.mark.parametrize("name", EXPECTED, ids=list(EXPECTED))
def test_every_paragraph_has_text_and_every_grade_is_canonical(name: str) -> None:
    found = report(name)
    assert all(len(p.text) > 30 for p in found.paragraphs)
    assert all(j.area in canonical_areas() and j.grade in GRADES for j in found.judgements)
    assert all(len(r) > 20 and "•" not in r for r in found.recommendations)
    json.dumps(found.summary())


AUTHORITIES = {
    "barnsley-27-october-2023.pdf": "Barnsley",
    "birmingham-17-january-2019.pdf": "Birmingham City Council",
    "isle-of-wight-07-january-2019.pdf": "Isle of Wight Council",
    "norfolk-16-august-2013.pdf": "Norfolk County Council",
    "oldham-03-august-2015.pdf": "Oldham Borough Council",
    "oldham-04-march-2019.pdf": "Oldham Metropolitan Borough Council",
    "oldham-12-july-2024.pdf": "Oldham",
    "tameside-01-july-2019.pdf": "Tameside metropolitan borough",
    "tameside-09-december-2016.pdf": "Tameside Borough Council",
    "tameside-13-february-2024.pdf": "Tameside",
}


@pytest.mark.parametrize(("name", "authority"), AUTHORITIES.items(), ids=list(AUTHORITIES))
def test_authority_as_the_report_names_it(name: str, authority: str) -> None:
    assert report(name).authority == authority


def test_sif_paragraphs_sit_under_their_judgement_headings() -> None:
    sections = {p.number: p.section for p in report("oldham-03-august-2015.pdf").paragraphs}
    assert sections[1] == "Recommendations"  # the council's recommendations are 1 to 15
    assert sections[16] == "The experiences and progress of children who need help and protection"
    assert sections[96] == "Adoption performance"
    assert sections[140] == "Leadership, management and governance"
    assert sections[160] == "The Local Safeguarding Children Board"


def test_sif_recommendations_are_the_councils_not_the_lscbs() -> None:
    recommendations = report("oldham-03-august-2015.pdf").recommendations
    assert recommendations[0].startswith("Auditing of children’s cases should ensure")
    assert recommendations[-1].endswith("tasks are clear (paragraph 52).")


def test_summary_is_plain_data() -> None:
    summary = report("barnsley-27-october-2023.pdf").summary()
    assert summary["type"] == "ILACS"
    assert (summary["start"], summary["end"]) == ("2023-09-11", "2023-09-15")
    assert summary["lead_inspector"] == "Anna Gravelle"
    assert summary["overall"] == GOOD
    assert {"area": HELP_AND_PROTECTION, "grade": RI, "as_written": RI} in summary["judgements"]
    assert summary["framework"] == "ilacs-2023"
    assert summary["paragraphs"] == 53
    assert summary["problems"] == []
    assert json.loads(json.dumps(summary)) == summary


# ---------------------------------------------------------------------------------------------
# Cross-check with the published overview of every authority's latest ILACS inspection

XLSX_GRADES = {
    "impact_of_leaders_grade": IMPACT_OF_LEADERS,
    "help_and_protection_grade": HELP_AND_PROTECTION,
    "in_care_grade": IN_CARE,
    "care_leavers_grade": CARE_LEAVERS,
}


def overview_rows() -> dict[str, dict]:
    """The overview's row for each report that is its authority's latest, matched by the
    authority and publication date in the file name ('isle-of-wight-07-january-2019.pdf')."""
    sheet = openpyxl.load_workbook(REFERENCE / "ilacs-overview.xlsx", read_only=True).active
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    by_key = {}
    for row in rows:
        values = dict(zip(header, row, strict=True))
        by_key[(values["local_authority"], xlsx_date(values["publication_date"]))] = values
    latest = {}
    for name in EXPECTED:
        words = name.removesuffix(".pdf").split("-")
        published = datetime.strptime(" ".join(words[-3:]), "%d %B %Y").date()  # noqa: DTZ007
        row = by_key.get((" ".join(words[:-3]), published))
        if row:
            latest[name] = row
    return latest


def xlsx_date(value: object) -> date | None:
    for layout in ("%d/%m/%Y", "%d/%m/%y"):
        try:
            return datetime.strptime(str(value), layout).date()  # noqa: DTZ007
        except ValueError:
            continue
    return None


def xlsx_grade(value: str) -> str:
    return RI if "improvement" in value else value.capitalize()


LATEST = overview_rows()


def test_the_overview_covers_the_latest_reports() -> None:
    assert set(LATEST) >= {
        "oldham-12-july-2024.pdf",
        "tameside-13-february-2024.pdf",
        "barnsley-27-october-2023.pdf",
    }


@pytest.mark.parametrize("name", sorted(LATEST), ids=sorted(LATEST))
def test_report_agrees_with_the_published_overview(name: str) -> None:
    row, found = LATEST[name], report(name)
    assert found.start == xlsx_date(row["inspection_start_date"])
    assert found.end == xlsx_date(row["inspection_end_date"])
    assert found.framework == f"ILACS {row['inspection_framework']}"
    assert found.overall == xlsx_grade(row["overall_effectiveness_grade"])
    for column, area in XLSX_GRADES.items():
        assert grades(found)[area] == xlsx_grade(row[column]), column
    if row["inspector_name"] not in (None, "None", "nan"):
        assert found.lead_inspector.lower() == row["inspector_name"]


# ---------------------------------------------------------------------------------------------
# Made-up reports: the shapes the ~100 other published reports come in


def made_up(*lines: str) -> str:
    return "\n".join(
        [
            "Inspection of Northshire local authority children's services",
            *lines,
            "Judgement Grade",
            "The impact of leaders on social work practice with children and families Good",
            "The experiences and progress of children who need help and protection Good",
            "The experiences and progress of children in care Good",
            "The experiences and progress of care leavers Outstanding",
            "Overall effectiveness Good",
        ]
    )


@pytest.mark.parametrize(
    ("dates", "start", "end"),
    [
        ("Inspection dates: 4 to 15 December 2023", date(2023, 12, 4), date(2023, 12, 15)),
        ("21 January 2019 to 1 February 2019", date(2019, 1, 21), date(2019, 2, 1)),
        ("Inspection dates: 28 June 2016 – 21 July 2016", date(2016, 6, 28), date(2016, 7, 21)),
        ("Inspection dates: 24 February to 6 March 2014", date(2014, 2, 24), date(2014, 3, 6)),
        ("Inspection dates: 8 – 12 July 2013", date(2013, 7, 8), date(2013, 7, 12)),
        ("Inspection dates: 19 November–30 November 2018", date(2018, 11, 19), date(2018, 11, 30)),
        ("Inspection date: 14 January - 4 February 2015", date(2015, 1, 14), date(2015, 2, 4)),
        ("Inspection date: 18 November\n10 December 2014", date(2014, 11, 18), date(2014, 12, 10)),
        ("Inspection dates: 28 December to 8 January 2016", date(2015, 12, 28), date(2016, 1, 8)),
        ("Inspection dates 1 9 June 2019 to 28 June 2019", date(2019, 6, 19), date(2019, 6, 28)),
        ("Dates of inspection: 3rd to 7th Sept 2018", date(2018, 9, 3), date(2018, 9, 7)),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_date_grammar(dates: str, start: date, end: date) -> None:
    found = read_report_text(made_up(dates), source="made-up")
    assert (found.start, found.end) == (start, end)
    assert found.framework == ("ILACS short" if (end - start).days <= 7 else "ILACS standard")


def test_an_inspection_in_two_parts_runs_to_its_last_day_and_says_so() -> None:
    found = read_report_text(
        made_up("Inspection dates: 8 July 2019 to 12 July 2019 and 7 August 2019 to 8 August 2019")
    )
    assert (found.start, found.end) == (date(2019, 7, 8), date(2019, 8, 8))
    assert any("two parts" in p.message for p in found.problems)


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Lead inspector: Andy Waugh, His Majesty's Inspector", "Andy Waugh"),
        ("Lead inspector: Rebekah Tucker, His Majesty’s Inspector", "Rebekah Tucker"),
        ("Lead inspector:  Paula Thomson-Jones\nHer Majesty's Inspector", "Paula Thomson-Jones"),
        ("Lead inspector: Paula Thomson-Jones Her Majesty's Inspector", "Paula Thomson-Jones"),
        ("Lead inspector: Sheena Doyle HMI", "Sheena Doyle"),
        ("Lead inspector:\nTracey Scott\nHer Majesty's Inspector", "Tracey Scott"),
        ("Reporting inspector Gary Lamb HMI", "Gary Lamb"),
        ("Deputy lead inspector: Mike Ferguson HMI", ""),
    ],
)
def test_lead_inspector(line: str, name: str) -> None:
    found = read_report_text(made_up("Inspection dates: 4 to 15 December 2023", line))
    assert found.lead_inspector == name


def test_grades_in_older_and_looser_wordings() -> None:
    found = read_report_text(
        "Inspection of children's social care services\n"
        "Inspection dates: 3 December 2018 to 14 December 2018\n"
        "The impact of leaders on social work practice with children\nand families\n"
        "Requires\nImprovement\n"
        "The experiences and progress of children who need help and\nprotection Inadequate\n"
        "The experiences and progress of children in care and care\nleavers 1 Outstanding\n"
        "Overall effectiveness Requires improvement to be good\n"
    )
    assert grades(found) == {
        IMPACT_OF_LEADERS: RI,
        HELP_AND_PROTECTION: INADEQUATE,
        IN_CARE_AND_CARE_LEAVERS: OUTSTANDING,
        OVERALL_EFFECTIVENESS: RI,
    }


def test_sif_cover_sentence_and_table() -> None:
    found = read_report_text(
        "Northshire\nInspection of services for children in need of help and protection, "
        "children looked after and care leavers\n"
        "Inspection date: 3 March 2015 – 25 March 2015\nReport published: 13 May 2015\n"
        "The overall judgement is that children's services require improvement\n"
        "1. Children who need help and protection\nRequires\nImprovement\n"
        "2. Children looked after and achieving\npermanence\nGood\n"
        "2.1 Adoption performance\nOutstanding\n"
        "2.2 Experiences and progress of care leavers\nInadequate\n"
        "3. Leadership, management and governance 1 Good\n"
        "Leadership, management and governance require improvement when it says so.\n"
        "The Local Safeguarding Children Board is good\n"
    )
    assert (found.type, found.framework, found.overall) == ("SIF", "SIF", RI)
    assert (found.start, found.end) == (date(2015, 3, 3), date(2015, 3, 25))
    assert grades(found) == {
        SIF_HELP_AND_PROTECTION: RI,
        SIF_LOOKED_AFTER: GOOD,
        ADOPTION: OUTSTANDING,
        CARE_LEAVERS: INADEQUATE,
        LEADERSHIP: GOOD,
        LSCB: GOOD,
        OVERALL_EFFECTIVENESS: RI,
    }


def test_sif_cover_with_a_blank_line_after_every_line() -> None:
    # Some converters' text (and web copies of reports) put a blank line after each line,
    # so the title breaks over one: it is still the SIF title, not an unknown report read
    # by the grades of whichever framework matches a single line.
    found = read_report_text(
        "Northshire Council Re-inspection of services for children in need of help and\n\n"
        "protection, children looked after and care leavers\n\n"
        "Inspection dates: 9 October to 2 November 2017\n\n"
        "Children's services in Northshire require improvement to be\n\ngood\n\n"
        "1. Children who need help and protection Requires improvement\n\n"
        "2. Children looked after and achieving\n\npermanence Requires improvement\n\n"
        "2.1 Adoption performance Good\n\n"
        "2.2 Experiences and progress of care leavers Requires improvement\n\n"
        "3. Leadership, management and governance Good\n"
    )
    assert (found.type, found.framework_key, found.overall) == ("SIF", "sif", RI)
    assert not [p for p in found.problems if p.where.endswith("type")]  # its title was read
    assert (found.start, found.end) == (date(2017, 10, 9), date(2017, 11, 2))
    assert grades(found) == {
        SIF_HELP_AND_PROTECTION: RI,
        SIF_LOOKED_AFTER: RI,
        ADOPTION: GOOD,
        CARE_LEAVERS: RI,
        LEADERSHIP: GOOD,
        OVERALL_EFFECTIVENESS: RI,
    }


def test_recommendations_whose_bullet_glyphs_were_lost() -> None:
    found = read_report_text(
        made_up("Inspection dates: 4 to 15 December 2023")
        + "\nWhat needs to improve?\nThe quality of plans for children in need of help and\n"
        "protection.\n\nThe sufficiency of placements.\n"
        "The experiences and progress of children who need help and protection: good\n"
        "1. Children are seen.\n"
    )
    assert found.recommendations == [
        "The quality of plans for children in need of help and protection.",
        "The sufficiency of placements.",
    ]


def test_early_sif_areas_for_improvement_after_a_contents_page() -> None:
    found = read_report_text(
        "Northshire\nInspection of services for children in need of help and protection\n"
        "Inspection date: 10 December 2013 – 9 January 2014\n"
        "The overall judgement is that children's services are inadequate\n"
        "Contents\nWhat does the local authority need to improve?\n4\n"
        "The local authority's strengths\n5\nProgress since the last inspection\n6\n"
        "\fWhat does the local authority need to improve?\nPriority and immediate action\n"
        "1. Ensure that children at risk of harm are seen\nwithout delay.\n"
        "Areas for improvement\n2. Improve the quality of assessments.\n"
        "The local authority's strengths\n3. A paragraph, not a recommendation.\n"
    )
    assert found.overall == INADEQUATE
    assert found.recommendations == [
        "Ensure that children at risk of harm are seen without delay.",
        "Improve the quality of assessments.",
    ]


def test_a_heading_that_disagrees_with_the_table_is_a_problem() -> None:
    found = read_report_text(
        made_up(
            "Inspection dates: 4 to 15 December 2023",
            "The experiences and progress of care leavers: inadequate",
        )
    )
    assert grades(found)[CARE_LEAVERS] == "Inadequate"  # the first mention wins ...
    assert any(p.where.endswith("judgements") for p in found.problems)  # ... and is questioned


def test_running_headers_in_plain_text_are_dropped_and_paragraphs_joined() -> None:
    found = read_report_text(
        made_up("Inspection dates: 4 to 15 December 2023")
        + "\nWhat needs to improve?\n◼ The quality of plans for children in need of help and\n"
        "Inspection of Northshire local authority children’s services  4 to 15 December 2023 2\n"
        "◼ The sufficiency of placements.\n"
        "The experiences and progress of children who need help and\nprotection: good\n"
        "1. Children are seen. Their plans are\n"
        "Inspection of Northshire local authority children’s services\n"
        "4 to 15 December 2023 3\n"
        "reviewed and well-\nbeing is checked.\n"
        "2. Second paragraph with a number 3. inside it\n"
        "3. Third.\n"
        "The Office for Standards in Education, Children's Services and Skills (Ofsted)\n"
        "4. Not a paragraph of the report.\n"
    )
    assert found.recommendations == [
        "The quality of plans for children in need of help and",
        "The sufficiency of placements.",
    ]
    assert [(p.number, p.text) for p in found.paragraphs] == [
        (1, "Children are seen. Their plans are reviewed and well-being is checked."),
        (2, "Second paragraph with a number 3. inside it"),
        (3, "Third."),
    ]
    assert {p.section for p in found.paragraphs} == {
        "The experiences and progress of children who need help and protection"
    }


@pytest.mark.parametrize(
    ("letter", "kind", "start", "end"),
    [
        (
            "Dear Ann\nFocused visit to Northshire local authority children’s services\n"
            "This letter summarises the findings of the focused visit to Northshire local "
            "authority children’s services on 10 and 11 November 2021.",
            "Focused visit",
            date(2021, 11, 10),
            date(2021, 11, 11),
        ),
        (
            "Monitoring visit to Northshire children’s services\nThis letter summarises the "
            "findings of the monitoring visit to Northshire on 31 January and 1 February 2024.",
            "Monitoring visit",
            date(2024, 1, 31),
            date(2024, 2, 1),
        ),
        (
            "Joint targeted area inspection of the multi-agency response to children in Northshire"
            "\nBetween 12 and 16 June 2023, Ofsted, the CQC and HMICFRS carried out an inspection.",
            "JTAI",
            date(2023, 6, 12),
            date(2023, 6, 16),
        ),
        (
            "Assurance visit to Northshire children’s services\nThis letter summarises the "
            "findings of the assurance visit to Northshire on 3 and 4 November 2020.",
            "Unknown",
            date(2020, 11, 3),
            date(2020, 11, 4),
        ),
    ],
    ids=["focused", "monitoring", "jtai", "assurance"],
)
def test_visit_letters_have_dates_and_no_grades(
    letter: str, kind: str, start: date, end: date
) -> None:
    found = read_report_text(letter + "\nYours sincerely\n\nAnn Other\nHis Majesty’s Inspector")
    assert (found.type, found.start, found.end) == (kind, start, end)
    assert (found.judgements, found.overall, found.framework) == ([], "", "")
    assert found.lead_inspector == "Ann Other"


# ---------------------------------------------------------------------------------------------
# Refusals: only input that is not a report at all


def refusal(read, *args) -> str:
    with pytest.raises(ReadError) as caught:
        read(*args)
    assert caught.value.problems, "a refusal says why"
    return str(caught.value)


def test_truncated_pdf_is_refused() -> None:
    data = (REPORTS / "oldham-04-march-2019.pdf").read_bytes()
    assert "damaged or truncated" in refusal(read_report_pdf, data[: len(data) // 2])


def tiny_pdf(*lines: str) -> bytes:
    """A one-page PDF whose text is `lines`, in Helvetica."""
    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    fonts = DictionaryObject({NameObject("/F1"): writer._add_object(font)})
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
    shown = " T* ".join(
        "({}) Tj".format(line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)"))
        for line in lines
    )
    content = DecodedStreamObject()
    content.set_data(f"BT /F1 10 Tf 50 800 Td 12 TL {shown} ET".encode("latin-1"))
    page[NameObject("/Contents")] = writer._add_object(content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


TINY = tiny_pdf(*made_up("Inspection dates: 4 to 15 December 2023").split("\n"))


def encrypted(data: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_tiny_pdf_reads() -> None:
    found = read_report_pdf(TINY, source="tiny.pdf")
    assert (found.type, found.start, found.overall) == ("ILACS", date(2023, 12, 4), GOOD)
    assert grades(found)[CARE_LEAVERS] == OUTSTANDING


def test_password_protected_pdf_is_refused() -> None:
    assert "encrypted with a password" in refusal(read_report_pdf, encrypted(TINY, "secret"))


def test_permissions_only_encryption_reads() -> None:
    assert read_report_pdf(encrypted(TINY, "")).overall == GOOD


def test_text_is_not_a_pdf() -> None:
    text = OLDHAM_SEED.read_bytes()
    assert "not a PDF" in refusal(read_report_pdf, text)
    assert read_report_file(OLDHAM_SEED).type == "ILACS"  # but is read as text by file


def test_text_file_that_is_not_a_report_is_refused(tmp_path: Path) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_bytes((SEEDS / "tameside-improvement-plan-2023.txt").read_bytes())
    assert "not an Ofsted inspection report" in refusal(read_report_file, plan)


def test_empty_file_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert "empty" in refusal(read_report_file, empty)
    assert "empty" in refusal(read_report_pdf, b"")
    assert "empty" in refusal(read_report_text, " \n\n ")


@pytest.mark.parametrize(
    "data",
    [b"\x00\x01\x02binary\xff\xfe" * 50, "plain text".encode("utf-16")],
    ids=["binary", "utf-16"],
)
def test_binary_file_is_refused(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "junk.bin"
    path.write_bytes(data)
    assert "neither a PDF nor UTF-8" in refusal(read_report_file, path) or "binary" in refusal(
        read_report_file, path
    )


def test_missing_file_is_refused(tmp_path: Path) -> None:
    assert "cannot read" in refusal(read_report_file, tmp_path / "nothing.pdf")


# ---------------------------------------------------------------------------------------------
# Never a crash: anything at all either reads or is refused with ReadError


def reads_or_refuses(read, data) -> None:
    try:
        found = read(data)
    except ReadError as error:
        found = error
    if isinstance(found, ReadError):
        assert found.problems, "a refusal says why"
        return
    assert isinstance(found, InspectionReport)
    json.dumps(found.summary())
    assert all(j.grade in GRADES and j.area in canonical_areas() for j in found.judgements)


SEED_LINES = OLDHAM_SEED.read_text(encoding="utf-8").splitlines()
FRAGMENTS = [
    "Inspection dates: 4 to 15 December 2023",
    "Inspection date: 31 February 2019 – 0 March 0000",
    "Lead inspector: ",
    "Judgement Grade",
    "Overall effectiveness",
    "Requires improvement",
    "to be good",
    "1.",
    "99. Ninety-nine",
    "◼",
    "What needs to improve?",
    "Recommendations",
    "Yours sincerely",
    "His Majesty’s Inspector",
    "Inspection of services for children in need of help and protection",
    "Focused visit to X local authority children's services on 1 and 2 May 2020",
    "The Local Safeguarding Children Board is good",
    "Grade 4 (inadequate)",
    "\f",
]
report_like = st.lists(st.sampled_from(SEED_LINES + FRAGMENTS) | st.text(max_size=40)).map(
    "\n".join
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3000) | report_like)
def test_any_text_reads_or_is_refused(text: str) -> None:
    reads_or_refuses(read_report_text, text)


def corrupted(data: bytes) -> st.SearchStrategy[bytes]:
    """A real PDF cut short, or with a stretch of it overwritten."""
    cut = st.integers(0, len(data)).map(lambda end: data[:end])
    spliced = st.tuples(st.integers(0, len(data)), st.binary(min_size=1, max_size=64)).map(
        lambda at: data[: at[0]] + at[1] + data[at[0] + len(at[1]) :]
    )
    return cut | spliced


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.binary(max_size=2000) | st.binary(max_size=2000).map(b"%PDF-1.7\n".__add__) | corrupted(TINY)
)
def test_any_bytes_read_or_are_refused(data: bytes) -> None:
    reads_or_refuses(read_report_pdf, data)
