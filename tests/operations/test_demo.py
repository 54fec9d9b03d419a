"""`g2g load_demo`: what a new user sees after `make demo`.

The demo is loaded once for the module, through the real command (`loaded_demo`), and each test
reads it inside its own savepoint (tests/conftest.py, `kept_for_the_module`), rolled back after
it; loading it again is a test of its own.
"""

import pytest
from django.http import HttpRequest  # django-axes checks sign-ins per request

from g2g.importers.posts import find_post
from g2g.operations.demo import DEMO_PASSWORD
from g2g.plans.models import Action, Plan, Post
from g2g.tenancy.models import Authority, Role
from tests.demo_data import load_demo
from tests.tenancy.test_load_authorities import OLDHAM_NEIGHBOURS

pytestmark = pytest.mark.django_db


def test_the_demo_loads_the_real_plans_and_prints_the_sign_in(client, demo):
    printed = demo
    assert Authority.objects.count() == 153
    assert Action.objects.filter(plan__authority__name="Oldham").count() == 25
    # Tameside's 2023 plan, and its current plan drafted from the 2024 inspection's 13
    # recommendations (tests/operations/test_demo_lived.py).
    assert Action.objects.filter(plan__authority__name="Tameside").count() == 31 + 13
    assert DEMO_PASSWORD in printed
    for role in Role:
        assert role.value in printed
        assert client.login(request=HttpRequest(), username=role.value, password=DEMO_PASSWORD)
        assert client.get("/oldham/").status_code == 200


def test_the_overview_lists_oldhams_ten_statistical_neighbours_in_order(client, demo):
    client.login(request=HttpRequest(), username="viewer", password=DEMO_PASSWORD)
    page = client.get("/oldham/").content.decode()
    positions = [page.index(f"<li>{name}") for name in OLDHAM_NEIGHBOURS]
    assert positions == sorted(positions)
    assert "E08000004" in page
    assert "353" in page


def test_the_demo_action_lead_can_update_the_actions_of_their_post(client, demo):
    client.login(request=HttpRequest(), username="action_lead", password=DEMO_PASSWORD)
    current = Plan.objects.get(authority__name="Tameside", status=Plan.Status.ACTIVE)
    posts = Post.objects.filter(authority__name="Tameside")
    led = current.actions.filter(leads=find_post(posts, "AD Children's Social Care")).first()
    other = current.actions.exclude(leads=led.leads.get())
    assert client.get(f"/tameside/actions/{led.pk}/update/").status_code == 200
    assert client.get(f"/tameside/actions/{other.first().pk}/update/").status_code == 403
    # Oldham's 2019-21 plan is closed (it ended in March 2021): the record, not written to.
    oldham_posts = Post.objects.filter(authority__name="Oldham")
    oldham = Action.objects.filter(
        leads=find_post(oldham_posts, "Director of Children's Social Care")
    ).first()
    assert oldham.plan.status == Plan.Status.CLOSED
    assert client.get(f"/oldham/actions/{oldham.pk}/update/").status_code == 302


def test_the_demo_links_plans_to_their_inspections(demo):
    from g2g.inspections.models import Finding, Inspection

    assert Inspection.objects.filter(authority__name="Oldham").count() == 4  # and a focused visit
    assert Inspection.objects.filter(authority__name="Tameside").count() == 3
    oldham_2019 = Inspection.objects.get(authority__name="Oldham", start__year=2019)
    assert oldham_2019.findings.filter(actions__isnull=False).exists()
    tameside = Finding.objects.filter(inspection__code="ILAC", actions__isnull=False)
    assert tameside.exists()


def test_loading_the_demo_twice_changes_nothing(demo):
    counts = (Plan.objects.count(), Action.objects.count())
    printed = load_demo()
    assert (Plan.objects.count(), Action.objects.count()) == counts
    assert "already loaded" in printed


def test_benchmarking_shows_the_grades_of_oldham_and_its_neighbours(client, demo):
    client.login(request=HttpRequest(), username="viewer", password=DEMO_PASSWORD)
    page = client.get("/oldham/measures/benchmarking/").content.decode()
    for name in ["Oldham", *OLDHAM_NEIGHBOURS]:
        assert name in page
    assert "Good" in page


def test_the_demo_loads_dfe_s_published_figures_and_the_2025_neighbours(client, demo):
    from g2g.measures.indicators import PUBLISHED_KEYS
    from g2g.measures.models import ComparatorValue, Measure, PublishedFigure
    from g2g.tenancy.models import neighbour_lists

    printed = demo
    assert "DfE's published figures: 21,447 figures of 18 indicators" in printed
    assert PublishedFigure.objects.filter(area_code="357", indicator="cla_three_placements")
    assert neighbour_lists(Authority.objects.get(name="Oldham")).current_model == "2025"
    linked = Measure.objects.filter(
        authority__name__in=["Oldham", "Tameside"], indicator__in=PUBLISHED_KEYS
    )
    assert {m.authority.name for m in linked} == {"Oldham", "Tameside"}
    for measure in linked:
        comparators = ComparatorValue.objects.filter(measure=measure)
        kinds = {c.kind for c in comparators if c.published}
        assert {"england", "region", "neighbours"} <= kinds, measure
        assert not [c for c in comparators if c.synthetic], measure
    cf4 = Measure.objects.get(authority__name="Tameside", code="CF4")
    assert (cf4.polarity, cf4.indicator) == ("lower", "cla_three_placements")
    client.login(request=HttpRequest(), username="viewer", password=DEMO_PASSWORD)
    page = client.get(f"/tameside/measures/{cf4.pk}/").content.decode()
    assert "Lower is better" in page
    assert "published (DfE, 2025)" in page
    pack = client.get("/tameside/reports/board-pack/").content.decode()
    # CF4's England figure in the scorecard, DfE's published one with its year
    assert '10%<span class="app-pack-when">Mar 2025, published (DfE, 2025)</span>' in pack
    assert client.get("/barnsley/compare/").status_code == 404  # no role there
    assert "How we compare" in client.get("/oldham/compare/").content.decode()
