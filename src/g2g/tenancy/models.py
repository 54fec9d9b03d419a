"""Authorities (the tenants), the people who belong to them, and in which role."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", "Administrator"
    IMPROVEMENT_LEAD = "improvement_lead", "Improvement lead"
    ACTION_LEAD = "action_lead", "Action lead"
    VIEWER = "viewer", "Viewer"
    REGIONAL_VIEWER = "regional_viewer", "Regional viewer"


class Authority(models.Model):
    """An English local authority with children's services: reference data for all 153."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    ons_code = models.CharField("ONS code", max_length=9, blank=True)
    la_number = models.CharField("DfE LA number", max_length=3, blank=True)
    region = models.CharField(max_length=50, blank=True)
    ofsted_urn = models.CharField("Ofsted URN", max_length=20, blank=True)
    statistical_neighbours = models.ManyToManyField(
        "self", through="StatisticalNeighbour", symmetrical=False, related_name="+"
    )
    # Latest ILACS inspection, as published (reference data, replaced on each load).
    inspection_framework = models.CharField(max_length=50, blank=True)
    inspection_start = models.DateField(null=True, blank=True)
    inspection_end = models.DateField(null=True, blank=True)
    inspection_published = models.DateField(null=True, blank=True)
    inspection_link = models.URLField(max_length=300, blank=True)
    lead_inspector = models.CharField(max_length=100, blank=True)
    grade_overall = models.CharField(max_length=50, blank=True)
    grade_leaders = models.CharField(max_length=50, blank=True)
    grade_help_and_protection = models.CharField(max_length=50, blank=True)
    grade_in_care = models.CharField(max_length=50, blank=True)
    grade_care_leavers = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "authorities"

    def __str__(self) -> str:
        return self.name

    def neighbours_in_order(self) -> list["Authority"]:
        """The DfE statistical neighbours, closest first (public reference data)."""
        return [
            link.neighbour
            for link in StatisticalNeighbour.objects.filter(authority=self)
            .select_related("neighbour")
            .order_by("rank")
        ]


class StatisticalNeighbour(models.Model):
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    neighbour = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["authority", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "rank"], name="one_neighbour_per_rank")
        ]

    def __str__(self) -> str:
        return f"{self.authority_id} neighbour {self.rank}: {self.neighbour_id}"


class Membership(models.Model):
    """A user's one role in one authority. A regional viewer holds one such row per authority."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "authority"], name="one_role_per_authority")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.authority}"
