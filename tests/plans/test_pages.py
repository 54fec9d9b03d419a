"""Writing and editing through the real pages: bad input is explained and nothing is lost."""

from datetime import date

import pytest

from g2g.core.dates import add_months, current_period
from g2g.core.views import server_error
from g2g.plans.models import Action, ProgressUpdate
from g2g.tenancy.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_client(client, world):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    return client


def update_url(world, action=None):
    return f"/{world.authority.slug}/actions/{(action or world.other_action).pk}/update/"


def test_an_update_is_written_and_shown_on_the_action_page(lead_client, world):
    period = current_period().isoformat()
    response = lead_client.post(
        update_url(world),
        {"period": period, "narrative": "Audits done.", "action_rating": "blue", "version": 0},
        follow=True,
    )
    assert "Update saved" in response.content.decode()
    update = ProgressUpdate.objects.get(action=world.other_action)
    assert (update.action_rating, update.impact_rating) == ("blue", "")
    assert update.author == world.users[Role.IMPROVEMENT_LEAD]
    assert update.history.get().history_user == world.users[Role.IMPROVEMENT_LEAD]
    assert "Audits done." in response.content.decode()


def test_writing_the_same_month_again_changes_that_update(lead_client, world):
    period = current_period().isoformat()
    for version, narrative in enumerate(("First draft.", "Second draft.")):
        data = {"period": period, "narrative": narrative, "version": version}
        assert lead_client.post(update_url(world), data).status_code == 302
    update = ProgressUpdate.objects.get(action=world.other_action)
    assert update.narrative == "Second draft."
    assert update.history.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"narrative": ""}, "Enter what progress has been made"),
        ({"narrative": "x", "action_rating": "purple"}, "Choose an action rating from the list"),
        ({"narrative": "x", "period": "1999-01-01"}, "Choose a month from the list"),
        ({"narrative": "x", "period": "not-a-date"}, "Choose a month from the list"),
        ({"narrative": "x" * 10001}, "10,000 characters or fewer"),
    ],
    ids=["no-narrative", "unknown-rating", "old-month", "garbage-month", "too-long"],
)
def test_bad_update_input_is_explained_and_nothing_written(lead_client, world, data, message):
    data = {"period": current_period().isoformat(), "version": 0} | data
    response = lead_client.post(update_url(world), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert message in page
    assert not ProgressUpdate.objects.filter(action=world.other_action).exists()


@pytest.mark.parametrize("months", [-13, 1], ids=["13-months-ago", "next-month"])
def test_an_update_for_a_month_outside_the_window_is_refused(lead_client, world, months):
    period = add_months(current_period(), months).isoformat()
    page = lead_client.get(update_url(world)).content.decode()
    assert f'value="{add_months(current_period(), -11).isoformat()}"' in page
    assert f'value="{period}"' not in page  # not offered
    response = lead_client.post(
        update_url(world), {"period": period, "narrative": "x", "version": 0}
    )
    assert response.status_code == 200
    assert "Choose a month from the list" in response.content.decode()
    assert not ProgressUpdate.objects.filter(action=world.other_action).exists()


def test_a_garbage_period_in_the_address_falls_back_to_this_month(lead_client, world):
    response = lead_client.get(update_url(world) + "?period=2024-13-45")
    assert response.status_code == 200


def test_editing_an_action_records_history_and_slipping(lead_client, world):
    action = world.other_action
    url = f"/{world.authority.slug}/actions/{action.pk}/edit/"
    data = {"title": action.title, "text": action.text, "end": "2024-03-31"}
    assert lead_client.post(url, data | {"version": action.version}).status_code == 302
    agreed = {"change_reason": "Audit put back", "change_agreed_by": "The board"}
    then = {"end": "2024-09-30", "version": action.version + 1}
    assert lead_client.post(url, data | agreed | then).status_code == 302
    page = lead_client.get(f"/{world.authority.slug}/actions/{action.pk}/").content.decode()
    assert "End date slipped" in page
    assert "Changed" in page
    assert Action.objects.get(pk=action.pk).end == date(2024, 9, 30)


# ---- change control (issue 16) ------------------------------------------------------------


def edit_url(world, action) -> str:
    return f"/{world.authority.slug}/actions/{action.pk}/edit/"


@pytest.mark.parametrize(
    ("given", "missing"),
    [
        ({}, ["Enter why the end date is moving", "Enter who agreed to move the end date"]),
        ({"change_reason": "Audit put back"}, ["Enter who agreed to move the end date"]),
        ({"change_agreed_by": "  "}, ["Enter why the end date is moving"]),
    ],
    ids=["neither", "no-one-agreed", "no-reason"],
)
def test_moving_an_end_date_needs_a_reason_and_who_agreed(lead_client, world, given, missing):
    action = world.other_action
    action.end = date(2024, 11, 30)
    action.save()
    data = {"title": action.title, "text": action.text, "end": "2025-03-31"}
    data["version"] = action.version
    response = lead_client.post(edit_url(world, action), data | given)
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    for message in missing:
        assert message in page
    assert Action.objects.get(pk=action.pk).end == date(2024, 11, 30)


@pytest.mark.parametrize(
    ("before", "after"),
    [(None, "2025-03-31"), (date(2024, 11, 30), "2024-11-30")],
    ids=["first-end-date", "same-end-date"],
)
def test_a_first_or_unchanged_end_date_needs_no_reason(lead_client, world, before, after):
    action = world.other_action
    action.end = before
    action.save()
    data = {"title": "Renamed", "text": action.text, "end": after, "version": action.version}
    assert lead_client.post(edit_url(world, action), data).status_code == 302
    assert Action.objects.get(pk=action.pk).title == "Renamed"


def test_the_change_history_says_what_changed_in_words(lead_client, world):
    action = world.other_action
    action.end = date(2024, 11, 30)
    action.save()
    data = {
        "title": action.title,
        "text": action.text,
        "end": "2025-03-31",
        "evidence_of_success": "Fewer re-referrals",
        "change_reason": "The audit was put back by the board",
        "change_agreed_by": "Jo Smith, Director of Children's Services",
        "version": action.version,
    }
    assert lead_client.post(edit_url(world, action), data).status_code == 302
    latest = action.history.latest()
    assert latest.history_change_reason == "The audit was put back by the board"
    assert latest.change_agreed_by == "Jo Smith, Director of Children's Services"
    page = lead_client.get(f"/{world.authority.slug}/actions/{action.pk}/").content.decode()
    history = page[page.index("Change history") :]
    assert (
        "End date: 30 Nov 2024 "
        '<span aria-hidden="true">→</span><span class="govuk-visually-hidden">changed to</span>'
        " 31 Mar 2025, agreed by Jo Smith, Director of Children&#x27;s Services"
    ) in history
    assert "Evidence of success: none" in history
    assert "Reason: The audit was put back by the board" in history
    assert "version" not in history.lower()
    assert "evidence_of_success" not in history
    assert "Title:" not in history  # unchanged fields are not listed


def test_an_end_before_the_start_is_refused(lead_client, world):
    action = world.other_action
    url = f"/{world.authority.slug}/actions/{action.pk}/edit/"
    data = {"title": "T", "text": "X", "start": "2024-05-01", "end": "2024-04-01"}
    data["version"] = action.version
    response = lead_client.post(url, data)
    assert response.status_code == 200
    assert "End date must be the same as or after the start date" in response.content.decode()
    assert Action.objects.get(pk=action.pk).title != "T"


def test_bad_filters_are_reported_not_a_crash(lead_client, world):
    response = lead_client.get(
        f"/{world.authority.slug}/actions/?priority=abc&action_rating=purple&sort=sideways"
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_filters_narrow_the_list(lead_client, world):
    slug = world.authority.slug
    world.led_action.updates.update(action_rating="green")
    page = lead_client.get(f"/{slug}/actions/?action_rating=none").content.decode()
    assert world.other_action.title in page
    assert world.led_action.title not in page
    page = lead_client.get(f"/{slug}/actions/?action_rating=green").content.decode()
    assert world.led_action.title in page
    assert world.other_action.title not in page
    page = lead_client.get(f"/{slug}/actions/?no_update=yes").content.decode()
    assert world.other_action.title in page
    assert world.led_action.title not in page


def test_htmx_requests_get_only_the_results(lead_client, world):
    response = lead_client.get(f"/{world.authority.slug}/actions/", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "<table" in page
    assert "<html" not in page


def test_unknown_pages_get_the_not_found_page(lead_client):
    response = lead_client.get("/definitely/not/here/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_the_server_error_page_needs_no_request_context(rf):
    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem" in response.content.decode()


def test_a_form_sent_without_its_csrf_token_gets_our_own_page(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    response = client.post(update_url(world), {"narrative": "x"})
    assert response.status_code == 403
    assert "Your form could not be sent" in response.content.decode()
    assert not ProgressUpdate.objects.filter(action=world.other_action).exists()


def test_the_edit_service_refuses_another_authoritys_posts(world, foreign_world):
    from django.core.exceptions import ValidationError

    from g2g.plans.services import edit_action
    from g2g.tenancy.access import access_for

    access = access_for(world.users[Role.IMPROVEMENT_LEAD], world.authority.slug)
    foreign_post = foreign_world.led_action.leads.get()
    with pytest.raises(ValidationError):
        edit_action(
            access, world.other_action, version=world.other_action.version, leads=[foreign_post]
        )
    assert foreign_post not in world.other_action.leads.all()


def test_one_bad_filter_leaves_the_good_ones_working(lead_client, world):
    world.led_action.updates.update(action_rating="green")
    page = lead_client.get(
        f"/{world.authority.slug}/actions/?action_rating=green&sort=sideways"
    ).content.decode()
    assert "govuk-error-summary" in page
    assert world.led_action.title in page
    assert world.other_action.title not in page


def test_an_empty_post_is_explained(lead_client, world):
    response = lead_client.post(update_url(world), {})
    assert "govuk-error-summary" in response.content.decode()


def test_a_claimed_completion_shows_as_awaiting_sign_off_on_the_overview_and_list(client, world):
    from tests.factories import ProgressUpdateFactory

    client.force_login(world.users[Role.VIEWER])
    ProgressUpdate.objects.filter(action=world.other_action).delete()
    ProgressUpdateFactory(
        action=world.other_action, action_rating="blue", status=ProgressUpdate.Status.SUBMITTED
    )
    overview = client.get(f"/{world.authority.slug}/").content.decode()
    assert "1 complete – awaiting sign-off" in overview
    listed = client.get(f"/{world.authority.slug}/actions/").content.decode()
    assert listed.count("Complete – awaiting sign-off") == 1
