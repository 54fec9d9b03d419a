"""Opening a monthly round. Writing, submitting, returning and signing off the updates it asks
for are `plans.services` (`save_draft`, `submit_update`, `return_update`, `sign_off_update`),
so an update follows the same rules inside a round and outside one; reminders are
`rounds.reminders.send_reminders`."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from simple_history.utils import bulk_create_with_history

from g2g.core.dates import current_period, is_working_day, month_start, today
from g2g.core.history import save_with_history
from g2g.plans.models import Action, Plan
from g2g.tenancy.access import Access, Capability

from .models import Round, Task


def open_round(
    access: Access, plan: Plan, *, period: date, deadline: date, notify: bool = True
) -> Round:
    """Open the plan's round for a month: one task for each open action, due by `deadline`.

    Preconditions: `plan` was fetched through `access`. With `notify`, the leads are sent the
    "round opened" mail once the round is saved (logged, so the daily run does not repeat it).
    """
    access.require(Capability.SIGN_OFF_UPDATE)
    period = month_start(period)
    errors = {}
    if plan.status == Plan.Status.CLOSED:
        errors["period"] = "This plan is closed: open rounds for the plan being worked to"
    elif period > current_period():
        errors["period"] = "A round can only be opened for this month or an earlier one"
    if deadline < today():
        errors["deadline"] = "The deadline must be today or later"
    elif deadline < period:
        errors["deadline"] = "The deadline must be in or after the month the updates are for"
    elif not is_working_day(deadline):
        errors["deadline"] = (
            f"{deadline:%-d %B %Y} is a weekend or a bank holiday: choose a working day"
        )
    if errors:
        raise ValidationError(errors)
    if Round.objects.filter(plan=plan, period=period).exists():
        raise ValidationError({"period": f"A round for {period:%B %Y} is already open"})
    try:
        with transaction.atomic():
            round_ = Round(plan=plan, period=period, deadline=deadline, opened_by=access.user)
            save_with_history(round_, access.user)
            actions = Action.objects.filter(plan=plan).open().order_by("order")
            bulk_create_with_history(
                [Task(round=round_, action=action) for action in actions],
                Task,
                default_user=access.user,
            )
    except IntegrityError:  # opened by someone else at the same moment
        raise ValidationError({"period": f"A round for {period:%B %Y} is already open"}) from None
    if notify:
        from .reminders import send_reminders

        send_reminders(today(), rounds=[round_])
    return round_
