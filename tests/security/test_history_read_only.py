"""docs/security.md #12: history (django-simple-history) cannot be edited through the app.

Three honest checks: the admin does not register historical models for editing; no URL pattern
serves a class-based view over a historical model; and no source file writes historical rows
(update, delete or create on `.history` or `Historical*`) outside migrations."""

import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver
from simple_history.models import HistoricalChanges

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
SRC = Path(__file__).resolve().parents[2] / "src" / "g2g"
HISTORY_WRITE = re.compile(
    r"\.history\b[^\n]*\.(update|delete|create|bulk_create|get_or_create|update_or_create)\("
    r"|Historical\w+\.objects"
    r"|\bhistory_object\b[^\n]*\.save\("
)


def is_historical(model) -> bool:
    return isinstance(model, type) and issubclass(model, HistoricalChanges)


def all_views(resolver=None):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from all_views(entry)
        elif isinstance(entry, URLPattern):
            yield entry


def test_the_admin_never_lets_anyone_edit_history():
    request = RequestFactory().get("/admin/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    for model, model_admin in admin.site._registry.items():
        if is_historical(model):
            assert not model_admin.has_add_permission(request), model
            assert not model_admin.has_change_permission(request), model
            assert not model_admin.has_delete_permission(request), model


def test_no_url_serves_a_view_over_historical_records():
    patterns = list(all_views())
    # The walk finds every view Django can reverse (its own flattened table, built apart).
    reversible = {key for key in get_resolver().reverse_dict if callable(key)}
    assert reversible <= {pattern.callback for pattern in patterns}
    for pattern in patterns:
        view = getattr(pattern.callback, "view_class", None)
        model = getattr(view, "model", None)
        assert not is_historical(model), pattern


# The demo's replay of past months (`g2g load_demo`, an operator's command, never a request)
# dates the history rows it wrote as at the month they stand for, so "as at" reads show the past.
REPLAYS_THE_PAST = SRC / "operations" / "demo" / "lived.py"


def test_no_source_file_writes_historical_rows():
    offenders = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts or path == REPLAYS_THE_PAST:
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if HISTORY_WRITE.search(line):
                offenders.append(f"{path.relative_to(SRC)}:{number}: {line.strip()}")
    assert offenders == []


def test_the_scan_does_find_a_history_write():
    """The pattern above can fail."""
    assert HISTORY_WRITE.search("Action.history.filter(pk=1).delete()")
    assert HISTORY_WRITE.search("HistoricalAction.objects.all()")
