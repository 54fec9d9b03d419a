"""Forms validate what people type; the rules that decide what may be written live in services."""

from __future__ import annotations

from datetime import date

from django import forms
from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q

from g2g.core.dates import today
from g2g.core.forms import (
    DATE_HINT,
    GovukDateField,
    ModelIdField,
    ModelIdsField,
    WholeNumberField,
    date_field_classes,
    number_field_classes,
)

from .changes import one_month_before
from .models import NOT_RATED, Action, FocusArea, Objective, Post, Priority, Rating
from .services import (
    EDITABLE_ACTION_FIELDS,
    OPTIONAL_UPDATE_FIELDS,
    UpdateContent,
    writable_periods,
)

RATING_CHOICES = [("", NOT_RATED.word)] + list(Rating.choices)


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
        help_text="Say what was done this month and what difference it made. Leave a blank "
        "line between paragraphs; start a line with - for a bullet point.",
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
    next_steps = forms.CharField(
        label="Next steps (optional)",
        help_text="What will be done next month, and by whom.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        error_messages={"max_length": "Next steps must be 2,000 characters or fewer"},
    )
    risks = forms.CharField(
        label="Risks and issues (optional)",
        help_text="Anything that could stop the action or its impact.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        error_messages={"max_length": "Risks and issues must be 2,000 characters or fewer"},
    )
    support_needed = forms.CharField(
        label="Support needed (optional)",
        help_text="What you need from the board or senior leaders. The board pack shows it.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        error_messages={"max_length": "Support needed must be 2,000 characters or fewer"},
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
    version = WholeNumberField(widget=forms.HiddenInput, initial=0)

    def __init__(self, *args, attached=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [
            (month.isoformat(), f"{month:%B %Y}") for month in writable_periods()
        ]
        self.fields["remove_files"].choices = [(f.pk, f.name) for f in attached]
        if not attached:
            del self.fields["remove_files"]
        limit = settings.EVIDENCE_MAX_UPLOAD_BYTES / 1024 / 1024
        self.fields["evidence_files"].help_text += f" Each file {limit:.0f} MB or smaller."

    def content(self) -> UpdateContent:
        data = self.cleaned_data
        return UpdateContent(
            period=data["period"],
            narrative=data["narrative"],
            action_rating=data["action_rating"],
            impact_rating=data["impact_rating"],
            evidence_text=data["evidence_text"],
            evidence_links=tuple(data["evidence_links"].splitlines()),
            **{field: data[field] for field in OPTIONAL_UPDATE_FIELDS},
        )


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = [*EDITABLE_ACTION_FIELDS, "leads", "focus_areas"]
        field_classes = number_field_classes(Action, fields) | date_field_classes("start", "end")
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
            "start": DATE_HINT,
            "end": DATE_HINT,
            "text": "Start a line with • to make a bullet point.",
        }
        widgets = {
            "leads": forms.CheckboxSelectMultiple,
            "focus_areas": forms.CheckboxSelectMultiple,
        }

    # Findings live in `inspections`, a layer above: reached through their relation to actions.
    findings = ModelIdsField(
        label="Inspection recommendations this action answers",
        queryset=Action.findings.rel.related_model.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Change control: needed when the end date moves (the rule is `services.edit_action`'s).
    change_reason = forms.CharField(
        label="Why is the end date moving? (only if you change it)",
        help_text="For example, the audit was put back to March by the board. It is kept in "
        "the action's change history.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
        error_messages={"max_length": "The reason must be 2,000 characters or fewer"},
    )
    change_agreed_by = forms.CharField(
        label="Who agreed to move it? (only if you change the end date)",
        help_text="A person and their role, or the board and the date it met.",
        max_length=200,
        required=False,
        error_messages={"max_length": "Who agreed it must be 200 characters or fewer"},
    )
    # The version the editor read: a save against an older one is refused (edit_action), and a
    # post without one is refused here (docs/security.md #19): it cannot say what it replaces.
    version = WholeNumberField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "This form is out of date or incomplete: open the action again, make "
            "your changes and save",
            "invalid": "This form is out of date or incomplete: open the action again, make "
            "your changes and save",
        },
    )

    field_order = [*EDITABLE_ACTION_FIELDS[: EDITABLE_ACTION_FIELDS.index("ongoing") + 1]]
    field_order += ["change_reason", "change_agreed_by"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("version", self.instance.version)
        plan = self.instance.plan
        self.fields["findings"].queryset = Action.findings.rel.related_model.objects.in_authority(
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

    def clean(self):
        # The version is a hidden field: its error goes at the top of the form.
        if "version" in self._errors:
            self.add_error(None, self._errors.pop("version"))
        return super().clean()


class ActionFilterForm(forms.Form):
    """The action list's filters; choices come from the plan being viewed."""

    SORTS = [("ref", "Reference"), ("end", "End date")]
    YES = [("", "Any"), ("yes", "Yes")]
    # Each "yes" filter and the `ActionQuerySet` method (over `with_status`) it applies.
    YES_FILTERS = [
        ("overdue", "overdue"),
        ("no_update", "without_update"),
        ("red", "rated_red"),
        ("slipped", "slipped_end"),
        ("awaiting_sign_off", "pending_sign_off"),
    ]

    priority = ModelIdField(queryset=Priority.objects.none(), required=False)
    objective = ModelIdField(queryset=Objective.objects.none(), required=False)
    focus_area = ModelIdField(queryset=FocusArea.objects.none(), required=False)
    lead = ModelIdField(queryset=Post.objects.none(), required=False)
    action_rating = forms.ChoiceField(
        choices=[("", "Any"), ("none", NOT_RATED.word), *Rating.choices], required=False
    )
    impact_rating = forms.ChoiceField(
        choices=[("", "Any"), ("none", NOT_RATED.word), *Rating.choices], required=False
    )
    overdue = forms.ChoiceField(choices=YES, required=False)
    no_update = forms.ChoiceField(label="No update this month", choices=YES, required=False)
    red = forms.ChoiceField(label="Rated Red (action or impact)", choices=YES, required=False)
    slipped = forms.ChoiceField(label="End date slipped", choices=YES, required=False)
    awaiting_sign_off = forms.ChoiceField(
        label="Awaiting sign-off (claimed complete)", choices=YES, required=False
    )
    sort = forms.ChoiceField(choices=SORTS, required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["priority"].queryset = Priority.objects.filter(plan=plan)
        self.fields["objective"].queryset = Objective.objects.filter(priority__plan=plan)
        self.fields["focus_area"].queryset = FocusArea.objects.filter(plan=plan)
        # The authority's posts that lead one of the plan's actions: EXISTS rather than a join
        # and DISTINCT, which PostgreSQL took five times as long to plan.
        leads = Action.leads.through.objects.filter(post=OuterRef("pk"), action__plan=plan)
        posts = Post.objects.filter(authority_id=plan.authority_id)
        self.fields["lead"].queryset = posts.filter(Exists(leads))
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
        for name, method in self.YES_FILTERS:
            if data.get(name):
                actions = getattr(actions, method)()
        if data.get("sort") == "end":
            return actions.order_by(F("end").asc(nulls_last=True), "order")
        return actions.order_by("order")


EARLIEST = date(2000, 1, 1)


class ChangesPeriodForm(forms.Form):
    """The dates to compare. The plan overview asks only for `since` (until is today)."""

    since = GovukDateField(
        label="Show changes since",
        name="The date to show changes since",
        help_text="For example, the date of the last board meeting: 31 3 2024",
        error_messages={
            "required": "Enter the date to show changes since",
        },
    )
    until = GovukDateField(
        label="Up to and including",
        name="The date to show changes up to",
        help_text="Leave blank for today",
        required=False,
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


class PlanApprovalForm(forms.Form):
    """The period a plan covers, given when it is approved (both optional)."""

    start = GovukDateField(
        label="The plan runs from",
        name="The start of the plan",
        required=False,
    )
    end = GovukDateField(
        label="to",
        name="The end of the plan",
        required=False,
    )
