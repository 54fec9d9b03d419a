"""Forms for the round pages; the rules for opening and signing off live in the services."""

from __future__ import annotations

from datetime import date

from django import forms

from g2g.core.dates import add_working_days, current_period, today


def _months_back(count: int) -> list[date]:
    months, month = [], current_period()
    for _ in range(count):
        months.append(month)
        month = (month - date.resolution).replace(day=1)
    return months


class OpenRoundForm(forms.Form):
    period = forms.TypedChoiceField(
        label="Month the updates are for",
        coerce=date.fromisoformat,
        empty_value=None,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the month the updates are for",
            "invalid_choice": "Choose a month from the list",
        },
    )
    deadline = forms.DateField(
        label="Deadline",
        help_text="A working day. For example, 2025-03-28. Reminders go 3 working days before.",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the deadline",
            "invalid": "Enter the deadline as a date, for example 2025-03-28",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [
            (month.isoformat(), f"{month:%B %Y}") for month in _months_back(2)
        ]
        self.initial.setdefault("period", current_period().isoformat())
        self.initial.setdefault("deadline", add_working_days(today(), 5))


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="What does the update need?",
        help_text="The writer sees this comment with the update.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        error_messages={
            "required": "Say why the update is returned and what it needs",
            "max_length": "The comment must be 5,000 characters or fewer",
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class SignOffForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
