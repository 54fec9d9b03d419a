"""A plan as read from a file, before anything is written: readers produce it, the writer takes it.

Readers (text layout, JSON, later Word and Excel) turn a file into a `PlanDraft`;
`services.import_plan` writes one in a single transaction.
Every problem carries where it was found so a user can fix it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from g2g.core.problems import Problem
from g2g.measures.rating import Milestone


@dataclass
class ProgressDraft:
    period: date  # first day of the month the update is for
    narrative: str
    action_rating: str | None = None  # one of plans.models.Rating values, or None
    impact_rating: str | None = None


# The action fields a draft carries as they are (leads, focus areas and places are looked up).
ACTION_FIELDS = (
    "title",
    "text",
    "timescale_text",
    "start",
    "end",
    "ongoing",
    "recurring",
    "evidence_of_success",
    "children_will_say",
    "sources",
)


@dataclass
class ActionDraft:
    ref: str
    title: str
    text: str
    where: str = ""
    objective: str | None = None
    leads: list[str] = field(default_factory=list)
    start: date | None = None
    end: date | None = None
    ongoing: bool = False
    recurring: bool = False
    timescale_text: str = ""
    evidence_of_success: str = ""
    children_will_say: str = ""
    progress: list[ProgressDraft] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # recommendation codes: ILAC, FV1, ILAC19&21
    focus_areas: list[str] = field(default_factory=list)  # focus area codes: FA1


@dataclass
class PriorityDraft:
    number: int
    title: str
    sponsor: str | None = None
    actions: list[ActionDraft] = field(default_factory=list)


@dataclass
class FocusAreaDraft:
    code: str
    name: str
    judgement_area: str = ""


@dataclass
class MeasureDraft:
    """A performance measure from a plan's measures appendix (Tameside's Appendix B)."""

    name: str
    data_source: str = ""
    codes: list[str] = field(default_factory=list)  # scorecard codes in the source: CIN10a
    focus_area: str = ""  # FA1
    action_refs: list[str] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)  # targets: 70% by June 2020
    where: str = ""


@dataclass
class PostHolderDraft:
    post: str
    name: str
    since: date | None = None


@dataclass
class RatingDefinitionDraft:
    rating: str  # blue, green, amber, red
    action_definition: str
    impact_definition: str


@dataclass
class ColumnDraft:
    """A plan table's column as the file heads it, and the field it was read as ('' for not
    read): what the preview's column mapping shows and lets the improvement lead change."""

    header: str
    key: str
    where: str = ""
    chosen: bool = False  # by the column mapping, rather than by the header's words


@dataclass
class PlanDraft:
    title: str
    period: str = ""
    priorities: list[PriorityDraft] = field(default_factory=list)
    focus_areas: list[FocusAreaDraft] = field(default_factory=list)
    post_holders: list[PostHolderDraft] = field(default_factory=list)
    rating_definitions: list[RatingDefinitionDraft] = field(default_factory=list)
    measures: list[MeasureDraft] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    columns: list[ColumnDraft] = field(default_factory=list)
    # The document's words, for checking whose plan it is (`services.other_authorities`): its
    # opening lines (title, headings above the first table) and all its text.
    opening: str = field(default="", compare=False, repr=False)
    text: str = field(default="", compare=False, repr=False)

    @property
    def actions(self) -> list[ActionDraft]:
        return [action for priority in self.priorities for action in priority.actions]

    def summary(self) -> dict:
        """The `--format json` summary printed by `g2g import_plan`."""
        objectives = {
            (priority.number, action.objective)
            for priority in self.priorities
            for action in priority.actions
            if action.objective
        }
        return {
            "priorities": len(self.priorities),
            "objectives": len(objectives),
            "actions": len(self.actions),
            "focus_areas": len(self.focus_areas),
            "post_holders": len(self.post_holders),
            "measures": len(self.measures),
            "problems": [{"where": p.where, "message": p.message} for p in self.problems],
        }
