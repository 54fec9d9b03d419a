"""Plans with a life cycle: draft → active → closed, one active plan per authority, the plan a
page shows (`?plan=<id>`), approving and closing through the services, with history."""

import importlib
import io
import json
from datetime import date

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from g2g.core.dates import current_period
from g2g.inspections.services import set_plan_inspections
from g2g.plans.models import Plan, ProgressUpdate
from g2g.plans.reads import current_plan
from g2g.plans.services import ClosedPlanError, approve_plan, close_plan, edit_action
from g2g.reports.board_pack import build_board_pack
from g2g.tenancy.access import access_for
from g2g.tenancy.models import Role
from tests.factories import ActionFactory, InspectionFactory, PlanFactory, PriorityFactory

pytestmark = pytest.mark.django_db


def access_of(world, role=Role.IMPROVEMENT_LEAD):
    return access_for(world.users[role], world.authority.slug)


def draft_plan(world, title="Improvement plan 2026-28"):
    plan = PlanFactory(authority=world.authority, status=Plan.Status.DRAFT, title=title)
    ActionFactory(priority=PriorityFactory(plan=plan, number=1), title="Draft's action")
    return plan


def test_an_authority_has_at_most_one_active_plan(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanFactory(authority=world.authority, status=Plan.Status.ACTIVE)
    # Drafts and closed plans: any number.
    PlanFactory(authority=world.authority, status=Plan.Status.DRAFT)
    PlanFactory(authority=world.authority, status=Plan.Status.DRAFT)
    PlanFactory(authority=world.authority, status=Plan.Status.CLOSED)


def test_the_current_plan_is_the_active_one_not_the_newest(world):
    newer = draft_plan(world)
    assert current_plan(access_of(world)) == world.plan
    assert Plan.objects.in_authority(world.authority).current() == world.plan
    assert current_plan(access_of(world), newer.pk) == newer


def test_the_migration_makes_each_authoritys_newest_plan_active_and_closes_the_rest(
    world, foreign_world
):
    migration = importlib.import_module("g2g.plans.migrations.0005_plan_life_cycle")
    Plan.objects.filter(pk=world.plan.pk).update(status=Plan.Status.DRAFT)
    older = world.plan
    newer = PlanFactory(authority=world.authority, status=Plan.Status.DRAFT)
    migration.one_active_plan_each(apps, None)
    statuses = dict(Plan.objects.values_list("pk", "status"))
    assert statuses[older.pk] == Plan.Status.CLOSED
    assert statuses[newer.pk] == Plan.Status.ACTIVE
    assert statuses[foreign_world.plan.pk] == Plan.Status.ACTIVE


def test_approving_a_draft_makes_it_active_closes_the_previous_and_records_who(world):
    draft = draft_plan(world)
    access = access_of(world)
    approve_plan(access, draft)
    draft.refresh_from_db()
    world.plan.refresh_from_db()
    assert draft.status == Plan.Status.ACTIVE
    assert (draft.approved_by, draft.approved_at is not None) == (access.user, True)
    assert world.plan.status == Plan.Status.CLOSED
    assert world.plan.history.first().history_user == access.user
    assert draft.history.first().history_user == access.user
    assert current_plan(access) == draft
    with pytest.raises(ValidationError, match="Only a draft"):
        approve_plan(access, draft)


@pytest.mark.parametrize("role", [Role.VIEWER, Role.ACTION_LEAD], ids=["viewer", "action-lead"])
def test_only_those_who_edit_plans_approve_or_close_them(world, role):
    draft = draft_plan(world)
    with pytest.raises(PermissionDenied):
        approve_plan(access_of(world, role), draft)
    with pytest.raises(PermissionDenied):
        close_plan(access_of(world, role), world.plan)


def test_a_closed_plan_is_read_only(world):
    access = access_of(world)
    close_plan(access, world.plan)
    world.plan.refresh_from_db()
    assert world.plan.status == Plan.Status.CLOSED
    assert world.plan.closed_at is not None
    assert world.plan.history.first().history_user == access.user
    action = world.led_action
    action.refresh_from_db()
    with pytest.raises(ClosedPlanError):
        edit_action(access, action, version=action.version, title="Changed after closing")
    with pytest.raises(ValidationError, match="already closed"):
        close_plan(access, world.plan)


def test_a_plan_says_which_inspections_it_answers(world):
    access = access_of(world)
    set_plan_inspections(access, world.plan, [world.inspection])
    assert list(world.plan.inspections.all()) == [world.inspection]
    assert world.inspection.history.first().history_user == access.user
    set_plan_inspections(access, world.plan, [])
    assert not world.plan.inspections.exists()
    foreign = InspectionFactory()
    with pytest.raises(ValueError, match="this authority"):
        set_plan_inspections(access, world.plan, [foreign])


def test_pages_name_the_plan_and_switch_only_to_the_authoritys_own(client, world, foreign_world):
    draft = draft_plan(world)
    slug = world.authority.slug
    client.force_login(world.users[Role.VIEWER])
    page = client.get(f"/{slug}/actions/").content.decode()
    assert "Plan shown: <strong>" + world.plan.title in page
    assert f'value="{draft.pk}"' in page  # offered as a choice
    chosen = client.get(f"/{slug}/actions/?plan={draft.pk}").content.decode()
    assert "Draft&#x27;s action" in chosen or "Draft's action" in chosen
    assert "This plan is a draft" in chosen
    assert client.get(f"/{slug}/actions/?plan={foreign_world.plan.pk}").status_code == 404
    assert client.get(f"/{slug}/reports/board-pack/?plan={foreign_world.plan.pk}").status_code == (
        404
    )
    assert client.get(f"/{slug}/actions/?plan=nonsense").status_code == 404


def test_improvement_leads_approve_and_close_from_the_page(client, world):
    draft = draft_plan(world)
    slug = world.authority.slug
    client.force_login(world.users[Role.VIEWER])
    assert client.post(
        f"/{slug}/plan-status/", {"plan": draft.pk, "do": "approve"}
    ).status_code == (403)
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    page = client.get(f"/{slug}/?plan={draft.pk}").content.decode()
    assert "Approve this plan" in page
    bad = {"plan": draft.pk, "do": "approve", "start": "2026-04-01", "end": "2025-01-01"}
    client.post(f"/{slug}/plan-status/", bad)
    draft.refresh_from_db()
    assert draft.status == Plan.Status.DRAFT  # the end before the start: refused
    good = bad | {"end": "31/03/2028"}
    response = client.post(f"/{slug}/plan-status/", good)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.start, draft.end) == (date(2026, 4, 1), date(2028, 3, 31))
    world.plan.refresh_from_db()
    assert (draft.status, world.plan.status) == (Plan.Status.ACTIVE, Plan.Status.CLOSED)
    closed = client.get(f"/{slug}/?plan={world.plan.pk}").content.decode()
    assert "This plan is closed" in closed
    assert "Close this plan" not in closed


def test_the_board_pack_covers_the_inspections_the_plan_answers(world):
    older = InspectionFactory(authority=world.authority, finding__text="An older recommendation")
    access = access_of(world)
    set_plan_inspections(access, world.plan, [older])
    texts = [gap.text for gap in build_board_pack(world.plan, current_period()).coverage]
    assert texts == ["An older recommendation"]


def test_commands_take_a_plan_of_the_authority_by_id(world, foreign_world):
    draft = draft_plan(world)
    out = io.StringIO()
    call_command(
        "board_pack",
        "--authority",
        world.authority.slug,
        "--plan",
        str(draft.pk),
        "--period",
        f"{current_period():%Y-%m}",
        "--format",
        "json",
        "--output",
        "-",
        stdout=out,
    )
    assert json.loads(out.getvalue())["plan"] == {
        "id": draft.pk,
        "title": draft.title,
        "status": "draft",
        "synthetic_note": None,
    }
    exported = io.StringIO()
    call_command("export_plan", "--authority", world.authority.slug, stdout=exported)
    assert json.loads(exported.getvalue())["title"] == world.plan.title  # the active plan
    with pytest.raises(CommandError, match="has no plan"):
        call_command(
            "export_plan",
            "--authority",
            world.authority.slug,
            "--plan",
            str(foreign_world.plan.pk),
            stdout=io.StringIO(),
        )


def test_a_closed_plans_action_page_offers_no_writing(client, world):
    close_plan(access_of(world), world.plan)
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    page = client.get(f"/{world.authority.slug}/actions/{world.led_action.pk}/").content.decode()
    assert f"/actions/{world.led_action.pk}/edit/" not in page
    assert "a closed plan: it is the record" in page
    assert f"/actions/{world.led_action.pk}/update/" not in page
    url = f"/{world.authority.slug}/actions/{world.led_action.pk}/update/"
    response = client.post(
        url, {"period": current_period().isoformat(), "narrative": "After closing", "version": 0}
    )
    assert response.status_code == 302
    assert not ProgressUpdate.objects.filter(narrative="After closing").exists()
    assert "is closed" in client.get(response["Location"]).content.decode()


def test_improvement_leads_say_on_the_inspection_page_which_plans_answer_it(
    client, world, foreign_world
):
    draft = draft_plan(world)
    url = f"/{world.authority.slug}/inspections/{world.inspection.pk}/"
    client.force_login(world.users[Role.VIEWER])
    assert client.post(url, {"plans": [draft.pk]}).status_code == 403
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    page = client.get(url).content.decode()
    assert "Which plans answer this inspection" in page
    response = client.post(url, {"plans": [draft.pk, world.plan.pk, foreign_world.plan.pk]})
    assert response.status_code == 302
    assert set(world.inspection.plans.all()) == {draft, world.plan}  # never another's
    assert world.inspection.history.first().history_user == world.users[Role.IMPROVEMENT_LEAD]
    assert f"{draft.title} (draft)" in client.get(url).content.decode()


@pytest.mark.parametrize("bad", ["²", "١٢", "99999999999999999999", "-1", "0", "1.5"], ids=repr)
def test_a_bad_plan_id_is_not_found_never_a_crash(client, world, bad):
    client.raise_request_exception = False
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    slug = world.authority.slug
    assert client.get(f"/{slug}/actions/?plan={bad}").status_code == 404
    assert client.get(f"/{slug}/reports/board-pack/?plan={bad}").status_code == 404
    response = client.post(f"/{slug}/inspections/{world.inspection.pk}/", {"plans": [bad]})
    assert response.status_code == 302
    assert not world.inspection.plans.exists()
