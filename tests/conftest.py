"""Shared fixtures: two authorities, each with a small plan and one user per role."""

import os
from dataclasses import dataclass, field

import pytest
from hypothesis import settings

from g2g.tenancy.models import Role

from .factories import (
    ActionFactory,
    AnnexAReturnFactory,
    AuditFactory,
    AuthorityFactory,
    BoardFactory,
    CouncilReportFactory,
    EvidenceFileFactory,
    InspectionFactory,
    MeasureFactory,
    MeetingActionFactory,
    MeetingFactory,
    MembershipFactory,
    ObjectiveFactory,
    ObsessionFactory,
    PlanFactory,
    PostFactory,
    PostHolderFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    RemedialActionFactory,
    RoundFactory,
    SavedPackFactory,
    StakeholderOutcomeFactory,
    UploadFactory,
)

# No time limits per example (CI machines are shared); in CI the examples are the same on every
# run, so a red build is reproducible. Run locally (without CI) to search for new failures.
settings.register_profile("local", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") == "true" else "local")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rolled-back tests reuse ids on SQLite, so a page
    cached under a plan's revision in one test could otherwise be found by the next."""
    from django.core.cache import cache

    cache.clear()


@dataclass
class World:
    """One authority's data and its users, keyed by role."""

    authority: object
    plan: object
    led_action: object  # led by this authority's action lead
    other_action: object  # led by someone else
    inspection: object
    upload: object = None  # a plan file waiting for its improvement lead to confirm
    measure: object = None
    outcome: object = None  # a stakeholder outcome evidenced by `measure`
    board: object = None  # governance: a board, a meeting of it and an action arising
    meeting: object = None
    meeting_action: object = None
    obsession: object = None
    audit: object = None  # assurance: an audit and a remedial action it raised
    remedial_action: object = None
    annexa_return: object = None  # a checked Annex A return (aggregates only)
    round: object = None  # a monthly round with tasks for both actions
    update: object = None  # the led action's update, with an evidence file
    evidence: object = None
    saved_pack: object = None  # a board pack saved for the record
    council_report: object = None  # a council report draft
    users: dict = field(default_factory=dict)


def sentinel(name: str) -> str:
    return f"only-in-{name.lower()}"


def build_world(name: str) -> World:
    authority = AuthorityFactory(name=name, slug=name.lower())
    plan = PlanFactory(authority=authority)
    priority = PriorityFactory(plan=plan, number=1)
    objective = ObjectiveFactory(priority=priority)
    own_post, other_post = PostFactory(authority=authority), PostFactory(authority=authority)
    # Every text carries a sentinel, so a page showing another authority's data is caught.
    marker = sentinel(name)
    led = ActionFactory(
        priority=priority, objective=objective, leads=[own_post], title=f"Led action {marker}"
    )
    other = ActionFactory(
        priority=priority, objective=objective, leads=[other_post], title=f"Other {marker}"
    )
    ProgressUpdateFactory(action=led, narrative=f"Progress {marker}")
    inspection = InspectionFactory(authority=authority, finding__text=f"Recommendation {marker}")
    world = World(authority, plan, led, other, inspection)
    for role in Role:
        membership = MembershipFactory(authority=authority, role=role)
        world.users[role.value] = membership.user
    PostHolderFactory(post=own_post, user=world.users[Role.ACTION_LEAD])
    world.upload = UploadFactory(authority=authority, user=world.users[Role.IMPROVEMENT_LEAD])
    world.measure = MeasureFactory(authority=authority, plan=plan, name=f"Measure {marker}")
    world.measure.actions.add(led)
    world.outcome = StakeholderOutcomeFactory(plan=plan, statement=f"Children say {marker}")
    world.outcome.measures.add(world.measure)
    world.board = BoardFactory(authority=authority, name=f"Board {marker}", chair_post=own_post)
    world.meeting = MeetingFactory(board=world.board, decisions=f"Decided {marker}")
    world.meeting_action = MeetingActionFactory(meeting=world.meeting, description=f"Do {marker}")
    world.obsession = ObsessionFactory(authority=authority, title=f"Obsession {marker}")
    world.obsession.actions.add(led)
    world.audit = AuditFactory(authority=authority, theme=f"Audit {marker}")
    world.remedial_action = RemedialActionFactory(audit=world.audit, description=f"Fix {marker}")
    world.annexa_return = AnnexAReturnFactory(authority=authority, file_name=f"{marker}.xlsx")
    world.round = RoundFactory(plan=plan)
    world.update = led.updates.get()
    world.evidence = EvidenceFileFactory(update=world.update, name=f"evidence-{marker}.txt")
    world.saved_pack = SavedPackFactory(authority=authority, plan=plan, title=f"Pack {marker}")
    world.council_report = CouncilReportFactory(
        authority=authority, plan=plan, title=f"Council report {marker}"
    )
    return world


@pytest.fixture
def world(db) -> World:
    return build_world("Northshire")


@pytest.fixture
def foreign_world(db) -> World:
    return build_world("Southshire")
