"""A measure's unit and which way is better: from the catalogue when it tracks an indicator,
else read from its name, else assumed, and always shown for the improvement lead to confirm."""

import pytest

from g2g.measures.defaults import suggest
from g2g.measures.models import Measure
from g2g.measures.services import edit_measure, link_indicator
from g2g.tenancy.access import operator_access
from tests.factories import MeasureFactory


@pytest.mark.parametrize(
    ("name", "unit", "polarity", "basis"),
    [
        ("Cared for children with 3 or more placements in a 12 month period", "%", "lower", "name"),
        ("Children with 3+ placements", "%", "lower", "name"),
        ("Number of children in un-regulated placements", "count", "lower", "name"),
        ("No. of dip samples reaching required standard", "count", "higher", "name"),
        ("No of children seen", "count", "higher", "name"),
        ("No. children with permanence plan in place.", "count", "higher", "name"),
        ("% of up to date pathway plans.", "%", "higher", "name"),
        ("(%) of children with a personal adviser", "%", "higher", "name"),
        ("Re-referrals within 12 months", "%", "lower", "name"),
        ("Repeat child protection plans", "%", "lower", "name"),
        ("Plans starting for a second or subsequent time", "%", "lower", "name"),
        ("Feedback and complaints", "%", "higher", "assumed"),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) > 10 else None,
)
def test_the_name_gives_the_defaults(name, unit, polarity, basis):
    found = suggest(name)
    assert (found.unit, found.polarity, found.basis) == (unit, polarity, basis)
    assert found.reason


def test_an_indicator_s_catalogue_entry_wins_over_the_name():
    found = suggest("No. of child & family assessments completed", "assessments_45_days")
    assert (found.unit, found.polarity, found.basis) == ("%", "higher", "catalogue")
    assert suggest("Caseload data", "caseload").unit == "FTE ratio"


@pytest.mark.django_db
def test_linking_an_indicator_takes_its_unit_and_polarity_until_a_person_confirms_them():
    measure = MeasureFactory(name="Cared for children placements")
    access = operator_access(measure.authority)
    link_indicator(access, measure, "cla_three_placements")
    measure.refresh_from_db()
    assert (measure.unit, measure.polarity, measure.unit_polarity_basis) == (
        "%",
        "lower",
        Measure.Basis.CATALOGUE,
    )
    confirmed = MeasureFactory(authority=measure.authority, polarity="higher")
    confirmed.unit_polarity_basis = Measure.Basis.CONFIRMED
    confirmed.save()
    link_indicator(access, confirmed, "cla_three_placements")
    confirmed.refresh_from_db()
    assert confirmed.polarity == "higher"  # a person's choice stands


@pytest.mark.django_db
def test_saving_the_edit_form_confirms_and_a_new_indicator_brings_its_defaults():
    measure = MeasureFactory(name="Children with many moves")
    access = operator_access(measure.authority)
    fields = {"name": measure.name, "unit": "%", "polarity": "higher"}
    edit_measure(access, measure, targets=[], indicator="cla_three_placements", **fields)
    measure.refresh_from_db()
    assert (measure.polarity, measure.unit_polarity_basis) == ("lower", Measure.Basis.CATALOGUE)
    edit_measure(access, measure, targets=[], **fields)  # the lead chose "higher": it stands
    measure.refresh_from_db()
    assert (measure.polarity, measure.unit_polarity_basis) == ("higher", Measure.Basis.CONFIRMED)
