"""The API's read of DfE's published figures: the same as `g2g published_figures`, for an
authority the token's user holds a role in, and a CSV feed."""

import csv
import io
import json

import pytest
from django.core.management import call_command

from g2g.tenancy.models import Authority, Role
from tests.factories import MembershipFactory
from tests.measures.published_data import published  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def tameside_viewer(published):  # noqa: F811 - the fixture imported above
    return MembershipFactory(authority=Authority.objects.get(name="Tameside"), role=Role.VIEWER)


def test_the_api_reads_what_the_command_prints(client, bearer, tameside_viewer):
    headers = bearer(tameside_viewer.user)
    response = client.get(
        "/api/v1/tameside/published-figures?indicator=cla_three_placements", headers=headers
    )
    assert response.status_code == 200
    out = io.StringIO()
    call_command(
        "published_figures",
        "--authority=Tameside",
        "--indicator=cla_three_placements",
        "--format=json",
        stdout=out,
    )
    assert response.json() == json.loads(out.getvalue())
    latest = response.json()["series"][-1]
    assert (latest["year"], latest["value"], latest["england"]) == (2025, 6, 10)


def test_the_neighbours_and_the_catalogue(client, bearer, tameside_viewer):
    headers = bearer(tameside_viewer.user)
    neighbours = client.get("/api/v1/tameside/neighbours", headers=headers).json()
    assert neighbours["neighbours"][0] == {
        "rank": 1,
        "code": "372",
        "name": "Rotherham",
        "closeness": "Very close",
    }
    catalogue = client.get("/api/v1/indicators", headers=headers).json()
    placements = next(i for i in catalogue if i["key"] == "cla_three_placements")
    assert placements["polarity"] == "lower"
    assert placements["framework_area"] == "stable_homes"
    assert placements["annex_a_kpi"] is True


def test_an_indicator_must_be_named_and_another_authority_is_not_found(
    client, bearer, tameside_viewer
):
    headers = bearer(tameside_viewer.user)
    assert client.get("/api/v1/tameside/published-figures", headers=headers).status_code == 422
    url = "/api/v1/oldham/published-figures?indicator=cla_rate"
    assert client.get(url, headers=headers).status_code == 404


def test_the_csv_feed(client, bearer, tameside_viewer):
    response = client.get(
        "/api/v1/tameside/feeds/published-figures.csv", headers=bearer(tameside_viewer.user)
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    row = next(r for r in rows if (r["indicator"], r["year"]) == ("sw_turnover", "2025"))
    assert row["authority"] == "Tameside"
    assert row["england"] == "11.8"
