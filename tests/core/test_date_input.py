"""GOV.UK's date input pattern: a day, month and year box for each date a form takes, with
GOV.UK's error messages, the boxes in error marked, and dates from links (2025-03-31) read."""

import re
from datetime import date

import pytest
from django import forms
from django.template.loader import render_to_string

from g2g.core.forms import GovukDateField


class MeetingDate(forms.Form):
    held_on = GovukDateField(
        label="Date of the meeting",
        help_text="For example, 31 3 2025",
        error_messages={"required": "Enter the date of the meeting"},
    )
    ends = GovukDateField(label="Ends (optional)", required=False)


def form(**parts) -> MeetingDate:
    return MeetingDate({f"held_on_{part}": value for part, value in parts.items()})


def test_day_month_and_year_make_the_date():
    bound = form(day=" 7 ", month="03", year="2025")
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data == {"held_on": date(2025, 3, 7), "ends": None}


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ({}, "Enter the date of the meeting"),
        ({"day": "7", "year": "2025"}, "Date of the meeting must include a month"),
        ({"month": "3"}, "Date of the meeting must include a day and year"),
        ({"day": "31", "month": "2", "year": "2025"}, "Date of the meeting must be a real date"),
        ({"day": "x", "month": "2", "year": "2025"}, "Date of the meeting must be a real date"),
        ({"day": "1", "month": "13", "year": "2025"}, "Date of the meeting must be a real date"),
        ({"day": "1", "month": "2", "year": "25"}, "Year must include 4 numbers"),
        ({"day": "١", "month": "2", "year": "2025"}, "Date of the meeting must be a real date"),
    ],
)
def test_gov_uk_error_messages(parts, message):
    bound = form(**parts)
    assert not bound.is_valid()
    assert bound.errors["held_on"] == [message]


def test_an_optional_date_is_named_without_optional_in_its_errors():
    bound = MeetingDate({"held_on": "2025-03-07", "ends_day": "1", "ends_year": "2025"})
    assert bound.errors["ends"] == ["Ends must include a month"]


def test_a_date_written_in_a_link_is_read():
    bound = MeetingDate({"held_on": "2025-03-07"})
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["held_on"] == date(2025, 3, 7)
    assert MeetingDate({"held_on": "7 March"}).errors["held_on"] == [
        "Date of the meeting must be a real date"
    ]


def render(bound) -> str:
    return render_to_string("includes/field.html", {"field": bound["held_on"]})


def test_it_renders_as_gov_uk_date_input_in_a_fieldset():
    html = render(MeetingDate(initial={"held_on": date(2025, 3, 7)}))
    assert (
        '<fieldset class="govuk-fieldset" role="group" aria-describedby="id_held_on-hint">' in html
    )
    assert '<legend class="govuk-fieldset__legend">Date of the meeting</legend>' in html
    assert '<div class="govuk-date-input" id="id_held_on-input">' in html
    for part, box_id, width, value in [
        ("day", "id_held_on", 2, "7"),
        ("month", "id_held_on-month", 2, "3"),
        ("year", "id_held_on-year", 4, "2025"),
    ]:
        assert (
            f'<input class="govuk-input govuk-date-input__input govuk-input--width-{width}" '
            f'id="{box_id}" name="held_on_{part}" type="text" inputmode="numeric" value="{value}">'
        ) in html
        assert f'<label class="govuk-label govuk-date-input__label" for="{box_id}">' in html
    assert 'type="date"' not in html


@pytest.mark.parametrize(
    ("parts", "in_error"),
    [
        ({"day": "7", "year": "2025"}, ["month"]),
        ({"day": "31", "month": "2", "year": "2025"}, ["day", "month", "year"]),
        ({"day": "1", "month": "2", "year": "25"}, ["year"]),
        ({}, ["day", "month", "year"]),
    ],
)
def test_only_the_boxes_in_error_are_marked(parts, in_error):
    html = render(form(**parts))
    assert 'aria-describedby="id_held_on-hint id_held_on-error"' in html
    assert '<p id="id_held_on-error" class="govuk-error-message">' in html
    for part in ("day", "month", "year"):
        marked = f'govuk-input--error" id="id_held_on{"" if part == "day" else "-" + part}"'
        assert (marked in html) == (part in in_error), part


def every_form_class():
    import importlib
    import inspect
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "src" / "g2g"
    for path in sorted(root.glob("*/forms.py")):
        module = importlib.import_module(f"g2g.{path.parent.name}.forms")
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if issubclass(value, forms.BaseForm) and value.__module__ == module.__name__:
                yield value


def test_every_date_a_form_takes_uses_the_date_input_and_its_hint_matches():
    """No browser date picker (its format differs from the hint, by browser and locale) and no
    hint in another format than the boxes take (day month year)."""
    checked = 0
    for form_class in every_form_class():
        for name, field in form_class.base_fields.items():
            where = f"{form_class.__module__}.{form_class.__name__}.{name}"
            if isinstance(field, forms.DateField):
                checked += 1
                assert isinstance(field, GovukDateField), where
            assert not re.search(r"\d{4}-\d{2}-\d{2}|\d{2}/\d{2}/\d{4}", str(field.help_text)), (
                f"{where}: {field.help_text}"
            )
    assert checked >= 12
