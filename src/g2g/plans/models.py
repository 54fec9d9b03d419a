"""Improvement plans: plan → priority → objective → action, with monthly progress updates.

Derived states (current ratings, overdue, no update this period, slipped) are computed in one place,
`querysets.ActionQuerySet.with_status`, never stored.
"""

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from g2g.core.dates import today
from g2g.core.querysets import AuthorityQuerySet, via
from g2g.tenancy.models import Authority

from .querysets import (
    ActionQuerySet,
    PlanQuerySet,
    ProgressUpdateQuerySet,
    claims_blue,
    counts,
    gives_ratings,
    holding_posts,
)


class Rating(models.TextChoices):
    """BRAG, in order from best to worst. Always shown with its word, never colour alone."""

    BLUE = "blue", "Blue"
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


@dataclass(frozen=True)
class RatingLook:
    """How a rating is shown: its word, the GOV.UK tag colour behind the word on pages and the
    light fill behind it in Word and Excel (the word carries the meaning; colour helps scanning)."""

    key: str  # as stored: "blue" … "red", or "" for not rated
    word: str
    tag_colour: str  # a GOV.UK tag modifier: govuk-tag--<tag_colour>
    fill: str  # RGB hex without "#", "" for none


# The one rating vocabulary: key → word → colour. Pages (includes/rating_tag.html, through the
# `rating_look` filter), the Word and Excel exports and the API read it, so a colour or a word is
# changed here and nowhere else. Words are the `Rating` labels; Amber uses GOV.UK's yellow tag.
RATING_LOOKS = {
    rating: RatingLook(rating.value, rating.label, tag_colour, fill)
    for rating, tag_colour, fill in [
        (Rating.BLUE, "blue", "BDD7EE"),
        (Rating.GREEN, "green", "C6EFCE"),
        (Rating.AMBER, "yellow", "FFEB9C"),
        (Rating.RED, "red", "FFC7CE"),
    ]
}
NOT_RATED = RatingLook("", "Not rated", "grey", "")


def rating_look(key: str | None) -> RatingLook:
    """How the rating stored as `key` is shown; "Not rated" for none (or an unknown key)."""
    return RATING_LOOKS.get(key or "", NOT_RATED)


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
    start = models.DateField("start of the plan's period", null=True, blank=True)
    end = models.DateField("end of the plan's period", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who approved the plan (made it the active one)",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    synthetic_note = models.CharField(
        "synthetic (demo) content",
        max_length=300,
        blank=True,
        help_text="Set only by the demo: what of this plan was made up for the demonstration "
        "rather than taken from the council's documents (blank: none of it)",
    )
    history = HistoricalRecords()

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # An authority works to one plan at a time; drafts and closed plans are any number.
            models.UniqueConstraint(
                fields=["authority"],
                condition=models.Q(status="active"),
                name="one_active_plan_per_authority",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_closed(self) -> bool:
        """A closed plan is the record: it is read, never written to."""
        return self.status == self.Status.CLOSED

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


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


class ChangeAgreement(models.Model):
    """What a history row of an action records about the change itself, beside its reason
    (`history_change_reason`): who agreed it. Set by `services.edit_action` when an end date
    moves."""

    change_agreed_by = models.CharField("agreed by", max_length=200, blank=True)

    class Meta:
        abstract = True


class Action(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="actions")
    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="actions")
    objective = models.ForeignKey(
        Objective, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions"
    )
    ref = models.CharField("reference", max_length=20)
    order = models.PositiveIntegerField("position in the plan", default=0)
    title = models.CharField(max_length=300)
    text = models.TextField("full text", help_text="Full text; bullet lines start with •")
    leads = models.ManyToManyField(Post, blank=True, related_name="actions")
    timescale_text = models.CharField("timescale as written", max_length=200, blank=True)
    start = models.DateField("start date", null=True, blank=True)
    end = models.DateField("end date", null=True, blank=True)
    ongoing = models.BooleanField("ongoing (no end date)", default=False)
    recurring = models.BooleanField(default=False)
    evidence_of_success = models.TextField("evidence of success", blank=True)
    children_will_say = models.TextField("what our children will say", blank=True)
    sources = models.JSONField(
        "recommendations it answers",
        default=list,
        blank=True,
        help_text="Recommendation codes it answers: ILAC, FV1 …",
    )
    focus_areas = models.ManyToManyField(FocusArea, blank=True, related_name="actions")
    closed_on = models.DateField(
        null=True, blank=True, help_text="Set when a re-imported plan no longer has this action"
    )
    version = models.PositiveIntegerField(
        default=1, help_text="Guards against lost edits: each edit checks the version it read"
    )
    history = HistoricalRecords(m2m_fields=[leads, focus_areas], bases=[ChangeAgreement])

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "ref"], name="unique_action_ref")]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    def is_led_by(self, user) -> bool:
        """Whether the user currently holds one of this action's lead posts."""
        return holding_posts(user, today()).filter(post__actions=self).exists()


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
    next_steps = models.TextField("next steps", blank=True)
    risks = models.TextField("risks and issues", blank=True)
    support_needed = models.TextField("support needed", blank=True)
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
    synthetic_note = models.CharField(
        "synthetic (demo) content",
        max_length=300,
        blank=True,
        help_text="Set only by the demo: what of this update was written for the demonstration "
        "rather than by the council (blank: none of it)",
    )
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
        return claims_blue(self)

    @property
    def awaiting_sign_off(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def blue_awaiting_sign_off(self) -> bool:
        """It counts but gives no ratings yet: a claim of Blue not signed off (the one rule,
        `querysets.gives_ratings`)."""
        return counts(self) and not gives_ratings(self)

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
