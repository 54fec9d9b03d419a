"""Stakeholder outcomes: read from the seed plans, shown by group with their measures, edited by
improvement leads."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import strategies as st

from g2g.measures.models import MeasureValue, StakeholderOutcome
from g2g.measures.outcomes import (
    OutcomeDraft,
    read_stakeholder_outcomes,
    write_stakeholder_outcomes,
)
from g2g.tenancy.access import access_for
from g2g.tenancy.models import Role
from tests import seed_files
from tests.factories import MeasureFactory, StakeholderOutcomeFactory

pytestmark = pytest.mark.django_db

Group = StakeholderOutcome.Group


def seed(name: str) -> str:
    return seed_files.seed(name).read_text("utf-8")


def test_oldhams_plan_has_a_statement_for_each_of_the_seven_groups():
    drafts = read_stakeholder_outcomes(seed("oldham-improvement-plan-2019-21.txt"))
    assert [draft.group for draft in drafts] == [
        Group.CHILDREN,
        Group.PARENTS,
        Group.PARTNERS,
        Group.WORKFORCE,
        Group.FRONT_LINE_MANAGERS,
        Group.SENIOR_MANAGERS,
        Group.ELECTED_MEMBERS,
    ]
    by_group = {draft.group: draft.statement for draft in drafts}
    assert by_group[Group.CHILDREN].startswith("Children are safer and will be helped earlier.")
    assert by_group[Group.FRONT_LINE_MANAGERS] == (
        "Front line managers will provide effective management oversight and opportunities for "
        "reflective practice which contribute to better outcomes for children and young people"
    )
    # The last row is split by a page heading and a page break: both halves are kept, joined.
    assert by_group[Group.ELECTED_MEMBERS] == (
        "Elected Members will hold Managers to account. They will have confidence in the "
        "workforce to deliver a safe and consistent service"
    )
    assert "Ofsted Improvement Plan" not in " ".join(by_group.values())
    assert [draft.line for draft in drafts][0] == 74


def test_tamesides_plan_has_no_such_table():
    assert read_stakeholder_outcomes(seed("tameside-improvement-plan-2023.txt")) == []


def test_the_table_ends_at_a_row_naming_no_group():
    text = (
        "What does making a difference look like?\n"
        "Our partners\tPartners will know their part.\n"
        "\tThey will say so.\n"
        "Objectives to create change\tActions\n"
        "Elected members\tNot part of the table any more\n"
    )
    assert read_stakeholder_outcomes(text) == [
        OutcomeDraft(Group.PARTNERS, "Partners will know their part. They will say so.", 2)
    ]


@given(st.text())
def test_the_reader_never_crashes(text):
    drafts = read_stakeholder_outcomes("What does making a difference look like?\n" + text)
    assert all(draft.group in Group.values and draft.statement for draft in drafts)


def test_reading_the_same_plan_twice_adds_nothing(world):
    drafts = read_stakeholder_outcomes(seed("oldham-improvement-plan-2019-21.txt"))
    access = access_for(world.users[Role.IMPROVEMENT_LEAD], world.authority.slug)
    assert write_stakeholder_outcomes(access, world.plan, drafts) == 7
    assert write_stakeholder_outcomes(access, world.plan, drafts) == 0
    assert world.plan.stakeholder_outcomes.count() == 8  # and the world's own
    added = StakeholderOutcome.history.filter(plan=world.plan, history_type="+")
    assert added.count() == 8
    assert added.filter(history_user=world.users[Role.IMPROVEMENT_LEAD]).count() == 7


@pytest.mark.parametrize("role", [Role.ACTION_LEAD, Role.VIEWER, Role.REGIONAL_VIEWER])
def test_only_roles_that_edit_the_plan_write_read_outcomes(world, role):
    drafts = [OutcomeDraft(Group.CHILDREN, "We feel listened to", 1)]
    with pytest.raises(PermissionDenied):
        write_stakeholder_outcomes(
            access_for(world.users[role], world.authority.slug), world.plan, drafts
        )
    assert world.plan.stakeholder_outcomes.count() == 1  # the world's own only


@pytest.fixture
def lead(client, world):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    return client


def test_outcomes_page_shows_statements_by_group_with_their_measures_status(lead, world):
    MeasureValue.objects.create(
        measure=world.measure, period=date(2024, 5, 1), value=61, source="synthetic"
    )
    page = lead.get(f"/{world.authority.slug}/outcomes/").content.decode()
    assert "Children and young people" in page
    assert world.outcome.statement in page
    assert world.measure.name in page
    assert "61%" in page
    assert "synthetic demo data" in page
    assert "No statement for elected members yet." in page


def test_outcomes_page_query_count_does_not_grow(lead, world):
    url = f"/{world.authority.slug}/outcomes/"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert lead.get(url).status_code == 200
        return len(captured)

    def grow(count: int) -> None:
        for n in range(count):
            outcome = StakeholderOutcomeFactory(plan=world.plan, group=Group.values[n % 7])
            measure = MeasureFactory(authority=world.authority, plan=world.plan)
            MeasureValue.objects.create(measure=measure, period=date(2024, 5, 1), value=n)
            outcome.measures.add(measure, world.measure)

    grow(2)
    small = queries()
    grow(30)
    assert queries() == small


def test_an_improvement_lead_adds_a_statement_with_measures(lead, world):
    response = lead.post(
        f"/{world.authority.slug}/outcomes/add/",
        {
            "group": Group.ELECTED_MEMBERS,
            "statement": "Members hold us to account",
            "measures": [world.measure.pk],
        },
    )
    assert response.status_code == 302
    added = StakeholderOutcome.objects.get(statement="Members hold us to account")
    assert list(added.measures.all()) == [world.measure]
    assert added.history.first().history_user == world.users[Role.IMPROVEMENT_LEAD]


def test_an_improvement_lead_changes_a_statement(lead, world):
    url = f"/{world.authority.slug}/outcomes/{world.outcome.pk}/edit/"
    assert world.outcome.statement in lead.get(url).content.decode()
    response = lead.post(url, {"group": Group.CHILDREN, "statement": "Children are heard"})
    assert response.status_code == 302
    world.outcome.refresh_from_db()
    assert world.outcome.statement == "Children are heard"
    assert list(world.outcome.measures.all()) == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"group": "children", "statement": "  "}, "Enter what making a difference looks like"),
        ({"group": "aliens", "statement": "Hello"}, "Select a valid choice"),
        ({"statement": "Hello"}, "Choose who the statement is about"),
    ],
    ids=["blank-statement", "no-such-group", "no-group"],
)
def test_bad_input_is_refused_with_a_clear_message(lead, world, data, message):
    response = lead.post(f"/{world.authority.slug}/outcomes/add/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert StakeholderOutcome.objects.filter(plan=world.plan).count() == 1


def test_another_authoritys_measure_cannot_be_linked(lead, world, foreign_world):
    response = lead.post(
        f"/{world.authority.slug}/outcomes/{world.outcome.pk}/edit/",
        {"group": "children", "statement": "Hello", "measures": [foreign_world.measure.pk]},
    )
    assert response.status_code == 200
    assert "Choose measures from the list" in response.content.decode()
    assert list(world.outcome.measures.all()) == [world.measure]


@pytest.mark.parametrize("role", [Role.ACTION_LEAD, Role.VIEWER, Role.REGIONAL_VIEWER])
def test_only_plan_editors_change_outcomes(client, world, role):
    client.force_login(world.users[role])
    assert client.get(f"/{world.authority.slug}/outcomes/").status_code == 200
    url = f"/{world.authority.slug}/outcomes/{world.outcome.pk}/edit/"
    assert client.post(url, {"group": "children", "statement": "Changed"}).status_code == 403
    world.outcome.refresh_from_db()
    assert world.outcome.statement != "Changed"
