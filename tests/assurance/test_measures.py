"""The two computed assurance measures, checked against numbers worked out by hand."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from g2g.assurance.services import compute_assurance_measures
from g2g.measures.models import Measure, MeasureValue
from g2g.tenancy.access import access_for
from tests.factories import AuditFactory, MeasureFactory, RemedialActionFactory

pytestmark = pytest.mark.django_db

MARCH = date(2024, 3, 1)
ON = date(2024, 5, 1)


@pytest.fixture
def march(world):
    """Two audits in March 2024 and one in April, with remedial actions:

    good or better in March: (1 + 4) + (0 + 6) = 11 of 10 + 10 = 20 graded cases = 55.00%
    (audit B looked at 12 cases but graded 10; April's audit is another month).

    remedial actions of March's audits, on 1 May 2024:
      due 10 Apr, done 9 Apr   -> on time
      due 10 Apr, done 12 Apr  -> late
      due 30 Apr, not done     -> late (overdue)
      due 30 Jun, not done     -> not known yet: left out
      due 30 Jun, done 20 Apr  -> on time
    = 2 on time of 4 known = 50.00%.
    """
    a = AuditFactory(
        authority=world.authority,
        held_on=date(2024, 3, 5),
        cases=10,
        outstanding=1,
        good=4,
        requires_improvement=3,
        inadequate=2,
    )
    b = AuditFactory(
        authority=world.authority,
        held_on=date(2024, 3, 20),
        cases=12,
        outstanding=0,
        good=6,
        requires_improvement=3,
        inadequate=1,
        synthetic=True,
    )
    april = AuditFactory(
        authority=world.authority,
        held_on=date(2024, 4, 2),
        cases=10,
        outstanding=0,
        good=10,
        requires_improvement=0,
        inadequate=0,
    )
    RemedialActionFactory(audit=a, due=date(2024, 4, 10), done_on=date(2024, 4, 9))
    RemedialActionFactory(audit=a, due=date(2024, 4, 10), done_on=date(2024, 4, 12))
    RemedialActionFactory(audit=b, due=date(2024, 4, 30))
    RemedialActionFactory(audit=b, due=date(2024, 6, 30))
    RemedialActionFactory(audit=b, due=date(2024, 6, 30), done_on=date(2024, 4, 20))
    RemedialActionFactory(audit=april, due=date(2024, 4, 20))
    return world


def lead(world):
    return access_for(world.users["improvement_lead"], world.authority.slug)


def value_of(world, indicator, period=MARCH) -> MeasureValue:
    return MeasureValue.objects.get(
        measure__authority=world.authority, measure__indicator=indicator, period=period
    )


def test_good_or_better_counts_graded_cases_in_the_month(march):
    compute_assurance_measures(lead(march), MARCH, on=ON)
    value = value_of(march, "audits_good_or_better")
    assert (value.value, value.numerator, value.denominator) == (Decimal("55.00"), 11, 20)
    assert value.source == MeasureValue.Source.COMPUTED
    assert "11 of 20 graded cases" in value.note
    assert "2 audits held in March 2024 (1 of them synthetic demo audits)" in value.note


def test_remedial_actions_on_time_leave_out_those_not_yet_due(march):
    compute_assurance_measures(lead(march), MARCH, on=ON)
    value = value_of(march, "remedial_actions_on_time")
    assert (value.value, value.numerator, value.denominator) == (Decimal("50.00"), 2, 4)
    assert "1 not yet due" in value.note


def test_the_measures_are_created_from_the_catalogue_once(march):
    compute_assurance_measures(lead(march), MARCH, on=ON)
    compute_assurance_measures(lead(march), date(2024, 4, 1), on=ON)
    measures = Measure.objects.in_authority(march.authority).exclude(indicator="")
    assert sorted(measures.values_list("name", flat=True)) == [
        "Audit remedial actions completed on time",
        "Audited cases graded good or better",
    ]
    april = value_of(march, "audits_good_or_better", date(2024, 4, 1))
    assert april.value == Decimal("100.00")
    # April's only remedial action is open and past due on 1 May: 0 of 1 on time.
    assert value_of(march, "remedial_actions_on_time", date(2024, 4, 1)).value == 0


def test_an_existing_measure_naming_the_indicator_is_used(march):
    own = MeasureFactory(authority=march.authority, name="Case file audits")
    own.indicator = "audits_good_or_better"
    own.save()
    compute_assurance_measures(lead(march), MARCH, on=ON)
    assert value_of(march, "audits_good_or_better").measure == own


def test_a_figure_entered_by_hand_is_kept(march):
    compute_assurance_measures(lead(march), MARCH, on=ON)
    value = value_of(march, "audits_good_or_better")
    value.source, value.value = MeasureValue.Source.ENTERED, Decimal(61)
    value.save()
    compute_assurance_measures(lead(march), MARCH, on=ON)
    assert value_of(march, "audits_good_or_better").value == Decimal(61)


def test_a_month_left_with_nothing_to_count_loses_its_computed_value(march):
    compute_assurance_measures(lead(march), MARCH, on=ON)
    march.authority.audits.filter(held_on__month=3).update(held_on=date(2024, 2, 10))
    compute_assurance_measures(lead(march), MARCH, on=ON)
    assert not MeasureValue.objects.filter(period=MARCH).exists()


def test_nothing_is_created_for_an_authority_without_audits(foreign_world, world):
    compute_assurance_measures(lead(world), MARCH, on=ON)
    assert not Measure.objects.in_authority(world.authority).exclude(indicator="").exists()


@pytest.mark.parametrize("role", ["action_lead", "viewer", "regional_viewer"])
def test_only_roles_that_edit_the_plan_compute_them(march, role):
    with pytest.raises(PermissionDenied):
        compute_assurance_measures(access_for(march.users[role], march.authority.slug), MARCH)
    assert not MeasureValue.objects.filter(period=MARCH).exists()
    assert not Measure.objects.in_authority(march.authority).exclude(indicator="").exists()
