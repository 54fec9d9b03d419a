"""Derived states, computed in one place (ActionQuerySet.with_status)."""

from datetime import date

import pytest

from g2g.plans.models import Action
from tests.factories import ActionFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db

ON = date(2024, 6, 15)


def status(action) -> Action:
    return Action.objects.with_status(ON).get(pk=action.pk)


def test_current_ratings_are_the_latest_updates():
    action = ActionFactory()
    ProgressUpdateFactory(action=action, period=date(2024, 4, 1), action_rating="red")
    ProgressUpdateFactory(
        action=action, period=date(2024, 5, 1), action_rating="amber", impact_rating="green"
    )
    current = status(action)
    assert (current.action_rating, current.impact_rating) == ("amber", "green")
    assert current.last_period == date(2024, 5, 1)


@pytest.mark.parametrize(
    ("end", "rating", "overdue"),
    [
        (date(2024, 6, 14), None, True),
        (date(2024, 6, 14), "red", True),
        (date(2024, 6, 14), "blue", False),
        (date(2024, 6, 15), None, False),
        (None, None, False),
    ],
    ids=["passed-unrated", "passed-red", "passed-complete", "due-today", "no-end"],
)
def test_overdue_means_end_passed_and_not_complete(end, rating, overdue):
    action = ActionFactory(end=end)
    if rating:
        ProgressUpdateFactory(action=action, period=date(2024, 5, 1), action_rating=rating)
    assert status(action).is_overdue is overdue
    assert (action in Action.objects.with_status(ON).overdue()) is overdue


def test_no_update_this_period():
    updated, silent = ActionFactory(), ActionFactory()
    ProgressUpdateFactory(action=updated, period=date(2024, 6, 1))
    ProgressUpdateFactory(action=silent, period=date(2024, 5, 1))
    assert list(Action.objects.with_status(ON).without_update()) == [silent]


def test_slipped_is_read_from_history():
    action = ActionFactory(end=date(2024, 3, 31))
    assert status(action).slipped is False
    action.end = date(2024, 9, 30)
    action.save()
    assert status(action).slipped is True


def test_an_end_date_brought_forward_has_not_slipped():
    action = ActionFactory(end=date(2024, 9, 30))
    action.end = date(2024, 3, 31)
    action.save()
    assert status(action).slipped is False


@pytest.mark.parametrize(
    ("status_", "action_rating", "impact_rating", "awaiting"),
    [
        ("submitted", "blue", "", True),
        ("submitted", "green", "blue", True),
        ("submitted", "green", "green", False),
        ("signed_off", "blue", "blue", False),
        ("draft", "blue", "", False),
        ("returned", "blue", "", False),
    ],
    ids=["blue-submitted", "impact-blue", "green", "signed-off", "draft", "returned"],
)
def test_an_update_shows_blue_awaiting_sign_off_as_with_status_reads_it(
    status_, action_rating, impact_rating, awaiting
):
    """The update's own flag (shown on its page) and the action's state come from one rule."""
    action = ActionFactory()
    update = ProgressUpdateFactory(
        action=action,
        period=date(2024, 6, 1),
        status=status_,
        action_rating=action_rating,
        impact_rating=impact_rating,
    )
    assert update.blue_awaiting_sign_off is awaiting
    assert status(action).awaiting_sign_off is awaiting
