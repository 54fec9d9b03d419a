import pytest
from hypothesis import given
from hypothesis import strategies as st

from g2g.importers.draft import ActionDraft
from g2g.importers.targets import target_measures, target_name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "improved care planning Baseline audits of assessments are judged Good or Outstanding",
            "Baseline audits of assessments are judged Good or Outstanding",
        ),
        (
            "Improved outcomes for Children and Young People Baseline audits of CIN, CP and CLA "
            "plans judged Good or Outstanding",
            "Baseline audits of CIN, CP and CLA plans judged Good or Outstanding",
        ),
        ("% of assessments on time", "% of assessments on time"),
    ],
    ids=["after-lower-case", "after-capitalised-words", "one-clause"],
)
def test_the_target_is_named_by_its_clause(text, name):
    assert target_name(text) == name


def test_an_action_without_targets_gives_no_measures():
    action = ActionDraft(ref="1.1", title="T", text="T", evidence_of_success="Audits improve.")
    assert target_measures([action]) == []


@given(st.text())
def test_any_evidence_text_is_safe(text):
    action = ActionDraft(ref="1.1", title="T", text="T", evidence_of_success=text)
    for measure in target_measures([action]):
        assert measure.milestones
