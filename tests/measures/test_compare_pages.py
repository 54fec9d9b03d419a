"""The "how we compare" pages: every authority, on day one, with no plan; a fixed number of
queries whatever the number of indicators; the CSV download; one indicator across the region."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from g2g.measures.indicators import PUBLISHED_KEYS
from g2g.measures.models import PublishedFigure
from g2g.tenancy.models import Authority, Role
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, published):
    """A viewer of Tameside (no plan loaded) and a regional viewer of the North West."""

    def sign_in(name: str = "Tameside", role: str = Role.VIEWER):
        authority = Authority.objects.get(name=name)
        membership = MembershipFactory(authority=authority, role=role)
        client.force_login(membership.user)
        return authority

    return sign_in


def queries(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), response.content.decode()


def test_every_indicator_is_shown_by_outcome_and_enabler_with_its_comparators(client, signed_in):
    tameside = signed_in()
    _, page = queries(client, f"/{tameside.slug}/compare/")
    assert "How we compare" in page
    for heading in (
        "Children and young people are safe in and outside of their homes",
        "The workforce is equipped and effective",
        "Leaders drive conditions for effective practice",
    ):
        assert heading in page
    assert "Children in care with 3 or more placements in 12 months" in page
    assert "Statistical neighbours&#x27; average" in page
    assert "North West" in page
    assert "Rank among neighbours" in page
    assert "National quartile" in page
    assert "DfE statistical neighbour model 2025" in page
    assert "Rotherham – very close" in page
    assert "<svg" in page
    assert "The figures as a table" in page
    assert "calculated from published figures: children in need at 31 March" in page


def test_the_direction_of_travel_respects_polarity_in_words(client, signed_in):
    tameside = signed_in()
    _, page = queries(client, f"/{tameside.slug}/compare/indicator/?indicator=cla_three_placements")
    # Tameside: 8% in 2024, 6% in 2025, and fewer placements moves are better.
    assert "3+ placements fell from 8% (2024) to 6% (2025): better" in page
    assert ">Better</strong>" in page


def test_the_page_answers_with_the_same_queries_whatever_the_number_of_indicators(
    client, signed_in
):
    tameside = signed_in()
    url = f"/{tameside.slug}/compare/"
    queries(client, url)  # the charts are drawn (and cached) on the first request
    every, page = queries(client, url)
    assert page.count('class="govuk-summary-card"') == len(PUBLISHED_KEYS)
    PublishedFigure.objects.exclude(indicator__in=PUBLISHED_KEYS[:2]).delete()
    fewer, page = queries(client, url)
    assert page.count('class="govuk-summary-card"') == 2
    assert fewer == every


def test_the_page_answers_with_the_same_queries_for_any_authority(client, signed_in):
    counts = set()
    for name in ("Tameside", "Isles of Scilly", "Birmingham"):
        authority = signed_in(name)
        counts.add(queries(client, f"/{authority.slug}/compare/")[0])
    assert len(counts) == 1


def test_the_csv_download_holds_every_year_as_published(client, signed_in):
    tameside = signed_in()
    response = client.get(f"/{tameside.slug}/compare/how-we-compare.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    mine = next(
        row for row in rows if row["indicator"] == "cla_three_placements" and row["year"] == "2025"
    )
    assert (mine["value"], mine["suppressed"], mine["la_code"]) == ("6", "false", "357")
    assert {row["indicator"] for row in rows} == set(PUBLISHED_KEYS)


def test_a_regional_viewer_sees_one_indicator_across_the_region(client, signed_in):
    tameside = signed_in("Tameside", Role.REGIONAL_VIEWER)
    url = f"/{tameside.slug}/compare/indicator/?indicator=sw_agency_rate"
    _, page = queries(client, url)
    north_west = Authority.objects.filter(region="North West")
    assert north_west.count() > 20
    for authority in north_west:
        assert authority.name.replace("&", "&amp;") in page
    assert "Tameside (this authority)" in page


def test_an_unknown_indicator_is_not_found(client, signed_in):
    tameside = signed_in()
    assert client.get(f"/{tameside.slug}/compare/indicator/?indicator=nope").status_code == 404
    assert client.get(f"/{tameside.slug}/compare/indicator/").status_code == 404


def test_another_authority_s_page_is_not_found(client, signed_in):
    signed_in("Tameside")
    assert client.get("/oldham/compare/").status_code == 404


def test_the_overview_links_to_it_and_lists_the_2025_neighbours_with_the_earlier_kept(
    client, signed_in
):
    tameside = signed_in()
    _, page = queries(client, f"/{tameside.slug}/")
    assert f"/{tameside.slug}/compare/" in page
    assert "DfE statistical neighbour model 2025" in page
    assert "Kept beside it: the list in the ILACS overview workbook" in page
