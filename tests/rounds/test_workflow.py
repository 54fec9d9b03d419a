"""The update workflow: draft → submitted → returned / signed off, evidence rules, optimistic
concurrency, and how sign-off decides what counts (with_status)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from g2g.core.dates import add_months, current_period
from g2g.plans.models import Action, EvidenceFile, ProgressUpdate
from g2g.plans.services import (
    StaleUpdateError,
    return_update,
    save_draft,
    sign_off_update,
    submit_update,
    writable_periods,
)
from tests.factories import ActionFactory, ProgressUpdateFactory

from .helpers import access, content

pytestmark = pytest.mark.django_db


def last_month() -> date:
    """A month an update may be written for (`writable_periods`) that the world's led action
    has no update for yet (its update is this month's)."""
    return add_months(current_period(), -1)


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
    first = save_draft(lead, action, content(last_month()), version=0)
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
    update = submit_update(lead, world.led_action, content(last_month()), version=0)
    with pytest.raises(StaleUpdateError):
        sign_off_update(improvement, update, version=update.version - 1)
    with pytest.raises(StaleUpdateError):
        return_update(improvement, update, comment="x", version=update.version + 1)
    assert ProgressUpdate.objects.get(pk=update.pk).status == "submitted"


def test_nobody_signs_off_their_own_submission(world):
    improvement = access(world, "improvement_lead")
    update = submit_update(improvement, world.other_action, content(last_month()), version=0)
    with pytest.raises(ValidationError, match="someone else must sign it off"):
        sign_off_update(improvement, update, version=update.version)
    assert sign_off_update(access(world, "administrator"), update, version=update.version)


@pytest.mark.parametrize("role", ["action_lead", "viewer", "regional_viewer"])
def test_only_improvement_leads_and_administrators_sign_off(world, role):
    update = submit_update(
        access(world, "improvement_lead"), world.other_action, content(last_month()), version=0
    )
    with pytest.raises(PermissionDenied):
        sign_off_update(access(world, role), update, version=update.version)
    with pytest.raises(PermissionDenied):
        return_update(access(world, role), update, comment="No", version=update.version)


def test_a_return_needs_a_comment(world):
    update = submit_update(
        access(world, "action_lead"), world.led_action, content(last_month()), version=0
    )
    with pytest.raises(ValidationError, match="Say why"):
        return_update(access(world, "improvement_lead"), update, comment="  ", version=2)


def test_only_a_submitted_update_is_signed_off(world):
    draft = save_draft(
        access(world, "action_lead"), world.led_action, content(last_month()), version=0
    )
    with pytest.raises(ValidationError, match="Only a submitted update"):
        sign_off_update(access(world, "improvement_lead"), draft, version=draft.version)


@pytest.mark.parametrize(
    ("months", "allowed"),
    [(0, True), (-11, True), (-12, False), (-13, False), (1, False)],
    ids=["this-month", "11-months-ago", "12-months-ago", "13-months-ago", "next-month"],
)
def test_an_update_is_for_this_month_or_one_of_the_11_before_it(world, months, allowed):
    period = add_months(current_period(), months)
    assert (period in writable_periods()) is allowed
    improvement = access(world, "improvement_lead")
    if allowed:
        assert save_draft(improvement, world.other_action, content(period), version=0).pk
        return
    for write in (save_draft, submit_update):
        with pytest.raises(ValidationError) as refused:
            write(improvement, world.other_action, content(period), version=0)
        assert "months before it" in refused.value.message_dict["period"][0]
    assert not ProgressUpdate.objects.filter(action=world.other_action).exists()


def test_bad_links_are_refused_before_anything_is_written(world):
    written = content(current_period(), evidence_links=("https://ok.example/a", "javascript:x"))
    with pytest.raises(ValidationError, match="Link 2 is not a web address"):
        save_draft(access(world, "action_lead"), world.led_action, written, version=1)


def test_every_bad_link_is_reported_not_just_the_first(world):
    links = ("ftp://a.example", "https://ok.example/a", "not a link", "javascript:x")
    written = content(current_period(), evidence_links=links)
    with pytest.raises(ValidationError) as refused:
        save_draft(access(world, "action_lead"), world.led_action, written, version=1)
    assert refused.value.message_dict["evidence_links"] == [
        "Links 1, 3 and 4 are not web addresses: enter addresses starting with https://, "
        "one on each line"
    ]


def test_next_steps_risks_and_support_are_saved_as_typed(world):
    written = content(
        last_month(),
        next_steps=" Audit in May \r\n",
        risks="- Staffing\r\n- Agency costs",
        support_needed="",
    )
    update = save_draft(access(world, "improvement_lead"), world.other_action, written, version=0)
    update.refresh_from_db()
    assert (update.next_steps, update.risks, update.support_needed) == (
        "Audit in May",
        "- Staffing\r\n- Agency costs",
        "",
    )
    assert update.history.latest().risks == "- Staffing\r\n- Agency costs"


# ---- what counts: with_status ------------------------------------------------------------


def mid_month() -> date:
    """The middle of this month: the day the states below are read on."""
    return current_period() + timedelta(days=14)


def test_blue_counts_only_once_signed_off(world):
    lead, improvement = access(world, "action_lead"), access(world, "improvement_lead")
    this_month, on = current_period(), mid_month()
    action = ActionFactory(priority=world.led_action.priority, end=this_month)
    ProgressUpdateFactory(action=action, period=last_month(), action_rating="amber")
    world.users["action_lead"].posts_held.update(post=world.led_action.leads.get())
    action.leads.set([world.led_action.leads.get()])
    update = submit_update(lead, action, content(this_month, action_rating="blue"), version=0)
    pending = status_of(action, on)
    assert pending.awaiting_sign_off is True
    assert pending.action_rating == "amber"  # the last verified rating still counts
    assert pending.is_overdue is True  # not complete until signed off
    sign_off_update(improvement, update, version=update.version)
    done = status_of(action, on)
    assert (done.action_rating, done.awaiting_sign_off, done.is_overdue) == ("blue", False, False)


def test_a_submitted_green_counts_at_once_but_drafts_and_returns_do_not(world):
    lead, improvement = access(world, "action_lead"), access(world, "improvement_lead")
    action, this_month, on = world.led_action, current_period(), mid_month()
    ProgressUpdate.objects.all().delete()
    update = save_draft(lead, action, content(this_month), version=0)
    assert (status_of(action, on).action_rating, status_of(action, on).updated_this_period) == (
        None,
        False,
    )
    update = submit_update(lead, action, content(this_month), version=update.version)
    assert status_of(action, on).action_rating == "green"
    assert status_of(action, on).updated_this_period is True
    return_update(improvement, update, comment="Needs figures", version=update.version)
    assert status_of(action, on).action_rating is None
    assert status_of(action, on).updated_this_period is False


@pytest.mark.parametrize(
    ("name", "data", "problem"),
    [
        ("audit.pdf", b"%PDF-1.7\n1 0 obj << /S /JavaScript >> endobj", "holds active content"),
        ("chart.png", b"\x89PNG\r\n\x1a\n" + b"PK\x05\x06" + bytes(18), "hidden at its end"),
        ("chart.pdf", b"\x89PNG\r\n\x1a\nrest", "its content is PNG"),
        ("run.exe", b"MZ\x90\x00", "not a kind of file that can be attached"),
    ],
    ids=["pdf-script", "png-polyglot", "misnamed", "not-allowed"],
)
def test_the_service_checks_evidence_files_whoever_calls_it(world, name, data, problem):
    """Not only the update page: any caller of the service (the API, a command) gets the same
    checks, hostile content included, and nothing is written."""
    ProgressUpdate.objects.all().delete()
    lead = access(world, "improvement_lead")
    upload = SimpleUploadedFile(name, data)
    with pytest.raises(ValidationError, match=problem):
        save_draft(lead, world.led_action, content(current_period()), version=0, files=[upload])
    assert not ProgressUpdate.objects.exists()
    assert not EvidenceFile.objects.exists()
