"""Choosing a board pack: the month it reports on and, optionally, the date to read it as at."""

from __future__ import annotations

from datetime import date

from django import forms

from g2g.core.dates import current_period, parse_year_month, today
from g2g.core.forms import (
    DATE_HINT,
    GovukDateField,
    ModelIdField,
    WholeNumberField,
    date_field_classes,
)


class PackForm(forms.Form):
    period = forms.CharField(
        label="Month the pack reports on",
        help_text="For example, 2026-10",
        max_length=7,
        required=False,
    )
    as_at = GovukDateField(
        label="Show the plan as it stood on (optional)",
        name="The date to show the plan on",
        help_text="For example, 14 3 2026: what the board saw that day. Leave empty for now.",
        required=False,
    )

    def clean_period(self) -> date:
        text = self.cleaned_data["period"].strip()
        if not text:
            return current_period()
        try:
            period = parse_year_month(text)
        except ValueError as error:
            raise forms.ValidationError("Enter the month like 2026-10") from error
        if period > current_period():
            raise forms.ValidationError("The month cannot be in the future")
        return period

    def clean_as_at(self) -> date | None:
        day = self.cleaned_data["as_at"]
        if day and day > today():
            raise forms.ValidationError("The date cannot be in the future")
        return day


class PackSummaryForm(forms.Form):
    """The pack's summary for a month: `version` is the one the editor started from (0: the
    draft from the data), so a later save by someone else is not overwritten."""

    period = forms.CharField(widget=forms.HiddenInput, max_length=7, required=False)
    version = WholeNumberField(widget=forms.HiddenInput, min_value=0)
    text = forms.CharField(
        label="Summary",
        help_text="Leave a blank line between paragraphs. Board members read this first.",
        widget=forms.Textarea(attrs={"rows": 18}),
        strip=True,
        error_messages={"required": "Enter the summary"},
    )

    clean_period = PackForm.clean_period


class AttachPackForm(forms.Form):
    """Which saved pack goes to the meeting's papers."""

    saved_pack = ModelIdField(
        queryset=None,
        label="Saved pack",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": "Choose the saved pack to attach",
            "invalid_choice": "Choose one of the saved packs listed",
        },
    )

    def __init__(self, *args, packs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["saved_pack"].queryset = packs
        self.fields["saved_pack"].label_from_instance = lambda pack: (
            f"{pack.title}, as at {pack.as_at:%-d %B %Y %H:%M}"
        )


# ---------------------------------------------------------------------------------------------
# Council reports

from g2g.reports.models import CouncilReport  # noqa: E402

SECTION_HINT = (
    "Leave a blank line between paragraphs. Start a line with “- ” for a bullet point. A line "
    "on its own ending with a colon becomes a sub-heading."
)


class CouncilReportForm(forms.ModelForm):
    """The cover details and every section of a council report; `version` is the one the
    editor started from, so a later save by someone else is not overwritten."""

    version = WholeNumberField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = CouncilReport
        field_classes = date_field_classes("meeting_date")
        fields = [
            "meeting",
            "meeting_date",
            "title",
            "portfolio_holder",
            "officer_contact",
            "report_author",
            "purpose",
            "executive_summary",
            "recommendations",
            "progress",
            "inspection_findings",
            "measures",
            "next_steps",
            "conclusion",
        ]
        labels = {
            "meeting": "Report to",
            "meeting_date": "Date of the meeting (optional)",
            "title": "Title",
            "portfolio_holder": "Portfolio holder (optional)",
            "officer_contact": "Officer contact (optional)",
            "report_author": "Report author (optional)",
            "purpose": "Purpose of the report",
            "executive_summary": "Executive summary",
            "recommendations": "Recommendations",
            "progress": "Progress against the improvement plan",
            "inspection_findings": "Inspection findings",
            "measures": "Measures",
            "next_steps": "Next steps",
            "conclusion": "Conclusion (optional)",
        }
        help_texts = {
            "meeting": "For example, Council or Children's Scrutiny Committee",
            "meeting_date": DATE_HINT,
            "portfolio_holder": "For example, Councillor Jo Bloggs, Cabinet Member for Children "
            "and Young People",
        }
        widgets = {
            **{
                name: forms.Textarea(attrs={"rows": rows})
                for name, rows in {
                    "purpose": 4,
                    "executive_summary": 8,
                    "recommendations": 3,
                    "progress": 16,
                    "inspection_findings": 14,
                    "measures": 12,
                    "next_steps": 8,
                    "conclusion": 5,
                }.items()
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("progress", "inspection_findings", "measures", "next_steps"):
            self.fields[name].help_text = SECTION_HINT
        if not self.is_bound and self.instance.pk:
            self.initial["version"] = self.instance.version
