"""Annex A returns: what a checked return left behind (aggregates and data-quality counts), and
each authority's choice about keeping the file.

No child-level data is stored here. A return keeps its KPI numerators and denominators, its
row counts and its data-quality problems located by row number only; the file itself is kept
only when the authority opted in, encrypted, until `kept_until` (see services).
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from g2g.core.querysets import AuthorityQuerySet
from g2g.tenancy.models import Authority

MAX_KEEP_DAYS = 90


class RetentionSetting(models.Model):
    """Whether an authority keeps its uploaded Annex A files (encrypted), and for how long."""

    authority = models.OneToOneField(
        Authority, on_delete=models.CASCADE, related_name="annexa_retention"
    )
    keep_files = models.BooleanField(
        "Keep uploaded Annex A files, encrypted, for a set number of days", default=False
    )
    keep_days = models.PositiveSmallIntegerField(
        "Days to keep each file",
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_KEEP_DAYS)],
        help_text=f"From 1 to {MAX_KEEP_DAYS}. Files are deleted when this time has passed.",
    )
    history = HistoricalRecords()

    objects = AuthorityQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.authority}: keep {self.keep_days} days" if self.keep_files else "not kept"


class AnnexAReturn(models.Model):
    """One checked Annex A return: its KPIs, data-quality report and where it came from."""

    class Status(models.TextChoices):
        CHECKED = "checked", "Checked, not added to the scorecard"
        PUBLISHED = "published", "Added to the scorecard"

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="annexa")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    file_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    snapshot_date = models.DateField(help_text="The day the data were extracted")
    snapshot_inferred = models.BooleanField(default=False)
    spec_version = models.CharField(max_length=20)
    synthetic = models.BooleanField(default=False, help_text="Made by the generator, not real")
    rows = models.JSONField(default=dict, help_text="Rows per list")
    quality = models.JSONField(default=dict, help_text="Data-quality report, row numbers only")
    kpis = models.JSONField(default=dict, help_text="Numerator, denominator, value per KPI")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CHECKED)
    published_at = models.DateTimeField(null=True, blank=True)
    kept_file = models.BinaryField(null=True, blank=True, editable=False)  # encrypted
    kept_until = models.DateTimeField(null=True, blank=True)
    kept_note = models.CharField(max_length=300, blank=True)
    # The kept file never enters history: history rows are not purged.
    history = HistoricalRecords(excluded_fields=["kept_file"])

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"Annex A {self.file_name} ({self.snapshot_date:%d %B %Y})"

    @property
    def short_hash(self) -> str:
        return self.sha256[:12]

    @property
    def problem_count(self) -> int:
        return sum(self.quality.get("counts", {}).values())

    @property
    def row_count(self) -> int:
        return sum(self.rows.values())
