"""docs/security.md #22: request input never becomes a 500. Every whole number read from a
request goes through `g2g.core.numbers` (ASCII digits, bounded): in views, and in forms through
`core.forms`' fields, which every form uses (checked here form by form)."""

import importlib
import pkgutil

import pytest
from django import forms
from django.http import Http404

import g2g
from g2g.core.forms import ModelIdField, ModelIdsField
from g2g.core.numbers import MAX_ID, whole_number, whole_number_or_404


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("0", 0),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("9" * 20, None),
        ("²", None),  # "²".isdigit() is True; int("²") raises
        ("١٢", None),  # int("١٢") is 12
        ("１２", None),  # fullwidth digits
        ("-1", None),
        ("+1", None),
        ("1.0", None),
        ("1e3", None),
        ("0x10", None),
        ("1_000", None),  # int() accepts underscores
        ("", None),
        (None, None),
        (True, None),
        (5, 5),
    ],
    ids=repr,
)
def test_whole_numbers_are_ascii_digits_within_bounds(text, expected):
    assert whole_number(text) == expected


def test_bad_numbers_are_404_never_a_crash():
    assert whole_number_or_404("3", minimum=1) == 3
    for text in ("²", "0", "9" * 20):
        with pytest.raises(Http404):
            whole_number_or_404(text, minimum=1)


def all_form_classes() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(g2g.__path__, "g2g."):
        if ".migrations" in module.name or module.name.startswith("g2g.settings"):
            continue
        importlib.import_module(module.name)
    found, queue = [], [forms.BaseForm]
    while queue:
        cls = queue.pop()
        queue.extend(cls.__subclasses__())
        if cls.__module__.startswith("g2g."):
            found.append(cls)
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def test_every_form_reads_numbers_and_ids_through_core():
    """A form field that parses an integer or an id from a request is one of core's: Django's
    IntegerField takes "١٢" as 12 and has no upper bound; its ModelMultipleChoiceField sent a
    20-digit id to SQLite, which overflowed (a 500)."""
    classes = all_form_classes()
    assert len(classes) > 20  # the walk found the forms
    wrong = []
    for cls in classes:
        for name, field in cls.base_fields.items():
            if isinstance(field, forms.ModelMultipleChoiceField):
                ok = isinstance(field, ModelIdsField)
            elif isinstance(field, forms.ModelChoiceField):
                ok = isinstance(field, ModelIdField)
            elif type(field) is forms.IntegerField:
                ok = False
            else:
                continue
            if not ok:
                wrong.append(f"{cls.__module__}.{cls.__qualname__}.{name}")
    assert wrong == [], "\n".join(wrong)


# Through the pages: bad numbers are refused (400/404 or a form error), never a 500.

BIG = "9" * 20  # over 2**63 - 1: SQLite's integers overflow
BAD_IDS = ["²", "١", BIG, "-1", "0"]


@pytest.fixture
def lead(client, world):
    from g2g.tenancy.models import Role

    client.raise_request_exception = False
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_a_bad_round_in_the_update_pages_address_is_ignored(lead, world, bad):
    url = f"/{world.authority.slug}/actions/{world.other_action.pk}/update/?round={bad}"
    response = lead.get(url)
    assert response.status_code == 200
    assert "/rounds/" not in response.content.decode().split("<main", 1)[1].split("<form", 1)[0]


@pytest.mark.django_db
@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_a_bad_council_report_version_is_not_found(lead, world, bad):
    report = world.council_report
    url = f"/{world.authority.slug}/reports/council/{report.pk}/word/?version={bad}"
    assert lead.get(url).status_code == 404


def _action_post(action, **changes) -> dict:
    data = {
        "title": action.title,
        "text": action.text or "Text",
        "timescale_text": action.timescale_text,
        "version": action.version,
    }
    return {key: value for key, value in (data | changes).items() if value is not None}


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["leads", "focus_areas", "findings", "objective"])
@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
def test_a_bad_id_in_the_action_forms_choices_is_a_form_error(lead, world, field, bad):
    from g2g.plans.models import Action

    action = world.other_action
    url = f"/{world.authority.slug}/actions/{action.pk}/edit/"
    response = lead.post(url, _action_post(action, title="Changed", **{field: [bad]}))
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert Action.objects.get(pk=action.pk).title == action.title


@pytest.mark.django_db
@pytest.mark.parametrize("bad", [BIG, "²"], ids=repr)
def test_a_bad_id_in_an_obsessions_or_outcomes_choices_is_a_form_error(lead, world, bad):
    slug = world.authority.slug
    obsession = lead.post(
        f"/{slug}/boards/obsessions/{world.obsession.pk}/edit/",
        {"title": "Changed", "starts": "2025-01-06", "actions": [bad], "measures": [bad]},
    )
    assert obsession.status_code == 200
    assert "govuk-error-summary" in obsession.content.decode()
    outcome = lead.post(
        f"/{slug}/outcomes/{world.outcome.pk}/edit/",
        {"group": "children", "statement": "Changed", "measures": [bad]},
    )
    assert outcome.status_code == 200
    assert "Choose measures from the list" in outcome.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("bad", ["١", BIG, "²"], ids=repr)
def test_a_bad_id_in_the_action_lists_filters_is_reported(lead, world, bad):
    url = f"/{world.authority.slug}/actions/?lead={bad}&priority={bad}&focus_area={bad}"
    response = lead.get(url)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("version", [None, "", "²", BIG], ids=repr)
def test_an_action_edit_without_a_good_version_is_refused(lead, world, version):
    """docs/security.md #19: a save that does not say which version it read could overwrite a
    newer one unseen; it is refused with a clear message, never saved, never a 500."""
    from g2g.plans.models import Action

    action = world.other_action
    url = f"/{world.authority.slug}/actions/{action.pk}/edit/"
    data = _action_post(action, title="Saved without a version") | {"version": version}
    response = lead.post(url, {key: value for key, value in data.items() if value is not None})
    assert response.status_code == 200
    assert "This form is out of date or incomplete" in response.content.decode()
    saved = Action.objects.get(pk=action.pk)
    assert (saved.title, saved.version) == (action.title, action.version)


@pytest.mark.django_db
def test_the_edit_service_always_checks_the_version(world):
    from g2g.plans.services import StaleActionError, edit_action
    from g2g.tenancy.access import operator_access

    action = world.other_action
    with pytest.raises(TypeError):
        edit_action(operator_access(world.authority), action, title="No version")  # noqa
    with pytest.raises(StaleActionError):
        edit_action(
            operator_access(world.authority), action, version=action.version + 1, title="Stale"
        )
