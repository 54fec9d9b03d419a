"""Annex A forms: the upload (checks that need no parser) and the retention choice."""

from django import forms

from g2g.core.forms import GovukDateField, WholeNumberField
from g2g.core.safe_files import MAX_UPLOAD_BYTES, MB

from .models import MAX_KEEP_DAYS


class ReturnUploadForm(forms.Form):
    file = forms.FileField(
        label="Annex A workbook (.xlsx)",
        help_text="One sheet per list, named 'List 1' to 'List 11', with the column headers in "
        "the first row.",
        error_messages={
            "required": "Choose the Annex A workbook to upload",
            "empty": "The file you chose is empty",
            "invalid": "The file could not be uploaded; try again",
        },
    )
    snapshot_date = GovukDateField(
        label="Date the data were extracted (optional)",
        name="The date the data were extracted",
        help_text="For example, 31 3 2025. Left blank, it is the latest contact or referral "
        "date in the file.",
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file must be smaller than {MAX_UPLOAD_BYTES // MB} MB"
            )
        return upload


class RetentionForm(forms.Form):
    keep_files = forms.BooleanField(
        label="Keep uploaded Annex A files, encrypted, for a set number of days",
        help_text="Off by default: each file is checked and then discarded, and only the "
        "figures and data-quality counts are kept.",
        required=False,
    )
    keep_days = WholeNumberField(
        label="Days to keep each file",
        min_value=1,
        max_value=MAX_KEEP_DAYS,
        help_text=f"From 1 to {MAX_KEEP_DAYS}.",
        error_messages={
            "required": "Enter the number of days to keep each file",
            "invalid": "Enter the number of days as a whole number",
            "min_value": "Keep each file for at least 1 day",
            "max_value": f"Keep each file for at most {MAX_KEEP_DAYS} days",
        },
    )
