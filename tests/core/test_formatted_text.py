from g2g.core.templatetags.g2g import formatted_text


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
