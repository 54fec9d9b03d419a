"""The plan as at a moment, from history: read now, it agrees with `with_status`; read at a
past moment, later writes do not change it. Pace's "same ratings since" agrees with `with_status`
read month by month: the three readers of "which update counts" stay equal."""

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from g2g.plans.as_at import actions_as_at
from g2g.plans.models import Action, ProgressUpdate, Rating
from g2g.plans.pace import pace_of_actions
from tests.factories import ActionFactory, PlanFactory, PriorityFactory

pytestmark = pytest.mark.django_db

ON = date(2024, 6, 15)
MONTHS = [date(2024, month, 1) for month in (3, 4, 5, 6, 7)]
RATINGS = ["", Rating.RED, Rating.AMBER, Rating.GREEN, Rating.BLUE]
STATUSES = [choice for choice, _label in ProgressUpdate.Status.choices]

update = st.tuples(
    st.sampled_from(MONTHS), st.sampled_from(STATUSES), *[st.sampled_from(RATINGS)] * 2
)
action = st.tuples(
    st.sampled_from([None, date(2024, 5, 31), date(2024, 9, 30)]),  # end
    st.booleans(),  # closed
    st.lists(update, max_size=4, unique_by=lambda u: u[0]),
)


def compare(plan) -> None:
    live = {
        a.pk: (
            a.action_rating or "",
            a.impact_rating or "",
            a.last_period,
            a.awaiting_sign_off,
            a.updated_this_period,
            a.update_missing,
            a.is_overdue,
            a.slipped,
        )
        for a in Action.objects.filter(plan=plan).with_status(ON)
    }
    history = {
        s.pk: (
            s.action_rating,
            s.impact_rating,
            s.last_period,
            s.awaiting_sign_off,
            s.updated_this_period,
            s.update_missing,
            s.is_overdue,
            s.slipped,
        )
        for s in actions_as_at(plan, timezone.now(), ON)
    }
    assert history == live
    paced = pace_of_actions(Action.objects.filter(plan=plan).with_status(ON), ON)
    assert {pk: pace.rating_since for pk, pace in paced.items()} == rating_since_by_month(plan)


def rating_since_by_month(plan) -> dict[int, date | None]:
    """When each action's current ratings were first given, read from `with_status` at the
    start of each month back from ON: the earliest update of the run of months rated the same."""
    months = [month for month in MONTHS if month <= ON]
    rated = {
        month: {
            a.pk: ((a.action_rating or "", a.impact_rating or ""), a.last_period)
            for a in Action.objects.filter(plan=plan).with_status(month)
        }
        for month in months
    }
    since: dict[int, date | None] = {}
    for pk, (pair, _last) in rated[months[-1]].items():
        since[pk] = None
        if not any(pair):
            continue
        for month in reversed(months):
            then, last = rated[month][pk]
            if then != pair or last is None:
                break
            since[pk] = last
    return since


@settings(max_examples=60)
@given(st.lists(action, min_size=1, max_size=4))
def test_read_now_the_history_and_pace_agree_with_with_status(actions):
    with transaction.atomic():
        plan = PlanFactory()
        priority = PriorityFactory(plan=plan)
        for end, closed, updates in actions:
            made = ActionFactory(priority=priority, end=end, closed_on=ON if closed else None)
            if end:  # a slip: the end date moved later once
                made.end = end + timedelta(days=30)
                made.save()
            for period, status, action_rating, impact_rating in updates:
                ProgressUpdate.objects.create(
                    action=made,
                    period=period,
                    narrative="n",
                    status=status,
                    action_rating=action_rating,
                    impact_rating=impact_rating,
                )
        compare(plan)
        transaction.set_rollback(True)


def test_later_writes_do_not_change_the_plan_as_it_was():
    action = ActionFactory(end=date(2024, 9, 30))
    ProgressUpdate.objects.create(
        action=action,
        period=date(2024, 6, 1),
        narrative="n",
        status="submitted",
        action_rating=Rating.BLUE,
        impact_rating=Rating.GREEN,
    )
    moment = timezone.now()
    before = actions_as_at(action.plan, moment, ON)
    assert (before[0].action_rating, before[0].awaiting_sign_off) == ("", True)
    update = ProgressUpdate.objects.get()
    update.status = "signed_off"
    update.save()
    action.end = date(2025, 3, 31)
    action.title = "Renamed"
    action.save()
    assert actions_as_at(action.plan, moment, ON) == before
    now = actions_as_at(action.plan, timezone.now(), ON)[0]
    assert (now.action_rating, now.title, now.slipped) == (Rating.BLUE, "Renamed", True)


def test_a_deleted_action_is_gone_only_after_its_deletion():
    action = ActionFactory()
    moment, plan, pk = timezone.now(), action.plan, action.pk
    action.delete()
    assert [state.pk for state in actions_as_at(plan, moment, ON)] == [pk]
    assert actions_as_at(plan, timezone.now(), ON) == []
