"""Forms validate what people type; what may be written is decided in services."""

from __future__ import annotations

import re

from django import forms

from g2g.core.forms import ModelIdsField

from .models import Measure, StakeholderOutcome
from .rating import Milestone, parse_milestones
from .values_reader import parse_month


class MeasureForm(forms.ModelForm):
    targets = forms.CharField(
        label="Targets",
        help_text="Each target as the plan says it, separated by commas or new lines: "
        "55% by October 2019, 70% by June 2020. The trajectory runs between them.",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    class Meta:
        model = Measure
        fields = [
            "name",
            "code",
            "unit",
            "polarity",
            "indicator",
            "data_source",
            "frequency",
            "definition",
            "rationale",
            "within_control",
        ]
        labels = {
            "indicator": "Standard indicator it tracks",
            "polarity": "Which way is better",
            "rationale": "Why it was chosen",
        }
        help_texts = {
            "indicator": "Its published figures (DfE) become the measure's comparators, and Annex "
            "A calculations find it. Naming one takes its unit and which way is better, unless "
            "you change those too.",
            "within_control": "Whether the council alone can move it.",
        }
        error_messages = {"name": {"required": "Enter the measure's name"}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["targets"] = ", ".join(str(m) for m in self.instance.milestones.all())
        self.fields["indicator"].choices = [("", "None")] + list(self.fields["indicator"].choices)[
            1:
        ]
        within = self.fields["within_control"]
        within.widget = forms.Select(choices=[("", "Not known"), ("true", "Yes"), ("false", "No")])

    def clean_targets(self) -> list[Milestone]:
        """Every piece must read as one target, so a typing mistake is not silently dropped."""
        text = self.cleaned_data["targets"]
        milestones = []
        for piece in filter(None, (p.strip() for p in re.split(r"[,;\n]+", text))):
            found = parse_milestones(piece)
            if len(found) != 1:
                raise forms.ValidationError(
                    f"“{piece}” is not a target: write it like “70% by June 2020”"
                )
            milestones += found
        return milestones


class ValueForm(forms.Form):
    period = forms.CharField(
        label="Month",
        help_text="For example, 2025-09 or Sep 2025",
        max_length=30,
        error_messages={"required": "Enter the month the value is for"},
    )
    value = forms.DecimalField(
        label="Value",
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": False}),
        error_messages={
            "required": "Enter the value",
            "invalid": "Enter the value as a number, like 85.3",
            "max_digits": "Enter a value with no more than 10 digits before the point",
            "max_decimal_places": "Enter a value with no more than 2 decimal places",
        },
    )
    numerator = forms.DecimalField(
        label="Numerator (optional)",
        help_text="How many met the measure: 128 of 150",
        required=False,
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": False}),
        error_messages={"invalid": "Enter the numerator as a number"},
    )
    denominator = forms.DecimalField(
        label="Denominator (optional)",
        required=False,
        max_digits=12,
        decimal_places=2,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": False}),
        error_messages={"invalid": "Enter the denominator as a number"},
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_period(self):
        month = parse_month(self.cleaned_data["period"])
        if month is None:
            raise forms.ValidationError("Enter the month like 2025-09 or Sep 2025")
        return month


class StakeholderOutcomeForm(forms.Form):
    group = forms.ChoiceField(
        label="Who is it about?",
        choices=StakeholderOutcome.Group.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who the statement is about"},
    )
    statement = forms.CharField(
        label="What does making a difference look like for them?",
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "Enter what making a difference looks like"},
    )
    measures = ModelIdsField(
        label="Measures that evidence it",
        help_text="Select all that apply",
        queryset=Measure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose measures from the list"},
    )

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measures"].queryset = measures
