import re
from html import unescape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from g2g.core.templatetags.g2g import BULLET, formatted_text


def test_paragraphs_and_bullets_become_markup():
    html = formatted_text(
        "Review the front door to include;\n• Staffing\n• Decisions\n\nThen audit."
    )
    assert html == (
        '<p class="govuk-body">Review the front door to include;</p>'
        '<ul class="govuk-list govuk-list--bullet"><li>Staffing</li><li>Decisions</li></ul>'
        '<p class="govuk-body">Then audit.</p>'
    )


def test_everything_typed_is_escaped():
    html = formatted_text('<script>alert(1)</script>\n• <img src=x onerror="alert(2)">')
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html


def test_empty_text_gives_nothing():
    assert formatted_text("") == ""


def test_text_after_a_list_stays_after_it():
    html = formatted_text("Before:\n• one\n• two\nAfter the list.")
    assert html.index("Before:") < html.index("<ul") < html.index("After the list.")


# Typed in a browser (issue 16): CRLF line endings, "-" and "*" bullets.


def test_paragraphs_typed_in_a_browser_survive():
    html = formatted_text("First paragraph.\r\nStill the first.\r\n\r\nSecond paragraph.")
    assert html == (
        '<p class="govuk-body">First paragraph. Still the first.</p>'
        '<p class="govuk-body">Second paragraph.</p>'
    )


@pytest.mark.parametrize(
    "marker", ["- ", "* ", "•", "• "], ids=["dash", "star", "dot", "dot-space"]
)
def test_each_kind_of_bullet_makes_a_list(marker):
    html = formatted_text(f"Done:\r\n{marker}one\r\n{marker}two")
    assert html == (
        '<p class="govuk-body">Done:</p>'
        '<ul class="govuk-list govuk-list--bullet"><li>one</li><li>two</li></ul>'
    )


def test_a_minus_sign_is_not_a_bullet():
    assert formatted_text("-5% on last month") == '<p class="govuk-body">-5% on last month</p>'


ALLOWED_TAGS = {'<p class="govuk-body">', "</p>", '<ul class="govuk-list govuk-list--bullet">'}
ALLOWED_TAGS |= {"</ul>", "<li>", "</li>"}


def words_of(text: str) -> list[str]:
    """The words a reader should see: every word typed, less the bullet markers."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    words = []
    for line in text.split("\n"):
        match = BULLET.match(line.strip())
        words += (match["item"] if match else line).split()
    return words


@given(st.text())
def test_any_text_is_escaped_and_keeps_every_word(text):
    html = formatted_text(text)
    assert set(re.findall(r"<[^>]*>", html)) <= ALLOWED_TAGS
    shown = unescape(re.sub(r"<[^>]*>", " ", html))
    assert shown.split() == words_of(text)


@given(st.text())
def test_line_endings_do_not_matter(text):
    lf = text.replace("\r\n", "\n").replace("\r", "\n")
    assert formatted_text(lf.replace("\n", "\r\n")) == formatted_text(lf)


paragraph = st.text(st.characters(exclude_characters="\r\n-*•<>&\"'"), min_size=1).filter(
    lambda p: p.strip() and not BULLET.match(p.strip())
)


@given(st.lists(paragraph, min_size=1, max_size=5), st.sampled_from(["\n", "\r\n", "\r"]))
def test_every_paragraph_and_bullet_is_kept(paragraphs, newline):
    typed = (newline * 2).join(paragraphs) + newline + newline.join(f"- {p}" for p in paragraphs)
    html = formatted_text(typed)
    assert html.count('<p class="govuk-body">') == len(paragraphs)
    assert html.count("<li>") == len(paragraphs)
    assert html.count("<ul") == 1
