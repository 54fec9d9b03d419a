"""The action list in pages of 50: each page's links keep the filters; a bad page is not found."""

import re

import pytest

from g2g.plans.models import Action
from g2g.tenancy.models import Role
from tests.factories import ActionFactory, PostFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead_client(client, world):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    return client


def open_actions(world) -> int:
    return Action.objects.filter(plan=world.plan, closed_on__isnull=True).count()


def grow_to(world, total: int, rating: str = "green") -> list[Action]:
    """Open actions in the world's plan up to `total`, each rated `rating` this month."""
    post = PostFactory(authority=world.authority)
    added = [
        ActionFactory(priority=world.led_action.priority, leads=[post])
        for _ in range(total - open_actions(world))
    ]
    for action in added:
        ProgressUpdateFactory(action=action, action_rating=rating)
    return added


def hrefs(page: str, rel: str) -> list[str]:
    return re.findall(rf'href="([^"]*)" rel="{rel}"', page)


def listed_refs(page: str) -> list[str]:
    return re.findall(
        r'<td class="govuk-table__cell">([^<]+)</td>\s*<td class="govuk-table__cell">\s*<a', page
    )


def test_one_page_has_no_page_links(lead_client, world):
    page = lead_client.get(f"/{world.authority.slug}/actions/").content.decode()
    assert f"{open_actions(world)} actions shown" in page
    assert "govuk-pagination" not in page


def test_the_list_shows_fifty_actions_a_page_with_the_count(lead_client, world):
    grow_to(world, 120)
    url = f"/{world.authority.slug}/actions/"
    first = lead_client.get(url).content.decode()
    assert "Showing 1 to 50 of 120 actions" in first
    assert len(listed_refs(first)) == 50
    assert hrefs(first, "prev") == []
    assert hrefs(first, "next") == [f"{url}?page=2"]
    assert 'aria-label="Page 1" aria-current="page"' in first

    second = lead_client.get(f"{url}?page=2").content.decode()
    assert "Showing 51 to 100 of 120 actions" in second
    assert hrefs(second, "prev") == [url]  # page 1 is the list's own address
    assert hrefs(second, "next") == [f"{url}?page=3"]
    assert not set(listed_refs(first)) & set(listed_refs(second))

    last = lead_client.get(f"{url}?page=3").content.decode()
    assert "Showing 101 to 120 of 120 actions" in last
    assert len(listed_refs(last)) == 20
    assert hrefs(last, "next") == []
    everything = listed_refs(first) + listed_refs(second) + listed_refs(last)
    assert len(set(everything)) == 120


def test_page_links_keep_every_filter_and_the_chosen_plan(lead_client, world):
    grow_to(world, 120)
    slug = world.authority.slug
    query = f"plan={world.plan.pk}&action_rating=green&sort=end&priority="
    page = lead_client.get(f"/{slug}/actions/?{query}&page=2").content.decode()
    green = Action.objects.filter(plan=world.plan, updates__action_rating="green").count()
    assert f"Showing 51 to 100 of {green} actions" in page
    kept = f"plan={world.plan.pk}&amp;action_rating=green&amp;sort=end"
    assert hrefs(page, "prev") == [f"/{slug}/actions/?{kept}"]
    assert hrefs(page, "next") == [f"/{slug}/actions/?{kept}&amp;page=3"]
    assert f'href="/{slug}/actions/?{kept}&amp;page=3" aria-label="Page 3"' in page


def test_a_page_past_the_end_is_the_last_page(lead_client, world):
    grow_to(world, 60)
    url = f"/{world.authority.slug}/actions/"
    for past in ("3", "9223372036854775807"):  # up to the largest id
        response = lead_client.get(f"{url}?page={past}")
        assert response.status_code == 200
        assert "Showing 51 to 60 of 60 actions" in response.content.decode()
    narrowed = lead_client.get(f"{url}?page=2&action_rating=red").content.decode()
    assert "0 actions shown" in narrowed
    assert "No actions match these filters." in narrowed


@pytest.mark.parametrize(
    "bad", ["0", "-1", "abc", "1.5", "²", "١٢", "2 2", "9223372036854775808", "%00"]
)
def test_a_bad_page_is_not_found(lead_client, world, bad):
    response = lead_client.get(f"/{world.authority.slug}/actions/?page={bad}")
    assert response.status_code == 404


def test_htmx_gets_the_page_with_its_count_and_links(lead_client, world):
    grow_to(world, 600)
    slug = world.authority.slug
    response = lead_client.get(
        f"/{slug}/actions/?action_rating=&sort=ref&page=2", HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert "<html" not in page
    assert "Showing 51 to 100 of 600 actions" in page
    assert hrefs(page, "next") == [f"/{slug}/actions/?sort=ref&amp;page=3"]
    assert 'aria-label="Page 12"' in page  # the last page, after an ellipsis
    assert "govuk-pagination__item--ellipsis" in page
    # The count goes into the page's one live region, outside the swapped results, in place.
    assert re.search(
        r'<p id="action-count" hx-swap-oob="innerHTML">Showing 51 to 100 of 600 actions</p>', page
    )
    assert 'role="status"' not in page


def test_the_count_is_one_live_region_outside_the_swapped_results(lead_client, world):
    page = lead_client.get(f"/{world.authority.slug}/actions/").content.decode()
    assert page.count('role="status"') == 1
    status = page.index('<p class="govuk-body" role="status" id="action-count">')
    assert status < page.index('<div id="action-rows">')
    assert "hx-swap-oob" not in page


def test_the_table_scrolls_in_its_own_focusable_region(lead_client, world):
    page = lead_client.get(f"/{world.authority.slug}/actions/").content.decode()
    assert re.search(
        r'<div class="app-table-scroll" role="region" aria-label="[^"]+" tabindex="0">\s*<table',
        page,
    )


def test_htmxs_history_restore_gets_the_whole_page(lead_client, world):
    url = f"/{world.authority.slug}/actions/?page=1"
    restored = lead_client.get(url, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in restored.content.decode()
    assert "HX-Request" in restored["Vary"]
    swapped = lead_client.get(url, HTTP_HX_REQUEST="true")
    assert "<html" not in swapped.content.decode()


def test_the_lead_filter_offers_each_post_leading_an_action_of_the_plan_once(lead_client, world):
    """By title; a post that leads two actions once; one that leads only another plan's
    actions, or none, not at all."""
    zoe, abe, elsewhere = (
        PostFactory(authority=world.authority, title=title) for title in ("Zoe", "Abe", "Other")
    )
    ActionFactory(priority=world.led_action.priority, leads=[zoe, abe])
    ActionFactory(priority=world.led_action.priority, leads=[zoe])
    ActionFactory(leads=[elsewhere])  # another authority's plan
    PostFactory(authority=world.authority, title="Unassigned post")
    page = lead_client.get(f"/{world.authority.slug}/actions/").content.decode()
    select = page[page.index('name="lead"') : page.index("</select>", page.index('name="lead"'))]
    offered = re.findall(r"<option[^>]*>([^<]*)</option>", select)
    leads = sorted(
        {post.title for action in world.plan.actions.all() for post in action.leads.all()}
    )
    assert offered == ["Any", *leads]
    assert offered.count("Zoe") == 1
    assert "Abe" in offered
    assert "Other" not in offered
    assert "Unassigned post" not in offered
