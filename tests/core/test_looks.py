"""Status colours that mean one thing: every tag that is not a rating comes from
`core.looks.STATUS_LOOKS`, whose colours are never a rating's (issue 16)."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template

from g2g.core.looks import STATUS_LOOKS, status_look
from g2g.measures.rating import HIGHER, LOWER, SAME, VERDICT_TAGS
from g2g.plans.models import RATING_LOOKS, Plan, ProgressUpdate

SRC = Path(__file__).resolve().parents[2] / "src" / "g2g"
TAG = Template('{% include "includes/status_tag.html" with status=status text=text %}')


def tag(status, text="") -> str:
    return TAG.render(Context({"status": status, "text": text})).strip()


def test_no_state_wears_a_rating_colour():
    rating_colours = {look.tag_colour for look in RATING_LOOKS.values()}
    near_a_rating = rating_colours | {"light-blue"}  # too near Blue to tell apart
    wearing = {look.key: look.tag_colour for look in STATUS_LOOKS.values()}
    assert not {key for key, colour in wearing.items() if colour in near_a_rating}


@pytest.mark.parametrize(
    ("status", "word"),
    [
        ("", "Not started"),
        (None, "Not started"),
        ("draft", "Draft – not submitted"),
        ("submitted", "Submitted – awaiting sign-off"),
        ("returned", "Returned"),
        ("signed_off", "Signed off"),
        ("overdue", "Overdue"),
        ("synthetic", "Synthetic"),
    ],
    ids=["blank", "none", "draft", "submitted", "returned", "signed-off", "overdue", "synthetic"],
)
def test_each_state_shows_its_words_in_its_colour(status, word):
    look = status_look(status)
    assert look.word == word
    assert tag(status) == f'<strong class="govuk-tag govuk-tag--{look.tag_colour}">{word}</strong>'


def test_every_workflow_state_of_an_update_has_a_look():
    assert {value for value, _ in ProgressUpdate.Status.choices} <= set(STATUS_LOOKS)


def test_every_state_of_a_plan_has_a_look_with_its_label():
    for value, label in Plan.Status.choices:
        assert status_look(f"plan_{value}").word == label


def test_a_count_replaces_the_words_not_the_colour():
    assert (
        tag("overdue", "3 overdue")
        == '<strong class="govuk-tag govuk-tag--pink">3 overdue</strong>'
    )


def test_an_unknown_state_is_an_error_not_a_wrong_word():
    with pytest.raises(KeyError):
        status_look("nonsense")


# The includes that turn a vocabulary into a tag, and the direction-of-travel verdicts, which
# have their own vocabulary (`measures.rating.VERDICT_TAGS`).
VOCABULARY_TEMPLATES = {"rating_tag.html", "status_tag.html"}


def test_no_template_types_a_tag_colour_of_its_own():
    typed = [
        f"{path.relative_to(SRC)}: {match}"
        for path in SRC.rglob("templates/**/*.html")
        if path.name not in VOCABULARY_TEMPLATES
        for match in re.findall(r"govuk-tag--[a-z-]+", path.read_text())
    ]
    assert typed == []


def test_a_move_that_is_neither_better_nor_worse_is_not_blue():
    assert {VERDICT_TAGS[v][1] for v in (HIGHER, LOWER, SAME)} == {"govuk-tag--grey"}


@pytest.mark.parametrize("status", [*STATUS_LOOKS, "", None])
@pytest.mark.parametrize("text", ["", "3 overdue", "<b>"])
def test_the_status_tag_and_its_include_give_the_same_markup(status, text):
    """`{% status_tag %}`, which the action list's rows use, is the include's markup exactly."""
    tagged = Template("{% load g2g %}{% status_tag status text %}")
    assert tagged.render(Context({"status": status, "text": text})) == tag(status, text)
    assert "govuk-tag" in tag(status, text)
