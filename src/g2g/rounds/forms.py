"""Forms for the round pages; the rules for opening and signing off live in the services."""

from __future__ import annotations

from datetime import date

from django import forms

from g2g.core.dates import add_months, add_working_days, current_period, today
from g2g.core.forms import GovukDateField, WholeNumberField


def _months_back(count: int) -> list[date]:
    return [add_months(current_period(), -back) for back in range(count)]


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
    deadline = GovukDateField(
        label="Deadline",
        help_text="A working day. For example, 28 3 2025. Reminders go 3 working days before.",
        error_messages={
            "required": "Enter the deadline",
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
    version = WholeNumberField(widget=forms.HiddenInput)


class SignOffForm(forms.Form):
    version = WholeNumberField(widget=forms.HiddenInput)
