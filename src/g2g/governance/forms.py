"""Forms validate what people type; the rules that decide what may be written live in services.
Every choice (posts, boards, priorities, actions, measures) comes from the page's authority."""

from __future__ import annotations

from django import forms

from g2g.core.forms import (
    DATE_HINT,
    GovukDateField,
    ModelIdsField,
    date_field_classes,
    number_field_classes,
)
from g2g.measures.models import Measure
from g2g.plans.models import Action, Post, Priority
from g2g.plans.tracked import TrackedItemForm
from g2g.tenancy.access import Access

from .models import Board, Meeting, MeetingAction, Obsession
from .services import BOARD_FIELDS, MEETING_ACTION_FIELDS, MEETING_FIELDS


def _posts(access: Access):
    return access.scope(Post.objects.all()).order_by("title")


class BoardForm(forms.ModelForm):
    class Meta:
        model = Board
        fields = list(BOARD_FIELDS)
        field_classes = number_field_classes(Board, BOARD_FIELDS)
        labels = {
            "name": "Name",
            "chair_post": "Chair (post)",
            "chair_text": "Chair, if not one of the posts",
            "frequency": "How often it meets",
            "reports_to": "Reports to",
            "purpose": "What it is for",
            "source": "Where it is described",
        }
        help_texts = {
            "chair_text": "For example, Cabinet Member for Children and Young People.",
            "frequency": "As written, for example Monthly or Every six weeks.",
            "source": "For example, the line of the plan that sets it up.",
        }
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "source": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {"name": {"required": "Enter the board's name"}}

    def __init__(self, *args, access: Access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair_post"].queryset = _posts(access)
        self.fields["chair_post"].empty_label = "None of these"
        boards = access.scope(Board.objects.all())
        if self.instance.pk:
            boards = boards.exclude(pk=self.instance.pk)
        self.fields["reports_to"].queryset = boards.order_by("name")
        self.fields["reports_to"].empty_label = "No other board"

    def validate_unique(self):
        """Uniqueness is the service's to check (with a message naming the board)."""


class PriorityReportsForm(forms.Form):
    """One field per priority of the authority's plans: how often it reports to the board,
    with a box to say whether it reports at all."""

    def __init__(self, *args, access: Access, board: Board, **kwargs):
        super().__init__(*args, **kwargs)
        self.priorities = list(
            access.scope(Priority.objects.all()).select_related("plan").order_by("plan", "number")
        )
        current = {report.priority_id: report for report in board.priority_reports.all()}
        for priority in self.priorities:
            report = current.get(priority.pk)
            self.fields[f"reports_{priority.pk}"] = forms.BooleanField(
                label=f"{priority} reports to this board", required=False, initial=bool(report)
            )
            self.fields[f"frequency_{priority.pk}"] = forms.CharField(
                label=f"How often priority {priority.number} reports",
                help_text="For example, Quarterly",
                max_length=100,
                required=False,
                initial=report.frequency if report else "",
            )

    def rows(self):
        for priority in self.priorities:
            yield priority, self[f"reports_{priority.pk}"], self[f"frequency_{priority.pk}"]

    def frequencies(self) -> dict[Priority, str | None]:
        data = self.cleaned_data
        return {
            priority: data[f"frequency_{priority.pk}"] if data[f"reports_{priority.pk}"] else None
            for priority in self.priorities
        }


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = list(MEETING_FIELDS)
        field_classes = date_field_classes("held_on")
        labels = {
            "held_on": "Date of the meeting",
            "attendees": "Who attended",
            "decisions": "Decisions",
        }
        help_texts = {
            "held_on": DATE_HINT,
            "attendees": "One person or post a line.",
            "decisions": "One decision a line.",
        }
        widgets = {
            "attendees": forms.Textarea(attrs={"rows": 5}),
            "decisions": forms.Textarea(attrs={"rows": 5}),
        }
        error_messages = {"held_on": {"required": "Enter the date of the meeting"}}


class MeetingActionForm(TrackedItemForm):
    class Meta:
        model = MeetingAction
        fields = list(MEETING_ACTION_FIELDS)
        field_classes = number_field_classes(
            MeetingAction, MEETING_ACTION_FIELDS
        ) | date_field_classes("due", "done_on")
        labels = {
            "description": "Action",
            "owner_post": "Owner (post)",
            "owner_text": "Owner, if not one of the posts",
            "due": "Due date",
            "done_on": "Date done",
        }
        help_texts = {
            "due": DATE_HINT,
            "done_on": "Leave empty until it is done.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "description": {"required": "Enter the action arising"},
        }


class ObsessionForm(forms.Form):
    title = forms.CharField(
        label="What the obsession is",
        max_length=200,
        error_messages={"required": "Enter what the obsession is"},
    )
    why = forms.CharField(label="Why now", widget=forms.Textarea(attrs={"rows": 3}), required=False)
    starts = GovukDateField(
        label="Starts",
        name="The start date",
        help_text=DATE_HINT,
        error_messages={"required": "Enter the date it starts"},
    )
    ends = GovukDateField(
        label="Ends",
        name="The end date",
        help_text="Leave empty for six weeks after it starts.",
        required=False,
    )
    actions = ModelIdsField(
        label="Actions to focus on",
        queryset=Action.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    measures = ModelIdsField(
        label="Measures to focus on",
        queryset=Measure.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, access: Access, obsession: Obsession | None = None, **kwargs):
        if obsession is not None and not kwargs.get("initial"):
            kwargs["initial"] = {
                "title": obsession.title,
                "why": obsession.why,
                "starts": obsession.starts,
                "ends": obsession.ends,
                "actions": list(obsession.actions.all()),
                "measures": list(obsession.measures.all()),
            }
        super().__init__(*args, **kwargs)
        self.fields["actions"].queryset = access.scope(Action.objects.open()).order_by(
            "plan", "order"
        )
        self.fields["actions"].label_from_instance = lambda action: f"{action.ref} {action.title}"
        self.fields["measures"].queryset = access.scope(Measure.objects.all()).order_by(
            "order", "name"
        )
        self.fields["measures"].label_from_instance = lambda measure: measure.name
