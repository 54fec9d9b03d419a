"""`rating|rating_look`: how a rating is shown (word, tag colour), from the one vocabulary beside
`plans.models.Rating`, for includes/rating_tag.html."""

from django import template
from django.utils.html import format_html

from ..models import rating_look

register = template.Library()
register.filter("rating_look", rating_look)


@register.simple_tag
def rating_tag(rating: str, prefix: str = "") -> str:
    """A rating as a GOV.UK tag: the markup of includes/rating_tag.html, which calls this. A
    table's every row calls it directly: an include there costs more than the rest of the row
    (issue 19)."""
    look = rating_look(rating)
    tag = format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>', look.tag_colour, look.word
    )
    if prefix:
        return format_html('<span class="app-rating-label">{}:</span>{}', prefix, tag)
    return tag
