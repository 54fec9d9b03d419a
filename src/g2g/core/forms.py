"""Helpers every app's forms share, and the form fields that read numbers and ids from a
request (through `core.numbers`, docs/security.md #22): every form uses these instead of
Django's IntegerField, ModelChoiceField and ModelMultipleChoiceField
(`tests/security/test_request_numbers.py` checks every form)."""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields import PositiveIntegerRelDbTypeMixin

from .numbers import MAX_ID, id_or_none, whole_number

DATE_HINT = "For example, 31 3 2025"


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where it names one of the form's
    fields, else at the top of the form."""
    if hasattr(error, "error_dict"):
        for field, field_errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


class WholeNumberField(forms.IntegerField):
    """A whole number of ASCII digits, from 0 up to `max_value` (at most the largest id)."""

    def __init__(self, *, max_value=MAX_ID, **kwargs):
        super().__init__(max_value=min(max_value, MAX_ID), **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        number = whole_number(value if isinstance(value, int) else str(value))
        if number is None:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number


def _by_id(field: forms.ModelChoiceField) -> bool:
    """Whether the field's choices are named by their ids (a foreign key's form field names
    the primary key's column as `to_field_name`)."""
    return field.to_field_name in (None, "pk", field.queryset.model._meta.pk.name)


class ModelIdField(forms.ModelChoiceField):
    """One object chosen by its id: an id that is not ASCII digits or is out of the database's
    range is not a choice (Django would look it up, or fail to)."""

    def to_python(self, value):
        if value in self.empty_values or isinstance(value, self.queryset.model):
            return super().to_python(value)
        if _by_id(self) and id_or_none(str(value)) is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": str(value)[:25]},
            )
        return super().to_python(value)


class ModelIdsField(forms.ModelMultipleChoiceField):
    """Objects chosen by their ids: an id that is not ASCII digits or is out of the database's
    range is a validation error, before any query (a 20-digit id overflowed SQLite's integers
    in Django's `pk__in` query: a 500)."""

    def _check_values(self, value):
        if _by_id(self):
            for pk in value if isinstance(value, list | tuple) else ():
                if isinstance(pk, self.queryset.model):
                    continue
                if id_or_none(str(pk)) is None:
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": str(pk)[:25]},
                    )
        return super()._check_values(value)


def number_field_classes(model: type[models.Model], names) -> dict[str, type[forms.Field]]:
    """`Meta.field_classes` for a ModelForm of `model` over the fields `names`: core's fields
    for its foreign keys, many-to-many fields and counts (positive integers), so a ModelForm
    parses ids and numbers as every other form does."""
    classes: dict[str, type[forms.Field]] = {}
    for name in names:
        field = model._meta.get_field(name)
        if field.many_to_many:
            classes[name] = ModelIdsField
        elif field.many_to_one or field.one_to_one:
            classes[name] = ModelIdField
        elif isinstance(field, PositiveIntegerRelDbTypeMixin) and not field.choices:
            classes[name] = WholeNumberField
    return classes


# ---------------------------------------------------------------------------------------------
# Dates: GOV.UK's date input pattern (day, month and year boxes)

DATE_PARTS = ("day", "month", "year")
_DIGITS = re.compile(r"[0-9]{1,4}")


class GovukDateInput(forms.MultiWidget):
    """GOV.UK's date input: a day, a month and a year box, named <name>_day, <name>_month and
    <name>_year (`includes/field.html` draws them). A date written as 2025-03-31 under the
    field's own name (a link's query, an API-like post) is read too."""

    def __init__(self, attrs=None):
        super().__init__({part: forms.TextInput for part in DATE_PARTS}, attrs)

    def decompress(self, value):
        if isinstance(value, str):
            try:
                value = date.fromisoformat(value)
            except ValueError:
                return [None, None, None]
        if isinstance(value, date):
            return [value.day, value.month, value.year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        parts = super().value_from_datadict(data, files, name)
        if not any(parts) and data.get(name):
            return data.get(name)
        return parts

    def value_omitted_from_data(self, data, files, name):
        return super().value_omitted_from_data(data, files, name) and name not in data


class GovukDateField(forms.DateField):
    """A date typed as day, month and year (GOV.UK's date input), with GOV.UK's error messages:
    what is missing ("Date of the meeting must include a month"), a year that is not 4 numbers,
    a date that is not real. `error_messages` may give "required", "incomplete" (with
    %(missing)s), "year" and "invalid"; %(name)s is the field's `name` (default: its label)."""

    widget = GovukDateInput
    default_error_messages = {
        "incomplete": "%(name)s must include a %(missing)s",
        "year": "Year must include 4 numbers",
        "invalid": "%(name)s must be a real date",
    }

    def __init__(self, *, name: str | None = None, **kwargs):
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d/%m/%Y"])
        super().__init__(**kwargs)
        self.name = name

    def _params(self, **more) -> dict:
        name = self.name or re.sub(r"\s*\(optional\)$", "", self.label or "") or "The date"
        return {"name": name[:1].upper() + name[1:], **more}

    def to_python(self, value):
        if not isinstance(value, list | tuple):
            try:
                return super().to_python(value)
            except ValidationError as error:
                raise ValidationError(
                    self.error_messages["invalid"], code="invalid", params=self._params()
                ) from error
        if len(value) != len(DATE_PARTS):
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params=self._params()
            )
        day, month, year = (str(part if part is not None else "").strip() for part in value)
        if not (day or month or year):
            return None
        given = zip(DATE_PARTS, (day, month, year), strict=True)
        missing = [part for part, text in given if not text]
        if missing:
            raise ValidationError(
                self.error_messages["incomplete"],
                code="incomplete",
                params=self._params(missing=" and ".join(missing)),
            )
        if not all(_DIGITS.fullmatch(text) for text in (day, month, year)):
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params=self._params()
            )
        if len(year) != 4:
            raise ValidationError(self.error_messages["year"], code="year", params=self._params())
        try:
            return date(int(year), int(month), int(day))
        except ValueError as error:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params=self._params()
            ) from error

    def validate(self, value):
        if value in self.empty_values and self.required:
            raise ValidationError(
                self.error_messages["required"], code="required", params=self._params()
            )


def date_parts(bound_field) -> list[dict]:
    """The day, month and year boxes of a bound GovukDateField, for `includes/field.html`: each
    one's name, id, label, value, width and whether it shows the error (GOV.UK: only the boxes
    that are missing, else all three)."""
    value = bound_field.value()
    widget = bound_field.field.widget
    texts = value if isinstance(value, list | tuple) else widget.decompress(value)
    if len(texts) != len(DATE_PARTS):
        texts = [None] * len(DATE_PARTS)
    texts = ["" if text is None else str(text).strip() for text in texts]
    has_errors = bool(bound_field.errors)
    codes = {error.code for error in bound_field.form.errors.as_data().get(bound_field.name, [])}
    missing = [not text for text in texts]
    if "year" in codes:  # only the year is wrong
        missing, some_missing = [False, False, True], True
    else:
        some_missing = any(missing) and not all(missing)
    base = bound_field.auto_id
    return [
        {
            "name": f"{bound_field.html_name}_{part}",
            "id": base if part == "day" else f"{base}-{part}",
            "label": part.capitalize(),
            "value": text,
            "width": 4 if part == "year" else 2,
            "error": has_errors and (missing[index] if some_missing else True),
        }
        for index, (part, text) in enumerate(zip(DATE_PARTS, texts, strict=True))
    ]


def date_field_classes(*names: str) -> dict[str, type]:
    """A ModelForm's Meta.field_classes for its date fields: GOV.UK's date input."""
    return dict.fromkeys(names, GovukDateField)
