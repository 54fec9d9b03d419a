"""`value|with_unit:unit`: a measure's value with its unit ("70%", "20 days"), written by the one
formatter, `measures.rating.format_value`, so pages say what charts, Word and Excel say."""

from decimal import Decimal

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from ..comparison import ordinal, quartile_words
from ..rating import VERDICT_TAGS, format_value

register = template.Library()


@register.filter
def with_unit(value: Decimal, unit: str) -> str:
    return format_value(value, unit)


@register.simple_tag
def comparator_list(status) -> str:
    """The latest comparator of each kind (`scorecard.MeasureStatus.latest_comparators`), each
    marked "published (DfE, year)" or "synthetic": a tag, not an include, since the scorecard
    has one in every row and an include there costs more than the rest of the row."""
    found = status.latest_comparators
    if not found:
        return mark_safe('<span class="govuk-body-s">None</span>')  # noqa: S308 - a constant  # nosec B308, B703
    unit = status.measure.unit
    items = format_html_join(
        "",
        "<li>{}: {} ({}{})</li>",
        (
            (
                comparator.label or comparator.get_kind_display(),
                format_value(comparator.value, unit),
                f"{comparator.period:%b %Y}",
                f", {comparator.mark}" if comparator.mark else "",
            )
            for comparator in found
        ),
    )
    return format_html('<ul class="govuk-list govuk-body-s">{}</ul>', items)


@register.filter
def figure(value: Decimal | None, unit: str) -> str:
    """A published comparator's value with its unit, or "No figure"."""
    return "No figure" if value is None or value == "" else format_value(value, unit)


@register.filter
def own_figure(year, unit: str) -> str:
    """The authority's figure for a year (`comparison.Year`): its value with its unit, or why
    there is none ("Suppressed: ...", "Not published")."""
    if not year:
        return "Not published"
    if year.value is not None:
        return format_value(year.value, unit)
    if not year.published:
        return "Not published"
    symbol = f" ({year.suppression})" if year.suppression else ""
    return f"No figure{symbol}: {year.suppression_words}"


@register.filter
def rank_words(year, polarity: str) -> str:
    """ "2nd of 11 (1st is the best)": the authority among itself and its neighbours."""
    if not year or year.rank_in_neighbours is None:
        return "Not ranked"
    best = "the highest" if polarity == "neither" else "the best"
    return f"{ordinal(year.rank_in_neighbours)} of {year.ranked_in_neighbours} (1st is {best})"


@register.filter
def quartile(year, polarity: str) -> str:
    return quartile_words(year.national_quartile if year else None, polarity)


@register.filter
def verdict_tag(verdict: str) -> tuple[str, str]:
    """(word, GOV.UK tag class) of a direction-of-travel verdict (`rating.VERDICT_TAGS`)."""
    return VERDICT_TAGS.get(verdict, ("", ""))


@register.filter
def card_key(comparison, slug: str) -> str:
    """The cache key of an indicator's card on "how we compare" (`IndicatorComparison`)."""
    return comparison.cache_key("card", slug)
