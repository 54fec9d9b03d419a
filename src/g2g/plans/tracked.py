"""Anything tracked to a due date and done: an action arising from a board meeting
(`governance`), a remedial action from an audit (`assurance`). Both share the model fields, the
status rule (`TrackedQuerySet.with_status`, worked out in one place, never stored), the owner
rule and the form, here, beside the posts that own them.
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, CharField, F, Q, Value, When

from g2g.core.dates import today
from g2g.core.querysets import AuthorityQuerySet
from g2g.tenancy.access import Access

from .models import Post


class TrackedStatus:
    """The status words of a tracked item, most urgent first."""

    OVERDUE = "overdue"
    DUE = "due"
    NO_DUE_DATE = "no_due_date"
    DONE_LATE = "done_late"
    DONE = "done"

    LABELS = {
        OVERDUE: "Overdue",
        DUE: "Due",
        NO_DUE_DATE: "No due date",
        DONE_LATE: "Done late",
        DONE: "Done",
    }


class TrackedQuerySet(AuthorityQuerySet):
    """Items with an owner, a `due` date and a `done_on` date."""

    def with_status(self, on: date) -> TrackedQuerySet:
        """Annotate `status`:

        - done: done on or before the due date (or done, with no due date);
        - done late: done after the due date;
        - overdue: not done and the due date is before `on`;
        - due: not done and the due date is `on` or later;
        - no due date: not done and no due date was set.
        """
        return self.annotate(
            status=Case(
                When(
                    Q(done_on__isnull=False, due__isnull=False, done_on__gt=F("due")),
                    then=Value(TrackedStatus.DONE_LATE),
                ),
                When(done_on__isnull=False, then=Value(TrackedStatus.DONE)),
                When(due__lt=on, then=Value(TrackedStatus.OVERDUE)),
                When(due__isnull=True, then=Value(TrackedStatus.NO_DUE_DATE)),
                default=Value(TrackedStatus.DUE),
                output_field=CharField(),
            )
        )

    def open(self) -> TrackedQuerySet:
        return self.filter(done_on__isnull=True)

    def overdue(self, on: date) -> TrackedQuerySet:
        return self.filter(done_on__isnull=True, due__lt=on)


class TrackedItem(models.Model):
    """Something to be done by an owner by a date, tracked to done: a meeting's action arising,
    an audit's remedial action (`TrackedQuerySet` gives their status)."""

    description = models.TextField()
    owner_text = models.CharField(max_length=200, blank=True)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def owner(self) -> str:
        return self.owner_post.title if self.owner_post else self.owner_text


def check_post(access: Access, post: Post | None, field: str) -> None:
    if post is not None and post.authority_id != access.authority.pk:
        raise ValidationError({field: "Choose a post from this authority"})


def check_tracked_item(access: Access, item, changes: dict, missing_description: str) -> None:
    """Rules shared by actions arising and audits' remedial actions."""
    check_post(access, changes.get("owner_post"), "owner_post")
    if "description" in changes and not changes["description"]:
        raise ValidationError({"description": missing_description})
    post = changes.get("owner_post", item.owner_post)
    text = changes.get("owner_text", item.owner_text)
    if post is None and not text:
        raise ValidationError({"owner_post": "Choose the post that owns it, or enter a name"})
    done_on = changes.get("done_on")
    if done_on is not None and done_on > today():
        raise ValidationError({"done_on": "The date it was done must be today or in the past"})


class TrackedItemForm(forms.ModelForm):
    """Shared by actions arising and remedial actions: the owner is a post or a name."""

    def __init__(self, *args, access: Access, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_post"].queryset = access.scope(Post.objects.all()).order_by("title")
        self.fields["owner_post"].empty_label = "None of these"
