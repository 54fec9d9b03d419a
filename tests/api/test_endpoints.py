"""The API reads an authority's programme and writes through the same services as the pages:
the role table holds (docs/security.md #2) and every write leaves one history entry with its actor
(#12)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from g2g.core.dates import add_months, current_period
from g2g.measures.models import MeasureValue
from g2g.plans.models import ProgressUpdate
from g2g.tenancy.models import Role
from tests.factories import (
    ActionFactory,
    MeasureFactory,
    PostFactory,
    ProgressUpdateFactory,
)

pytestmark = pytest.mark.django_db

WRITERS_OF_VALUES = {Role.ADMINISTRATOR, Role.IMPROVEMENT_LEAD}


def api(world, path: str) -> str:
    return f"/api/v1/{world.authority.slug}/{path}"


def test_authorities_lists_those_the_token_user_belongs_to_with_the_role(
    client, world, foreign_world, bearer
):
    body = client.get("/api/v1/authorities", headers=bearer(world.users[Role.VIEWER])).json()
    assert body["count"] == 1
    assert body["items"] == [{"slug": "northshire", "name": "Northshire", "role": "viewer"}]


def test_actions_carry_their_current_ratings_and_states(client, world, bearer):
    ProgressUpdateFactory(
        action=world.other_action,
        period=current_period(),
        action_rating="amber",
        impact_rating="red",
        status=ProgressUpdate.Status.SUBMITTED,
    )
    response = client.get(api(world, "actions"), headers=bearer(world.users[Role.VIEWER]))
    assert response.status_code == 200
    items = {item["id"]: item for item in response.json()["items"]}
    other = items[world.other_action.pk]
    assert (other["action_rating"], other["impact_rating"]) == ("amber", "red")
    assert other["updated_this_period"] is True
    assert other["rated_period"] is not None
    led = items[world.led_action.pk]
    assert led["action_rating"] is None  # its update gives no rating: "not rated"
    assert led["title"] == world.led_action.title
    assert led["priority_number"] == 1
    assert led["leads"] == [world.led_action.leads.get().title]


def test_one_action_in_detail(client, world, bearer):
    world.inspection.findings.get().actions.add(world.led_action)
    response = client.get(
        api(world, f"actions/{world.led_action.pk}"), headers=bearer(world.users[Role.VIEWER])
    )
    body = response.json()
    assert response.status_code == 200
    assert body["measures"] == [world.measure.pk]
    assert body["findings"] == [world.inspection.findings.get().reference]
    assert body["text"] == world.led_action.text


def test_updates_can_be_filtered_by_action_and_month(client, world, bearer):
    headers = bearer(world.users[Role.VIEWER])
    body = client.get(api(world, "updates"), headers=headers).json()
    assert [item["id"] for item in body["items"]] == [world.update.pk]
    assert body["items"][0]["narrative"] == world.update.narrative
    assert body["items"][0]["status"] == "signed_off"
    other = client.get(api(world, f"updates?action={world.other_action.pk}"), headers=headers)
    assert other.json()["count"] == 0
    month = current_period().replace(day=15).isoformat()
    assert client.get(api(world, f"updates?period={month}"), headers=headers).json()["count"] == 1


def test_measures_values_and_inspections(client, world, bearer):
    world.measure.milestones.create(due=date(2025, 3, 31), value=Decimal("70"))
    world.measure.values.create(period=date(2025, 1, 1), value=Decimal("61.5"))
    headers = bearer(world.users[Role.REGIONAL_VIEWER])
    measures = client.get(api(world, "measures"), headers=headers).json()["items"]
    assert measures[0]["milestones"] == [{"due": "2025-03-31", "value": 70.0}]
    values = client.get(api(world, f"measures/{world.measure.pk}/values"), headers=headers)
    assert values.json()["items"][0] | {"measure_id": 0} == {
        "measure_id": 0,
        "period": "2025-01-01",
        "value": 61.5,
        "numerator": None,
        "denominator": None,
        "source": "entered",
        "note": "",
    }
    inspections = client.get(api(world, "inspections"), headers=headers).json()["items"]
    assert inspections[0]["judgements"][0]["grade"] == "Requires improvement to be good"
    finding = inspections[0]["findings"][0]
    assert finding["kind"] == "recommendation"
    assert "only-in-northshire" in finding["text"]


def test_pages_of_a_list(client, world, bearer):
    for _ in range(4):
        ActionFactory(priority=world.led_action.priority)
    headers = bearer(world.users[Role.VIEWER])
    first = client.get(api(world, "actions?limit=2"), headers=headers).json()
    rest = client.get(api(world, "actions?limit=10&offset=2"), headers=headers).json()
    assert first["count"] == rest["count"] == 6
    assert len(first["items"]) == 2
    assert len(rest["items"]) == 4
    ids = [item["id"] for item in first["items"] + rest["items"]]
    assert len(set(ids)) == 6
    too_big = client.get(api(world, "actions?limit=501"), headers=headers)
    assert too_big.status_code == 422
    assert too_big.json()["errors"][0]["field"] == "query.limit"


# Writes --------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_only_administrators_and_improvement_leads_record_measure_values(
    client, world, bearer, role
):
    response = client.post(
        api(world, f"measures/{world.measure.pk}/values"),
        {"period": "2025-02-14", "value": "64.20", "note": "From the monthly return"},
        content_type="application/json",
        headers=bearer(world.users[role]),
    )
    if role in WRITERS_OF_VALUES:
        assert response.status_code == 200, response.content
        assert response.json()["period"] == "2025-02-01"
        value = MeasureValue.objects.get()
        assert value.value == Decimal("64.20")
        (entry,) = value.history.all()
        assert entry.history_user == world.users[role]
    else:
        assert response.status_code == 403
        assert not MeasureValue.objects.exists()


def test_a_bad_value_is_refused_by_field_and_nothing_is_written(client, world, bearer):
    response = client.post(
        api(world, f"measures/{world.measure.pk}/values"),
        {"period": "2099-01-01", "value": 150},
        content_type="application/json",
        headers=bearer(world.users[Role.ADMINISTRATOR]),
    )
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"body.period", "body.value"}
    assert not MeasureValue.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"period": "2025-01-01", "value": "12.345"},
        {"period": "2025-01-01", "value": "NaN"},
        {"period": "2025-01-01", "value": 1e20},
        {"period": "0001-01-01", "value": 1},
        {"period": "2025-01-01", "value": 1, "note": "nul\x00"},
        {"value": 1},
    ],
    ids=["3 decimals", "NaN", "huge", "year 1", "NUL", "no period"],
)
def test_malformed_values_are_refused_before_any_work(client, world, bearer, body):
    response = client.post(
        api(world, f"measures/{world.measure.pk}/values"),
        body,
        content_type="application/json",
        headers=bearer(world.users[Role.ADMINISTRATOR]),
    )
    assert response.status_code == 422
    assert not MeasureValue.objects.exists()


def update_body(**changes) -> dict:
    last_month = add_months(current_period(), -1)
    return {"period": last_month.isoformat(), "narrative": "Audits done", "version": 0} | changes


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_who_writes_progress_updates(client, world, bearer, role):
    headers = bearer(world.users[role])
    led = client.post(
        api(world, f"actions/{world.led_action.pk}/updates"),
        update_body(),
        content_type="application/json",
        headers=headers,
    )
    other = client.post(
        api(world, f"actions/{world.other_action.pk}/updates"),
        update_body(),
        content_type="application/json",
        headers=headers,
    )
    expected = {
        Role.ADMINISTRATOR: (200, 200),
        Role.IMPROVEMENT_LEAD: (200, 200),
        Role.ACTION_LEAD: (200, 403),  # leads the one action only
        Role.VIEWER: (403, 403),
        Role.REGIONAL_VIEWER: (403, 403),
    }[role]
    assert (led.status_code, other.status_code) == expected
    if led.status_code == 200:
        body = led.json()
        assert (body["status"], body["version"]) == ("draft", 1)
        assert body["author"] == world.users[role].get_username()
        update = ProgressUpdate.objects.get(pk=body["id"])
        (entry,) = update.history.all()
        assert entry.history_user == world.users[role]


def test_a_submitted_update_and_a_stale_one(client, world, bearer):
    headers = bearer(world.users[Role.ACTION_LEAD])
    url = api(world, f"actions/{world.led_action.pk}/updates")
    first = client.post(url, update_body(), content_type="application/json", headers=headers)
    assert first.json()["version"] == 1
    submitted = client.post(
        url,
        update_body(version=1, submit=True, narrative="All audits done"),
        content_type="application/json",
        headers=headers,
    )
    assert submitted.status_code == 200
    assert (submitted.json()["status"], submitted.json()["version"]) == ("submitted", 2)
    stale = client.post(
        url, update_body(version=1), content_type="application/json", headers=headers
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    update = ProgressUpdate.objects.get(pk=first.json()["id"])
    assert update.narrative == "All audits done"
    assert update.history.count() == 2


def test_next_steps_risks_and_support_go_through_the_api(client, world, bearer):
    headers = bearer(world.users[Role.ACTION_LEAD])
    url = api(world, f"actions/{world.led_action.pk}/updates")
    notes = {"next_steps": "Re-audit", "risks": "- Staffing", "support_needed": "Funding"}
    response = client.post(
        url, update_body(**notes), content_type="application/json", headers=headers
    )
    assert response.status_code == 200
    assert {key: response.json()[key] for key in notes} == notes
    update = ProgressUpdate.objects.get(pk=response.json()["id"])
    assert (update.next_steps, update.risks, update.support_needed) == tuple(notes.values())


@pytest.mark.parametrize("months", [-13, 1], ids=["13-months-ago", "next-month"])
def test_an_update_for_a_month_outside_the_window_is_refused(client, world, bearer, months):
    """The API holds to the months the update page offers: this month and the 11 before it."""
    month = add_months(current_period(), months)
    response = client.post(
        api(world, f"actions/{world.other_action.pk}/updates"),
        update_body(period=month.isoformat()),
        content_type="application/json",
        headers=bearer(world.users[Role.IMPROVEMENT_LEAD]),
    )
    assert response.status_code == 422
    (error,) = response.json()["errors"]
    assert error["field"] == "body.period"
    assert "this month or one of the 11 months before it" in error["message"]
    assert not ProgressUpdate.objects.filter(action=world.other_action).exists()


@pytest.mark.parametrize("period", ["1990-01-01", "2100-12-31"], ids=["1990", "2100"])
def test_the_schemas_outer_months_are_refused_as_the_page_refuses_them(
    client, world, bearer, period
):
    """The body's schema takes 1990 to 2100; the service holds the API to the page's months
    (plans.services.writable_periods), so both ends are refused with 422 and nothing is written."""
    response = client.post(
        api(world, f"actions/{world.other_action.pk}/updates"),
        update_body(period=period),
        content_type="application/json",
        headers=bearer(world.users[Role.IMPROVEMENT_LEAD]),
    )
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["body.period"]
    assert not ProgressUpdate.objects.filter(action=world.other_action).exists()


def test_a_blue_rating_needs_evidence_to_submit(client, world, bearer):
    response = client.post(
        api(world, f"actions/{world.led_action.pk}/updates"),
        update_body(action_rating="blue", submit=True),
        content_type="application/json",
        headers=bearer(world.users[Role.IMPROVEMENT_LEAD]),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.evidence_text"
    assert ProgressUpdate.objects.count() == 1  # the world's own


# Query counts --------------------------------------------------------------------------------

LISTS = ["plans", "actions", "updates", "measures", "inspections", "feeds/actions.csv",
         "feeds/updates.csv", "feeds/measure-values.csv"]  # fmt: skip


def grow(world, count: int) -> None:
    """`count` more actions, each with a lead, an update and a measure with a value."""
    for n in range(count):
        action = ActionFactory(
            priority=world.led_action.priority, leads=[PostFactory(authority=world.authority)]
        )
        ProgressUpdateFactory(action=action, action_rating="green")
        measure = MeasureFactory(authority=world.authority, plan=world.plan)
        measure.milestones.create(due=date(2025, 3, 31), value=70)
        measure.values.create(period=date(2025, 1, 1), value=n)


@pytest.mark.parametrize("path", LISTS)
def test_query_counts_do_not_grow_with_the_rows(client, world, bearer, path):
    headers = bearer(world.users[Role.VIEWER])
    client.get(api(world, path), headers=headers)  # the token's first use is noted once

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(api(world, path), headers=headers).status_code == 200
        return len(captured)

    small = queries()
    grow(world, 12)
    assert queries() == small


def submitted_update(client, world, bearer):
    response = client.post(
        api(world, f"actions/{world.led_action.pk}/updates"),
        update_body(submit=True),
        content_type="application/json",
        headers=bearer(world.users[Role.ACTION_LEAD]),
    )
    assert response.status_code == 200
    return ProgressUpdate.objects.get(pk=response.json()["id"])


@pytest.mark.parametrize("role", [role.value for role in Role])
def test_only_improvement_leads_and_administrators_sign_off(client, world, bearer, role):
    update = submitted_update(client, world, bearer)
    response = client.post(
        api(world, f"updates/{update.pk}/sign-off"),
        {"version": update.version},
        content_type="application/json",
        headers=bearer(world.users[role]),
    )
    update.refresh_from_db()
    if role in (Role.ADMINISTRATOR, Role.IMPROVEMENT_LEAD):
        assert response.status_code == 200
        assert response.json()["status"] == update.status == "signed_off"
        latest = update.history.first()
        assert latest.history_user == world.users[role]
        assert latest.status == "signed_off"
    else:
        assert response.status_code == 403
        assert update.status == "submitted"


def test_a_returned_update_needs_a_comment_and_the_version_read(client, world, bearer):
    update = submitted_update(client, world, bearer)
    headers = bearer(world.users[Role.IMPROVEMENT_LEAD])
    url = api(world, f"updates/{update.pk}/return")
    empty = client.post(
        url, {"comment": "", "version": update.version}, "application/json", headers=headers
    )
    assert empty.status_code == 422
    stale = client.post(
        url,
        {"comment": "Which audits?", "version": update.version + 1},
        "application/json",
        headers=headers,
    )
    assert stale.status_code == 409
    returned = client.post(
        url,
        {"comment": "Which audits?", "version": update.version},
        "application/json",
        headers=headers,
    )
    assert returned.status_code == 200
    assert (returned.json()["status"], returned.json()["return_comment"]) == (
        "returned",
        "Which audits?",
    )
