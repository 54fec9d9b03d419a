"""Choosing a board pack: the month it reports on and, optionally, the date to read it as at."""

from __future__ import annotations

from datetime import date

from django import forms

from g2g.core.dates import current_period, parse_year_month, today


class PackForm(forms.Form):
    period = forms.CharField(
        label="Month the pack reports on",
        help_text="For example, 2026-10",
        max_length=7,
        required=False,
    )
    as_at = forms.DateField(
        label="Show the plan as it stood on (optional)",
        help_text="For example, 2026-03-14: what the board saw that day. Leave empty for now.",
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": "Enter the date like 2026-03-14 or 14/03/2026"},
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

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    class Meta:
        model = CouncilReport
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
            "meeting_date": "For example, 2026-12-16",
            "portfolio_holder": "For example, Councillor Jo Bloggs, Cabinet Member for Children "
            "and Young People",
        }
        widgets = {
            "meeting_date": forms.DateInput(attrs={"type": "date"}),
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
        self.fields["meeting_date"].input_formats = ["%Y-%m-%d", "%d/%m/%Y"]
        self.fields["meeting_date"].error_messages["invalid"] = (
            "Enter the date like 2026-12-16 or 16/12/2026"
        )
        if not self.is_bound and self.instance.pk:
            self.initial["version"] = self.instance.version
