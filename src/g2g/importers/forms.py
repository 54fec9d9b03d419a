"""Upload forms: checks that need no parser (size, name); the reader checks the content."""

from django import forms

from g2g.core.dates import parse_year_month

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        error_messages={
            "required": "Choose a file to upload",
            "empty": "The file you chose is empty",
            "invalid": "The file could not be uploaded; try again",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file must be smaller than 20 MB")
        return upload


class PlanUploadForm(UploadForm):
    progress_period = forms.CharField(
        label="Month the progress column was written (optional)",
        help_text="For example, 2019-08. Needed only when the Progress column has no date.",
        required=False,
        max_length=7,
    )

    def clean_progress_period(self) -> str:
        text = self.cleaned_data["progress_period"].strip()
        if text:
            try:
                parse_year_month(text)
            except ValueError as error:
                raise forms.ValidationError(
                    "Enter the month as year and month, for example 2019-08"
                ) from error
        return text


class InspectionUploadForm(UploadForm):
    focused_visit = forms.BooleanField(
        label="This is a council report of a focused visit, listing its strengths and areas for "
        "development",
        required=False,
    )
    code = forms.CharField(
        label="How the plan cites this inspection (optional)",
        help_text="For example ILAC or FV1. Actions citing it are linked to its recommendations.",
        required=False,
        max_length=20,
    )


class ValuesUploadForm(UploadForm):
    """A CSV or Excel file of monthly measure values, long or wide (docs/measures.md)."""
