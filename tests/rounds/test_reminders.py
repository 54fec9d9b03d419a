"""Reminder digests: one mail per person, each reminder once, working days without English
bank holidays, recipients from the lead posts held on the day."""

import io
from datetime import date

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command

from g2g.plans.models import PostHolder
from g2g.rounds.models import Reminder
from g2g.rounds.reminders import send_reminders
from g2g.tenancy.models import Role
from tests.factories import ActionFactory, PostFactory, RoundFactory, UserFactory

pytestmark = pytest.mark.django_db

# Friday 28 March 2025; Easter 2025: Good Friday 18 April, Easter Monday 21 April.
DEADLINE = date(2025, 3, 28)


@pytest.fixture
def round_(world):
    lead = world.users[Role.ACTION_LEAD]
    lead.email = "lead@example.gov.uk"
    lead.save()
    post = world.led_action.leads.get()
    for _ in range(2):  # the lead leads three actions in all
        ActionFactory(priority=world.led_action.priority, leads=[post])
    world.update.delete()  # nothing submitted yet
    world.round.delete()  # the world's round is for this month: newer than March 2025
    return RoundFactory(plan=world.plan, period=date(2025, 3, 1), deadline=DEADLINE)


def test_the_round_opened_mail_is_one_digest_per_person(world, round_):
    run = send_reminders(date(2025, 3, 17), rounds=[round_])
    assert run.sent == 1
    [message] = mail.outbox
    assert message.to == ["lead@example.gov.uk"]
    assert message.subject == (
        "Monthly round open: progress updates due by 28 March 2025 for 3 actions"
    )
    assert world.led_action.ref in message.body
    assert f"/{world.authority.slug}/rounds/{round_.pk}/mine/" in message.body
    # Each action links straight to its update form for this round, in text and HTML alike.
    task_link = (
        f"/{world.authority.slug}/actions/{world.led_action.pk}/update/"
        f"?period=2025-03-01&round={round_.pk}"
    )
    site = settings.SITE_URL.rstrip("/")
    assert f"Write the update: {site}{task_link}\n" in message.body
    assert f'<a href="{site}{task_link.replace("&", "&amp;")}">' in message.alternatives[0][0]
    assert message.alternatives[0][1] == "text/html"
    # The other action's post has no holder: reported, not mailed.
    assert run.without_recipient == [f"{world.authority.name} {world.other_action.ref}"]


def test_running_twice_a_day_sends_nothing_new(world, round_):
    send_reminders(date(2025, 3, 17))
    send_reminders(date(2025, 3, 17))
    assert len(mail.outbox) == 1
    assert Reminder.objects.count() == 1


@pytest.mark.parametrize(
    ("on", "kind"),
    [
        (date(2025, 3, 24), None),  # 4 working days before: nothing yet
        (date(2025, 3, 25), "due_soon"),  # 3 working days before
        (date(2025, 3, 28), "due_soon"),  # missed days catch up, once
        (date(2025, 3, 31), "overdue"),
    ],
    ids=["4-days-before", "3-days-before", "deadline-day", "after"],
)
def test_due_soon_and_overdue(world, round_, on, kind):
    send_reminders(date(2025, 3, 17))  # opened
    mail.outbox.clear()
    send_reminders(on)
    assert [m.subject.split(":")[0] for m in mail.outbox] == {
        None: [],
        "due_soon": ["Progress updates due by 28 March 2025"],
        "overdue": ["Overdue progress updates"],
    }[kind]


def test_overdue_repeats_every_five_working_days_not_daily(world, round_):
    send_reminders(date(2025, 3, 17))
    sent = {
        day: send_reminders(date(2025, 3, day)).kinds.get("overdue", 0) for day in range(31, 32)
    }
    for day in (1, 2, 3, 4, 7, 8):
        sent[day] = send_reminders(date(2025, 4, day)).kinds.get("overdue", 0)
    # 31 March, then 7 April (5 working days on)
    assert sent == {31: 1, 1: 0, 2: 0, 3: 0, 4: 0, 7: 1, 8: 0}


def test_weekends_and_bank_holidays_send_nothing(world, round_):
    assert send_reminders(date(2025, 3, 22)).skipped  # a Saturday
    round_.deadline = date(2025, 4, 24)
    round_.save()
    assert send_reminders(date(2025, 4, 18)).skipped  # Good Friday
    assert mail.outbox == []


def test_working_days_skip_easter(world, round_):
    """Three working days before Thursday 24 April 2025 is Thursday 17 April (Easter between)."""
    round_.deadline = date(2025, 4, 24)
    round_.save()
    send_reminders(date(2025, 4, 16))
    mail.outbox.clear()
    assert send_reminders(date(2025, 4, 16)).sent == 0
    assert send_reminders(date(2025, 4, 17)).kinds == {"due_soon": 1}


def test_submitted_actions_are_not_chased(world, round_):
    from g2g.plans.models import ProgressUpdate

    send_reminders(date(2025, 3, 17))
    mail.outbox.clear()
    for action in round_.plan.actions.filter(leads__holders__user__email="lead@example.gov.uk"):
        ProgressUpdate.objects.create(
            action=action, period=round_.period, narrative="x", status="submitted"
        )
    assert send_reminders(date(2025, 3, 31)).sent == 0


def test_recipients_are_the_current_holders_with_a_role_and_an_email(world, round_):
    post = world.other_action.leads.get()
    left = UserFactory(email="left@example.gov.uk")
    PostHolder.objects.create(post=post, name="Left", user=left, until=date(2025, 1, 31))
    outsider = UserFactory(email="outsider@example.gov.uk")  # no role in the authority
    PostHolder.objects.create(post=post, name="Outsider", user=outsider)
    successor = world.users[Role.VIEWER]
    successor.email = "successor@example.gov.uk"
    successor.save()
    PostHolder.objects.create(post=post, name="New", user=successor, since=date(2025, 2, 1))
    send_reminders(date(2025, 3, 17))
    assert sorted(m.to[0] for m in mail.outbox) == [
        "lead@example.gov.uk",
        "successor@example.gov.uk",
    ]


def test_one_digest_covers_rounds_in_two_authorities(world, foreign_world, round_):
    lead = world.users[Role.ACTION_LEAD]
    from tests.factories import MembershipFactory, PostHolderFactory

    MembershipFactory(user=lead, authority=foreign_world.authority, role=Role.ACTION_LEAD)
    PostHolderFactory(post=foreign_world.led_action.leads.get(), user=lead)
    foreign_world.update.delete()
    foreign_world.round.delete()
    other = RoundFactory(plan=foreign_world.plan, period=date(2025, 3, 1), deadline=DEADLINE)
    send_reminders(date(2025, 3, 17))
    [message] = [m for m in mail.outbox if m.to == ["lead@example.gov.uk"]]
    assert "for 4 actions" in message.subject
    assert world.authority.name in message.body
    assert foreign_world.authority.name in message.body
    assert Reminder.objects.filter(user=lead).count() == 2
    assert {r.round for r in Reminder.objects.filter(user=lead)} == {round_, other}


def test_the_command_reports_what_it_sent(world, round_):
    out = io.StringIO()
    call_command("send_reminders", date="2025-03-17", stdout=out)
    assert "sent 1 reminder mail(s) (round opened: 1)" in out.getvalue()
    out = io.StringIO()
    call_command("send_reminders", date="2025-03-25", dry_run=True, stdout=out)
    assert "Would send to lead@example.gov.uk" in out.getvalue()
    assert len(mail.outbox) == 1


def test_the_command_refuses_a_bad_date(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="not a date"):
        call_command("send_reminders", date="31/03/2025", stdout=io.StringIO())


def test_a_newer_round_stops_the_older_ones_reminders(world, round_):
    send_reminders(date(2025, 3, 17))
    PostFactory(authority=world.authority)
    RoundFactory(plan=world.plan, period=date(2025, 4, 1), deadline=date(2025, 4, 30))
    mail.outbox.clear()
    run = send_reminders(date(2025, 4, 1))
    assert {section.round.period for d in run.digests for section in d.sections} == {
        date(2025, 4, 1)
    }
