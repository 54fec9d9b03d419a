"""Which actions the board pack lists as exceptions, and why (issue 17): Red, overdue, an end
date moved since the last pack, no update once one is due (the round's deadline has passed, or
the month is over), or the month's update returned; with the lead's notes."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from g2g.core.dates import current_period, month_end, today
from g2g.plans.models import Action, ProgressUpdate, Rating
from g2g.plans.querysets import update_due
from g2g.plans.services import edit_action
from g2g.reports.board_pack import build_board_pack
from g2g.rounds.models import Round
from g2g.tenancy.access import access_for
from tests.factories import ActionFactory

pytestmark = pytest.mark.django_db

last_day_of_month = pytest.mark.skipif(
    today() == month_end(today()), reason="on a month's last day every update is due"
)


def deadline(world, day: date) -> None:
    Round.objects.update_or_create(
        plan=world.plan, period=current_period(), defaults={"deadline": day}
    )


def update(action, rating="", *, status="submitted", **notes):
    return ProgressUpdate.objects.update_or_create(
        action=action,
        period=current_period(),
        defaults={"narrative": "n", "status": status, "action_rating": rating} | notes,
    )[0]


def reasons(world, **kwargs) -> dict[str, list[str]]:
    pack = build_board_pack(world.plan, current_period(), **kwargs)
    return {item.action.ref: item.reasons for item in pack.exceptions}


def test_the_rule_for_when_an_update_is_due():
    assert not update_due(date(2026, 10, 10), date(2026, 10, 15))  # early in the round
    assert not update_due(date(2026, 10, 15), date(2026, 10, 15))  # due by the end of the day
    assert update_due(date(2026, 10, 16), date(2026, 10, 15))
    assert not update_due(date(2026, 10, 16), None)  # no round: due when the month is over
    assert update_due(date(2026, 10, 31), None)
    assert update_due(date(2026, 10, 31), date(2026, 11, 5))  # the month is over


def test_with_status_names_a_missing_update_only_once_it_is_due(world):
    action = world.other_action
    middle = current_period() + timedelta(days=14)
    deadline(world, middle + timedelta(days=1))
    missing = dict(
        Action.objects.filter(plan=world.plan)
        .with_status(middle)
        .values_list("pk", "update_missing")
    )
    assert missing[action.pk] is False
    deadline(world, middle - timedelta(days=1))
    missing = dict(
        Action.objects.filter(plan=world.plan)
        .with_status(middle)
        .values_list("pk", "update_missing")
    )
    assert missing[action.pk] is True
    at_month_end = Action.objects.filter(plan=world.plan).with_status(month_end(middle))
    assert dict(at_month_end.values_list("pk", "update_missing"))[action.pk] is True
    update(action, Rating.GREEN)
    missing = dict(
        Action.objects.filter(plan=world.plan)
        .with_status(middle)
        .values_list("pk", "update_missing")
    )
    assert missing[action.pk] is False


@last_day_of_month
def test_early_in_a_round_no_update_yet_is_not_an_exception(world):
    deadline(world, today() + timedelta(days=1))
    update(world.led_action, Rating.GREEN)
    assert reasons(world) == {}
    deadline(world, today() - timedelta(days=1))
    assert reasons(world) == {world.other_action.ref: ["No update this month"]}


@last_day_of_month
def test_each_exception_is_listed_with_its_reasons(world):
    deadline(world, today() + timedelta(days=1))  # no update yet is not a reason
    led, other = world.led_action, world.other_action
    update(led, Rating.RED, next_steps="Re-audit", risks="Staffing", support_needed="Funding")
    update(other, Rating.GREEN, status="returned")
    late = ActionFactory(priority=led.priority, title="Late", end=today() - timedelta(days=3))
    update(late, Rating.AMBER)
    moved = ActionFactory(priority=led.priority, title="Moved", end=today() + timedelta(days=10))
    update(moved, Rating.GREEN)
    fine = ActionFactory(priority=led.priority, title="Fine", end=today() + timedelta(days=10))
    update(fine, Rating.GREEN)
    lead = access_for(world.users["improvement_lead"], world.authority.slug)
    moved.refresh_from_db()
    new_end = date(2030, 1, 31)
    edit_action(
        lead, moved, version=moved.version, end=new_end,
        change_reason="Waiting for funding", change_agreed_by="The board",
    )  # fmt: skip
    listed = reasons(world)
    assert listed[led.ref] == ["Red"]
    assert listed[other.ref] == ["Update returned"]
    assert listed[late.ref] == [f"Overdue (due {late.end:%-d %B %Y})"]
    old = today() + timedelta(days=10)
    assert listed[moved.ref] == [f"End date moved from {old:%-d %B %Y} to 31 January 2030"]
    assert fine.ref not in listed
    # Compared with a pack made after the move, the end date did not move since the last pack.
    assert moved.ref not in reasons(world, previous=timezone.now())
    pack = build_board_pack(world.plan, current_period())
    (red,) = [item for item in pack.exceptions if item.action.pk == led.pk]
    assert red.notes == [
        ("Next steps", "Re-audit"),
        ("Risks and issues", "Staffing"),
        ("Support needed", "Funding"),
    ]
