"""Upload forms: the checks that need no parser (size, name, and `safe_files`' look at the
bytes), so a hostile or unreadable file is refused on the upload page and never stored as a
pending upload; the reader checks the content on the preview."""

from django import forms

from g2g.core.dates import parse_year_month
from g2g.measures.values_reader import MAX_VALUES_BYTES

from .safe_files import UnsafeFileError, check_upload

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class UploadForm(forms.Form):
    """A file of one of `kinds` (safe_files.KINDS), at most `max_bytes`; `what` it should be
    and `advice` on the kinds accepted are for the messages."""

    kinds: tuple[str, ...] = ("docx", "xlsx", "csv", "text", "json", "pdf")
    max_bytes = MAX_UPLOAD_BYTES
    what = "a plan"
    advice = ""

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
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                f"The file must be smaller than {self.max_bytes // 1024 // 1024} MB"
            )
        data = upload.read(self.max_bytes + 1)
        upload.seek(0)
        try:
            kind = check_upload(upload.name, data, max_bytes=self.max_bytes, what=self.what)
        except UnsafeFileError as error:
            (problem,) = error.problems
            raise forms.ValidationError(f"{problem.where} {problem.message}") from error
        if kind not in self.kinds:
            raise forms.ValidationError(f"{upload.name} is not {self.what}: {self.advice}")
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
    kinds = ("pdf", "text")
    what = "an inspection report"
    advice = "upload the report as a PDF, or its text as a .txt file"

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

    kinds = ("csv", "xlsx")
    max_bytes = MAX_VALUES_BYTES
    what = "a file of measure values"
    advice = "save the values as .csv or .xlsx"
