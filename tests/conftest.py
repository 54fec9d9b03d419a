"""Shared fixtures: two authorities, each with a small plan and one user per role."""

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from django.db import transaction
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
    PackFileFactory,
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


# A test uses the database when it is marked `django_db` or needs one of these fixtures, itself
# or through any fixture it uses (pytest lists the whole closure in `item.fixturenames`): every
# database fixture of pytest-django (`db`, `transactional_db`, `live_server`, ...) and every
# module- or session-scoped data fixture here goes through `django_db_setup`.
DATABASE_FIXTURES = frozenset({"django_db_setup", "db", "transactional_db", "live_server"})


@pytest.hookimpl(tryfirst=True)  # before `-m` selects by marker
def pytest_collection_modifyitems(config, items):
    """Mark each test that touches no database `no_database`: the PostgreSQL run leaves those
    out (`-m "not no_database"`, Makefile), as they already ran, identically, on SQLite."""
    no_database = pytest.mark.no_database
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if not item.get_closest_marker("django_db") and not fixtures & DATABASE_FIXTURES:
            item.add_marker(no_database)


ONE_BY_ONE = ("tests/e2e/", "tests/security/test_hostile_uploads.py")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """pytest-xdist's `--dist loadscope`, with modules as the scopes except for the browser
    tests and the hostile uploads: a module's tests run on one worker, so a module-scoped
    fixture (the sweeps' authorities, the loaded demo, a generated workbook) is made once; each
    browser test, the longest tests of all, and each hostile upload (768 of them, a minute or
    two together, which left one worker idle at the end) go on their own to whichever worker is
    free."""
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ModulesTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return nodeid if nodeid.startswith(ONE_BY_ONE) else nodeid.split("::", 1)[0]

        def _assign_work_unit(self, node) -> None:
            """As xdist's, but sending every test of the unit: xdist sends only the first of
            tests sharing a node id (schemathesis' contract tests do), so the rest never ran."""
            scope, work_unit = self.workqueue.popitem(last=False)
            self.assigned_work.setdefault(node, {})[scope] = work_unit
            wanted = {nodeid for nodeid, completed in work_unit.items() if not completed}
            collection = self.registered_collections[node]
            node.send_runtest_some([i for i, nodeid in enumerate(collection) if nodeid in wanted])

    return ModulesTogether(config, log)


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
    pack_file: object = None  # a board pack file made in the background
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
    world.pack_file = PackFileFactory(
        authority=authority, plan=plan, content=f"<p>Pack file {marker}</p>".encode()
    )
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


@contextmanager
def kept_for_the_module(django_db_blocker) -> Iterator[None]:
    """Data written inside this block (by a module-scoped fixture) is there for each test of the
    module, then rolled back: the block is a transaction, and each test's own `db` transaction
    nests inside it as a savepoint rolled back after the test, so whatever one test writes, the
    next finds the data exactly as the fixture left it. Only for tests using `db` (a
    `transactional_db` test would flush the data; pytest-django runs those after all others).
    """
    with django_db_blocker.unblock():
        block = transaction.atomic()
        block.__enter__()
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            block.__exit__(None, None, None)


@dataclass(frozen=True)
class SessionDemo:
    printed: str  # what `g2g load_demo` printed
    copy: sqlite3.Connection  # the whole database with the demo loaded


@pytest.fixture(scope="session")
def demo_database(
    django_db_setup, django_db_blocker, tmp_path_factory
) -> Iterator[SessionDemo | None]:
    """The demo loaded once per test run through the real `load_demo` command and kept as a
    copy of the whole database, the test database left as it was; None where the test database
    is not SQLite in memory (each user of the demo then loads it itself)."""
    from tests import demo_data

    if not demo_data.can_copy_database():
        yield None
        return
    # The folder the run's workers share: pytest-xdist gives each worker a folder in it.
    run = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        run = run.parent
    with django_db_blocker.unblock():
        printed, copy = demo_data.demo_copy(run)
    yield SessionDemo(printed, copy)
    copy.close()


@pytest.fixture(scope="module")
def loaded_demo(django_db_setup, django_db_blocker, demo_database) -> Iterator[str]:
    """What `g2g load_demo` printed, the demo it loaded there for the module's tests, each of
    which reads it in its own savepoint; the database is as it was after the module."""
    from tests import demo_data

    if demo_database is None:
        with kept_for_the_module(django_db_blocker):
            with django_db_blocker.unblock():
                printed = demo_data.load_demo()
            yield printed
        return
    with django_db_blocker.unblock():
        before = demo_data.database_copy()
        demo_data.restore(demo_database.copy)
    try:
        yield demo_database.printed
    finally:
        with django_db_blocker.unblock():
            demo_data.restore(before)
            before.close()


@pytest.fixture
def demo(loaded_demo, db) -> str:
    """The demo, for one test: what loading it printed."""
    return loaded_demo


@pytest.fixture(scope="module")
def module_worlds(django_db_setup, django_db_blocker) -> Iterator[tuple[World, World]]:
    """`world` and `foreign_world` built once for a whole module (see `kept_for_the_module`):
    for the sweeps, whose hundreds of tests only read them."""
    with kept_for_the_module(django_db_blocker):
        with django_db_blocker.unblock():
            worlds = build_world("Northshire"), build_world("Southshire")
        yield worlds


@pytest.fixture(autouse=True)
def _inspection_frameworks(request):
    """The inspection frameworks (a data migration's rows) in place for every database test: a
    transactional test's flush empties them, and a later test on the same worker would then read
    every Ofsted report as an unknown inspection."""
    if request.node.get_closest_marker("django_db") or "db" in request.fixturenames:
        marker = request.node.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction"):
            return
        request.getfixturevalue("db")
        from tests.demo_data import frameworks_in_place

        frameworks_in_place()
