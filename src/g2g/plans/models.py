"""Improvement plans: plan → priority → objective → action, with monthly progress updates.

Derived states (current ratings, overdue, no update this period, slipped) are computed in one place,
`querysets.ActionQuerySet.with_status`, never stored.
"""

import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from g2g.core.dates import today
from g2g.tenancy.access import AuthorityQuerySet, via
from g2g.tenancy.models import Authority

from .querysets import ActionQuerySet, PlanQuerySet, ProgressUpdateQuerySet


class Rating(models.TextChoices):
    """BRAG, in order from best to worst. Always shown with its word, never colour alone."""

    BLUE = "blue", "Blue"
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


# Tameside's key is the default text when a plan brings none of its own.
DEFAULT_RATING_DEFINITIONS = {
    Rating.BLUE: (
        "Completed and impact evidenced, target achieved and this is likely to be sustained.",
        "Completed and impact evidenced, target achieved and this is likely to be sustained.",
    ),
    Rating.GREEN: (
        "Tasks are progressing as expected and deemed to be on target.",
        "Impact of outcomes can be demonstrably measured.",
    ),
    Rating.AMBER: (
        "Tasks are not fully on track but plans are in place to ensure progress by identifiable "
        "timescale.",
        "Impact can start to be measured but is yet to be demonstrable.",
    ),
    Rating.RED: (
        "Tasks not been completed or timescales slipped and need attention.",
        "Impact should start to be seen and measured, but is not met.",
    ),
}


class Plan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="plans")
    title = models.CharField(max_length=300)
    period = models.CharField(max_length=50, blank=True, help_text="As written, e.g. 2019-21")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class RatingDefinition(models.Model):
    """The plan's own words for what each rating means, for actions and for impact."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="rating_definitions")
    rating = models.CharField(max_length=10, choices=Rating.choices)
    action_definition = models.TextField()
    impact_definition = models.TextField()
    history = HistoricalRecords()

    objects = via("plan__authority").as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "rating"], name="one_definition_per_rating")
        ]

    def __str__(self) -> str:
        return f"{self.get_rating_display()} ({self.plan})"


class Post(models.Model):
    """A lead role such as "AD Children's Social Care"; people hold it over time."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="posts")
    title = models.CharField(max_length=200)
    history = HistoricalRecords()

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "title"], name="unique_post_title")
        ]

    def __str__(self) -> str:
        return self.title


class PostHolder(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="holders")
    name = models.CharField(max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts_held",
    )
    since = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    objects = via("post__authority").as_manager()

    class Meta:
        ordering = ["post__title", "-since"]

    def __str__(self) -> str:
        return f"{self.name} ({self.post})"


class Priority(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priorities")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    sponsor = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    objects = via("plan__authority").as_manager()

    class Meta:
        ordering = ["plan", "number"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_priority_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Objective(models.Model):
    """The heading that groups actions within a priority ("Front Door / MASH")."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(max_length=500)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    objects = via("priority__plan__authority").as_manager()

    class Meta:
        ordering = ["priority", "order"]

    def __str__(self) -> str:
        return self.title


class FocusArea(models.Model):
    """A cross-cutting tag on actions (Tameside FA1–FA13) and the judgement area it serves."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="focus_areas")
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=300)
    judgement_area = models.CharField(max_length=300, blank=True)
    history = HistoricalRecords()

    objects = via("plan__authority").as_manager()

    class Meta:
        ordering = ["plan", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="unique_focus_area_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"


class Action(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="actions")
    objective = models.ForeignKey(
        Objective, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    ref = models.CharField(max_length=20)
    order = models.PositiveIntegerField(default=0)
    title = models.CharField(max_length=300)
    text = models.TextField(help_text="Full text; bullet lines start with •")
    leads = models.ManyToManyField(Post, blank=True, related_name="actions")
    timescale_text = models.CharField(max_length=200, blank=True)
    start = models.DateField(null=True, blank=True)
    end = models.DateField(null=True, blank=True)
    ongoing = models.BooleanField(default=False)
    recurring = models.BooleanField(default=False)
    evidence_of_success = models.TextField(blank=True)
    children_will_say = models.TextField(blank=True)
    sources = models.JSONField(
        default=list, blank=True, help_text="Recommendation codes it answers: ILAC, FV1 …"
    )
    focus_areas = models.ManyToManyField(FocusArea, blank=True, related_name="actions")
    closed_on = models.DateField(
        null=True, blank=True, help_text="Set when a re-imported plan no longer has this action"
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Guards against lost edits: each edit checks the version it read"
    )
    history = HistoricalRecords(m2m_fields=[leads, focus_areas])

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "ref"], name="unique_action_ref")]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    def is_led_by(self, user) -> bool:
        """Whether the user currently holds one of this action's lead posts."""
        on = today()
        return (
            PostHolder.objects.filter(post__actions=self, user=user)
            .exclude(since__gt=on)
            .exclude(until__lt=on)
            .exists()
        )


class ProgressUpdate(models.Model):
    """One month's progress on an action, moving through the monthly round's workflow.

    The workflow services in `plans.services` set `status` on every write. Updates made any
    other way (a plan import) are records of what a signed document already said, so the
    default is "signed off". `version` guards against lost updates: every write through the
    services checks the version the writer read and adds one.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned"
        SIGNED_OFF = "signed_off", "Signed off"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    period = models.DateField(help_text="First day of the month the update is for")
    narrative = models.TextField()
    action_rating = models.CharField(max_length=10, choices=Rating.choices, blank=True)
    impact_rating = models.CharField(max_length=10, choices=Rating.choices, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.SIGNED_OFF, db_index=True
    )
    evidence_text = models.TextField(
        blank=True, help_text="What shows the rating is right; needed for Blue or a change"
    )
    evidence_links = models.JSONField(default=list, blank=True, help_text="Web addresses")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(
        null=True, blank=True, help_text="First submitted; lateness is judged by this"
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    return_comment = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-period", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["action", "period"], name="one_update_per_month")
        ]

    def __str__(self) -> str:
        return f"{self.action.ref} {self.period:%B %Y}"

    @property
    def claims_blue(self) -> bool:
        return Rating.BLUE in (self.action_rating, self.impact_rating)

    @property
    def awaiting_sign_off(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_editable(self) -> bool:
        """A signed-off update is the record; everything before that can still change."""
        return self.status != self.Status.SIGNED_OFF


def _evidence_path(instance: "EvidenceFile", filename: str) -> str:
    """A random name under the authority's folder: the uploaded name is never a path."""
    return f"evidence/{instance.authority_id}/{uuid.uuid4().hex}"


class EvidenceFile(models.Model):
    """A file attached to a progress update as evidence. Stored under MEDIA_ROOT with a random
    name and served only through an authority page (there is no public URL)."""

    update = models.ForeignKey(
        ProgressUpdate, on_delete=models.CASCADE, related_name="evidence_files"
    )
    name = models.CharField(max_length=200, help_text="The name it was uploaded with, cleaned")
    kind = models.CharField(max_length=10, help_text="Checked from the content: pdf, docx …")
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=_evidence_path, max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = via("update__action__plan__authority").as_manager()

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def authority_id(self) -> int:
        return self.update.action.plan.authority_id
