"""Upload forms: the checks that need no parser (size, name, and `safe_files`' look at the
bytes), so a hostile or unreadable file is refused on the upload page and never stored as a
pending upload; the reader checks the content on the preview."""

from django import forms

from g2g.core.dates import parse_year_month
from g2g.core.safe_files import MAX_UPLOAD_BYTES, UnsafeFileError, check_upload
from g2g.measures.values_reader import MAX_VALUES_BYTES


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


class ColumnMappingForm(forms.Form):
    """What each column of the plan's tables holds: one choice per heading, as read or as the
    improvement lead corrects it. `columns` are the draft's (`PlanDraft.columns`); each heading
    travels in a hidden field beside its choice, so the mapping is keyed by the heading."""

    def __init__(self, columns, fields: dict[str, str], *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(key, label) for key, label in fields.items()]
        choices.append(("", "Not read: leave this column out"))
        for number, column in enumerate(columns):
            self.fields[f"header_{number}"] = forms.CharField(
                widget=forms.HiddenInput, initial=column.header, max_length=500
            )
            self.fields[f"column_{number}"] = forms.ChoiceField(
                label=f"Column ‘{column.header}’",
                choices=choices,
                initial=column.key,
                required=False,
                help_text=_sentence(column.where.split(", ", 1)[-1]) if column.where else "",
            )

    def mapping(self) -> dict[str, str]:
        """Heading to field, from the choices made (call after `is_valid`)."""
        data = self.cleaned_data
        count = sum(1 for name in data if name.startswith("column_"))
        return {data[f"header_{n}"]: data[f"column_{n}"] for n in range(count)}

    def choice_fields(self):
        return [self[name] for name in self.fields if name.startswith("column_")]

    def hidden_fields(self):
        return [self[name] for name in self.fields if name.startswith("header_")]


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]
