"""A draft plan from an inspection (`inspections.services.draft_plan_from_inspection`): one
priority per judgement graded below Good, one action per finding that asks for action, linked
to it and citing it; leads and dates left blank; answering the inspection; in history; once."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from g2g.inspections.models import Finding, Inspection
from g2g.inspections.services import (
    DraftExistsError,
    below_good,
    draft_from,
    draft_plan_from_inspection,
)
from g2g.plans.models import Plan
from g2g.plans.services import approve_plan, edit_action
from g2g.tenancy.access import access_for
from g2g.tenancy.models import Role
from tests.factories import FindingFactory, InspectionFactory, JudgementFactory, PostFactory

pytestmark = pytest.mark.django_db

LEADERS = "The impact of leaders on social work practice with children and families"
HELP = "The experiences and progress of children who need help and protection"
IN_CARE = "The experiences and progress of children in care"
CARE_LEAVERS = "The experiences and progress of care leavers"


def lead_of(world):
    return access_for(world.users[Role.IMPROVEMENT_LEAD], world.authority.slug)


def ilacs(world) -> Inspection:
    inspection = InspectionFactory(
        authority=world.authority,
        framework_key="ilacs-2023",
        code="ILAC",
        start=date(2023, 12, 4),
        end=date(2023, 12, 15),
        judgement=None,
        finding=None,
    )
    for order, (area, grade, written) in enumerate(
        [
            (LEADERS, "Inadequate", "Inadequate"),
            (HELP, "Good", "Good"),
            (IN_CARE, "Requires improvement to be good", "Requires improvement"),
            (CARE_LEAVERS, "Outstanding", "Outstanding"),
        ]
    ):
        JudgementFactory(
            inspection=inspection, area=area, grade=grade, as_written=written, order=order
        )
    FindingFactory(
        inspection=inspection,
        number=1,
        text="The quality of plans for children in care, so that they are reviewed. And more.",
    )
    FindingFactory(inspection=inspection, number=2, text="Leaders' oversight of practice.")
    FindingFactory(inspection=inspection, kind=Finding.Kind.STRENGTH, number=1, text="Kind staff")
    return inspection


def test_a_draft_has_a_priority_per_area_below_good_and_an_action_per_finding(world):
    inspection = ilacs(world)
    lead = lead_of(world)
    plan = draft_plan_from_inspection(lead, inspection)
    assert plan.status == Plan.Status.DRAFT
    assert plan.authority == world.authority
    assert list(plan.inspections.all()) == [inspection]
    assert [p.title for p in plan.priorities.order_by("number")] == [
        f"{LEADERS} (inadequate)",
        f"{IN_CARE} (requires improvement to be good)",
    ]
    actions = {a.ref: a for a in plan.actions.select_related("priority")}
    assert set(actions) == {"1.1", "2.1"}  # the strength asks for no action
    # Listed priority by priority.
    assert list(plan.actions.order_by("order").values_list("ref", flat=True)) == ["1.1", "2.1"]
    in_care, leaders = actions["2.1"], actions["1.1"]
    assert in_care.title == "The quality of plans for children in care, so that they are reviewed"
    assert in_care.text.startswith("Answers ILAC.1: The quality of plans")
    assert leaders.text == "Answers ILAC.2: Leaders' oversight of practice."
    assert in_care.sources == ["ILAC"]
    for action in actions.values():
        assert (action.end, action.start, list(action.leads.all())) == (None, None, [])
    assert [f.reference for f in in_care.findings.all()] == ["ILAC.1"]
    assert [f.reference for f in leaders.findings.all()] == ["ILAC.2"]
    # Everything written is in history, with who wrote it.
    assert plan.history.get().history_user == lead.user
    assert in_care.history.get().history_user == lead.user
    assert inspection.history.first().history_user == lead.user
    assert in_care.findings.get().history.first().history_user == lead.user
    # The world's active plan is untouched.
    world.plan.refresh_from_db()
    assert world.plan.status == Plan.Status.ACTIVE


def test_a_second_draft_from_the_same_inspection_is_refused_naming_the_first(world):
    inspection = ilacs(world)
    first = draft_plan_from_inspection(lead_of(world), inspection)
    with pytest.raises(DraftExistsError) as refused:
        draft_plan_from_inspection(lead_of(world), inspection)
    assert refused.value.plan == first
    assert draft_from(lead_of(world), inspection) == first
    assert Plan.objects.filter(authority=world.authority, status=Plan.Status.DRAFT).count() == 1


def test_once_approved_another_draft_may_be_started(world):
    inspection = ilacs(world)
    first = draft_plan_from_inspection(lead_of(world), inspection)
    approve_plan(lead_of(world), first)
    assert draft_from(lead_of(world), inspection) is None
    second = draft_plan_from_inspection(lead_of(world), inspection)
    assert second != first


@pytest.mark.parametrize("role", [Role.ACTION_LEAD, Role.VIEWER], ids=["action-lead", "viewer"])
def test_only_roles_that_edit_plans_start_a_draft(world, role):
    access = access_for(world.users[role], world.authority.slug)
    with pytest.raises(PermissionDenied):
        draft_plan_from_inspection(access, ilacs(world))
    assert not Plan.objects.filter(status=Plan.Status.DRAFT).exists()


def test_another_authoritys_inspection_is_refused(world, foreign_world):
    with pytest.raises(PermissionDenied):
        draft_plan_from_inspection(lead_of(world), foreign_world.inspection)


def test_a_letter_with_no_grades_gets_one_priority_for_its_findings(world):
    letter = InspectionFactory(
        authority=world.authority,
        type=Inspection.Type.FOCUSED_VISIT,
        framework_key="focused-visit",
        overall="",
        judgement=None,
        finding__kind=Finding.Kind.PRIORITY_ACTION,
        finding__number=1,
        finding__text="Strategy meetings are held promptly",
    )
    plan = draft_plan_from_inspection(lead_of(world), letter)
    assert [p.title for p in plan.priorities.all()] == ["What the inspection asks us to improve"]
    action = plan.actions.get()
    assert "Answers ILAC area for priority action 1" in action.text


def test_the_improvement_lead_fills_in_an_action_of_the_draft(world):
    plan = draft_plan_from_inspection(lead_of(world), ilacs(world))
    action = plan.actions.get(ref="1.1")
    post = PostFactory(authority=world.authority)
    edit_action(lead_of(world), action, version=action.version, leads=[post], end=date(2025, 3, 31))
    action.refresh_from_db()
    assert (list(action.leads.all()), action.end) == ([post], date(2025, 3, 31))


@pytest.mark.parametrize(
    ("framework", "grades", "below"),
    [
        ("sif", ["Good", "Requires improvement to be good", "Not judged"], [1]),
        ("looked-after-2012", ["Good", "Adequate", "Inadequate", "Not judged"], [1, 2]),
        ("", ["Outstanding", "Inadequate", "Something else"], [1]),
    ],
    ids=["sif", "older-adequate", "no-framework"],
)
def test_below_good_reads_the_grade_by_its_meaning(world, framework, grades, below):
    from g2g.inspections.models import Framework

    inspection = InspectionFactory(authority=world.authority, judgement=None, finding=None)
    judgements = [
        JudgementFactory(inspection=inspection, area=f"Area {n}", grade=grade, order=n)
        for n, grade in enumerate(grades)
    ]
    found = below_good(judgements, Framework.objects.filter(key=framework).first())
    assert [judgements.index(j) for j in found] == below


# --- the pages


def test_an_improvement_lead_starts_the_draft_from_the_inspection_page(client, world):
    inspection = ilacs(world)
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    url = f"/{world.authority.slug}/inspections/{inspection.pk}/"
    page = client.get(url).content.decode()
    assert "Start a draft plan from this inspection" in page
    # 70 working days from Fri 15 December 2023, the inspection's last day, and it says so.
    assert "due by Wednesday 27 March 2024" in page
    assert "publication date is not recorded" in page
    response = client.post(f"{url}draft-plan/")
    plan = Plan.objects.get(authority=world.authority, status=Plan.Status.DRAFT)
    assert response.url == f"/{world.authority.slug}/?plan={plan.pk}"
    overview = client.get(response.url).content.decode()
    assert "due by Wednesday 27 March 2024" in overview
    actions = client.get(f"/{world.authority.slug}/actions/?plan={plan.pk}").content.decode()
    assert "due by Wednesday 27 March 2024" in actions
    action = plan.actions.first()
    detail = client.get(f"/{world.authority.slug}/actions/{action.pk}/").content.decode()
    assert "due by Wednesday 27 March 2024" in detail
    # Again: no second draft, the first one instead.
    assert client.post(f"{url}draft-plan/").url == response.url
    page = client.get(url).content.decode()
    assert "Start a draft plan from this inspection" not in page
    assert f"?plan={plan.pk}" in page
    # Approved: the due date is no longer shown, on the plan or the inspection.
    approve_plan(lead_of(world), plan)
    assert "due by" not in client.get(response.url).content.decode()
    assert "due by" not in client.get(url).content.decode()


def test_the_active_plan_shows_no_due_date(client, world):
    client.force_login(world.users[Role.VIEWER])
    world.inspection.plans.add(world.plan)
    assert "due by" not in client.get(f"/{world.authority.slug}/").content.decode()


@pytest.mark.parametrize("role", [Role.ACTION_LEAD, Role.VIEWER], ids=["action-lead", "viewer"])
def test_other_roles_see_no_button_and_cannot_start_a_draft(client, world, role):
    inspection = ilacs(world)
    client.force_login(world.users[role])
    url = f"/{world.authority.slug}/inspections/{inspection.pk}/"
    assert "Start a draft plan" not in client.get(url).content.decode()
    assert client.post(f"{url}draft-plan/").status_code == 403
    assert not Plan.objects.filter(status=Plan.Status.DRAFT).exists()


def test_another_authoritys_inspection_is_not_found(client, world, foreign_world):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    url = f"/{world.authority.slug}/inspections/{foreign_world.inspection.pk}/draft-plan/"
    assert client.post(url).status_code == 404
