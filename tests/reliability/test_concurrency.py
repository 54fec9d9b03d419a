"""docs/security.md #3: many processes saving the same action (and the same update) at once.

Every round, each process reads the same version, waits for the others, then all save together.
Exactly one save per round wins; every other is refused with a message saying who changed it;
history has one row per successful save, and nothing else. Row locks make this hold, so the
multi-process tests run on PostgreSQL (CI sets REQUIRE_POSTGRES=1, so that pass always runs).
"""

import multiprocessing
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection

from g2g.core.dates import current_period
from g2g.plans.models import Action, ProgressUpdate
from g2g.plans.services import StaleActionError, edit_action
from g2g.tenancy.access import Access
from g2g.tenancy.models import Role

from . import workers

PROCESSES = 6
ROUNDS = 5

needs_postgres = pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite cannot lock rows: the multi-process race runs in the PostgreSQL pass",
)


def _database_url() -> str:
    """The test database, for processes that are not this one."""
    settings = connection.settings_dict
    host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    return f"postgres://{settings['USER']}{password}@{host}:{port}/{settings['NAME']}"


def _race(target, action, user) -> list[tuple[str, int, str]]:
    spawn = multiprocessing.get_context("spawn")
    barrier, results = spawn.Barrier(PROCESSES), spawn.Queue()
    processes = [
        spawn.Process(
            target=target,
            args=(_database_url(), action.pk, user.pk, worker, ROUNDS, barrier, results),
        )
        for worker in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=180) for _ in processes]
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    return [outcome for _worker, rows in outcomes for outcome in rows]


def _check(outcomes, *, noun: str) -> int:
    saved_per_round = Counter(number for kind, number, _ in outcomes if kind == "saved")
    assert len(outcomes) == PROCESSES * ROUNDS
    assert saved_per_round == dict.fromkeys(range(ROUNDS), 1), "one winner per round"
    for kind, _number, message in outcomes:
        if kind == "stale":
            assert f"changed this {noun}" in message
            assert "not saved" in message
    return sum(saved_per_round.values())


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_action_edits_lose_nothing_and_tell_the_loser(world):
    action = world.other_action
    before = action.history.count()
    outcomes = _race(workers.edit_action_rounds, action, world.users[Role.IMPROVEMENT_LEAD])
    commits = _check(outcomes, noun="action")
    saved = Action.objects.get(pk=action.pk)
    assert saved.version == action.version + commits
    assert saved.history.count() - before == commits  # history rows equal commits
    winner_title = saved.history.first().title
    assert saved.title == winner_title
    assert winner_title.startswith(f"Round {ROUNDS - 1} by ")


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_update_saves_lose_nothing_and_tell_the_loser(world):
    action = world.other_action
    outcomes = _race(workers.save_update_rounds, action, world.users[Role.IMPROVEMENT_LEAD])
    commits = _check(outcomes, noun="update")
    update = ProgressUpdate.objects.get(action=action, period=current_period())
    assert update.version == commits
    assert update.history.count() == commits


# Single-process checks of the same rule, on every database.


@pytest.mark.django_db
def test_a_stale_action_edit_is_refused_and_writes_nothing(world):
    lead = world.users[Role.IMPROVEMENT_LEAD]
    access = Access(user=lead, authority=world.authority, role=Role.IMPROVEMENT_LEAD)
    mine = Action.objects.select_related("plan").get(pk=world.other_action.pk)
    theirs = Action.objects.select_related("plan").get(pk=world.other_action.pk)
    edit_action(access, theirs, version=theirs.version, title="Theirs")
    before = mine.history.count()
    with pytest.raises(StaleActionError, match="changed this action") as raised:
        edit_action(access, mine, version=mine.version, title="Mine")
    assert raised.value.current.title == "Theirs"
    saved = Action.objects.get(pk=mine.pk)
    assert (saved.title, saved.history.count()) == ("Theirs", before)


@pytest.mark.django_db
def test_an_edit_with_new_leads_leaves_one_history_row(world):
    lead = world.users[Role.IMPROVEMENT_LEAD]
    access = Access(user=lead, authority=world.authority, role=Role.IMPROVEMENT_LEAD)
    action = Action.objects.select_related("plan").get(pk=world.other_action.pk)
    before = action.history.count()
    edit_action(access, action, version=action.version, leads=list(world.led_action.leads.all()))
    assert action.history.count() == before + 1
    latest = action.history.first()
    assert latest.history_user == lead
    assert [row.post for row in latest.leads.all()] == list(world.led_action.leads.all())


@pytest.mark.django_db
def test_the_edit_page_explains_a_stale_save_and_keeps_the_text(client, world):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    action = world.other_action
    url = f"/{world.authority.slug}/actions/{action.pk}/edit/"
    page = client.get(url).content.decode()
    assert f'name="version" value="{action.version}"' in page
    data = {"title": "First", "text": action.text, "version": action.version}
    assert client.post(url, data).status_code == 302
    before = action.history.count()
    response = client.post(url, data | {"title": "Second, from an old page"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "after you opened it" in page
    assert "Second, from an old page" in page
    assert f'name="version" value="{action.version + 1}"' in page  # saving again replaces
    assert Action.objects.get(pk=action.pk).title == "First"
    assert action.history.count() == before
    retry = client.post(url, data | {"title": "Second", "version": action.version + 1})
    assert retry.status_code == 302
    assert Action.objects.get(pk=action.pk).title == "Second"
