"""Template helpers shared by every app."""

from itertools import groupby

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def formatted_text(text: str) -> SafeString:
    """Plain text with blank-line paragraphs and "•" bullet lines, as GOV.UK paragraphs and lists.

    Everything is escaped; only the structure becomes markup.
    """
    blocks = []
    for block in (text or "").split("\n\n"):
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        for is_bullet, run in groupby(lines, key=lambda line: line.startswith("•")):
            run = list(run)
            if is_bullet:
                items = ((line.lstrip("• ").strip(),) for line in run)
                blocks.append(
                    format_html(
                        '<ul class="govuk-list govuk-list--bullet">{}</ul>',
                        format_html_join("", "<li>{}</li>", items),
                    )
                )
            else:
                blocks.append(format_html('<p class="govuk-body">{}</p>', " ".join(run)))
    return mark_safe("".join(blocks))  # noqa: S308 - every piece above is built by format_html  # nosec B308, B703
