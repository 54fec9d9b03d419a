"""Plans written as numbered paragraphs under headings, in Word (typed numbers, Word's own
automatic numbering, heading styles) and as text: each action's ref, text and fields as labels
("Lead: …", "Timescale: …"), through the one mapper. Text boxes are named as problems."""

from datetime import date

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from g2g.core.problems import ReadError
from g2g.importers.draft import PlanDraft
from g2g.importers.office_readers import docx_lines
from g2g.importers.services import read_plan_upload
from g2g.importers.text_reader import labelled, read_text_plan

from .builders import save

pytestmark: list = []  # no database

TYPED = """Northshire Children's Services Improvement Plan 2024-26

1. Help and protection
1.1 Improve the quality of strategy meetings so that every agency attends. \
Lead: Head of MASH. Timescale: From Nov 23
Evidence of success: 95% of strategy meetings have police and health present.
1.2 Review thresholds with partners.
Lead: Head of Early Help
Timescale: March 2024
• Publish the revised threshold document
• Train every team
2. Children in care
2.1 Reduce the number of children living outside the area.
Lead officer: Head of Placements
By when: Q2 2024
Progress: Sufficiency strategy agreed in May.
RAG: Amber
"""


def by_ref(draft: PlanDraft):
    return {action.ref: action for action in draft.actions}


def check_typed(draft: PlanDraft) -> None:
    assert [(p.number, p.title) for p in draft.priorities] == [
        (1, "Help and protection"),
        (2, "Children in care"),
    ]
    actions = by_ref(draft)
    assert list(actions) == ["1.1", "1.2", "2.1"]
    first = actions["1.1"]
    assert first.text == "Improve the quality of strategy meetings so that every agency attends"
    assert first.leads == ["Head of MASH"]
    assert (first.start, first.end) == (date(2023, 11, 1), None)
    assert first.evidence_of_success.startswith("95% of strategy meetings")
    second = actions["1.2"]
    assert second.leads == ["Head of Early Help"]
    assert second.end == date(2024, 3, 31)
    assert second.text == (
        "Review thresholds with partners.\n\n• Publish the revised threshold document\n"
        "• Train every team"
    )
    third = actions["2.1"]
    assert third.leads == ["Head of Placements"]
    assert (third.start, third.end) == (date(2024, 4, 1), date(2024, 6, 30))


def test_a_text_plan_of_numbered_paragraphs():
    draft = read_text_plan(TYPED, source="plan.txt", progress_period=date(2024, 5, 1))
    check_typed(draft)
    (update,) = by_ref(draft)["2.1"].progress
    assert (update.narrative, update.action_rating) == (
        "Sufficiency strategy agreed in May.",
        "amber",
    )


def test_a_word_plan_of_typed_numbers_under_headings():
    document = docx.Document()
    lines = TYPED.splitlines()
    document.add_paragraph(lines[0], style="Title")
    for line in lines[1:]:
        if not line:
            continue
        if line[:2] in ("1.", "2.") and line[2] == " ":
            document.add_heading(line, level=1)
        elif line.startswith("• "):
            document.add_paragraph(line[2:], style="List Bullet")
        else:
            document.add_paragraph(line)
    check_typed(read_plan_upload("plan.docx", save(document)))


def test_labels_after_a_text_without_a_full_stop_in_a_word_plan():
    document = docx.Document()
    document.add_heading("1. Practice standards", level=1)
    document.add_paragraph(
        "1.1 Embed practice standards through: Lead: Head of Practice. "
        "Timescale: April 2019 onwards"
    )
    document.add_paragraph("Mandatory briefing sessions", style="List Bullet")
    document.add_paragraph(
        "1.2 Audit every plan Lead: Head of QA Timescale: Q1 2019/20 – Q2 2019/20"
    )
    actions = by_ref(read_plan_upload("plan.docx", save(document)))
    first, second = actions["1.1"], actions["1.2"]
    assert first.leads == ["Head of Practice"]
    assert first.text == "Embed practice standards through:\n\n• Mandatory briefing sessions"
    assert (first.start, first.end, first.ongoing) == (date(2019, 4, 1), None, True)
    assert (second.text, second.leads) == ("Audit every plan", ["Head of QA"])
    assert (second.start, second.end) == (date(2019, 4, 1), date(2019, 9, 30))


def numbering(document) -> tuple[str, str]:
    """A two-level list as councils number plans ('1.' then '1.1'): a Word list definition
    and one instance of it; returns the list's id and a second instance that restarts it."""
    part = document.part.numbering_part.element
    abstract = parse_xml(
        f"<w:abstractNum {nsdecls('w')} w:abstractNumId='90'>"
        "<w:lvl w:ilvl='0'><w:start w:val='1'/><w:numFmt w:val='decimal'/>"
        "<w:lvlText w:val='%1.'/></w:lvl>"
        "<w:lvl w:ilvl='1'><w:start w:val='1'/><w:numFmt w:val='decimal'/>"
        "<w:lvlText w:val='%1.%2'/></w:lvl>"
        "<w:lvl w:ilvl='2'><w:start w:val='1'/><w:numFmt w:val='lowerLetter'/>"
        "<w:lvlText w:val='%3)'/></w:lvl>"
        "</w:abstractNum>"
    )
    part.insert(0, abstract)
    part.append(
        parse_xml(f"<w:num {nsdecls('w')} w:numId='90'><w:abstractNumId w:val='90'/></w:num>")
    )
    return "90", "91"


def numbered(document, text: str, num_id: str, level: int, style: str | None = None):
    paragraph = document.add_paragraph(text, style=style)
    properties = paragraph._p.get_or_add_pPr()
    properties.append(
        parse_xml(
            f"<w:numPr {nsdecls('w')}><w:ilvl w:val='{level}'/>"
            f"<w:numId w:val='{num_id}'/></w:numPr>"
        )
    )
    return paragraph


def test_word_automatic_numbering_is_counted_as_word_shows_it():
    document = docx.Document()
    document.add_paragraph("Northshire Improvement Plan 2024-26", style="Title")
    list_id, _ = numbering(document)
    numbered(document, "Help and protection", list_id, 0)
    numbered(document, "Improve strategy meetings so that every agency attends.", list_id, 1)
    document.add_paragraph("Lead: Head of MASH")
    document.add_paragraph("Timescale: March 2024")
    numbered(document, "Review thresholds with partners.", list_id, 1)
    numbered(document, "Publish the revised document", list_id, 2)
    numbered(document, "Children in care", list_id, 0)
    numbered(document, "Reduce placements outside the area.", list_id, 1)
    document.add_paragraph("Lead: Head of Placements. By when: Q2 2024")

    texts = [line.text for line in docx_lines(save(document)) if line.text]
    assert texts[1:5] == [
        "1. Help and protection",
        "1.1 Improve strategy meetings so that every agency attends.",
        "Lead: Head of MASH",
        "Timescale: March 2024",
    ]
    assert "a) Publish the revised document" in texts
    assert "2.1 Reduce placements outside the area." in texts

    draft = read_plan_upload("plan.docx", save(document))
    assert [(p.number, p.title, [a.ref for a in p.actions]) for p in draft.priorities] == [
        (1, "Help and protection", ["1.1", "1.2"]),
        (2, "Children in care", ["2.1"]),
    ]
    actions = by_ref(draft)
    assert actions["1.1"].leads == ["Head of MASH"]
    assert actions["1.1"].end == date(2024, 3, 31)
    assert (
        actions["1.2"].text == "Review thresholds with partners.\n\na) Publish the revised document"
    )
    assert actions["2.1"].leads == ["Head of Placements"]


def test_actions_numbered_one_two_three_under_heading_styles():
    document = docx.Document()
    document.add_heading("Northshire Improvement Plan", level=1)
    document.add_heading("Help and protection", level=2)
    document.add_paragraph("Improve strategy meetings. Lead: Head of MASH", style="List Number")
    document.add_paragraph("Review thresholds. Lead: Head of Early Help", style="List Number")
    document.add_heading("Children in care", level=2)
    document.add_heading("Sufficiency", level=3)
    document.add_paragraph("Reduce placements outside the area. Lead: DCS", style="List Number")
    draft = read_plan_upload("plan.docx", save(document))
    assert [(p.title, [a.ref for a in p.actions]) for p in draft.priorities] == [
        ("Help and protection", ["1.1", "1.2"]),
        ("Children in care", ["2.3"]),
    ]
    assert draft.actions[2].objective == "Sufficiency"
    assert any("given refs" in p.message for p in draft.problems)


def test_a_text_box_is_a_problem_with_its_place():
    document = docx.Document()
    document.add_heading("1. Help and protection", level=1)
    paragraph = document.add_paragraph("1.1 Improve strategy meetings. Lead: Head of MASH")
    box = parse_xml(
        f"<w:r {nsdecls('w')} xmlns:mc='http://schemas.openxmlformats.org/markup-compatibility/2006'><mc:AlternateContent><mc:Fallback><w:pict>"
        "<w:txbxContent><w:p><w:r><w:t>1.2 Review thresholds</w:t></w:r></w:p></w:txbxContent>"
        "</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )
    paragraph._p.append(box)
    draft = read_plan_upload("plan.docx", save(document))
    assert [a.ref for a in draft.actions] == ["1.1"]
    (problem,) = [p for p in draft.problems if "text box" in p.message]
    assert problem.where == "plan.docx, paragraph 2"


def test_a_plan_only_in_text_boxes_is_refused_saying_so():
    document = docx.Document()
    paragraph = document.add_paragraph("")
    paragraph._p.append(
        parse_xml(
            f"<w:r {nsdecls('w')} xmlns:mc='http://schemas.openxmlformats.org/markup-compatibility/2006'><mc:AlternateContent><mc:Fallback><w:pict>"
            "<w:txbxContent><w:p><w:r><w:t>1.1 Everything</w:t></w:r></w:p></w:txbxContent>"
            "</w:pict></mc:Fallback></mc:AlternateContent></w:r>"
        )
    )
    with pytest.raises(ReadError) as caught:
        read_plan_upload("plan.docx", save(document))
    assert "text box" in str(caught.value)
    assert qn("w:t")  # the namespace helper stays imported for the XML above


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            "Improve meetings. Lead: Head of MASH",
            [(None, "Improve meetings"), ("lead", "Head of MASH")],
        ),
        ("Lead officer: DCS; By when: March 2024", [("lead", "DCS"), ("timescale", "March 2024")]),
        ("Responsible officer – AD Social Care", [(None, "Responsible officer – AD Social Care")]),
        ("How will we know? 90% seen", [(None, "How will we know? 90% seen")]),
        ("How will we know?: 90% seen", [("evidence_of_success", "90% seen")]),
        ("Start date: Sep 23 | End date: Mar 24", [("start", "Sep 23"), ("end", "Mar 24")]),
        # action texts often have no full stop: a capitalised label after any word is a label
        (
            "Audit every plan Lead: Head of QA Timescale: April 2019 – ongoing",
            [
                (None, "Audit every plan"),
                ("lead", "Head of QA"),
                ("timescale", "April 2019 – ongoing"),
            ],
        ),
        (
            "Improve practice through: Lead: DCS",
            [(None, "Improve practice through:"), ("lead", "DCS")],
        ),
        ("Agree who will lead: the board", [(None, "Agree who will lead: the board")]),
    ],
)
def test_labels_in_a_paragraph(text, parts):
    assert labelled(text) == parts


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.sampled_from(TYPED.splitlines() + ["1.", "1.1", "Lead:", "Appendix A", "3. x"])
        | st.text(max_size=30),
        max_size=30,
    )
)
def test_any_numbered_text_is_a_plan_or_a_read_error(lines):
    try:
        draft = read_text_plan("\n".join(lines), source="plan.txt")
    except ReadError as error:
        draft = error
    if isinstance(draft, ReadError):
        assert draft.problems
    else:
        assert draft.actions
        assert len({a.ref for a in draft.actions}) >= 1
