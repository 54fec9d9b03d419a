"""`g2g load_demo`: what a new user sees after `make demo`."""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.http import HttpRequest  # django-axes checks sign-ins per request

from g2g.core.demo import DEMO_PASSWORD
from g2g.plans.models import Action, Plan
from g2g.tenancy.models import Authority, Role
from tests.tenancy.test_load_authorities import OLDHAM_NEIGHBOURS

pytestmark = pytest.mark.django_db

SHARED = Path(__file__).parents[3] / "shared"
SEEDS = Path(os.environ.get("G2G_SEEDS", SHARED / "seeds"))
REFERENCE = Path(os.environ.get("G2G_REFERENCE", SHARED / "reference"))
REPORTS = Path(os.environ.get("G2G_REPORTS", SHARED / "inspection-reports"))


def load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", seeds=SEEDS, reference=REFERENCE, reports=REPORTS, stdout=out)
    return out.getvalue()


def test_the_demo_loads_the_real_plans_and_prints_the_sign_in(client):
    printed = load_demo()
    assert Authority.objects.count() == 153
    assert Action.objects.filter(plan__authority__name="Oldham").count() == 25
    assert Action.objects.filter(plan__authority__name="Tameside").count() == 31
    assert DEMO_PASSWORD in printed
    for role in Role:
        assert role.value in printed
        assert client.login(request=HttpRequest(), username=role.value, password=DEMO_PASSWORD)
        assert client.get("/oldham/").status_code == 200


def test_the_overview_lists_oldhams_ten_statistical_neighbours_in_order(client):
    load_demo()
    client.login(request=HttpRequest(), username="viewer", password=DEMO_PASSWORD)
    page = client.get("/oldham/").content.decode()
    positions = [page.index(f"<li>{name}") for name in OLDHAM_NEIGHBOURS]
    assert positions == sorted(positions)
    assert "E08000004" in page
    assert "353" in page


def test_the_demo_action_lead_can_update_the_actions_of_their_post(client):
    load_demo()
    client.login(request=HttpRequest(), username="action_lead", password=DEMO_PASSWORD)
    led = Action.objects.filter(
        plan__authority__name="Oldham", leads__title="Director of Children's Social Care"
    ).first()
    other = Action.objects.filter(plan__authority__name="Oldham").exclude(leads=led.leads.get())
    assert client.get(f"/oldham/actions/{led.pk}/update/").status_code == 200
    assert client.get(f"/oldham/actions/{other.first().pk}/update/").status_code == 403


def test_the_demo_links_plans_to_their_inspections():
    from g2g.inspections.models import Finding, Inspection

    load_demo()
    assert Inspection.objects.filter(authority__name="Oldham").count() == 4  # and a focused visit
    assert Inspection.objects.filter(authority__name="Tameside").count() == 3
    oldham_2019 = Inspection.objects.get(authority__name="Oldham", start__year=2019)
    assert oldham_2019.findings.filter(actions__isnull=False).exists()
    tameside = Finding.objects.filter(inspection__code="ILAC", actions__isnull=False)
    assert tameside.exists()


def test_loading_the_demo_twice_changes_nothing():
    load_demo()
    counts = (Plan.objects.count(), Action.objects.count())
    printed = load_demo()
    assert (Plan.objects.count(), Action.objects.count()) == counts
    assert "already loaded" in printed


def test_benchmarking_shows_the_grades_of_oldham_and_its_neighbours(client):
    load_demo()
    client.login(request=HttpRequest(), username="viewer", password=DEMO_PASSWORD)
    page = client.get("/oldham/measures/benchmarking/").content.decode()
    for name in ["Oldham", *OLDHAM_NEIGHBOURS]:
        assert name in page
    assert "Good" in page
