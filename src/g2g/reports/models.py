"""Board packs as generated: kept unchanged, so a board's papers can always be shown as issued."""

from django.conf import settings
from django.db import models

from g2g.plans.models import Plan
from g2g.tenancy.access import AuthorityQuerySet
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
