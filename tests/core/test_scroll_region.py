"""The one template tag that puts a wide table (or chart) in a labelled, focusable region that
scrolls sideways on its own (WCAG 1.4.10 reflow)."""

import pytest
from django.template import Context, Template, TemplateSyntaxError


def render(source: str, **context) -> str:
    return Template("{% load g2g %}" + source).render(Context(context))


def test_the_region_is_named_by_the_tables_caption_as_plain_words():
    html = render(
        "{% scroll_region %}<table><caption class='x'>Actions in <b>{{ name }}</b> &amp; more"
        "</caption><tr><td>1</td></tr></table>{% endscroll_region %}",
        name="Oldham & Tameside",
    )
    assert html.startswith(
        '<div class="app-table-scroll" role="region" '
        'aria-label="Actions in Oldham &amp; Tameside &amp; more" tabindex="0"><table>'
    )
    assert html.endswith("</table></div>")


def test_a_label_given_joins_its_parts_and_is_escaped():
    html = render(
        '{% scroll_region "Chart:" name %}<svg></svg>{% endscroll_region %}', name='<"Rate">'
    )
    assert 'aria-label="Chart: &lt;&quot;Rate&quot;&gt;"' in html
    assert "<svg></svg>" in html


def test_a_region_with_no_name_is_refused():
    with pytest.raises(TemplateSyntaxError, match="needs a caption or a label"):
        render("{% scroll_region %}<table><tr><td>1</td></tr></table>{% endscroll_region %}")


def test_every_table_in_the_templates_is_in_a_scroll_region():
    """No template writes a table outside the tag (each table's own markup is checked by the
    browser walk at 320 px; this finds the table a page the walk cannot reach would show)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "src" / "g2g"
    unwrapped = []
    for path in root.rglob("templates/**/*.html"):
        text = path.read_text()
        for match in re.finditer(r"<table\b", text):
            if not text[: match.start()].rstrip().endswith("{% scroll_region %}") and not re.search(
                r"\{% scroll_region [^%]*%\}\s*$", text[: match.start()]
            ):
                unwrapped.append(
                    f"{path.relative_to(root)}:{text[: match.start()].count(chr(10)) + 1}"
                )
    assert not unwrapped, unwrapped
