"""'Changes since': a constructed history with explicit history dates, and hand-worked answers."""

from datetime import date, datetime, time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from g2g.plans.changes import changes_between, one_month_before, rating_move
from g2g.plans.models import Action
from g2g.plans.services import edit_action
from g2g.tenancy.access import access_for
from g2g.tenancy.models import Role
from tests.factories import ActionFactory, PriorityFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db

SINCE, UNTIL = date(2024, 3, 31), date(2024, 4, 30)
FEB, MAR, APR = date(2024, 2, 1), date(2024, 3, 1), date(2024, 4, 1)


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """A moment on `day`, London time (as the history records it, in UTC)."""
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def create(priority, ref: str, when: datetime, **fields) -> Action:
    action = ActionFactory.build(priority=priority, plan=priority.plan, ref=ref, **fields)
    action._history_date = when
    action.save()
    return action


def change(action: Action, when: datetime, **fields) -> None:
    for name, value in fields.items():
        setattr(action, name, value)
    action._history_date = when
    action.save()


def rate(action: Action, period: date, action_rating: str = "", impact_rating: str = "") -> None:
    """An update written (and signed off) in the middle of its month, as history records it."""
    update = ProgressUpdateFactory.build(
        action=action, period=period, action_rating=action_rating, impact_rating=impact_rating
    )
    update._history_date = at(period.replace(day=15))
    update.save()


@pytest.fixture
def history():
    """The plan's story; each action's comment says what the period from SINCE to UNTIL holds."""
    priority = PriorityFactory()
    jan = at(date(2024, 1, 10))
    actions = {}

    def add(ref, when=jan, **fields):
        actions[ref] = create(priority, ref, when, **fields)
        return actions[ref]

    # A1: action rating Red → Amber (up); impact first given (neither up nor down).
    rate(add("A1"), FEB, "red")
    rate(actions["A1"], APR, "amber", "green")
    # A2: Green → Red and Green → Amber (both down).
    rate(add("A2"), FEB, "green", "green")
    rate(actions["A2"], APR, "red", "amber")
    # A3: Amber → Blue: up and completed.
    rate(add("A3"), MAR, "amber")
    rate(actions["A3"], APR, "blue")
    # A4: slipped in February (before the period) and again in April: 30 Apr → 30 Jun.
    add("A4", end=date(2024, 3, 31))
    change(actions["A4"], at(date(2024, 2, 20)), end=date(2024, 4, 30))
    change(actions["A4"], at(date(2024, 4, 10)), end=date(2024, 6, 30))
    # A5: new in April, and its end moved from 31 May to 31 July after it was created.
    add("A5", at(date(2024, 4, 5)), end=date(2024, 5, 31))
    change(actions["A5"], at(date(2024, 4, 20)), end=date(2024, 7, 31))
    # A6: closed in April.
    add("A6")
    change(actions["A6"], at(date(2024, 4, 15)), closed_on=date(2024, 4, 15))
    # A7: deleted in April (a closed action that can no longer be linked to).
    add("A7")
    actions["A7"]._history_date = at(date(2024, 4, 20))
    actions["A7"].delete()
    # A8: created after the period: not new.
    add("A8", at(date(2024, 5, 3)))
    # A9: closed before the period.
    add("A9")
    change(actions["A9"], at(date(2024, 2, 1)), closed_on=date(2024, 2, 1))
    # A10: slipped after the period.
    add("A10", end=date(2024, 5, 31))
    change(actions["A10"], at(date(2024, 5, 5)), end=date(2024, 8, 31))
    # A11: slipped at 23:30 on SINCE, which is before the period (it starts after that day).
    add("A11", end=date(2024, 3, 31))
    change(actions["A11"], at(SINCE, 23, 30), end=date(2024, 9, 30))
    # A12: slipped at 23:30 on UNTIL, which is inside it (it runs to the end of that day).
    add("A12", end=date(2024, 4, 30))
    change(actions["A12"], at(UNTIL, 23, 30), end=date(2024, 10, 31))
    # A13: Green both months: no change. Its end brought forward: not a slip.
    rate(add("A13", end=date(2024, 9, 30)), FEB, "green")
    rate(actions["A13"], APR, "green")
    change(actions["A13"], at(date(2024, 4, 2)), end=date(2024, 6, 30))
    # Another plan's action that changes in the period: never shown.
    other = PriorityFactory()
    stranger = create(other, "X1", jan, end=date(2024, 4, 30))
    change(stranger, at(date(2024, 4, 10)), end=date(2024, 12, 31))
    rate(stranger, APR, "blue")
    return priority.plan, actions


def refs(items) -> list[str]:
    return [getattr(item, "action", item).ref for item in items]


def test_changes_between_two_dates_match_the_hand_worked_answer(history):
    plan, _ = history
    changes = changes_between(plan, SINCE, UNTIL)
    assert [(m.action.ref, m.kind, m.old, m.new) for m in changes.ratings_up] == [
        ("A1", "Action", "red", "amber"),
        ("A3", "Action", "amber", "blue"),
    ]
    assert [(m.action.ref, m.kind, m.old, m.new) for m in changes.ratings_down] == [
        ("A2", "Action", "green", "red"),
        ("A2", "Impact", "green", "amber"),
    ]
    assert refs(changes.completed) == ["A3"]
    assert [(s.action.ref, s.old_end, s.new_end, s.days) for s in changes.slipped] == [
        ("A4", date(2024, 4, 30), date(2024, 6, 30), 61),
        ("A5", date(2024, 5, 31), date(2024, 7, 31), 61),
        ("A12", date(2024, 4, 30), date(2024, 10, 31), 184),
    ]
    assert refs(changes.new_actions) == ["A5"]
    assert refs(changes.closed_actions) == ["A6", "A7"]
    assert [ref.exists for ref in changes.closed_actions] == [True, False]
    assert changes.count == 2 + 2 + 1 + 3 + 1 + 2


def test_a_period_with_nothing_in_it_has_no_changes(history):
    plan, _ = history
    changes = changes_between(plan, date(2024, 6, 1), date(2024, 6, 30))
    assert changes.count == 0


def test_later_period_sees_the_later_changes(history):
    plan, _ = history
    changes = changes_between(plan, UNTIL, date(2024, 5, 31))
    assert refs(changes.new_actions) == ["A8"]
    assert refs(changes.slipped) == ["A10"]
    assert changes.ratings_up == changes.ratings_down == []


def test_until_before_since_is_refused(history):
    plan, _ = history
    with pytest.raises(ValueError, match="before"):
        changes_between(plan, UNTIL, SINCE)


@pytest.mark.parametrize(
    ("old", "new", "move"),
    [
        ("red", "amber", 1),
        ("amber", "green", 1),
        ("green", "blue", 1),
        ("red", "blue", 1),
        ("blue", "green", -1),
        ("amber", "red", -1),
        ("green", "green", 0),
        ("", "red", 0),
        ("green", "", 0),
        (None, "blue", 0),
        ("green", "complete-awaiting-sign-off", 0),
    ],
    ids=lambda value: str(value),
)
def test_rating_order_is_red_amber_green_blue(old, new, move):
    assert rating_move(old, new) == move


@pytest.mark.parametrize(
    ("day", "month_before"),
    [
        (date(2024, 4, 30), date(2024, 3, 30)),
        (date(2024, 3, 31), date(2024, 2, 29)),
        (date(2024, 1, 15), date(2023, 12, 15)),
    ],
    ids=["april", "leap-february", "january"],
)
def test_the_default_period_is_a_month(day, month_before):
    assert one_month_before(day) == month_before


def grow(plan, count: int) -> None:
    """`count` more actions, each created, rated twice and slipped, with history in the period."""
    priority = plan.priorities.first()
    for n in range(count):
        action = create(priority, f"G{plan.actions.count() + n}", at(date(2024, 1, 5)))
        rate(action, MAR, "amber")
        rate(action, APR, "green")
        change(action, at(date(2024, 4, 12)), end=date(2024, 12, 31))
        change(action, at(date(2024, 4, 14)), end=date(2025, 1, 31))


def test_query_count_does_not_grow_with_actions(history):
    plan, _ = history
    with CaptureQueriesContext(connection) as small:
        changes_between(plan, SINCE, UNTIL)
    grow(plan, 60)
    with CaptureQueriesContext(connection) as large:
        grown = changes_between(plan, SINCE, UNTIL)
    assert len(large) == len(small) == 7  # each reading "as at" also reads the round deadline
    assert len(grown.ratings_up) == 2 + 60


# The pages.


@pytest.fixture
def viewer(client, world):
    client.force_login(world.users[Role.VIEWER])
    return client


def test_changes_page_lists_changes_with_words(viewer, world):
    world.led_action.end = date(2020, 1, 31)
    world.led_action.save()
    world.led_action.end = date(2099, 1, 31)
    world.led_action.save()
    page = viewer.get(f"/{world.authority.slug}/changes/").content.decode()
    assert "End dates moved later (1)" in page
    assert "31 January 2020" in page
    assert "31 January 2099" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("since=not-a-date", "must be a real date"),
        ("since=2024-02-30", "must be a real date"),
        ("since=1999-12-31", "on or after 1 January 2000"),
        ("since=2999-01-01", "must be today or earlier"),
        ("since=2024-05-01&until=2024-04-01", "must be after the start date"),
        ("since=", "Enter the date to show changes since"),
    ],
    ids=["words", "no-such-day", "too-early", "future", "backwards", "blank"],
)
@pytest.mark.parametrize("page", ["changes/", ""], ids=["changes-page", "overview"])
def test_bad_dates_get_a_clear_error_not_a_500(viewer, world, query, message, page):
    if page == "" and "until" in query:
        pytest.skip("The overview asks only for the start date")
    response = viewer.get(f"/{world.authority.slug}/{page}?{query}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert message in body
    assert "<title>Error: " in body


def test_the_overview_shows_changes_since_the_date_asked(viewer, world):
    page = viewer.get(f"/{world.authority.slug}/?since=2024-01-31").content.decode()
    assert "Changes since 31 January 2024" in page
    assert "There is a problem" not in page


def test_changes_page_query_count_does_not_grow_with_actions(viewer, world):
    url = f"/{world.authority.slug}/changes/?since=2024-03-31&until=2024-04-30"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert viewer.get(url).status_code == 200
        return len(captured)

    grow(world.plan, 3)
    small = queries()
    grow(world.plan, 40)
    assert queries() == small


def test_another_plans_changes_are_not_counted(viewer, world, foreign_world):
    foreign_world.led_action.end = date(2020, 1, 31)
    foreign_world.led_action.save()
    foreign_world.led_action.end = date(2099, 1, 31)
    foreign_world.led_action.save()
    today = timezone.localdate()
    assert changes_between(world.plan, one_month_before(today), today).slipped == []


# ---- change control through the service (issue 16) -------------------------------------------


def test_the_service_refuses_a_moved_end_date_without_agreement_whoever_calls_it(world):
    action = world.other_action
    action.end = date(2024, 11, 30)
    action.save()
    lead = access_for(world.users["improvement_lead"], world.authority.slug)
    with pytest.raises(ValidationError) as refused:
        edit_action(lead, action, version=action.version, end=date(2025, 3, 31))
    assert set(refused.value.message_dict) == {"change_reason", "change_agreed_by"}
    action.refresh_from_db()
    rows = action.history.count()
    edit_action(
        lead,
        action,
        version=action.version,
        end=date(2025, 3, 31),
        change_reason=" Put back ",
        change_agreed_by="The board, 4 March",
    )
    latest = action.history.latest()
    assert (latest.end, latest.history_change_reason, latest.change_agreed_by) == (
        date(2025, 3, 31),
        "Put back",
        "The board, 4 March",
    )
    assert action.history.count() == rows + 1  # the refused edit wrote nothing
    on = timezone.localdate()
    (slip,) = changes_between(world.plan, one_month_before(on), on).slipped
    assert (slip.old_end, slip.new_end, slip.reason, slip.agreed_by) == (
        date(2024, 11, 30),
        date(2025, 3, 31),
        "Put back",
        "The board, 4 March",
    )
