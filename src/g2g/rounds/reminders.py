"""Reminder mails for monthly rounds: one digest per person, listing their actions.

Three reminders, each sent once (the `Reminder` log makes a second run on the same day send
nothing new):
- round opened: to each current holder of a lead post with an outstanding task;
- due soon: from 3 working days before the deadline, to those with tasks still outstanding;
- overdue: after the deadline, to those with tasks still outstanding, again every 5 working days.

"Outstanding" means not started, draft or returned. The daily run sends nothing on weekends and
English bank holidays. Recipients are the people holding one of the action's lead posts on the
day (`PostHolder` since/until), with a role in the authority and an email address.
"""

from __future__ import annotations

import smtplib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse

from g2g.core.dates import add_working_days, is_working_day, working_days_between
from g2g.core.notify import NotifyError
from g2g.plans.models import PostHolder

from .models import Reminder, Round, Task
from .querysets import OUTSTANDING

DUE_SOON_WORKING_DAYS = 3
OVERDUE_EVERY_WORKING_DAYS = 5
STATE_WORDS = {
    "not_started": "not started",
    "draft": "draft, not submitted",
    "returned": "returned: see the comment",
    "submitted": "submitted, awaiting sign-off",
    "signed_off": "signed off",
}


@dataclass
class Section:
    """One round in a person's digest: why they are reminded and which of their actions."""

    round: Round
    kind: str
    tasks: list
    url: str
    on: date

    @property
    def outstanding(self) -> list:
        return [task for task in self.tasks if task.state in OUTSTANDING]

    @property
    def lines(self) -> list[tuple[str, str, str, str]]:
        """(ref, title, state in words, the link to write its update) for each outstanding
        action: the mail leads straight to the task's form, as the round's own list does."""
        return [
            (task.action.ref, task.action.title, STATE_WORDS[task.state], _task_url(task))
            for task in self.outstanding
        ]

    @property
    def working_days_left(self) -> int:
        return working_days_between(self.on, self.round.deadline)


@dataclass
class Digest:
    user: object
    sections: list[Section] = field(default_factory=list)

    @property
    def action_count(self) -> int:
        return sum(len(section.outstanding) for section in self.sections)

    @property
    def subject(self) -> str:
        count = self.action_count
        actions = f"{count} action{'s' if count != 1 else ''}"
        kinds = {section.kind for section in self.sections}
        deadline = min(section.round.deadline for section in self.sections)
        if Reminder.Kind.OVERDUE in kinds:
            return f"Overdue progress updates: {actions}"
        if Reminder.Kind.DUE_SOON in kinds:
            return f"Progress updates due by {deadline:%-d %B %Y}: {actions}"
        return f"Monthly round open: progress updates due by {deadline:%-d %B %Y} for {actions}"


@dataclass
class ReminderRun:
    """What a run did, for the command's output and for tests."""

    on: date
    skipped: str = ""
    sent: int = 0
    kinds: Counter = field(default_factory=Counter)
    failed: list[str] = field(default_factory=list)
    without_recipient: list[str] = field(default_factory=list)  # "Oldham 1.3", …
    digests: list[Digest] = field(default_factory=list)

    def summary(self) -> str:
        if self.skipped:
            return self.skipped
        kinds = ", ".join(
            f"{Reminder.Kind(kind).label.lower()}: {count}"
            for kind, count in sorted(self.kinds.items())
        )
        detail = f" ({kinds})" if kinds else ""
        lines = [f"{self.on:%-d %B %Y}: sent {self.sent} reminder mail(s){detail}"]
        if self.failed:
            lines.append(f"Could not send to: {', '.join(self.failed)} (will retry next run)")
        if self.without_recipient:
            lines.append(
                "Outstanding actions whose lead has no email address or no holder: "
                + ", ".join(self.without_recipient)
            )
        return "\n".join(lines)


def send_reminders(
    on: date, *, rounds=None, dry_run: bool = False, force: bool = False
) -> ReminderRun:
    """Send the reminders due on `on` for the live rounds (or the given ones) and log them.

    Without `force`, a weekend or bank holiday sends nothing when no rounds are given.
    """
    run = ReminderRun(on)
    if rounds is None and not force and not is_working_day(on):
        run.skipped = f"{on:%-d %B %Y} is not a working day: no reminders sent"
        return run
    if rounds is None:
        rounds = list(Round.objects.live().select_related("plan__authority"))
    run.digests = build_digests(on, rounds, run)
    if dry_run:
        return run
    with get_connection() as connection:
        for digest in run.digests:
            _send(digest, on, connection, run)
    return run


def build_digests(on: date, rounds: list[Round], run: ReminderRun | None = None) -> list[Digest]:
    """One digest per person with something to be reminded of; a fixed number of queries."""
    run = run or ReminderRun(on)
    tasks = list(
        Task.objects.filter(round__in=rounds)
        .with_state()
        .select_related("action", "round__plan__authority")
        .order_by("round__plan__authority__name", "action__order")
    )
    leads = _leads_by_action(on, {task.action_id for task in tasks})
    users = get_user_model().objects.in_bulk({user for ids in leads.values() for user in ids})
    sent = _sent_before(rounds, users)
    by_user: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for task in tasks:
        if not leads.get(task.action_id) and task.state in OUTSTANDING:
            run.without_recipient.append(
                f"{task.round.plan.authority.name} {task.action.ref}".strip()
            )
        for user_id in sorted(leads.get(task.action_id, ())):
            by_user[user_id][task.round_id].append(task)
    rounds_by_pk = {round_.pk: round_ for round_ in rounds}
    digests = []
    for user_id, tasks_by_round in by_user.items():
        digest = Digest(users[user_id])
        for round_pk, round_tasks in tasks_by_round.items():
            round_ = rounds_by_pk[round_pk]
            kind = _kind_due(on, round_, round_tasks, sent.get((round_pk, user_id), {}))
            if kind:
                digest.sections.append(Section(round_, kind, round_tasks, _mine_url(round_), on))
        if digest.sections:
            digests.append(digest)
    return sorted(digests, key=lambda d: d.user.pk)


def _leads_by_action(on: date, action_ids: set[int]) -> dict[int, set[int]]:
    """Action id → ids of the people holding one of its lead posts on `on` who can be mailed
    and have a role in the action's authority."""
    holders = (
        PostHolder.objects.filter(post__actions__in=action_ids, user__is_active=True)
        .exclude(user__isnull=True)
        .exclude(user__email="")
        .exclude(since__gt=on)
        .exclude(until__lt=on)
        .filter(user__memberships__authority=F("post__authority"))
        .values_list("post__actions", "user")
    )
    leads: dict[int, set[int]] = defaultdict(set)
    for action_id, user_id in holders:
        leads[action_id].add(user_id)
    return leads


def _sent_before(rounds, users) -> dict[tuple[int, int], dict[str, list[date]]]:
    sent: dict[tuple[int, int], dict[str, list[date]]] = defaultdict(lambda: defaultdict(list))
    for round_id, user_id, kind, sent_on in Reminder.objects.filter(
        round__in=rounds, user__in=list(users)
    ).values_list("round", "user", "kind", "sent_on"):
        sent[(round_id, user_id)][kind].append(sent_on)
    return sent


def _kind_due(on: date, round_: Round, tasks: list, sent: dict[str, list[date]]) -> str | None:
    """Which reminder, if any, this person is due for this round on `on`."""
    if not any(task.state in OUTSTANDING for task in tasks):
        return None
    if on <= round_.deadline:
        if Reminder.Kind.OPENED not in sent:
            return Reminder.Kind.OPENED
        close = working_days_between(on, round_.deadline) <= DUE_SOON_WORKING_DAYS
        if close and Reminder.Kind.DUE_SOON not in sent:
            return Reminder.Kind.DUE_SOON
        return None
    repeat_after = add_working_days(on, -OVERDUE_EVERY_WORKING_DAYS)
    if all(day <= repeat_after for day in sent.get(Reminder.Kind.OVERDUE, [])):
        return Reminder.Kind.OVERDUE
    return None


def _mine_url(round_: Round) -> str:
    path = reverse("round_mine", args=[round_.plan.authority.slug, round_.pk])
    return settings.SITE_URL.rstrip("/") + path


def _task_url(task: Task) -> str:
    round_ = task.round
    path = reverse("update_write", args=[round_.plan.authority.slug, task.action_id])
    query = urlencode({"period": round_.period.isoformat(), "round": round_.pk})
    return f"{settings.SITE_URL.rstrip('/')}{path}?{query}"


def _send(digest: Digest, on: date, connection, run: ReminderRun) -> None:
    """Claim the log rows first (so two runs at once cannot both send), then send; a failed
    send gives the claim back so the next run tries again."""
    user = digest.user
    rows = [
        Reminder(
            round=section.round,
            user=user,
            kind=section.kind,
            sent_on=on,
            email=user.email,
            actions=len(section.outstanding),
        )
        for section in digest.sections
    ]
    try:
        with transaction.atomic():
            claimed = Reminder.objects.bulk_create(rows)
    except IntegrityError:
        return  # another run is sending this one
    context = {"digest": digest, "user": user, "kinds": Reminder.Kind}
    message = EmailMultiAlternatives(
        subject=digest.subject,
        body=render_to_string("rounds/email/digest.txt", context),
        to=[user.email],
        connection=connection,
    )
    message.attach_alternative(render_to_string("rounds/email/digest.html", context), "text/html")
    try:
        message.send()
    except (smtplib.SMTPException, OSError, NotifyError):
        Reminder.objects.filter(pk__in=[row.pk for row in claimed]).delete()
        run.failed.append(user.email)
        return
    run.sent += 1
    for section in digest.sections:
        run.kinds[section.kind] += 1
