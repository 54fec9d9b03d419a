"""`{% rating_tag %}` gives exactly what includes/rating_tag.html gives."""

import pytest
from django.template import Context, Template

from g2g.plans.models import RATING_LOOKS


@pytest.mark.parametrize("rating", [*RATING_LOOKS, "", None, "<b>"])
@pytest.mark.parametrize("prefix", ["", "Action", "<i>Impact</i>"])
def test_the_tag_and_the_include_give_the_same_markup(rating, prefix):
    context = Context({"rating": rating, "prefix": prefix})
    included = Template(
        '{% include "includes/rating_tag.html" with rating=rating prefix=prefix %}'
    ).render(context)
    tagged = Template("{% load ratings %}{% rating_tag rating prefix %}").render(context)
    assert tagged == included.strip()
    assert "govuk-tag" in tagged
