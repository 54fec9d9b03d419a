"""Forms for 2-step verification: a code from the app, a backup code, or either."""

from django import forms
from django.core.exceptions import ValidationError

from .two_factor import APP_CODE, BACKUP_CODE, normalise


def _code_input(numeric: bool) -> forms.TextInput:
    attrs = {"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": False}
    if numeric:
        attrs["inputmode"] = "numeric"
    return forms.TextInput(attrs=attrs)


class AppCodeForm(forms.Form):
    code = forms.CharField(
        label="Security code",
        help_text="The 6 digit code your authenticator app shows for Getting to Good",
        max_length=20,
        error_messages={"required": "Enter the 6 digit security code from your app"},
        widget=_code_input(numeric=True),
    )

    def clean_code(self) -> str:
        code = normalise(self.cleaned_data["code"])
        if not APP_CODE.fullmatch(code):
            raise ValidationError("The security code must be 6 digits, like 123456")
        return code


class BackupCodeForm(forms.Form):
    code = forms.CharField(
        label="Backup code",
        help_text="One of the backup codes you saved when you set up 2-step verification. "
        "Each code works once.",
        max_length=40,
        error_messages={"required": "Enter one of your backup codes"},
        widget=_code_input(numeric=False),
    )

    def clean_code(self) -> str:
        code = normalise(self.cleaned_data["code"])
        if not BACKUP_CODE.fullmatch(code):
            raise ValidationError("A backup code has 8 letters and numbers, like abcd2efg")
        return code


class AnyCodeForm(forms.Form):
    """Confirms a change to 2-step verification: a code from the app or a backup code."""

    code = forms.CharField(
        label="Security code or backup code",
        help_text="The 6 digit code your authenticator app shows now, or one of your backup codes",
        max_length=40,
        error_messages={"required": "Enter the security code from your app or a backup code"},
        widget=_code_input(numeric=False),
    )

    def clean_code(self) -> str:
        code = normalise(self.cleaned_data["code"])
        if not (APP_CODE.fullmatch(code) or BACKUP_CODE.fullmatch(code)):
            raise ValidationError(
                "Enter the 6 digit code from your app, or a backup code of 8 letters and numbers"
            )
        return code
