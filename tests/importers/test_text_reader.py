"""The text-layout reader on the real seed plans, on small made-up plans, and on junk."""

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from g2g.core.problems import ReadError
from g2g.importers.draft import PlanDraft
from g2g.importers.text_reader import (
    NO_PLAN_MESSAGE,
    cell_to_text,
    extract_sources,
    heading_case,
    make_title,
    match_column,
    parse_rating,
    read_text_plan,
    split_leads,
)
from tests.seed_files import SEEDS

pytestmark: list = []  # pure functions: no database

TAMESIDE = SEEDS / "tameside-improvement-plan-2023.txt"
OLDHAM = SEEDS / "oldham-improvement-plan-2019-21.txt"
OFSTED = SEEDS / "oldham-ofsted-ilacs-2019.txt"
WHERE = re.compile(r"^\S+, line \d+(, column '[^']+')?$")


@pytest.fixture(scope="module")
def tameside() -> PlanDraft:
    return read_text_plan(TAMESIDE.read_text(encoding="utf-8"), source="tameside.txt")


@pytest.fixture(scope="module")
def oldham() -> PlanDraft:
    return read_text_plan(OLDHAM.read_text(encoding="utf-8"), source="oldham.txt")


def action(plan: PlanDraft, ref: str):
    return next(a for a in plan.actions if a.ref == ref)


def action_starting(plan: PlanDraft, words: str):
    return next(a for a in plan.actions if a.text.startswith(words))


# ---------------------------------------------------------------------------------------------
# Tameside


def test_tameside_title_and_period(tameside):
    assert tameside.title == "Tameside Children's Social Care Improvement Plan"
    assert tameside.period == ""


def test_tameside_priorities(tameside):
    assert [(p.number, p.title) for p in tameside.priorities] == [
        (1, "Quality of Practice"),
        (2, "Working in Partnership"),
        (3, "Commissioning and Sufficiency"),
        (4, "Leadership and Workforce"),
    ]
    assert tameside.priorities[0].sponsor == "Assistant Director, Children's Social Care"
    assert tameside.priorities[3].sponsor == "Director of Children's Services"


def test_tameside_has_31_actions_in_order(tameside):
    expected = [f"1.{n}" for n in range(1, 11)] + [f"2.{n}" for n in range(1, 6)]
    expected += [f"3.{n}" for n in range(1, 5)] + [f"4.{n}" for n in range(1, 13)]
    assert [a.ref for a in tameside.actions] == expected


def test_tameside_action_1_1(tameside):
    first = action(tameside, "1.1")
    assert first.leads == ["DMT"]
    assert (first.start, first.end) == (date(2023, 9, 1), date(2024, 3, 31))
    assert first.timescale_text == "Sep 23 – Mar 24"
    assert first.sources == ["FV2"]
    assert first.objective == "Application of Thresholds"
    assert first.focus_areas == ["FA4"]
    assert first.text.endswith("best outcomes for children.")
    assert first.title.startswith("Review threshold document to ensure effective support")
    assert first.where == "tameside.txt, line 215"
    assert first.evidence_of_success.count("\n\n") == 1
    assert first.children_will_say.startswith("Children and their families will say")


@pytest.mark.parametrize(
    ("ref", "objective"),
    [
        ("1.2", "Front Door / MASH"),
        ("1.3", "Practice Basics"),
        ("1.5", "Permanency"),  # across a repeated header row
        ("1.6", "Permanency"),
        ("1.7", "Care Leavers"),  # a plain text line between rows
        ("1.9", "Children in specific circumstances"),
        ("3.1", None),
        ("3.4", None),
        ("4.5", "Operational Leadership and Management Grip"),
    ],
)
def test_tameside_objectives(tameside, ref, objective):
    assert action(tameside, ref).objective == objective


@pytest.mark.parametrize(
    ("ref", "sources"),
    [
        ("1.3", ["ILAC", "FV1", "FV2"]),  # a paragraph of its own
        ("1.5", ["ILAC"]),
        ("1.9", ["ILAC19&21"]),
        ("4.1", ["ILAC", "FV1", "FV2"]),  # no spaces after the commas
        ("4.6", ["ILAC", "FV1"]),  # trailing the sentence without a full stop
        ("1.10", []),  # "SEND" is an acronym, not a source
        ("2.3", []),
    ],
)
def test_tameside_sources_are_taken_out_of_the_text(tameside, ref, sources):
    found = action(tameside, ref)
    assert found.sources == sources
    for code in sources:
        assert code not in found.text


def test_tameside_html_becomes_paragraphs_and_bullets(tameside):
    front_door = action(tameside, "1.2")
    assert front_door.text.startswith("Review the design of the front door to include;\n\n• Clear")
    assert "\n• Use of the RAG rated system.\n" in front_door.text
    assert front_door.title == "Review the design of the front door to include"
    practice = action(tameside, "1.3")
    assert practice.text.endswith(
        '"Brilliant at the Basics" approach.\n\n• Assessments\n'
        "• Visits to children\n• Voice of the child\n• Plans\n"
        "• Chronology\n• Supervision\n• Management Oversight"
    )
    assert "<p>" not in "".join(a.evidence_of_success for a in tameside.actions)


@pytest.mark.parametrize(
    ("ref", "leads"),
    [
        ("1.3", ["AD QA and Improvement", "AD Children's Social Care"]),
        ("1.4", ["AD QA and Improvement", "Children's Performance Lead"]),
        ("1.8", ["AD Children's Social Care", "AD Quality Assurance and Improvement"]),
        ("1.10", ["AD Education", "Head of SEND"]),
        ("4.2", ["DCS", "SLT", "Head of Improvement"]),
        (
            "4.3",
            [
                "DCS",
                "SLT",
                "Assistant Director of People and Workforce Development",
                "Head of Improvement",
            ],
        ),
        ("4.4", ["DCS", "Chair of Safeguarding Board"]),
        ("4.1", ["Lead Member"]),
    ],
)
def test_tameside_leads(tameside, ref, leads):
    assert action(tameside, ref).leads == leads


def test_tameside_start_only_and_no_dates(tameside):
    practice = action(tameside, "1.3")
    assert (practice.start, practice.end) == (date(2023, 11, 1), None)
    assert practice.timescale_text == "From Nov 23"
    assert action(tameside, "1.5").timescale_text == ""
    assert (action(tameside, "1.5").start, action(tameside, "1.5").end) == (None, None)


def test_tameside_second_start_column_is_the_end(tameside):
    revise = action(tameside, "3.1")
    assert (revise.start, revise.end) == (date(2023, 9, 1), date(2024, 6, 30))
    messages = [p for p in tameside.problems if "second start date column" in p.message]
    assert len(messages) == 1
    assert messages[0].where == "tameside.txt, line 271, column 'Start Date'"


def test_tameside_focus_areas(tameside):
    areas = {area.code: area for area in tameside.focus_areas}
    assert list(areas) == [f"FA{n}" for n in range(1, 14)]
    assert areas["FA1"].name == "The Voice of Children and Families"
    helped = "Experience and Progress of Children in need of Help and Protection"
    assert areas["FA1"].judgement_area == helped
    assert areas["FA2"].judgement_area == helped
    assert areas["FA6"].judgement_area == "Experience of Cared for Children"
    assert areas["FA8"].judgement_area == "Experience and Progress of Care Leavers"
    assert areas["FA9"].judgement_area == "Impact of Leaders on Social Work Practice"
    assert areas["FA13"].name == "Data and Systems"


def test_tameside_actions_get_focus_areas_from_appendix_b(tameside):
    assert action(tameside, "1.3").focus_areas == ["FA1", "FA3", "FA4", "FA5", "FA6", "FA11"]
    assert action(tameside, "4.8").focus_areas == ["FA9", "FA11", "FA13"]
    assert action(tameside, "2.5").focus_areas == []


def test_tameside_post_holders(tameside):
    assert len(tameside.post_holders) == 9
    first = tameside.post_holders[0]
    assert (first.post, first.name) == ("Director of Children's Services", "Allison Parkinson")
    assert {holder.since for holder in tameside.post_holders} == {date(2023, 9, 1)}
    assert tameside.post_holders[-1].name == "Helen Delamare"


def test_tameside_rating_definitions(tameside):
    definitions = {d.rating: d for d in tameside.rating_definitions}
    assert list(definitions) == ["blue", "red", "amber", "green"]
    blue = definitions["blue"]
    assert blue.action_definition == blue.impact_definition
    assert blue.action_definition.startswith("Completed and impact evidenced")
    green = definitions["green"]
    assert green.action_definition == "Tasks are progressing as expected and deemed to be on target"
    assert green.impact_definition == "Impact of outcomes can be demonstrably measured"


def test_tameside_problems_are_few_and_located(tameside):
    assert len(tameside.problems) == 1  # the second start date column
    assert all(WHERE.match(problem.where) for problem in tameside.problems)


def test_tameside_summary(tameside):
    summary = tameside.summary()
    assert summary["priorities"] == 4
    assert summary["actions"] == 31
    assert summary["focus_areas"] == 13
    assert summary["post_holders"] == 9


# ---------------------------------------------------------------------------------------------
# Oldham


def test_oldham_title_and_period(oldham):
    assert oldham.title == "Oldham Children's Services Improvement Plan 2019-2021"
    assert oldham.period == "2019-2021"


def test_oldham_priorities(oldham):
    assert [(p.number, p.title, len(p.actions)) for p in oldham.priorities] == [
        (1, "Standards of Practice", 6),
        (2, "Practice Improvement", 10),
        (3, "Learning and Development", 3),
        (4, "Quality Assurance", 6),
    ]


def test_oldham_has_exactly_25_actions_with_made_up_refs(oldham):
    refs = [a.ref for a in oldham.actions]
    assert len(refs) == 25
    assert refs[:7] == ["1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "2.1"]
    assert refs[-1] == "4.6"
    assert not any("no ref" in p.message for p in oldham.problems)


def test_oldham_first_action(oldham):
    first = oldham.actions[0]
    assert first.objective.startswith("The Oldham Practice Hub (OPH) will be our")
    assert first.leads == ["Director of Children's Social Care"]
    assert first.timescale_text == "April 2019 – ongoing"
    assert (first.start, first.end, first.ongoing) == (date(2019, 4, 1), None, True)
    assert first.text.endswith(
        "through:\n\n• Mandatory briefing sessions\n"
        "• Appraisal, supervision and mid-year reviews\n"
        "• Induction and probation procedures\n• Recruitment processes"
    )


def test_oldham_objective_carries_to_rows_without_one(oldham):
    assert oldham.actions[4].objective == oldham.actions[0].objective
    assert oldham.actions[5].objective == "Implementation of Social Work Methodology"


def test_oldham_short_rows_are_aligned_by_their_timescale(oldham):
    relaunch = action_starting(oldham, "Re-launch the Care Leavers Local Offer")
    assert relaunch.end == date(2019, 9, 30)
    assert relaunch.leads == ["Director of Children's Social Care"]
    auditors = action_starting(oldham, "Continue to develop auditors")
    assert auditors.leads == ["Assistant Director of Quality Assurance and Safeguarding"]
    assert (auditors.start, auditors.ongoing) == (date(2019, 4, 1), True)
    assert auditors.evidence_of_success == 'Shared understanding of "what good looks like"'
    quarterly = action_starting(oldham, "Quarterly")
    assert quarterly.leads == ["Managing Director of Children's Services"]


def test_oldham_row_with_glued_timescale_and_no_lead(oldham):
    research = action_starting(oldham, "Research in Practice will provide mandatory training")
    assert research.leads == []
    assert research.timescale_text == "April 2019 – March 2020"
    assert (research.start, research.end) == (date(2019, 4, 1), date(2020, 3, 31))
    assert research.evidence_of_success.startswith("• Analysis and critical thinking")
    assert research.evidence_of_success.count("\n• ") == 2
    missing = [p for p in oldham.problems if "no lead" in p.message]
    assert [p.where for p in missing] == ["oldham.txt, line 122, column 'Lead officer'"]


def test_oldham_rows_split_by_a_page_break_are_merged(oldham):
    disabilities = action_starting(oldham, "Continue to improve the quality of assessments")
    assert disabilities.objective == "Improving Practice in the Children's with Disabilities Team"
    assert disabilities.leads == ["Director of Children's Social Care"]
    assert "SMART planning Baseline audits" in disabilities.evidence_of_success
    assert '"Working with children with disabilities' in disabilities.text
    housing = action_starting(oldham, "Continue to work with Housing")
    assert housing.text.startswith("Continue to work with Housing Colleagues to ensure")
    assert housing.leads == ["Director of Children's Social Care"]
    assert housing.timescale_text == "February 2020"
    assert housing.end == date(2020, 2, 29)
    assert (
        housing.evidence_of_success
        == "Care Leavers tell us they are supported to live independently"
    )
    assert housing.objective == "Pathway Planning"


def test_oldham_action_that_lost_its_first_words(oldham):
    lost = action_starting(oldham, "to effectively analyse risk")
    assert lost.leads == ["Children's Social Care"]
    assert lost.end == date(2020, 9, 30)
    problems = [p for p in oldham.problems if "mid-sentence" in p.message]
    assert len(problems) == 1
    assert problems[0].where.startswith("oldham.txt, line 101")
    assert "page break" in problems[0].message


def test_oldham_chief_executive_and_managing_director_is_one_lead(oldham):
    assert oldham.actions[6].leads == [
        "Chief Executive and Managing Director of Children's Services"
    ]
    assert oldham.actions[7].timescale_text == "June 19 – Dec 19"
    assert oldham.actions[7].end == date(2019, 12, 31)


def test_oldham_recurring_timescale(oldham):
    framework = action_starting(oldham, "The OPH will embed the Quality Assurance Framework")
    assert framework.recurring
    assert (framework.start, framework.end) == (None, None)


def test_oldham_undated_progress_is_one_problem(oldham):
    assert all(a.progress == [] for a in oldham.actions)
    progress = [p for p in oldham.problems if "Progress column has no date" in p.message]
    assert len(progress) == 1
    assert progress[0].where == "oldham.txt, line 86, column 'Progress'"


def test_oldham_progress_with_a_period():
    plan = read_text_plan(OLDHAM.read_text(encoding="utf-8"), progress_period=date(2019, 8, 15))
    first = plan.actions[0].progress
    assert len(first) == 1
    assert first[0].period == date(2019, 8, 1)
    assert first[0].narrative.startswith("Policies and procedures are systematically reviewed")
    research = action_starting(plan, "Research in Practice will provide")
    assert research.progress[0].narrative.startswith("Research in Practice have undertaken")
    assert not any("Progress column" in p.message for p in plan.problems)


def test_oldham_has_no_focus_areas_post_holders_or_stakeholder_problems(oldham):
    assert oldham.focus_areas == []
    assert oldham.post_holders == []
    assert oldham.rating_definitions == []
    assert not any(re.search(r"line (8[34]|7\d)\b", p.where) for p in oldham.problems)
    assert all(WHERE.match(problem.where) for problem in oldham.problems)


# ---------------------------------------------------------------------------------------------
# Not plans


def test_ofsted_report_is_not_a_plan():
    with pytest.raises(ReadError) as error:
        read_text_plan(OFSTED.read_text(encoding="utf-8"), source="ofsted.txt")
    assert [p.message for p in error.value.problems] == [NO_PLAN_MESSAGE]
    assert error.value.problems[0].where == "ofsted.txt"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n  \n",
        "PK\x03\x04\x00\x00binary\x00zip",
        bytes(range(256)).decode("utf-8", errors="replace") * 3,
        bytes(range(256)).decode("latin-1"),
    ],
    ids=["empty", "blank", "nul", "undecodable", "latin-1 noise"],
)
def test_junk_is_not_a_plan(text):
    with pytest.raises(ReadError):
        read_text_plan(text)


# ---------------------------------------------------------------------------------------------
# Small made-up plans

HEADER = "Ref\tAction\tLead\tTimescale\tProgress update Aug 19\tRAG"


def plan_text(*rows: str, header: str = HEADER, extra: str = "") -> str:
    return "\n".join(
        [
            "Test Council",
            "Improvement Plan 2020-22",
            "",
            "Introduction",
            "",
            "1: PRIORITY ONE",
            "",
            header,
            *rows,
            "",
            extra,
        ]
    )


def test_progress_header_with_a_month_dates_the_updates():
    plan = read_text_plan(plan_text("1.1\tDo it\tDCS\tMarch 2020\tStarted\tG"))
    (update,) = plan.actions[0].progress
    assert update.period == date(2019, 8, 1)
    assert (update.narrative, update.action_rating) == ("Started", "green")
    assert plan.period == "2020-22"
    assert plan.title == "Test Council Improvement Plan 2020-22"


def test_unknown_rating_is_a_problem():
    plan = read_text_plan(plan_text("1.1\tDo it\tDCS\tMarch 2020\tStarted\tPurple"), source="t")
    assert plan.actions[0].progress[0].action_rating is None
    assert any(
        p.where == "t, line 9, column 'RAG'" and "Purple" in p.message for p in plan.problems
    )


def test_appendix_b_ref_that_is_not_an_action_is_a_problem():
    measures = "Focus Area\tAction Ref.\tMeasure\tData Source\nFA1: Voice\t1.1, 9.9\tSurveys\tTeam"
    plan = read_text_plan(plan_text("1.1\tDo it\tDCS\tMarch 2020\t\t", extra=measures))
    assert plan.actions[0].focus_areas == ["FA1"]
    assert [area.name for area in plan.focus_areas] == ["Voice"]
    assert any("9.9" in p.message and p.where.endswith("line 12") for p in plan.problems)


def test_missing_ref_is_numbered_with_a_problem():
    plan = read_text_plan(plan_text("\tDo it\tDCS\tMarch 2020\t\t"))
    assert plan.actions[0].ref == "1.1"
    assert any("no ref" in p.message for p in plan.problems)


def test_unreadable_timescale_is_a_problem():
    plan = read_text_plan(plan_text("1.1\tDo it\tDCS\tTBC\t\t"))
    assert plan.actions[0].timescale_text == "TBC"
    assert any("TBC" in p.message for p in plan.problems)


def test_table_without_heading_gets_a_priority():
    plan = read_text_plan("Plan\n\nAction\tLead\tTimescale\nDo it\tDCS\tMay 2021\n")
    assert [(p.number, p.title) for p in plan.priorities] == [(1, "Priority 1")]
    assert plan.actions[0].ref == "1.1"


def test_priority_numbers_stay_unique():
    text = plan_text(
        "1.1\tDo it\tDCS\tMarch 2020\t\t", extra="1: AGAIN\n\n" + HEADER + "\nx\tDo\tDCS\t2020\t\t"
    )
    plan = read_text_plan(text)
    assert [p.number for p in plan.priorities] == [1, 2]
    assert any("used twice" in p.message for p in plan.problems)


def test_header_without_rows_is_not_a_plan():
    with pytest.raises(ReadError):
        read_text_plan("Plan\n\nAction\tLead\tTimescale\n")


# ---------------------------------------------------------------------------------------------
# Building blocks


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Ref.", "ref"),
        ("Reference", "ref"),
        ("No.", "ref"),
        ("Objectives to create change", "objective"),
        ("Objective", "objective"),
        ("Actions", "action"),
        ("What we will do", "action"),
        ("Evidence of Success", "evidence_of_success"),
        ("How will we know?", "evidence_of_success"),
        ("Lead", "lead"),
        ("Lead officer", "lead"),
        ("Lead(s)", "lead"),
        ("Owner", "lead"),
        ("Responsible officer", "lead"),
        ("Timescale", "timescale"),
        ("Timescales", "timescale"),
        ("Deadline", "timescale"),
        ("By when", "timescale"),
        ("Start Date", "start"),
        ("Start", "start"),
        ("End Date", "end"),
        ("Due date", "end"),
        ("Completion date", "end"),
        ("What our children will say", "children_will_say"),
        ("Progress", "progress"),
        ("Progress update Aug 19", "progress"),
        ("Update", "progress"),
        ("RAG", "action_rating"),
        ("Action RAG", "action_rating"),
        ("BRAG", "action_rating"),
        ("Status", "action_rating"),
        ("Progress RAG", "action_rating"),
        ("Impact RAG", "impact_rating"),
        ("Impact rating", "impact_rating"),
        ("Focus Area", None),
        ("Measure", None),
        ("Judgement", None),
        ("", None),
    ],
)
def test_match_column(header, column):
    assert match_column(header) == column


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        ("<p>One.</p> <p>Two.</p>", "One.\n\nTwo."),
        ("<p>Lead in;</p> <ul style='x'> • a • b ", "Lead in;\n\n• a\n• b"),
        ("<ul><li>a</li><li>b</li></ul>", "• a\n• b"),
        ("Intro: • a • b", "Intro:\n\n• a\n• b"),
        ("  plain   text ", "plain text"),
        ("a<br>b", "a\n\nb"),
        ("C&YP and ILAC19&21 &amp; more", "C&YP and ILAC19&21 & more"),
        ("<p>C&YP and ILAC19&21 &amp; more</p>", "C&YP and ILAC19&21 & more"),
        ("Q&notice", "Q&notice"),
        ("<p>Q&notice &lt;</p>", "Q&notice <"),
        ("", ""),
    ],
)
def test_cell_to_text(cell, text):
    assert cell_to_text(cell) == text


@pytest.mark.parametrize(
    ("cell", "leads"),
    [
        (
            "AD Children's Social Care\n\nAD Quality Assurance and Improvement",
            ["AD Children's Social Care", "AD Quality Assurance and Improvement"],
        ),
        (
            "AD QA and Improvement AD Children's Social Care",
            ["AD QA and Improvement", "AD Children's Social Care"],
        ),
        ("DCS SLT Head of Improvement", ["DCS", "SLT", "Head of Improvement"]),
        ("AD Education Head of SEND", ["AD Education", "Head of SEND"]),
        ("DCS Chair of Safeguarding Board", ["DCS", "Chair of Safeguarding Board"]),
        (
            "Chief Executive and Managing Director of Children's Services",
            ["Chief Executive and Managing Director of Children's Services"],
        ),
        (
            "Assistant Director of Quality Assurance and Safeguarding",
            ["Assistant Director of Quality Assurance and Safeguarding"],
        ),
        ("Lead Member", ["Lead Member"]),
        (
            "AD QA and Improvement / Children's Performance Lead",
            ["AD QA and Improvement", "Children's Performance Lead"],
        ),
        ("Head of Children's Services/Education", ["Head of Children's Services/Education"]),
        ("", []),
    ],
)
def test_split_leads(cell, leads):
    assert split_leads(cell) == leads


@pytest.mark.parametrize(
    ("text", "kept", "sources"),
    [
        ("Do it. FV2", "Do it.", ["FV2"]),
        ("Do it ILAC, FV1", "Do it", ["ILAC", "FV1"]),
        ("Do it. ILAC,FV1,FV2", "Do it.", ["ILAC", "FV1", "FV2"]),
        ("Do it\n\nILAC19&21", "Do it", ["ILAC19&21"]),
        ("Do it.\n\nILAC, FV1\n\n• a\n• b", "Do it.\n\n• a\n• b", ["ILAC", "FV1"]),
        ("Improve SEND", "Improve SEND", []),
        ("Improve practice (ISCAN)", "Improve practice (ISCAN)", []),
    ],
)
def test_extract_sources(text, kept, sources):
    assert extract_sources(text) == (kept, sources)


def test_make_title():
    assert make_title("First one. Second one.") == "First one"
    assert make_title("Lead in:\n\n• a") == "Lead in"
    assert make_title("Use e.g. tools. Then") == "Use e.g. tools"
    long = make_title("word " * 60)
    assert long.endswith("…")
    assert len(long) <= 150


@pytest.mark.parametrize(
    ("word", "rating"),
    [
        ("Blue", "blue"),
        ("B", "blue"),
        ("GREEN", "green"),
        ("g", "green"),
        ("Amber", "amber"),
        ("a", "amber"),
        ("red", "red"),
        ("R", "red"),
        ("Purple", None),
        ("", None),
    ],
)
def test_parse_rating(word, rating):
    assert parse_rating(word) == rating


def test_heading_case():
    assert heading_case("QUALITY OF PRACTICE") == "Quality of Practice"
    assert heading_case("COMMISSIONING AND SUFFICIENCY") == "Commissioning and Sufficiency"
    assert heading_case("Standards of Practice") == "Standards of Practice"


# ---------------------------------------------------------------------------------------------
# Any text at all


def _read(text: str) -> None:
    """Either a plan with actions, or the one documented error with its reasons."""
    problems = []
    try:
        result = read_text_plan(text)
    except ReadError as error:
        problems = error.problems
        result = None
    assert problems if result is None else isinstance(result, PlanDraft) and result.actions


@given(st.text())
def test_any_text_is_a_plan_or_a_plan_import_error(text):
    _read(text)


plan_words = st.sampled_from(
    [
        "Ref",
        "Actions",
        "Lead",
        "Timescale",
        "Start Date",
        "End Date",
        "Progress",
        "RAG",
        "Objective",
        "1: PRIORITY",
        "Plan: Title",
        "April 2019 – ongoing",
        "Sept 2020",
        "2020",
        "February",
        "Director of",
        "DCS",
        "• item",
        "<p>x</p>",
        "<ul><li>y",
        "FA1: Voice",
        "Focus Area",
        "Action Ref.",
        "1.1",
        "9.9",
        "Job Title",
        "Current Post Holder",
        "BLUE",
        "Action: a Impact b",
        "--",
        "to lower",
        "Amber",
        "",
    ]
)
plan_lines = st.lists(plan_words, max_size=9).map("\t".join)


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=300)
@given(st.lists(st.one_of(plan_lines, plan_words, st.just("")), max_size=25))
def test_plan_like_text_is_a_plan_or_a_plan_import_error(lines):
    _read("\n".join(lines))
