"""The one rating vocabulary: each rating's word and colours, and the tag pages show it with."""

import pytest
from django.template import Context, Template

from g2g.plans.models import NOT_RATED, RATING_LOOKS, Rating, RatingLook, rating_look

TAG = Template('{% include "includes/rating_tag.html" with rating=rating prefix=prefix %}')


def tag(rating, prefix="") -> str:
    return TAG.render(Context({"rating": rating, "prefix": prefix}))


@pytest.mark.parametrize(
    ("key", "word", "tag_colour", "fill"),
    [
        ("blue", "Blue", "blue", "BDD7EE"),
        ("green", "Green", "green", "C6EFCE"),
        ("amber", "Amber", "yellow", "FFEB9C"),
        ("red", "Red", "red", "FFC7CE"),
        ("", "Not rated", "grey", ""),
        (None, "Not rated", "grey", ""),
    ],
    ids=["blue", "green", "amber", "red", "blank", "none"],
)
def test_each_rating_has_one_word_and_colour(key, word, tag_colour, fill):
    assert rating_look(key) == RatingLook(key or "", word, tag_colour, fill)
    assert tag(key) == f'<strong class="govuk-tag govuk-tag--{tag_colour}">{word}</strong>\n'


def test_the_vocabulary_covers_every_rating_in_order_with_its_label():
    assert list(RATING_LOOKS) == list(Rating)
    assert [look.word for look in RATING_LOOKS.values()] == Rating.labels
    assert rating_look("not-a-rating") == NOT_RATED


def test_the_tag_names_what_is_rated():
    assert tag("amber", "Impact") == (
        '<span class="app-rating-label">Impact:</span>'
        '<strong class="govuk-tag govuk-tag--yellow">Amber</strong>\n'
    )


def test_a_colour_changed_in_the_vocabulary_changes_the_tag(monkeypatch):
    monkeypatch.setitem(RATING_LOOKS, Rating.AMBER, RatingLook("amber", "Amber", "orange", "F"))
    assert 'govuk-tag--orange">Amber<' in tag("amber")
