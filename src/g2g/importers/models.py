"""A file uploaded for import, kept only between the preview and the user's confirm or cancel."""

import uuid

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from g2g.core.querysets import AuthorityQuerySet, via
from g2g.plans.models import Plan
from g2g.tenancy.models import Authority


class Upload(models.Model):
    class Kind(models.TextChoices):
        PLAN = "plan", "Improvement plan"
        INSPECTION = "inspection", "Inspection report"
        VALUES = "values", "Measure values"

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField(max_length=255)
    data = models.BinaryField()
    options = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AuthorityQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class PlanColumns(models.Model):
    """The column mapping an improvement lead chose on a plan's import preview, remembered with
    the plan so that the next import of it (a newer version, by page or command) reads its
    columns the same way: a column's heading, as `text_reader.normalise_header` gives it, to the
    field it holds ('' for a column not to read)."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="column_mapping")
    columns = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = via("plan__authority").as_manager()

    def __str__(self) -> str:
        return f"Column mapping of {self.plan}"
