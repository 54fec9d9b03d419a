"""A file uploaded for import, kept only between the preview and the user's confirm or cancel."""

import uuid

from django.conf import settings
from django.db import models

from g2g.tenancy.access import AuthorityQuerySet
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
