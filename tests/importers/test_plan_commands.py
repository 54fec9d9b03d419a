"""`g2g import_plan` and `g2g export_plan` on the real seed documents."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from g2g.plans.models import Action, Plan, Post, PostHolder
from tests.factories import AuthorityFactory
from tests.seed_files import SEEDS

pytestmark = pytest.mark.django_db

TAMESIDE = SEEDS / "tameside-improvement-plan-2023.txt"
OLDHAM = SEEDS / "oldham-improvement-plan-2019-21.txt"
OFSTED = SEEDS / "oldham-ofsted-ilacs-2019.txt"


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def dry_run(path: Path, authority) -> dict:
    return json.loads(
        run(
            "import_plan", str(path), "--authority", authority.name, "--dry-run", "--format", "json"
        )
    )


def export(authority) -> dict:
    return json.loads(run("export_plan", "--authority", authority.slug, "--format", "json"))


def all_actions(exported: dict) -> list[dict]:
    return [
        action
        for priority in exported["priorities"]
        for objective in priority["objectives"]
        for action in objective["actions"]
    ]


@pytest.fixture
def tameside(db):
    return AuthorityFactory(name="Tameside", slug="tameside")


@pytest.fixture
def oldham(db):
    return AuthorityFactory(name="Oldham", slug="oldham")


def test_tameside_dry_run_summary(tameside):
    summary = dry_run(TAMESIDE, tameside)
    assert summary["priorities"] == 4
    assert summary["actions"] == 31
    assert summary["post_holders"] == 9
    assert summary["focus_areas"] == 13
    assert summary["measures"] == 53
    assert Plan.objects.count() == 0  # a dry run writes nothing


def test_oldham_dry_run_keeps_the_broken_row_and_lists_it(oldham):
    summary = dry_run(OLDHAM, oldham)
    assert (summary["priorities"], summary["actions"]) == (4, 25)
    assert any("page break" in problem["message"] for problem in summary["problems"])


def test_tameside_export_matches_the_document(tameside):
    run("import_plan", str(TAMESIDE), "--authority", "Tameside")
    exported = export(tameside)
    actions = {action["ref"]: action for action in all_actions(exported)}
    refs = list(actions)
    assert refs[:10] == [f"1.{n}" for n in range(1, 11)]
    assert refs[-12:] == [f"4.{n}" for n in range(1, 13)]
    first = actions["1.1"]
    assert first["leads"] == ["DMT"]
    assert (first["start"], first["end"]) == ("2023-09-01", "2024-03-31")
    assert first["sources"] == ["FV2"]
    assert PostHolder.objects.filter(post__authority=tameside).count() == 9
    measures = exported["measures"]
    assert len(measures) == 53
    assert measures[3] == {
        "code": "CIN10a",
        "name": "% strategy meetings attended by police",
        "data_source": "Scorecard - CIN10a",
        "focus_area": "FA2",
        "actions": ["1.2", "1.5", "2.1", "2.2"],
        "targets": [],
    }
    assert all(
        m["focus_area"] and m["data_source"] for m in measures if m["name"] != "Staff feedback"
    )


def test_oldham_export_dates(oldham):
    run("import_plan", str(OLDHAM), "--authority", "Oldham")
    actions = all_actions(export(oldham))
    relaunch = next(a for a in actions if a["text"].startswith("Re-launch the Care Leavers"))
    assert relaunch["end"] == "2019-09-30"
    ongoing = next(a for a in actions if a["timescale_text"] == "April 2019 – ongoing")
    assert (ongoing["start"], ongoing["end"]) == ("2019-04-01", None)


@pytest.mark.parametrize("seed", [TAMESIDE, OLDHAM], ids=["tameside", "oldham"])
def test_export_then_import_into_an_empty_authority_gives_the_same_export(tmp_path, seed):
    first, second = AuthorityFactory(), AuthorityFactory()
    run("import_plan", str(seed), "--authority", first.name, "--progress-period", "2019-08")
    exported = export(first)
    path = tmp_path / "plan.json"
    path.write_text(json.dumps(exported))
    run("import_plan", str(path), "--authority", second.name)
    assert export(second) == exported


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.txt", b""),
        ("binary.txt", bytes(range(256)) * 4),
        ("latin1.txt", "Caf\xe9 plan".encode("latin-1")),
        ("ofsted.txt", None),
        ("broken.json", b'{"format": "getting-to-good/plan@1", "priorities": [}'),
        ("wrong.json", b'{"title": "not an export"}'),
    ],
    ids=["empty", "binary", "not-utf8", "ofsted-report", "broken-json", "not-an-export"],
)
def test_a_file_that_is_not_a_plan_is_refused_and_nothing_written(tmp_path, oldham, name, content):
    path = tmp_path / name
    path.write_bytes(OFSTED.read_bytes() if content is None else content)
    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command(
            "import_plan", str(path), "--authority", "Oldham", "--format", "json", stdout=out
        )
    assert name in str(refused.value)
    report = json.loads(out.getvalue())
    assert report["imported"] is False
    assert report["problems"]
    assert all(problem["where"] and problem["message"] for problem in report["problems"])
    assert (Plan.objects.count(), Action.objects.count(), Post.objects.count()) == (0, 0, 0)


def test_an_unknown_authority_is_a_clear_error():
    with pytest.raises(CommandError, match="No authority called 'Atlantis'"):
        run("import_plan", str(TAMESIDE), "--authority", "Atlantis")


def test_a_missing_file_is_a_clear_error(oldham, tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        run("import_plan", str(tmp_path / "nope.txt"), "--authority", "Oldham")


def test_oldhams_targets_become_measures_with_milestones(oldham):
    run("import_plan", str(OLDHAM), "--authority", "Oldham")
    measures = export(oldham)["measures"]
    assert [m["actions"] for m in measures] == [["2.3"], ["2.4"], ["2.5"]]
    assert measures[0]["name"] == (
        "Baseline audits of assessments for CIN, CP and CLA are judged Good or Outstanding"
    )
    assert measures[0]["targets"] == [
        {"due": "2019-10-31", "value": "55"},
        {"due": "2020-06-30", "value": "70"},
        {"due": "2020-09-30", "value": "85"},
    ]
