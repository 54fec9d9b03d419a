"""An import never replaces another plan silently: the preview and `g2g import_plan` say what
will happen (a new version of the active plan, or a new draft plan), and a document naming
another authority needs a deliberate override."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils.html import escape

from g2g.plans.models import Plan
from g2g.tenancy.models import Role
from g2g.tenancy.names import names_in
from tests.factories import AuthorityFactory
from tests.importers.test_plan_commands import OLDHAM, TAMESIDE
from tests.importers.test_upload_pages import upload

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def councils(db):
    """Oldham, Tameside and Stockport (Oldham's plan names Stockport, a partner, five times)."""
    return {
        name: AuthorityFactory(name=name, slug=name.lower())
        for name in ("Oldham", "Tameside", "Stockport")
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tameside Children's Social Care\nImprovement Plan", {"Tameside": 1}),
        ("across Greater Manchester", {}),  # the combined authority, not Manchester
        ("we bury the past", {}),  # the word, not the place
        ("Bath and North\nEast  Somerset", {"Bath and North East Somerset": 1}),
        ("Cheshire West and Chester", {"Cheshire West and Chester": 1}),
        ("Tameside's plan; Tameside", {"Tameside": 2}),
    ],
    ids=["title", "greater-manchester", "lower-case", "line-break", "longest-first", "possessive"],
)
def test_which_authorities_a_text_names(text, expected):
    names = ["Tameside", "Manchester", "Bury", "Bath and North East Somerset", "Chester"]
    names.append("Cheshire West and Chester")
    assert dict(names_in(text, names)) == expected


def test_the_command_refuses_another_authoritys_plan_naming_it(councils):
    with pytest.raises(CommandError, match="Tameside") as refused:
        run("import_plan", str(TAMESIDE), "--authority", "Oldham")
    assert "--allow-other-authority" in str(refused.value)
    assert "Oldham" in str(refused.value)
    assert not Plan.objects.exists()
    dry = json.loads(
        run("import_plan", str(TAMESIDE), "--authority", "Oldham", "--dry-run", "--format", "json")
    )
    assert [other["name"] for other in dry["other_authorities"]] == ["Tameside"]
    assert dry["other_authorities"][0]["at_the_top"] is True
    out = run("import_plan", str(TAMESIDE), "--authority", "Oldham", "--allow-other-authority")
    assert "names another authority: Tameside" in out
    assert Plan.objects.get().authority == councils["Oldham"]


def test_a_plan_naming_its_own_authority_and_a_partner_is_not_flagged(councils):
    dry = json.loads(
        run("import_plan", str(OLDHAM), "--authority", "Oldham", "--dry-run", "--format", "json")
    )
    assert dry["other_authorities"] == []
    run("import_plan", str(OLDHAM), "--authority", "Oldham")
    assert Plan.objects.get().authority == councils["Oldham"]


def test_the_command_says_what_will_happen(councils, tmp_path):
    def dry(path) -> dict:
        out = run(
            "import_plan", str(path), "--authority", "Tameside", "--dry-run", "--format", "json"
        )
        return json.loads(out)

    first = dry(TAMESIDE)
    assert first["outcome"] == "A new plan (active: Tameside has no active plan)"
    assert first["status"] == "active"
    assert "Would be: A new plan (active" in run(
        "import_plan", str(TAMESIDE), "--authority", "Tameside", "--dry-run"
    )
    run("import_plan", str(TAMESIDE), "--authority", "Tameside")
    active = Plan.objects.get()
    again = dry(TAMESIDE)
    assert again["outcome"].startswith(f"A new version of the active plan “{active.title}”: ")
    assert "0 actions change" in again["outcome"]
    # The same plan with a new title is a new plan: a draft, beside the active one.
    renamed = tmp_path / "tameside-2025.txt"
    text = TAMESIDE.read_text(encoding="utf-8")
    renamed.write_text(
        text.replace("Improvement Plan", "Improvement Plan 2025-27", 1), encoding="utf-8"
    )
    new = dry(renamed)
    assert new["outcome"].startswith("A new plan (draft): the active plan “")
    assert new["status"] == "draft"
    out = run("import_plan", str(renamed), "--authority", "Tameside")
    assert "Done: A new plan (draft)" in out
    statuses = dict(Plan.objects.values_list("title", "status"))
    assert statuses[active.title] == "active"
    assert sorted(statuses.values()) == ["active", "draft"]


def test_the_preview_flags_another_authority_and_needs_the_box_ticked(client, world):
    AuthorityFactory(name="Tameside", slug="tameside")
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    preview_url = upload(client, world, TAMESIDE)
    page = client.get(preview_url).content.decode()
    assert "This document names another authority: Tameside (named" in page
    assert "What will happen:</strong> A new plan (draft): the active plan" in page
    assert 'name="allow_other_authority"' in page
    refused = client.post(preview_url, {"decision": "confirm"})
    assert refused.status_code == 400
    assert "Tick the box" in refused.content.decode()
    assert not Plan.objects.filter(title__startswith="Tameside").exists()
    done = client.post(preview_url, {"decision": "confirm", "allow_other_authority": "yes"})
    assert done.status_code == 302
    plan = Plan.objects.get(title__startswith="Tameside")
    assert (plan.authority, plan.status) == (world.authority, Plan.Status.DRAFT)
    world.plan.refresh_from_db()
    assert world.plan.status == Plan.Status.ACTIVE  # not replaced: approving the draft does it


def test_the_preview_of_a_newer_version_says_how_many_actions_change(client, world):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    client.post(upload(client, world, TAMESIDE), {"decision": "confirm"})
    plan = Plan.objects.get(title__startswith="Tameside")
    page = client.get(upload(client, world, TAMESIDE)).content.decode()
    assert f"A new version of the draft plan “{escape(plan.title)}”: 0 actions change" in page
    assert "names another authority" not in page
