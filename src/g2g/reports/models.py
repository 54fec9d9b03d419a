"""Board packs as generated: kept unchanged, so a board's papers can always be shown as issued."""

from django.conf import settings
from django.db import models

from g2g.core.querysets import AuthorityQuerySet
from g2g.governance.models import Meeting
from g2g.plans.models import Plan
from g2g.tenancy.models import Authority


class SavedPack(models.Model):
    """A board pack in every format, as it was generated. Never edited: a new pack is saved
    instead, so there is no history to keep beyond the row itself."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    period = models.DateField(help_text="The month reported on")
    as_at = models.DateTimeField(help_text="The moment the plan was read as at")
    title = models.CharField(max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    html = models.BinaryField()
    docx = models.BinaryField()
    xlsx = models.BinaryField()
    pdf = models.BinaryField(null=True, help_text="Empty when PDF could not be made here")

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


# ---------------------------------------------------------------------------------------------
# Council reports (reports/council_report.py drafts and writes them)

from simple_history.models import HistoricalRecords  # noqa: E402


class CouncilReport(models.Model):
    """A report to full council or a committee on the improvement programme, drafted from the data
    in the shape of Oldham's December 2020 "Children's Services update", then edited section by
    section by an improvement lead. Every save is kept in history, so earlier drafts can be read."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.SET_NULL, null=True, related_name="+")
    as_at = models.DateField(help_text="The day the figures were drafted from")
    meeting = models.CharField(max_length=200, default="Council")
    meeting_date = models.DateField(null=True, blank=True)
    title = models.CharField(max_length=300, default="Children's Services update")
    portfolio_holder = models.CharField(max_length=300, blank=True)
    officer_contact = models.CharField(max_length=300, blank=True)
    report_author = models.CharField(max_length=300, blank=True)
    purpose = models.TextField(blank=True)
    executive_summary = models.TextField(blank=True)
    recommendations = models.TextField(blank=True)
    progress = models.TextField(blank=True)
    inspection_findings = models.TextField(blank=True)
    measures = models.TextField(blank=True)
    next_steps = models.TextField(blank=True)
    conclusion = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, help_text="Guards against lost edits")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.meeting})"


# ---------------------------------------------------------------------------------------------
# Board pack files made in the background (reports/background.py makes and finds them)


class PackFile(models.Model):
    """A board pack file (PDF, Word, the print page) asked for from the pack's page and made by
    a background task. One per authority, plan, month, "as at" day, format and data version
    (`key`): asking again for the same pack of the same data finds this one, queued, being made
    or made. The file is written once, with its status, in one transaction at the task's end, so
    a worker killed while making it leaves no half-written file and the task is run again."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be made"
        RUNNING = "running", "Being made"
        READY = "ready", "Ready"
        FAILED = "failed", "Could not be made"

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    period = models.DateField(help_text="The month reported on")
    as_at = models.DateField(null=True, blank=True, help_text="The day asked for; empty: now")
    format = models.CharField(max_length=8)
    key = models.CharField(
        max_length=64, unique=True, help_text="The pack, format and data version, hashed"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    task_id = models.CharField(max_length=64, blank=True, help_text="The task making the file")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    filename = models.CharField(max_length=200, blank=True)
    content = models.BinaryField(null=True, editable=False)
    size = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, help_text="Why it could not be made, in words")

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="ready", content__isnull=False)
                | ~models.Q(status="ready"),
                name="pack_file_ready_has_content",
            )
        ]

    def __str__(self) -> str:
        return self.filename or f"{self.format} board pack {self.period:%Y-%m}"


# ---------------------------------------------------------------------------------------------
# The board pack's one-page summary, and packs attached to governance meetings


class PackSummary(models.Model):
    """The board pack's summary for one plan and month, as an improvement lead edited it from the
    draft `board_pack.draft_summary` writes from the data. Every save is kept in history. A pack
    shows the saved text when there is one, else the draft."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    period = models.DateField(help_text="The month the pack reports on")
    text = models.TextField(help_text="Paragraphs separated by a blank line")
    version = models.PositiveIntegerField(default=1, help_text="Guards against lost edits")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], name="one_pack_summary_a_month")
        ]

    def __str__(self) -> str:
        return f"Board pack summary, {self.period:%B %Y}"


class MeetingPack(models.Model):
    """A saved board pack attached to a governance meeting (the papers the meeting had): listed
    on the meeting's page. A pack may go to more than one meeting."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="board_packs")
    saved_pack = models.ForeignKey(SavedPack, on_delete=models.CASCADE, related_name="meetings")
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    attached_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["-saved_pack__period", "-saved_pack__as_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "saved_pack"], name="one_pack_a_meeting")
        ]

    def __str__(self) -> str:
        return f"{self.saved_pack} at {self.meeting}"
