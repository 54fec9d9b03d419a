"""Audit pages: who may read and write, what the pages show, and query counts that do not grow
with the number of audits or remedial actions."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from g2g.assurance.models import Audit, RemedialAction
from g2g.core.dates import today
from g2g.measures.models import MeasureValue
from g2g.tenancy.models import Role
from tests.factories import AuditFactory, RemedialActionFactory

pytestmark = pytest.mark.django_db

EDITORS = {Role.ADMINISTRATOR, Role.IMPROVEMENT_LEAD}
AUDIT = {
    "kind": "dip_sample",
    "theme": "Management oversight",
    "held_on": "2024-03-05",
    "cases": "12",
    "outstanding": "1",
    "good": "5",
    "requires_improvement": "4",
    "inadequate": "",  # empty: none
}


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
def test_every_role_reads_the_audit_pages(client, world, role):
    client.force_login(world.users[role])
    slug = world.authority.slug
    for url in [f"/{slug}/audits/", f"/{slug}/audits/{world.audit.pk}/"]:
        response = client.get(url)
        assert response.status_code == 200
        assert world.audit.theme in response.content.decode()


@pytest.mark.parametrize("role", list(Role), ids=[role.value for role in Role])
@pytest.mark.parametrize("write", ["audit", "audit_edit", "remedial", "remedial_edit", "done"])
def test_only_improvement_leads_and_administrators_write(client, world, role, write):
    client.force_login(world.users[role])
    slug = world.authority.slug
    remedial = {"description": "Add the plan", "owner_text": "Team manager", "due": "2024-04-05"}
    url, data, model = {
        "audit": (f"/{slug}/audits/new/", AUDIT, Audit),
        "audit_edit": (f"/{slug}/audits/{world.audit.pk}/edit/", AUDIT, Audit),
        "remedial": (
            f"/{slug}/audits/{world.audit.pk}/remedial-actions/new/",
            remedial,
            RemedialAction,
        ),
        "remedial_edit": (
            f"/{slug}/audits/remedial-actions/{world.remedial_action.pk}/edit/",
            remedial,
            RemedialAction,
        ),
        "done": (
            f"/{slug}/audits/remedial-actions/{world.remedial_action.pk}/done/",
            {},
            RemedialAction,
        ),
    }[write]
    history_before = model.history.count()
    values_before = MeasureValue.objects.count()
    response = client.post(url, data)
    if role in EDITORS:
        assert response.status_code == 302, response.content.decode()[:3000]
        assert model.history.count() == history_before + 1
        assert model.history.latest().history_user == world.users[role]
    else:
        assert response.status_code == 403
        assert model.history.count() == history_before
        assert MeasureValue.objects.count() == values_before


def test_recording_an_audit_updates_the_computed_measure(client, world):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    client.post(f"/{world.authority.slug}/audits/new/", AUDIT)
    audit = Audit.objects.get(theme="Management oversight")
    assert (audit.graded, audit.inadequate) == (10, 0)
    value = MeasureValue.objects.get(
        measure__indicator="audits_good_or_better", period=date(2024, 3, 1)
    )
    assert (value.numerator, value.denominator, value.value) == (6, 10, 60)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"good": "20"}, "The grades add up to 25 cases but 12 were audited"),
        ({"cases": "0"}, "Enter how many cases were audited, 1 or more"),
        ({"cases": "many"}, "Enter a whole number"),
        ({"held_on": "2024-02-30"}, "Enter a real date"),
        ({"kind": "guess"}, "Select a valid choice"),
        ({"held_on": (date.max - timedelta(days=1)).isoformat()}, "cannot have grades yet"),
    ],
    ids=["too-many-grades", "no-cases", "not-a-number", "bad-date", "bad-kind", "future"],
)
def test_bad_audits_are_explained_and_write_nothing(client, world, change, message):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    before = Audit.history.count()
    response = client.post(f"/{world.authority.slug}/audits/new/", AUDIT | change)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert Audit.history.count() == before


def test_an_audit_page_shows_grades_with_percentages_and_statuses_in_words(client, world):
    client.force_login(world.users[Role.VIEWER])
    audit = AuditFactory(
        authority=world.authority,
        cases=20,
        outstanding=2,
        good=8,
        requires_improvement=5,
        inadequate=1,
        synthetic=True,
    )
    RemedialActionFactory(audit=audit, due=today() - timedelta(days=1), description="Late one")
    RemedialActionFactory(audit=audit, due=today() + timedelta(days=9), description="Due one")
    RemedialActionFactory(
        audit=audit, due=today() - timedelta(days=9), done_on=today() - timedelta(days=9)
    )
    page = client.get(f"/{world.authority.slug}/audits/{audit.pk}/").content.decode()
    for text in ("Outstanding", "10%", "40%", "25%", "5%", "Not graded", "20%"):
        assert text in page
    for word in ("Overdue", "Due", "Done"):
        assert f">{word}</strong>" in page
    assert "Synthetic</strong>" in page
    assert "10 of 16 graded cases" in page


def test_the_audit_list_filters_by_kind_and_year(client, world):
    client.force_login(world.users[Role.VIEWER])
    AuditFactory(
        authority=world.authority, kind="deep_dive", theme="Deep one", held_on=date(2023, 5, 1)
    )
    AuditFactory(
        authority=world.authority, kind="thematic", theme="Theme 2023", held_on=date(2023, 6, 1)
    )
    url = f"/{world.authority.slug}/audits/"
    page = client.get(url + "?kind=deep_dive").content.decode()
    assert "Deep one" in page
    assert "Theme 2023" not in page
    page = client.get(url + "?year=2023").content.decode()
    assert "Deep one" in page
    assert "Theme 2023" in page
    assert world.audit.theme not in page
    assert client.get(url + "?year=1066&kind=nonsense").status_code == 200  # reported, not a 500


@pytest.mark.parametrize(
    "page", ["", "?kind=thematic", "{audit}/"], ids=["list", "filtered", "audit"]
)
def test_audit_pages_do_not_grow_their_queries(client, world, page):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    url = f"/{world.authority.slug}/audits/" + page.format(audit=world.audit.pk)
    before = queries(client, url)
    for n in range(20):
        audit = AuditFactory(authority=world.authority, held_on=date(2020 + n % 5, 1, 1))
        RemedialActionFactory(audit=audit)
        RemedialActionFactory(audit=world.audit, due=date(2020, 1, 1) + timedelta(days=n))
    assert queries(client, url) == before
