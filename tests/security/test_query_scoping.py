"""docs/security.md #1, the query check: no page reads an authority-owned table without an authority
filter. Every page the access sweep walks (tests/url_walk.py), as every role of one authority,
with its own ids and another authority's, GET and POST; every SQL statement is captured and
judged by tests/security/sql_scope.py (the rules and the allow-list are described there).

The walk itself runs inside the access sweep (tests/core/test_access_sweep.py): each of its
requests with the authority's own slug is judged there, so the pages are requested once for
both checks. This module checks the check: that it can fail, and that it knows the tables.
"""

import pytest
from django.db.models import Q

from g2g.core.models import AuditEvent
from g2g.core.querysets import AuthorityQuerySet
from g2g.plans.models import Action, Plan, ProgressUpdate
from g2g.tenancy import access as access_module
from g2g.tenancy.access import access_for
from g2g.tenancy.models import Role
from tests.url_walk import ROUTES, patterns_django_reverses

from .sql_scope import (
    Context,
    Schema,
    context_for,
    owned_models,
    unscoped_parts,
    unscoped_while,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema() -> Schema:
    return Schema.build()


def test_the_walk_covers_the_pages():
    """The query check runs in the access sweep's own requests (one walk for both): that sweep
    takes every page under /<authority>/ the resolver knows, as every role, GET and POST."""
    from tests.core import test_access_sweep as sweep

    assert len(ROUTES) == len(patterns_django_reverses())
    swept = {
        mark.args[0]: mark.args[1]
        for mark in sweep.test_no_role_reaches_another_authoritys_objects.pytestmark
        if mark.name == "parametrize"
    }
    assert swept[("route", "params")] == ROUTES
    assert swept["role"] == [role.value for role in Role]
    assert swept["method"] == ["get", "post"]


# ---------------------------------------------------------------------------------------------
# The check itself: it can fail, and it knows the tables


@pytest.fixture
def context(schema, world, foreign_world) -> Context:
    return context_for(schema, world.authority, world.users[Role.VIEWER])


def test_an_unscoped_lookup_by_id_fails_the_check(context, world):
    """`WHERE "plans_action"."id" = N` fails even for the authority's own action."""
    pk = world.led_action.pk
    sql = f'SELECT "plans_action"."id" FROM "plans_action" WHERE "plans_action"."id" = {pk}'  # noqa: S608
    assert unscoped_parts(sql, context)
    assert unscoped_while(lambda: Action.objects.filter(pk=world.led_action.pk).first(), context)
    assert unscoped_while(lambda: Action.objects.count(), context)


def test_a_page_reading_without_its_scope_fails_the_check(
    client, context, world, foreign_world, monkeypatch
):
    """Break the access layer (access.get no longer scopes) and the action page is caught."""

    def unscoped_get(self, queryset, **lookup):
        if isinstance(queryset, type):
            queryset = queryset.objects.all()
        return queryset.get(**lookup)

    client.force_login(world.users[Role.VIEWER])
    url = f"/{world.authority.slug}/actions/{world.led_action.pk}/"
    assert unscoped_while(lambda: client.get(url), context) == []
    monkeypatch.setattr(access_module.Access, "get", unscoped_get)
    found = unscoped_while(lambda: client.get(url), context)
    assert any('"plans_action"."id" =' in sql for sql in found), found


def test_scoped_reads_pass_the_check(context, world):
    access = access_for(world.users[Role.VIEWER], world.authority.slug)
    assert (
        unscoped_while(
            lambda: (
                access.get(Action, pk=world.led_action.pk),
                list(access.scope(Action.objects.all()).prefetch_related("leads", "updates")),
                list(world.led_action.history.all()),
                list(ProgressUpdate.objects.filter(action_id=world.led_action.pk)),
                list(access.scope(Plan.objects.all()).filter(actions__title__contains="x")),
            ),
            context,
        )
        == []
    )


def test_scoped_writes_pass_the_check(context, world):
    access = access_for(world.users[Role.VIEWER], world.authority.slug)
    assert (
        unscoped_while(
            lambda: (
                access.scope(Action.objects.all()).update(closed_on=None),
                access.scope(ProgressUpdate.objects.filter(narrative="none")).delete(),
                access.get(Action, pk=world.other_action.pk).save(),
            ),
            context,
        )
        == []
    )


def test_another_authoritys_scope_or_parent_fails_the_check(context, world, foreign_world):
    foreign = foreign_world.authority
    assert unscoped_while(
        lambda: Action.objects.in_authority(foreign).update(ongoing=False), context
    )
    assert unscoped_while(lambda: foreign_world.other_action.save(), context)
    assert unscoped_while(lambda: list(Action.objects.in_authority(foreign)), context)
    assert unscoped_while(
        lambda: list(ProgressUpdate.objects.filter(action=foreign_world.led_action)), context
    )
    assert unscoped_while(
        lambda: list(
            Action.objects.filter(
                Q(plan__authority=world.authority) | Q(pk=foreign_world.led_action.pk)
            )
        ),
        context,
    )
    assert unscoped_while(
        lambda: list(Action.objects.filter(plan__in=Plan.objects.filter(title="x"))), context
    )


def test_the_owned_tables_come_from_the_models():
    owned = owned_models()
    every_scoped = {
        model._meta.db_table
        for model in owned.values()
        if isinstance(model._default_manager.get_queryset(), AuthorityQuerySet)
    }
    assert every_scoped <= set(owned)
    for table in (
        "plans_action",
        "plans_historicalaction",
        "plans_action_leads",
        "plans_historicalaction_leads",
        "plans_evidencefile",
        "tenancy_membership",
        "tenancy_historicalmembership",
        "core_auditevent",
        "measures_measurevalue",
    ):
        assert table in owned, table
    for table in ("tenancy_authority", "auth_user", "django_session", "api_apitoken"):
        assert table not in owned, table
    assert owned[AuditEvent._meta.db_table] is AuditEvent
