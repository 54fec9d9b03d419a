"""A whole monthly round in Chromium, checked by axe at every step: an improvement lead opens
it, two action leads submit (one after the deadline), the improvement lead returns one update
and signs off the other, and the reminder mails go to the right people with the right counts."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db.models import Count, Q
from playwright.sync_api import expect

from g2g.core.dates import add_working_days, current_period, is_working_day, today
from g2g.importers.posts import find_post
from g2g.plans.models import Action, Post, PostHolder, ProgressUpdate
from g2g.rounds.models import Round
from g2g.tenancy.models import Membership, Role

from .conftest import assert_accessible, fill_date, new_page, sign_in

pytestmark = pytest.mark.e2e

LEAD_POST = "AD Children's Social Care"  # the demo action lead's post in Tameside


def open_actions(post) -> int:
    """The post's open actions in the plan being worked to (a round asks for their updates)."""
    current = Action.objects.filter(plan__authority__slug="tameside", plan__status="active")
    return current.filter(leads=post).open().count()


def lead_post() -> Post:
    """The demo action lead's post (the importer makes one post however the plan writes it)."""
    return find_post(Post.objects.filter(authority__slug="tameside"), LEAD_POST)


@pytest.fixture
def second_lead(demo):
    """A second action lead in Tameside, holding a post with actions the first does not lead."""
    post = (
        Post.objects.filter(authority__slug="tameside")
        .exclude(pk=lead_post().pk)
        .exclude(actions__leads=lead_post())
        .annotate(actions_led=Count("actions", filter=Q(actions__plan__status="active")))
        .filter(actions_led__gt=0)
        .order_by("-actions_led")
        .first()
    )
    user = get_user_model().objects.create_user(
        "second_lead", "second@example.gov.uk", demo.password, first_name="Sam"
    )
    Membership.objects.create(user=user, authority=post.authority, role=Role.ACTION_LEAD)
    PostHolder.objects.create(post=post, user=user, name="Sam Second", since=today())
    return post


def submit_first_task(page, round_pk: int, narrative: str, rating: str) -> str:
    page.goto(f"/tameside/rounds/{round_pk}/mine/")
    expect(page.get_by_role("heading", name="My actions due this round")).to_be_visible()
    assert_accessible(page)
    link = page.locator(".govuk-task-list__link").first
    title = link.inner_text()
    link.click()
    assert_accessible(page)
    page.get_by_label("What progress has been made?").fill(narrative)
    rating = a_change_of_rating(page.url, rating)
    page.locator("#main-content").get_by_label(rating, exact=True).first.check()
    page.get_by_role("button", name="Submit for sign-off").click()  # no evidence: explained
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Evidence", exact=True).fill("Audit of 20 cases; minutes of the board.")
    page.get_by_role("button", name="Submit for sign-off").click()
    expect(page.get_by_text("Update submitted for")).to_be_visible()
    assert_accessible(page)
    return title


def a_change_of_rating(update_url: str, wanted: str) -> str:
    """The wanted rating, or Red where the action is already rated so: only a change of rating
    needs evidence, and which action comes first in the task list depends on the demo's data."""
    action_pk = int(re.search(r"/actions/(\d+)/", update_url).group(1))
    before = current_period() - timedelta(days=1)
    current = Action.objects.filter(pk=action_pk).with_status(before).get().action_rating
    return "Red" if current == wanted.lower() else wanted


def test_a_whole_round(browser, live_server, demo, second_lead):
    Round.objects.all().delete()  # the demo's live rounds: this test opens its own
    ProgressUpdate.objects.filter(period=current_period()).delete()
    first_post = lead_post()
    first_count, second_count = open_actions(first_post), open_actions(second_lead)
    mail.outbox.clear()

    # The improvement lead opens the round; each lead gets one "round opened" mail.
    improvement = new_page(browser, live_server, bypass_csp=True)
    sign_in(improvement, "improvement_lead", demo.password)
    improvement.goto("/tameside/")
    improvement.get_by_role("link", name="Monthly update rounds").click()
    assert_accessible(improvement)
    improvement.get_by_role("link", name="Open a round").click()
    assert_accessible(improvement)
    deadline = add_working_days(today(), 3)
    fill_date(improvement, "Deadline", deadline)
    improvement.get_by_role("button", name="Open the round").click()
    expect(improvement.get_by_text("round is open")).to_be_visible()
    assert_accessible(improvement)
    round_ = Round.objects.get(plan__authority__slug="tameside")
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == sorted(
        [
            ("action_lead@example.gov.uk", opened_subject(deadline, first_count)),
            ("second@example.gov.uk", opened_subject(deadline, second_count)),
        ]
    )

    # The first lead submits on time.
    first = new_page(browser, live_server, bypass_csp=True)
    sign_in(first, "action_lead", demo.password)
    on_time = submit_first_task(first, round_.pk, "Threshold document agreed.", "Green")

    # The deadline passes; the second lead submits late.
    Round.objects.filter(pk=round_.pk).update(deadline=previous_working_day())
    second = new_page(browser, live_server, bypass_csp=True)
    sign_in(second, "second_lead", demo.password)
    late = submit_first_task(second, round_.pk, "Audits started.", "Amber")
    improvement.goto(f"/tameside/rounds/{round_.pk}/")
    row = improvement.locator("tr", has_text=late.split(" ", 1)[1])
    expect(row.get_by_text("Late")).to_be_visible()
    assert_accessible(improvement)

    # The improvement lead returns the late one and signs off the other.
    improvement.goto(f"/tameside/rounds/{round_.pk}/sign-off/")
    assert_accessible(improvement)
    improvement.get_by_role("link", name=f"Review the update for {late.split(' ')[0]}").click()
    assert_accessible(improvement)
    improvement.get_by_label("What does the update need?").fill("Give the audit figures.")
    improvement.get_by_role("button", name="Return with this comment").click()
    expect(improvement.get_by_text("returned to its writer")).to_be_visible()
    improvement.get_by_role("link", name=f"Review the update for {on_time.split(' ')[0]}").click()
    improvement.get_by_role("button", name="Sign off this update").click()
    expect(improvement.get_by_text("signed off").first).to_be_visible()
    expect(improvement.get_by_text("No updates are waiting for sign-off")).to_be_visible()
    assert_accessible(improvement)
    statuses = dict(
        ProgressUpdate.objects.filter(period=round_.period).values_list(
            "submitted_by__username", "status"
        )
    )
    assert statuses == {"action_lead": "signed_off", "second_lead": "returned"}

    # The returned update shows its comment to its writer.
    second.goto(f"/tameside/rounds/{round_.pk}/mine/")
    expect(second.get_by_text("Give the audit figures.")).to_be_visible()

    # The daily run: overdue digests, counting only what is still outstanding; a second run
    # on the same day sends nothing new.
    mail.outbox.clear()
    call_command("send_reminders", date=today().isoformat(), force=True, stdout=io.StringIO())
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == sorted(
        [
            ("action_lead@example.gov.uk", overdue_subject(first_count - 1)),
            ("second@example.gov.uk", overdue_subject(second_count)),  # returned: outstanding
        ]
    )
    call_command("send_reminders", date=today().isoformat(), force=True, stdout=io.StringIO())
    assert len(mail.outbox) == 2


def actions(count: int) -> str:
    return f"{count} action{'s' if count != 1 else ''}"


def opened_subject(deadline, count: int) -> str:
    return f"Monthly round open: progress updates due by {deadline:%-d %B %Y} for {actions(count)}"


def overdue_subject(count: int) -> str:
    return f"Overdue progress updates: {actions(count)}"


def previous_working_day():
    day = today() - timedelta(days=1)
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day
