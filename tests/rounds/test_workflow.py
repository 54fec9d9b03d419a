"""The update workflow: draft → submitted → returned / signed off, evidence rules, optimistic
concurrency, and how sign-off decides what counts (with_status)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from g2g.core.dates import current_period
from g2g.plans.models import Action, ProgressUpdate
from g2g.plans.services import (
    StaleUpdateError,
    return_update,
    save_draft,
    sign_off_update,
    submit_update,
)
from tests.factories import ActionFactory, ProgressUpdateFactory

from .helpers import access, content

pytestmark = pytest.mark.django_db


def status_of(action, on) -> Action:
    return Action.objects.with_status(on).get(pk=action.pk)


def test_a_draft_is_submitted_returned_resubmitted_and_signed_off(world):
    lead, improvement = access(world, "action_lead"), access(world, "improvement_lead")
    action = world.other_action
    world.users["action_lead"].posts_held.update(post=action.leads.get())
    update = save_draft(lead, action, content(current_period()), version=0)
    assert (update.status, update.version) == ("draft", 1)
    update = submit_update(lead, action, content(current_period()), version=1)
    assert update.status == "submitted"
    assert update.submitted_by == world.users["action_lead"]
    first_submitted = update.submitted_at
    update = return_update(improvement, update, comment="Attach the audit.", version=2)
    assert (update.status, update.return_comment) == ("returned", "Attach the audit.")
    update = submit_update(lead, action, content(current_period()), version=3)
    assert update.submitted_at == first_submitted  # lateness is judged by the first submission
    update = sign_off_update(improvement, update, version=4)
    assert update.status == "signed_off"
    assert update.signed_off_by == world.users["improvement_lead"]
    assert update.history.count() == 5  # every step is on the record, with who did it
    assert {h.history_user for h in update.history.all()} == {
        world.users["action_lead"],
        world.users["improvement_lead"],
    }


def test_a_signed_off_update_is_the_record(world):
    improvement = access(world, "improvement_lead")
    update = world.update  # imported history: signed off
    with pytest.raises(ValidationError, match="signed off"):
        save_draft(improvement, world.led_action, content(update.period), version=update.version)


@pytest.mark.parametrize(
    ("changes", "needs"),
    [
        ({"action_rating": "blue"}, "Blue action rating"),
        ({"impact_rating": "blue", "action_rating": ""}, "Blue impact rating"),
        ({"action_rating": "green"}, "from Amber to Green"),
        ({"action_rating": "amber", "impact_rating": ""}, None),
    ],
    ids=["blue", "blue-impact", "change", "no-change"],
)
def test_blue_or_a_change_of_rating_needs_evidence(world, changes, needs):
    improvement = access(world, "improvement_lead")
    action = ActionFactory(priority=world.led_action.priority)
    ProgressUpdateFactory(action=action, period=date(2020, 1, 1), action_rating="amber")
    written = content(current_period(), evidence_text="", **changes)
    if needs is None:
        assert submit_update(improvement, action, written, version=0).status == "submitted"
        return
    with pytest.raises(ValidationError, match=needs):
        submit_update(improvement, action, written, version=0)
    assert not action.updates.filter(period=current_period()).exists()
    # A draft may be saved without evidence; submitting needs it.
    assert save_draft(improvement, action, written, version=0).status == "draft"


def test_a_stale_save_is_refused_and_nothing_is_lost(world):
    """Two people open the same update; the second save is refused with a clear message."""
    lead, improvement = access(world, "action_lead"), access(world, "improvement_lead")
    action = world.led_action
    first = save_draft(lead, action, content(current_period().replace(year=2020)), version=0)
    read_version = first.version  # both read version 1
    save_draft(
        improvement,
        action,
        content(first.period, narrative="Improvement lead's text"),
        version=read_version,
    )
    with pytest.raises(StaleUpdateError) as refused:
        save_draft(lead, action, content(first.period, narrative="Lead's text"), version=1)
    assert "after you opened it" in refused.value.messages[0]
    assert refused.value.current.narrative == "Improvement lead's text"
    saved = ProgressUpdate.objects.get(pk=first.pk)
    assert (saved.narrative, saved.version) == ("Improvement lead's text", 2)


def test_creating_the_months_first_update_twice_is_refused(world):
    improvement = access(world, "improvement_lead")
    save_draft(improvement, world.other_action, content(current_period()), version=0)
    with pytest.raises(StaleUpdateError):
        save_draft(improvement, world.other_action, content(current_period()), version=0)


def test_sign_off_and_return_check_the_version_too(world):
    lead, improvement = access(world, "action_lead"), access(world, "improvement_lead")
    update = submit_update(lead, world.led_action, content(date(2021, 1, 1)), version=0)
    with pytest.raises(StaleUpdateError):
        sign_off_update(improvement, update, version=update.version - 1)
    with pytest.raises(StaleUpdateError):
        return_update(improvement, update, comment="x", version=update.version + 1)
    assert ProgressUpdate.objects.get(pk=update.pk).status == "submitted"


def test_nobody_signs_off_their_own_submission(world):
    improvement = access(world, "improvement_lead")
    update = submit_update(improvement, world.other_action, content(date(2021, 1, 1)), version=0)
    with pytest.raises(ValidationError, match="someone else must sign it off"):
        sign_off_update(improvement, update, version=update.version)
    assert sign_off_update(access(world, "administrator"), update, version=update.version)


@pytest.mark.parametrize("role", ["action_lead", "viewer", "regional_viewer"])
def test_only_improvement_leads_and_administrators_sign_off(world, role):
    update = submit_update(
        access(world, "improvement_lead"), world.other_action, content(date(2021, 1, 1)), version=0
    )
    with pytest.raises(PermissionDenied):
        sign_off_update(access(world, role), update, version=update.version)
    with pytest.raises(PermissionDenied):
        return_update(access(world, role), update, comment="No", version=update.version)


def test_a_return_needs_a_comment(world):
    update = submit_update(
        access(world, "action_lead"), world.led_action, content(date(2021, 1, 1)), version=0
    )
    with pytest.raises(ValidationError, match="Say why"):
        return_update(access(world, "improvement_lead"), update, comment="  ", version=2)


def test_only_a_submitted_update_is_signed_off(world):
    draft = save_draft(
        access(world, "action_lead"), world.led_action, content(date(2021, 1, 1)), version=0
    )
    with pytest.raises(ValidationError, match="Only a submitted update"):
        sign_off_update(access(world, "improvement_lead"), draft, version=draft.version)


def test_bad_links_are_refused_before_anything_is_written(world):
    written = content(current_period(), evidence_links=("https://ok.example/a", "javascript:x"))
    with pytest.raises(ValidationError, match="Link 2 is not a web address"):
        save_draft(access(world, "action_lead"), world.led_action, written, version=1)


# ---- what counts: with_status ------------------------------------------------------------

ON = date(2024, 6, 15)


def test_blue_counts_only_once_signed_off(world):
    lead, improvement = access(world, "action_lead"), access(world, "improvement_lead")
    action = ActionFactory(priority=world.led_action.priority, end=date(2024, 6, 1))
    ProgressUpdateFactory(action=action, period=date(2024, 5, 1), action_rating="amber")
    world.users["action_lead"].posts_held.update(post=world.led_action.leads.get())
    action.leads.set([world.led_action.leads.get()])
    update = submit_update(lead, action, content(date(2024, 6, 1), action_rating="blue"), version=0)
    pending = status_of(action, ON)
    assert pending.awaiting_sign_off is True
    assert pending.action_rating == "amber"  # the last verified rating still counts
    assert pending.is_overdue is True  # not complete until signed off
    sign_off_update(improvement, update, version=update.version)
    done = status_of(action, ON)
    assert (done.action_rating, done.awaiting_sign_off, done.is_overdue) == ("blue", False, False)


def test_a_submitted_green_counts_at_once_but_drafts_and_returns_do_not(world):
    lead, improvement = access(world, "action_lead"), access(world, "improvement_lead")
    action = world.led_action
    ProgressUpdate.objects.all().delete()
    update = save_draft(lead, action, content(date(2024, 6, 1)), version=0)
    assert (status_of(action, ON).action_rating, status_of(action, ON).updated_this_period) == (
        None,
        False,
    )
    update = submit_update(lead, action, content(date(2024, 6, 1)), version=update.version)
    assert status_of(action, ON).action_rating == "green"
    assert status_of(action, ON).updated_this_period is True
    return_update(improvement, update, comment="Needs figures", version=update.version)
    assert status_of(action, ON).action_rating is None
    assert status_of(action, ON).updated_this_period is False
