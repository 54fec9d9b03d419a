"""The role table, asserted cell by cell through the real pages."""

import pytest

from g2g.core.dates import current_period
from g2g.plans.models import Action, ProgressUpdate
from g2g.tenancy.access import ROLE_CAPABILITIES, Capability
from g2g.tenancy.models import Role

pytestmark = pytest.mark.django_db

ALL_ROLES = [role.value for role in Role]
UPDATE = {
    "period": "",  # filled in per test: the current month
    "narrative": "Audit of 20 cases completed.",
    "action_rating": "green",
    "impact_rating": "amber",
    "version": "0",  # the version read: there was no update for the month yet
}


def post_update(client, world, action):
    data = UPDATE | {"period": current_period().isoformat()}
    return client.post(f"/{world.authority.slug}/actions/{action.pk}/update/", data)


# (role, may write an update on an action they lead, on any action, may edit the plan)
EXPECTED = {
    Role.ADMINISTRATOR: (True, True, True),
    Role.IMPROVEMENT_LEAD: (True, True, True),
    Role.ACTION_LEAD: (True, False, False),
    Role.VIEWER: (False, False, False),
    Role.REGIONAL_VIEWER: (False, False, False),
}


def test_the_role_table_is_what_the_docs_say():
    for role, (_own, any_update, edit) in EXPECTED.items():
        capabilities = ROLE_CAPABILITIES[role]
        assert (Capability.WRITE_ANY_UPDATE in capabilities) is any_update
        assert (Capability.EDIT_PLAN in capabilities) is edit
        assert Capability.VIEW in capabilities


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_role_reads_every_plan_page(client, world, role):
    client.force_login(world.users[role])
    slug = world.authority.slug
    for url in (f"/{slug}/", f"/{slug}/actions/", f"/{slug}/actions/{world.led_action.pk}/"):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_write_an_update_on_the_action_they_lead(client, world, role):
    client.force_login(world.users[role])
    ProgressUpdate.objects.all().delete()
    response = post_update(client, world, world.led_action)
    allowed = EXPECTED[role][0]
    assert response.status_code == (302 if allowed else 403)
    assert ProgressUpdate.objects.count() == int(allowed)


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_write_an_update_on_someone_elses_action(client, world, role):
    client.force_login(world.users[role])
    response = post_update(client, world, world.other_action)
    allowed = EXPECTED[role][1]
    assert response.status_code == (302 if allowed else 403)
    assert world.other_action.updates.exists() is allowed


@pytest.mark.parametrize("role", ALL_ROLES)
def test_who_may_edit_the_plan(client, world, role):
    client.force_login(world.users[role])
    action = world.other_action
    url = f"/{world.authority.slug}/actions/{action.pk}/edit/"
    data = {"title": "Renamed", "text": "New text", "ongoing": "on", "version": action.version}
    response = client.post(url, data)
    allowed = EXPECTED[role][2]
    assert response.status_code == (302 if allowed else 403)
    assert (Action.objects.get(pk=action.pk).title == "Renamed") is allowed


def test_an_action_lead_who_left_the_post_can_no_longer_write(client, world):
    holder = world.users[Role.ACTION_LEAD].posts_held.get()
    holder.until = current_period().replace(year=2000)
    holder.save()
    client.force_login(world.users[Role.ACTION_LEAD])
    assert post_update(client, world, world.led_action).status_code == 403


def test_a_viewer_sees_no_write_buttons(client, world):
    client.force_login(world.users[Role.VIEWER])
    page = client.get(f"/{world.authority.slug}/actions/{world.led_action.pk}/").content.decode()
    assert "Write this month" not in page
    assert "Edit action" not in page
