"""Forms validate what people type; the rules that decide what may be written live in services."""

from __future__ import annotations

from django import forms

from g2g.core.forms import DATE_HINT, date_field_classes, number_field_classes
from g2g.plans.models import Post
from g2g.plans.tracked import TrackedItemForm
from g2g.tenancy.access import Access

from .models import Audit, Grade, RemedialAction
from .services import AUDIT_FIELDS, REMEDIAL_FIELDS

GRADE_FIELDS = tuple(Grade.values)
COUNT_ERRORS = {
    "invalid": "Enter a whole number",
    "min_value": "Enter a number of cases, 0 or more",
}


class AuditForm(forms.ModelForm):
    class Meta:
        model = Audit
        fields = list(AUDIT_FIELDS)
        field_classes = number_field_classes(Audit, AUDIT_FIELDS) | date_field_classes("held_on")
        labels = {
            "kind": "Kind of audit",
            "theme": "Theme",
            "held_on": "Date of the audit",
            "lead": "Lead (post)",
            "cases": "Number of cases audited",
            "outstanding": "Cases graded Outstanding",
            "good": "Cases graded Good",
            "requires_improvement": "Cases graded Requires improvement",
            "inadequate": "Cases graded Inadequate",
            "findings": "Findings",
        }
        help_texts = {
            "theme": "For example, Voice of the child.",
            "held_on": f"When the audit was completed. {DATE_HINT}",
            "cases": "Include cases looked at but not graded.",
            "findings": "What the audit found: strengths and what must improve.",
        }
        widgets = {
            "kind": forms.RadioSelect,
            "findings": forms.Textarea(attrs={"rows": 8}),
            **{
                name: forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": False})
                for name in ("cases", "outstanding", "good", "requires_improvement", "inadequate")
            },
        }
        error_messages = {
            "kind": {"required": "Choose the kind of audit"},
            "theme": {"required": "Enter the audit's theme"},
            "held_on": {"required": "Enter the date of the audit", "invalid": "Enter a real date"},
            "cases": {**COUNT_ERRORS, "required": "Enter how many cases were audited"},
            **{
                name: COUNT_ERRORS
                for name in ("outstanding", "good", "requires_improvement", "inadequate")
            },
        }

    def __init__(self, *args, access: Access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Audit.Kind.choices
        self.fields["lead"].queryset = access.scope(Post.objects.all()).order_by("title")
        self.fields["lead"].empty_label = "Not stated"
        for name in GRADE_FIELDS:
            self.fields[name].required = False

    def clean(self):
        """A grade left empty means no cases were given it."""
        data = super().clean()
        for name in GRADE_FIELDS:
            if data.get(name) is None and name not in self.errors:
                data[name] = 0
        return data


class RemedialActionForm(TrackedItemForm):
    class Meta:
        model = RemedialAction
        fields = list(REMEDIAL_FIELDS)
        field_classes = number_field_classes(RemedialAction, REMEDIAL_FIELDS) | date_field_classes(
            "due", "done_on"
        )
        labels = {
            "description": "Remedial action",
            "owner_post": "Owner (post)",
            "owner_text": "Owner, if not one of the posts",
            "due": "Due date",
            "done_on": "Date done",
        }
        help_texts = {"due": DATE_HINT, "done_on": "Leave empty until it is done."}
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "description": {"required": "Enter the remedial action"},
            "due": {"required": "Enter the date it is due", "invalid": "Enter a real date"},
            "done_on": {"invalid": "Enter a real date"},
        }


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(label="Kind", required=False)
    year = forms.TypedChoiceField(label="Year", coerce=int, empty_value=None, required=False)

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "Any"), *Audit.Kind.choices]
        self.fields["year"].choices = [("", "Any"), *((year, str(year)) for year in years)]

    def apply(self, audits):
        """Filter by the valid choices; invalid ones are reported, not used."""
        if not self.is_bound:
            return audits
        self.is_valid()
        data = self.cleaned_data
        if data.get("kind"):
            audits = audits.filter(kind=data["kind"])
        if data.get("year"):
            audits = audits.filter(held_on__year=data["year"])
        return audits
