"""The "cell per block" layout of Oldham's August 2019 plan (each table cell its own block of
lines, extracted from the council's PDF): 25 actions in 4 priorities, each with its August 2019
progress update, read through the one mapper; and any text either reads or is refused."""

import io
from datetime import date
from functools import cache

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from g2g.core.problems import ReadError
from g2g.importers.block_layout import block_lines, is_block_layout
from g2g.importers.text_reader import read_text_plan
from g2g.plans.models import Action, ProgressUpdate
from tests.factories import AuthorityFactory
from tests.seed_files import SEEDS

AUG19 = SEEDS / "oldham-improvement-plan-2019-21-aug19-progress.txt"
OLDHAM = SEEDS / "oldham-improvement-plan-2019-21.txt"
AUGUST = date(2019, 8, 1)


@cache
def aug19():
    return read_text_plan(AUG19.read_text(encoding="utf-8"), source="aug19.txt")


def by_ref(draft):
    return {action.ref: action for action in draft.actions}


def words(text: str) -> str:
    for curly, straight in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"')):
        text = text.replace(curly, straight)
    return " ".join(text.split()).lower()


def test_the_layout_is_recognised():
    assert is_block_layout(AUG19.read_text(encoding="utf-8"))
    assert not is_block_layout(OLDHAM.read_text(encoding="utf-8"))  # tab-separated rows


def test_25_actions_in_the_4_work_streams():
    draft = aug19()
    assert [(p.number, p.title, len(p.actions)) for p in draft.priorities] == [
        (1, "Standards of Practice", 6),
        (2, "Practice Improvement", 10),
        (3, "Learning and Development", 3),
        (4, "Quality Assurance", 6),
    ]


def test_every_action_has_its_august_2019_update():
    for action in aug19().actions:
        (update,) = action.progress
        assert update.period == AUGUST
        assert len(update.narrative) > 40, action.ref


@pytest.mark.parametrize(
    ("ref", "starts", "ends"),
    [
        ("1.1", "OPH project plan on track to launch", "as part of new roll out plan."),
        ("1.3", "Performance clinics are in place", "undertaken in September 2019."),
        ("1.6", "Signs of Safety implementation underway", "for the next stage."),
        ("2.1", "The recruitment to Senior Leadership roles", "at the end of qtr 1."),
        ("2.2", "This will be monitored through the Partners", "practice week in September."),
        ("2.5", "Completed cycle of quality assurance activity", "of audits will improve."),
        ("2.8", "Young People in foster care are being", "stat neighbour average of 53%"),
        ("3.1", "68% of all PPF's have been completed", "to ensure this is achieved."),
        ("4.1", "Quality Assurance Framework launched.", "included in the QAF."),
        ("4.6", "Analysis of spotlight audits will be presented", "Board in October 19."),
    ],
)
def test_progress_text_is_the_rows_own(ref, starts, ends):
    narrative = words(by_ref(aug19())[ref].progress[0].narrative)
    assert narrative.startswith(words(starts))
    assert narrative.endswith(words(ends))


def test_actions_leads_timescales_and_objectives_agree_with_the_plan_without_progress():
    """The same plan as first published, in the tab-separated layout: the August version's
    refs, leads, dates, objectives and action text agree, except where the first version lost
    words at a page break (2.3's first words, its lead and its start) or a lead (3.3)."""
    plan = by_ref(read_text_plan(OLDHAM.read_text(encoding="utf-8")))
    august = by_ref(aug19())
    assert list(august) == list(plan)
    differ = {
        (ref, field)
        for ref, first in plan.items()
        for field, left, right in [
            ("text", words(august[ref].text)[:50], words(first.text)[:50]),
            ("leads", [words(x) for x in august[ref].leads], [words(x) for x in first.leads]),
            ("dates", (august[ref].start, august[ref].end), (first.start, first.end)),
            (
                "objective",
                words(august[ref].objective or "")[:30],
                words(first.objective or "")[:30],
            ),
        ]
        if left != right
    }
    assert differ == {("2.3", "text"), ("2.3", "leads"), ("2.3", "dates"), ("3.3", "leads")}
    assert august["2.3"].leads == ["Director of Children’s Social Care"]
    assert august["3.3"].leads == ["Director of Children’s Social Care"]


def test_a_row_whose_first_lines_ran_together_is_cut_at_its_lead_and_timescale():
    action = by_ref(aug19())["2.5"]
    assert action.objective == "Improving Practice in the Children’s with Disabilities Team"
    assert action.text.startswith("Continue to improve the quality of assessments for the")
    assert action.leads == ["Director of Children’s Social Care"]
    assert (action.start, action.end) == (date(2019, 4, 1), date(2020, 3, 31))
    assert action.evidence_of_success.startswith("Audit activities demonstrates improved")


def test_headings_below_the_first_rows_name_their_table():
    lines = [line.text for line in block_lines(AUG19.read_text(encoding="utf-8")) if not line.cells]
    assert "Ofsted Improvement Plan: Practice Improvement" in lines


@pytest.mark.django_db
def test_import_plan_writes_25_actions_and_their_august_updates():
    authority = AuthorityFactory(name="Oldham")
    out = io.StringIO()
    call_command(
        "import_plan",
        str(AUG19),
        "--authority",
        "Oldham",
        "--progress-period",
        "2019-08",
        stdout=out,
    )
    assert "25 actions" in out.getvalue()
    assert Action.objects.in_authority(authority).count() == 25
    updates = ProgressUpdate.objects.filter(action__plan__authority=authority)
    assert updates.count() == 25
    assert set(updates.values_list("period", flat=True)) == {AUGUST}


# ---------------------------------------------------------------------------------------------
# Never a crash

BLOCKS = AUG19.read_text(encoding="utf-8").split("\n\n")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(BLOCKS) | st.text(max_size=60), max_size=40))
def test_any_blocks_read_or_are_refused(blocks):
    text = "\n\n".join(blocks)
    try:
        draft = read_text_plan(text, source="blocks.txt")
    except ReadError as error:
        draft = error
    if isinstance(draft, ReadError):
        assert draft.problems
    else:
        assert draft.actions


def test_a_table_whose_rows_are_not_found_is_a_problem_not_a_silence():
    text = (
        "Ofsted Improvement Plan: Quality Assurance\n"
        " Objectives to\ncreate change\n"
        "Actions Lead officer Timescale Evidence of Success Progress update Aug 19 RAG\n\n"
        "A block of text that no lead or timescale follows\n\n"
        "Another block\n"
    )
    with pytest.raises(ReadError) as caught:
        read_text_plan(text, source="blocks.txt")
    assert any("no action was found under this header" in p.message for p in caught.value.problems)
