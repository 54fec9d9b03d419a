"""Forms validate what people type; the rules that decide what may be written live in services."""

from __future__ import annotations

from datetime import date

from django import forms
from django.conf import settings
from django.db.models import F, Q

from g2g.core.dates import current_period, today
from g2g.importers.safe_files import UnsafeFileError, check_evidence
from g2g.inspections.models import Finding
from g2g.measures.models import Measure, StakeholderOutcome

from .changes import one_month_before
from .models import Action, FocusArea, Objective, Post, Priority, Rating
from .services import EDITABLE_ACTION_FIELDS, UpdateContent, clean_file_name

RATING_CHOICES = [("", "Not rated")] + list(Rating.choices)


def recent_periods(count: int = 12) -> list[date]:
    """This month and the months before it, newest first: the months an update can be for."""
    period = current_period()
    months = []
    for _ in range(count):
        months.append(period)
        period = (period.replace(day=1) - date.resolution).replace(day=1)
    return months


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one file input (Django's documented recipe); checked in services."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ProgressUpdateForm(forms.Form):
    """A month's update. It carries the version of the update it was read at, so a save made
    after someone else's is refused rather than silently overwriting it."""

    period = forms.TypedChoiceField(
        label="Month this update is for",
        coerce=date.fromisoformat,
        empty_value=None,
        error_messages={
            "required": "Choose the month this update is for",
            "invalid_choice": "Choose a month from the list",
        },
    )
    narrative = forms.CharField(
        label="What progress has been made?",
        help_text="Say what was done this month, what difference it made, and any risks.",
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=10000,
        error_messages={
            "required": "Enter what progress has been made",
            "max_length": "Progress must be 10,000 characters or fewer",
        },
    )
    action_rating = forms.ChoiceField(
        label="Action rating",
        help_text="How the work is going against its plan. Blue means complete: it counts as "
        "Blue once an improvement lead has signed off the evidence.",
        choices=RATING_CHOICES,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose an action rating from the list"},
    )
    impact_rating = forms.ChoiceField(
        label="Impact rating",
        help_text="What difference it is making for children.",
        choices=RATING_CHOICES,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": "Choose an impact rating from the list"},
    )
    evidence_text = forms.CharField(
        label="Evidence",
        help_text="What shows the ratings are right: audits, figures, minutes, feedback. "
        "Needed to submit a Blue rating or a change of rating.",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=10000,
        required=False,
        error_messages={"max_length": "Evidence must be 10,000 characters or fewer"},
    )
    evidence_links = forms.CharField(
        label="Links to evidence (optional)",
        help_text="Web addresses of documents or pages, one on each line.",
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
        max_length=10000,
        required=False,
        error_messages={"max_length": "Links must be 10,000 characters or fewer in all"},
    )
    evidence_files = MultipleFileField(
        label="Attach evidence files (optional)",
        help_text="PDF, Word, Excel, PowerPoint, PNG, JPEG, text or CSV files.",
        required=False,
    )
    remove_files = forms.TypedMultipleChoiceField(
        label="Remove attached files",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose files attached to this update"},
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)

    def __init__(self, *args, attached=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [
            (month.isoformat(), f"{month:%B %Y}") for month in recent_periods()
        ]
        self.fields["remove_files"].choices = [(f.pk, f.name) for f in attached]
        if not attached:
            del self.fields["remove_files"]
        limit = settings.EVIDENCE_MAX_UPLOAD_BYTES / 1024 / 1024
        self.fields["evidence_files"].help_text += f" Each file {limit:.0f} MB or smaller."

    def clean_evidence_files(self) -> list:
        """Hostile content (zip bombs, XML attacks, macros, scripts in PDFs, pixel floods,
        files hidden inside others) is refused by `safe_files`, the rules every upload
        shares; which kinds may be attached, and how large, is checked by the service."""
        files = self.cleaned_data["evidence_files"]
        limit = settings.EVIDENCE_MAX_UPLOAD_BYTES
        problems = []
        for upload in files:
            if upload.size > limit:
                continue  # the service says it is too large
            data = upload.read(limit + 1)
            upload.seek(0)
            try:
                check_evidence(clean_file_name(upload.name), data)
            except UnsafeFileError as error:
                problems += [f"{problem.where} {problem.message}" for problem in error.problems]
        if problems:
            raise forms.ValidationError(problems)
        return files

    def content(self) -> UpdateContent:
        data = self.cleaned_data
        return UpdateContent(
            period=data["period"],
            narrative=data["narrative"],
            action_rating=data["action_rating"],
            impact_rating=data["impact_rating"],
            evidence_text=data["evidence_text"],
            evidence_links=tuple(data["evidence_links"].splitlines()),
        )


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = [*EDITABLE_ACTION_FIELDS, "leads", "focus_areas"]
        labels = {
            "text": "Full text",
            "timescale_text": "Timescale as written",
            "start": "Start date",
            "end": "End date",
            "ongoing": "Ongoing (no end date)",
            "evidence_of_success": "Evidence of success (how will we know?)",
            "children_will_say": "What our children will say",
        }
        help_texts = {
            "start": "For example, 2024-03-31",
            "end": "For example, 2024-03-31",
            "text": "Start a line with • to make a bullet point.",
        }
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}),
            "end": forms.DateInput(attrs={"type": "date"}),
            "leads": forms.CheckboxSelectMultiple,
            "focus_areas": forms.CheckboxSelectMultiple,
        }

    findings = forms.ModelMultipleChoiceField(
        label="Inspection recommendations this action answers",
        queryset=Finding.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The version the editor read: a save against an older one is refused (edit_action). The
    # page always sends it; a post without one (older scripts) is not checked.
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)
        plan = self.instance.plan
        self.fields["findings"].queryset = Finding.objects.in_authority(
            plan.authority
        ).select_related("inspection")
        self.fields["findings"].label_from_instance = lambda f: f"{f.reference}: {f.text}"
        if self.instance.pk:
            self.initial["findings"] = list(self.instance.findings.all())
        self.fields["objective"].queryset = Objective.objects.filter(
            priority=self.instance.priority
        )
        self.fields["leads"].queryset = Post.objects.in_authority(plan.authority)
        self.fields["focus_areas"].queryset = FocusArea.objects.filter(plan=plan)


class ActionFilterForm(forms.Form):
    """The action list's filters; choices come from the plan being viewed."""

    SORTS = [("ref", "Reference"), ("end", "End date")]
    YES = [("", "Any"), ("yes", "Yes")]

    priority = forms.ModelChoiceField(queryset=Priority.objects.none(), required=False)
    objective = forms.ModelChoiceField(queryset=Objective.objects.none(), required=False)
    focus_area = forms.ModelChoiceField(queryset=FocusArea.objects.none(), required=False)
    lead = forms.ModelChoiceField(queryset=Post.objects.none(), required=False)
    action_rating = forms.ChoiceField(
        choices=[("", "Any"), ("none", "Not rated"), *Rating.choices], required=False
    )
    impact_rating = forms.ChoiceField(
        choices=[("", "Any"), ("none", "Not rated"), *Rating.choices], required=False
    )
    overdue = forms.ChoiceField(choices=YES, required=False)
    no_update = forms.ChoiceField(label="No update this month", choices=YES, required=False)
    sort = forms.ChoiceField(choices=SORTS, required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = Priority.objects.filter(plan=plan)
        self.fields["objective"].queryset = Objective.objects.filter(priority__plan=plan)
        self.fields["focus_area"].queryset = FocusArea.objects.filter(plan=plan)
        self.fields["lead"].queryset = Post.objects.filter(actions__plan=plan).distinct()
        for name in ("priority", "objective", "focus_area", "lead"):
            self.fields[name].empty_label = "Any"

    def apply(self, actions):
        """Filter and sort by the valid choices; invalid ones are reported, not used."""
        if not self.is_bound:
            return actions.order_by("order")
        self.is_valid()  # reports invalid choices; cleaned_data keeps only the valid ones
        data = self.cleaned_data
        for name, lookup in (
            ("priority", "priority"),
            ("objective", "objective"),
            ("focus_area", "focus_areas"),
            ("lead", "leads"),
        ):
            if data.get(name):
                actions = actions.filter(**{lookup: data[name]})
        for name in ("action_rating", "impact_rating"):
            value = data.get(name)
            if value == "none":
                actions = actions.filter(Q(**{f"{name}__isnull": True}) | Q(**{name: ""}))
            elif value:
                actions = actions.filter(**{name: value})
        if data.get("overdue"):
            actions = actions.overdue()
        if data.get("no_update"):
            actions = actions.without_update()
        if data.get("sort") == "end":
            return actions.order_by(F("end").asc(nulls_last=True), "order")
        return actions.order_by("order")


DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %m %Y", "%d-%m-%Y"]
EARLIEST = date(2000, 1, 1)


class ChangesPeriodForm(forms.Form):
    """The dates to compare. The plan overview asks only for `since` (until is today)."""

    since = forms.DateField(
        label="Show changes since",
        help_text="For example, the date of the last board meeting: 2024-03-31 or 31/03/2024",
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": "Enter the date to show changes since",
            "invalid": "Enter the date to show changes since as a real date, like 31/03/2024",
        },
    )
    until = forms.DateField(
        label="Up to and including",
        help_text="Leave blank for today",
        required=False,
        input_formats=DATE_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "invalid": "Enter the date to show changes up to as a real date, like 30/04/2024",
        },
    )

    def __init__(self, *args, with_until: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_until:
            del self.fields["until"]

    def clean_since(self) -> date:
        since = self.cleaned_data["since"]
        if since < EARLIEST:
            raise forms.ValidationError("Enter a date on or after 1 January 2000")
        if since > today():
            raise forms.ValidationError("The date to show changes since must be today or earlier")
        return since

    def clean_until(self) -> date:
        until = self.cleaned_data.get("until") or today()
        if until > today():
            raise forms.ValidationError("The date to show changes up to must be today or earlier")
        return until

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until", today())
        if since and until and since > until and "until" in self.fields:
            self.add_error("until", "The date to show changes up to must be after the start date")
        cleaned.setdefault("until", today())
        return cleaned

    def period(self) -> tuple[date, date]:
        """The dates asked for, or the default: the last month up to today."""
        if self.is_bound and self.is_valid():
            return self.cleaned_data["since"], self.cleaned_data["until"]
        return one_month_before(today()), today()


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
    measures = forms.ModelMultipleChoiceField(
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
