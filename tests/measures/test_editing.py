"""Editing a measure, entering a value, and importing values through the upload pages."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from g2g.importers.models import Upload
from g2g.measures.models import ComparatorValue, Measure, MeasureValue, Milestone
from g2g.tenancy.models import Role
from tests.factories import AuthorityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(client, world):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    return client


def url(world, tail: str) -> str:
    return f"/{world.authority.slug}/measures/{world.measure.pk}/{tail}"


def edit_data(**changes) -> dict:
    data = {
        "name": "Assessments completed within 45 working days",
        "code": "CIN8",
        "unit": "%",
        "polarity": "higher",
        "indicator": "assessments_45_days",
        "data_source": "Scorecard - CIN8",
        "frequency": "monthly",
        "definition": "Assessments authorised in the month within 45 working days of the start.",
        "rationale": "Timely assessments mean children get help sooner.",
        "within_control": "true",
        "targets": "55% by October 2019, 70% by June 2020\n85% by Sept 2020",
    }
    return data | changes


def test_an_improvement_lead_edits_a_measure_its_targets_and_indicator(lead, world):
    response = lead.post(url(world, "edit/"), edit_data())
    assert response.status_code == 302
    measure = Measure.objects.get(pk=world.measure.pk)
    assert (measure.code, measure.within_control, measure.indicator) == (
        "CIN8",
        True,
        "assessments_45_days",
    )
    targets = [(m.due, m.value) for m in Milestone.objects.filter(measure=measure)]
    assert targets == [
        (date(2019, 10, 31), 55),
        (date(2020, 6, 30), 70),
        (date(2020, 9, 30), 85),
    ]
    england = ComparatorValue.objects.get(measure=measure, kind="england")
    assert england.value == Decimal("85.7")
    page = lead.get(url(world, "")).content.decode()
    assert "Assessments completed within 45 working days" in page
    assert "explore-education-statistics" in page  # England's figure is cited
    # Saving the same targets again changes none of them (no new history).
    lead.post(
        url(world, "edit/"), edit_data(targets="55% by Oct 2019, 70% by June 2020, 85% by Sep 2020")
    )
    assert Milestone.history.count() == 3


def test_a_target_that_cannot_be_read_is_an_error_and_nothing_changes(lead, world):
    response = lead.post(url(world, "edit/"), edit_data(targets="55% by October 2019, 70 in June"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "“70 in June” is not a target" in page
    assert Measure.objects.get(pk=world.measure.pk).code != "CIN8"
    assert not Milestone.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"period": "Smarch 2024", "value": "50"}, "Enter the month like 2025-09"),
        ({"period": "2099-01", "value": "50"}, "The month cannot be in the future"),
        ({"period": "2024-01", "value": "150"}, "A percentage must be between 0 and 100"),
        ({"period": "2024-01", "value": "fifty"}, "Enter the value as a number"),
        (
            {"period": "2024-01", "value": "50", "numerator": "9", "denominator": "3"},
            "The numerator cannot be more than the denominator",
        ),
        ({"period": "2024-01", "value": ""}, "Enter the value"),
    ],
    ids=["month", "future", "percentage", "text", "numerator", "missing"],
)
def test_bad_values_are_refused_with_a_clear_message(lead, world, data, message):
    response = lead.post(url(world, "values/"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MeasureValue.objects.filter(measure=world.measure).exists()


def test_a_value_entered_on_the_page_replaces_the_month_with_one_history_entry(lead, world):
    data = {"period": "Jan 2024", "value": "85.3", "numerator": "128", "denominator": "150"}
    assert lead.post(url(world, "values/"), data).status_code == 302
    assert lead.post(url(world, "values/"), data | {"value": "85.4"}).status_code == 302
    value = MeasureValue.objects.get(measure=world.measure)
    assert (value.period, value.value, value.source) == (
        date(2024, 1, 1),
        Decimal("85.4"),
        "entered",
    )
    assert value.history.count() == 2
    assert value.history.first().history_user == world.users[Role.IMPROVEMENT_LEAD]


@pytest.mark.parametrize("role", [Role.ACTION_LEAD, Role.VIEWER, Role.REGIONAL_VIEWER])
def test_only_those_who_edit_the_plan_edit_measures(client, world, role):
    client.force_login(world.users[role])
    assert (
        client.post(url(world, "values/"), {"period": "2024-01", "value": "5"}).status_code == 403
    )
    assert client.post(url(world, "edit/"), edit_data()).status_code == 403
    assert not MeasureValue.objects.exists()


def values_file(rows: list[str]) -> SimpleUploadedFile:
    return SimpleUploadedFile("values.csv", "\n".join(rows).encode())


def test_values_are_previewed_then_imported_on_confirm(lead, world):
    AuthorityFactory(name="Stockport", slug="stockport")
    code = world.measure.code
    rows = [
        "Code,Month,Value,England,Stockport",
        f"{code},2024-01,80,78,82",
        f"{code},2024-02,81,,",
    ]
    response = lead.post(f"/{world.authority.slug}/import/values/", {"file": values_file(rows)})
    preview = response["Location"]
    page = lead.get(preview).content.decode()
    assert "Check the values before importing them" in page
    assert "2: 2 new, 0 replacing earlier values" in page
    assert not MeasureValue.objects.exists()
    assert lead.post(preview, {"decision": "confirm"}).status_code == 302
    assert MeasureValue.objects.filter(measure=world.measure).count() == 2
    assert ComparatorValue.objects.filter(label="Stockport").count() == 1
    assert not Upload.objects.filter(kind="values").exists()


def test_a_bad_values_file_lists_each_problem_and_writes_nothing(lead, world):
    code = world.measure.code
    rows = ["Code,Month,Value", f"{code},2024-01,eighty", "NOPE,2024-02,5", f"{code},2024-03,1"]
    response = lead.post(f"/{world.authority.slug}/import/values/", {"file": values_file(rows)})
    page = lead.get(response["Location"]).content.decode()
    assert "This file cannot be imported" in page
    assert "values.csv, row 2, column &#x27;Value&#x27;" in page
    assert "values.csv, row 3" in page
    assert lead.post(response["Location"], {"decision": "confirm"}).status_code == 200
    assert not MeasureValue.objects.exists()


def test_the_scorecard_groups_by_priority_filters_by_rating_and_draws_small_charts(lead, world):
    slug = world.authority.slug
    MeasureValue.objects.create(measure=world.measure, period=date(2024, 1, 1), value=50)
    Milestone.objects.create(measure=world.measure, due=date(2024, 1, 31), value=80)
    page = lead.get(f"/{slug}/measures/?group=priority&rating=red").content.decode()
    assert f"Priority {world.led_action.priority.number}" in page
    assert world.measure.name in page
    assert "Showing 1 of 1 measure" in page
    page = lead.get(f"/{slug}/measures/?rating=green").content.decode()
    assert "No measure has that rating" in page
    page = lead.get(f"/{slug}/measures/?view=charts&group=nonsense").content.decode()
    assert page.count("<svg") == 1
    assert 'id="measure-' in page
