"""Template helpers shared by every app."""

import re
from html import unescape
from itertools import groupby

from django import template
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import SafeString, mark_safe

from ..forms import date_parts
from ..looks import status_look

register = template.Library()
register.filter("status_look", status_look)
register.filter("date_parts", date_parts)


@register.simple_tag
def status_tag(status: str | None, text: str = "") -> str:
    """A state as a GOV.UK tag: the markup of includes/status_tag.html, which calls this. A
    table's every row calls it directly: an include there costs more than the rest of the cell
    (issue 19)."""
    look = status_look(status)
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>', look.tag_colour, text or look.word
    )


# A bullet line starts with "•" (as plans are written), or "-" or "*" and a space (as people type).
BULLET = re.compile(r"^(?:•\s*|[-*]\s+)(?P<item>.*)$")
# A blank line (spaces allowed) between paragraphs.
PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")


def text_blocks(text: str) -> list[tuple[str, list[str]]]:
    """Plain text as blocks: ("p", [lines]) for a paragraph, ("ul", [items]) for a bullet list.

    Line endings from any browser or file (CRLF, CR) count the same as LF; a blank line ends a
    paragraph; a run of bullet lines is a list. The text itself is kept as typed.
    """
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    blocks: list[tuple[str, list[str]]] = []
    for paragraph in PARAGRAPH_BREAK.split(text):
        lines = [line.strip() for line in paragraph.split("\n") if line.strip()]
        for is_bullet, run in groupby(lines, key=lambda line: bool(BULLET.match(line))):
            if is_bullet:
                items = [BULLET.match(line)["item"].strip() for line in run]
                blocks.append(("ul", [item for item in items if item]))
            else:
                blocks.append(("p", list(run)))
    return [(kind, lines) for kind, lines in blocks if lines]


@register.filter
def formatted_text(text: str) -> SafeString:
    """Plain text with blank-line paragraphs and bullet lines ("•", "-" or "*"), as GOV.UK
    paragraphs and lists (`text_blocks`).

    Everything is escaped; only the structure becomes markup.
    """
    html = []
    for kind, lines in text_blocks(text):
        if kind == "ul":
            html.append(
                format_html(
                    '<ul class="govuk-list govuk-list--bullet">{}</ul>',
                    format_html_join("", "<li>{}</li>", ((item,) for item in lines)),
                )
            )
        else:
            html.append(format_html('<p class="govuk-body">{}</p>', " ".join(lines)))
    return mark_safe("".join(html))  # noqa: S308 - every piece above is built by format_html  # nosec B308, B703


CAPTION = re.compile(r"<caption\b[^>]*>(?P<text>.*?)</caption>", re.DOTALL | re.IGNORECASE)


@register.tag("scroll_region")
def scroll_region(parser, token):
    """A wide table in a box of its own that scrolls sideways, so the page never does (WCAG
    1.4.10 reflow at 320 px): a region named by the table's caption (or the label given), which
    takes keyboard focus so it can be scrolled by keys.

        {% scroll_region %}<table …><caption …>…</caption>…</table>{% endscroll_region %}
        {% scroll_region "Chart:" measure.name %}<svg …>…</svg>{% endscroll_region %}

    The label's parts (strings or variables) are joined by spaces.
    """
    parts = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endscroll_region",))
    parser.delete_first_token()
    return ScrollRegionNode(nodelist, parts)


class ScrollRegionNode(template.Node):
    def __init__(self, nodelist, parts):
        self.nodelist = nodelist
        self.parts = parts

    def render(self, context):
        content = self.nodelist.render(context)
        if self.parts:
            label = " ".join(str(part.resolve(context)) for part in self.parts)
        else:
            label = caption_text(content)
        if not label:
            raise template.TemplateSyntaxError("scroll_region needs a caption or a label")
        return format_html(
            '<div class="app-table-scroll" role="region" aria-label="{}" tabindex="0">{}</div>',
            label,
            mark_safe(content),  # noqa: S308 - the template's own rendered output  # nosec B308, B703
        )


def caption_text(html: str) -> str:
    """The text of the first <caption> in rendered HTML, as plain words."""
    found = CAPTION.search(html)
    if found is None:
        return ""
    return " ".join(unescape(strip_tags(found["text"])).split())
