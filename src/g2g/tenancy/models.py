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
        """The DfE statistical neighbours of the model in use (the newest loaded), closest first
        (public reference data). Each carries `neighbour_rank` and `closeness`."""
        return neighbour_lists(self).current


class StatisticalNeighbour(models.Model):
    """One of an authority's ten statistical neighbours in one list: DfE's statistical neighbour
    model of a year (model "2025", with DfE's closeness band), or, kept as history beside it,
    the list the ILACS overview workbook gives (model "ilacs-overview", no band), which is what
    the service used before the 2025 model was loaded."""

    EARLIER = "ilacs-overview"  # the list in the ILACS overview workbook (g2g load_authorities)

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    neighbour = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    model = models.CharField(
        max_length=20,
        default=EARLIER,
        help_text='DfE\'s model by its year ("2025"), or "ilacs-overview": the workbook\'s list',
    )
    rank = models.PositiveSmallIntegerField()
    closeness = models.CharField(
        max_length=30, blank=True, help_text='As DfE bands it: "Close", "Somewhat close" ...'
    )

    class Meta:
        ordering = ["authority", "model", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "model", "rank"], name="one_neighbour_per_model_and_rank"
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority_id} neighbour {self.rank} ({self.model}): {self.neighbour_id}"


def model_label(model: str) -> str:
    if model == StatisticalNeighbour.EARLIER:
        return "the list in the ILACS overview workbook (Data to Insight), used until now"
    return f"DfE statistical neighbour model {model}"


class NeighbourLists:
    """An authority's neighbour lists by model, newest model first; `current` is the one every
    comparison uses."""

    def __init__(self, links: list[StatisticalNeighbour]):
        self.by_model: dict[str, list[Authority]] = {}
        for link in sorted(links, key=lambda link: (_model_order(link.model), link.rank)):
            neighbour = link.neighbour
            neighbour.neighbour_rank, neighbour.closeness = link.rank, link.closeness
            self.by_model.setdefault(link.model, []).append(neighbour)

    @property
    def current_model(self) -> str:
        return next(iter(self.by_model), "")

    @property
    def current(self) -> list[Authority]:
        return self.by_model.get(self.current_model, [])

    @property
    def current_label(self) -> str:
        return model_label(self.current_model) if self.current_model else ""

    def earlier(self) -> list[tuple[str, list[Authority], bool]]:
        """The other lists, newest first, each with its label and whether it names the same
        neighbours in the same order as the current one."""
        current = [neighbour.pk for neighbour in self.current]
        return [
            (model_label(model), neighbours, [n.pk for n in neighbours] == current)
            for model, neighbours in list(self.by_model.items())[1:]
        ]


def _model_order(model: str) -> tuple[int, int]:
    """Newest first: the highest year, and "earlier" after every year."""
    return (1, 0) if not model.isdigit() else (0, -int(model))


def neighbour_lists(authority: Authority) -> NeighbourLists:
    """Every neighbour list of `authority`, in one query."""
    links = StatisticalNeighbour.objects.filter(authority=authority).select_related("neighbour")
    return NeighbourLists(list(links))


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
