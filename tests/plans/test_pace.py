"""Pace: days overdue, slips, months without a rating change; plan and priority pace."""

from datetime import date, datetime, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from g2g.plans.models import Action
from g2g.plans.pace import Pace, pace_of_actions, plan_pace
from g2g.tenancy.models import Role
from tests.factories import ActionFactory, PriorityFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db

ON = date(2024, 6, 15)


def at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def move_end(action: Action, when: date, end: date | None) -> None:
    action.end = end
    action._history_date = at(when)
    action.save()


def pace_of(action: Action, on: date = ON):
    annotated = Action.objects.with_status(on).get(pk=action.pk)
    return pace_of_actions([annotated], on)[action.pk]


def test_slips_are_counted_and_summed_from_history():
    action = ActionFactory.build(priority=PriorityFactory(), end=date(2024, 1, 31))
    action.plan = action.priority.plan
    action._history_date = at(date(2024, 1, 1))
    action.save()
    move_end(action, date(2024, 1, 20), date(2024, 3, 31))  # +60 days
    move_end(action, date(2024, 3, 20), date(2024, 2, 29))  # brought forward: not a slip
    move_end(action, date(2024, 3, 25), None)  # cleared: not a slip
    move_end(action, date(2024, 4, 2), date(2024, 4, 30))  # +61 days after 29 February
    move_end(action, date(2024, 7, 1), date(2024, 12, 31))  # after ON: not counted yet
    pace = pace_of(action)
    assert (pace.slips, pace.slip_days, pace.original_end) == (2, 121, date(2024, 1, 31))
    assert pace_of(action, date(2024, 7, 2)).slips == 3


def test_days_overdue_are_days_past_the_end_of_an_overdue_action():
    late = ActionFactory(end=date(2024, 6, 1))
    complete = ActionFactory(end=date(2024, 6, 1))
    ProgressUpdateFactory(action=complete, period=date(2024, 5, 1), action_rating="blue")
    assert pace_of(late).days_overdue == 14
    assert pace_of(complete).days_overdue == 0
    assert pace_of(ActionFactory(end=None)).days_overdue == 0


def test_months_without_a_rating_change():
    action = ActionFactory()
    for month, action_rating, impact_rating in [
        (1, "red", "red"),
        (2, "amber", "red"),
        (3, "amber", "red"),
        (4, "amber", "red"),
        (7, "green", "amber"),  # after ON
    ]:
        ProgressUpdateFactory(
            action=action,
            period=date(2024, month, 1),
            action_rating=action_rating,
            impact_rating=impact_rating,
        )
    pace = pace_of(action)
    assert pace.rating_since == date(2024, 2, 1)
    assert pace.months_without_rating_change == 4  # February to June
    assert pace_of(ActionFactory()).months_without_rating_change is None


def test_an_update_the_service_does_not_count_yet_does_not_change_the_run():
    """Ratings follow `with_status`: a draft (or a Blue awaiting sign-off) is not a change yet."""
    action = ActionFactory()
    ProgressUpdateFactory(action=action, period=date(2024, 3, 1), action_rating="amber")
    ProgressUpdateFactory(
        action=action, period=date(2024, 6, 1), action_rating="blue", status="submitted"
    )
    pace = pace_of(action)
    assert (pace.rating_since, pace.months_without_rating_change) == (date(2024, 3, 1), 3)


def test_a_returned_update_does_not_break_the_run():
    """January signed off Green, February returned Red, March submitted Green: the returned
    update never counted, so Green has held since January."""
    action = ActionFactory()
    for month, status, rating in [
        (1, "signed_off", "green"),
        (2, "returned", "red"),
        (3, "submitted", "green"),
    ]:
        ProgressUpdateFactory(
            action=action, period=date(2024, month, 1), status=status, action_rating=rating
        )
    pace = pace_of(action, date(2024, 3, 15))
    assert (pace.rating_since, pace.months_without_rating_change) == (date(2024, 1, 1), 2)


def test_an_impact_rating_change_is_a_change():
    action = ActionFactory()
    ProgressUpdateFactory(action=action, period=date(2024, 3, 1), action_rating="amber")
    ProgressUpdateFactory(
        action=action, period=date(2024, 6, 1), action_rating="amber", impact_rating="amber"
    )
    assert pace_of(action).months_without_rating_change == 0


@pytest.mark.parametrize(
    ("complete", "total", "start", "end", "elapsed", "verdict"),
    [
        (1, 4, date(2024, 1, 1), date(2024, 12, 31), 45, "Behind"),
        (2, 4, date(2024, 1, 1), date(2024, 12, 31), 45, "Keeping pace"),
        (3, 4, date(2024, 1, 1), date(2024, 12, 31), 45, "Ahead"),
        (1, 4, date(2023, 1, 1), date(2023, 12, 31), 100, "Behind"),
        (0, 4, date(2025, 1, 1), date(2025, 12, 31), 0, "Keeping pace"),
        (0, 0, date(2024, 1, 1), date(2024, 12, 31), 45, "Cannot tell"),
        (1, 4, None, date(2024, 12, 31), None, "Cannot tell"),
    ],
    ids=["behind", "in-step", "ahead", "time-up", "not-started", "no-actions", "no-start"],
)
def test_complete_against_time_elapsed(complete, total, start, end, elapsed, verdict):
    pace = Pace(total=total, complete=complete, start=start, end=end, on=ON)
    assert pace.percent_elapsed == elapsed
    assert pace.verdict == verdict


def test_plan_and_priority_pace_read_ratings_as_with_status_does():
    first = PriorityFactory(number=1)
    plan = first.plan
    second = PriorityFactory(plan=plan, number=2)
    # Priority 1: 1 of 2 complete over January–December 2024 (45% elapsed on ON).
    done = ActionFactory(priority=first, start=date(2024, 1, 1), end=date(2024, 3, 31))
    ProgressUpdateFactory(action=done, period=date(2024, 3, 1), action_rating="blue")
    ActionFactory(priority=first, start=date(2024, 2, 1), end=date(2024, 12, 31))
    # Priority 2: 0 of 1, January 2024 – January 2025; a closed action is not counted.
    late = ActionFactory(priority=second, start=date(2024, 1, 1), end=date(2024, 6, 1))
    move_end(late, date(2024, 1, 1), date(2025, 1, 31))
    move_end(late, date(2024, 2, 1), date(2024, 6, 1))
    ActionFactory(priority=second, end=date(2024, 2, 1), closed_on=date(2024, 2, 1))
    result = plan_pace(plan, ON)
    assert (result.plan.complete, result.plan.total) == (1, 3)
    assert (result.plan.start, result.plan.end) == (date(2024, 1, 1), date(2024, 12, 31))
    rows = {priority.number: pace for priority, pace in result.priorities}
    assert (rows[1].percent_complete, rows[1].percent_elapsed) == (50, 45)
    assert (rows[2].percent_complete, rows[2].total) == (0, 1)
    assert [(action.pk, pace.days_overdue) for action, pace in result.behind] == [(late.pk, 14)]


def test_plan_pace_query_count_does_not_grow_with_actions():
    priority = PriorityFactory()

    def grow(count):
        for n in range(count):
            action = ActionFactory(priority=priority, start=date(2024, 1, 1), end=date(2024, 3, 1))
            move_end(action, date(2024, 2, 1), date(2024, 5, 1 + n % 20))
            ProgressUpdateFactory(action=action, period=date(2024, 4, 1), action_rating="amber")

    grow(3)
    with CaptureQueriesContext(connection) as small:
        plan_pace(priority.plan, ON)
    grow(60)
    with CaptureQueriesContext(connection) as large:
        result = plan_pace(priority.plan, ON)
    assert len(small) == len(large) == 4
    assert len(result.behind) == 5


def test_the_action_page_and_overview_show_pace(client, world):
    client.force_login(world.users[Role.VIEWER])
    world.led_action.end = date(2020, 1, 31)
    world.led_action.save()
    world.led_action.end = date(2020, 3, 31)
    world.led_action.save()
    page = client.get(f"/{world.authority.slug}/actions/{world.led_action.pk}/").content.decode()
    assert "1 time, 60 days in all (first end date 31 January 2020)" in page
    assert "days past its end date" in page
    overview = client.get(f"/{world.authority.slug}/").content.decode()
    assert "Actions complete against time elapsed, by priority" in overview
    assert "Open actions furthest behind" in overview
