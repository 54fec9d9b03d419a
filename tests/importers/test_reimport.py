"""Re-importing a newer version of a plan updates it, never duplicates, never deletes."""

import copy
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from g2g.core.dates import today
from g2g.core.problems import ReadError
from g2g.importers.draft import FocusAreaDraft, ProgressDraft
from g2g.importers.reconcile import reconcile
from g2g.importers.services import (
    apply_reimport,
    import_plan,
    preview_plan_import,
    read_plan_file,
    write_plan,
)
from g2g.plans.models import Action, Plan
from g2g.tenancy.access import access_for, operator_access
from g2g.tenancy.models import Role
from tests.factories import AuthorityFactory, MembershipFactory
from tests.importers.test_plan_commands import OLDHAM, TAMESIDE

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    authority = AuthorityFactory(name="Tameside", slug="tameside")
    draft = read_plan_file(TAMESIDE)
    return write_plan(operator_access(authority), draft), draft


def find(draft, ref):
    return next(action for action in draft.actions if action.ref == ref)


def test_the_same_file_again_changes_nothing(loaded):
    plan, draft = loaded
    result = reconcile(plan, read_plan_file(TAMESIDE))
    assert (len(result.changed), len(result.added), len(result.missing)) == (0, 0, 0)
    assert len(result.unchanged) == 31


def test_a_newer_version_updates_adds_and_lists_the_missing(loaded):
    plan, draft = loaded
    newer = copy.deepcopy(draft)
    find(newer, "1.1").end = date(2024, 6, 30)
    find(newer, "1.2").leads = ["DMT"]
    added = copy.deepcopy(find(newer, "4.12"))
    added.ref, added.text, added.title = "4.13", "Run a staff survey every quarter.", "Run a survey"
    newer.priorities[3].actions.append(added)
    newer.priorities[1].actions = [a for a in newer.priorities[1].actions if a.ref != "2.5"]

    entries_before = plan.actions.get(ref="1.1").history.count()
    result = apply_reimport(
        operator_access(plan.authority), plan, newer, close_ids=[plan.actions.get(ref="2.5").pk]
    )

    assert {change.action.ref for change in result.changed} == {"1.1", "1.2"}
    assert [draft.ref for _number, draft in result.added] == ["4.13"]
    assert [action.ref for action in result.missing] == ["2.5"]
    first = Action.objects.with_status(today()).get(plan=plan, ref="1.1")
    assert first.end == date(2024, 6, 30)
    assert first.slipped  # read from history: the end moved later
    latest, previous = first.history.all()[:2]
    assert first.history.count() == entries_before + 1  # one entry for the one change
    changed = latest.diff_against(previous, excluded_fields=["version"]).changes
    assert [c.field for c in changed] == ["end"]
    assert latest.version == previous.version + 1
    assert list(plan.actions.get(ref="1.2").leads.values_list("title", flat=True)) == ["DMT"]
    assert plan.actions.count() == 32  # nothing deleted
    assert plan.actions.get(ref="2.5").closed_on == today()


def test_without_refs_actions_are_matched_by_their_text():
    authority = AuthorityFactory()
    draft = read_plan_file(OLDHAM)
    plan = write_plan(operator_access(authority), draft)
    renumbered = copy.deepcopy(draft)
    for n, action in enumerate(renumbered.actions):
        action.ref = f"X{n}"
    result = reconcile(plan, renumbered)
    assert (result.added, result.missing) == ([], [])
    assert all(set(change.changes) == {"ref"} for change in result.changed)
    apply_reimport(operator_access(plan.authority), plan, renumbered)
    assert sorted(plan.actions.values_list("ref", flat=True)) == sorted(f"X{n}" for n in range(25))


def test_a_missing_action_the_user_does_not_close_stays_open(loaded):
    plan, draft = loaded
    newer = copy.deepcopy(draft)
    newer.priorities[0].actions.pop()
    result = apply_reimport(operator_access(plan.authority), plan, newer)
    assert [a.ref for a in result.missing] == ["1.10"]
    assert plan.actions.get(ref="1.10").closed_on is None


def test_importing_the_same_plan_twice_through_the_command_does_not_duplicate(tmp_path):
    import json

    from tests.importers.test_plan_commands import run

    AuthorityFactory(name="Tameside", slug="tameside")
    run("import_plan", str(TAMESIDE), "--authority", "Tameside")
    again = json.loads(
        run("import_plan", str(TAMESIDE), "--authority", "Tameside", "--format", "json")
    )
    assert again["reimport"]["unchanged"] == 31
    assert again["reimport"]["changed"] == again["reimport"]["added"] == []
    assert Action.objects.count() == 31


def test_refs_can_swap_places(loaded):
    plan, draft = loaded
    newer = copy.deepcopy(draft)
    first, second = find(newer, "1.1"), find(newer, "1.2")
    first.ref, second.ref = "1.2", "1.1"
    text_of_first = plan.actions.get(ref="1.1").text
    apply_reimport(operator_access(plan.authority), plan, newer)
    assert plan.actions.get(ref="1.2").text == text_of_first
    assert plan.actions.count() == 31


def test_two_actions_on_one_ref_are_refused_and_nothing_written(loaded):
    plan, draft = loaded
    newer = copy.deepcopy(draft)
    moved = find(newer, "1.1")
    moved.ref, moved.text = "1.2", "An entirely different action about something else."
    with pytest.raises(ReadError):
        apply_reimport(operator_access(plan.authority), plan, newer)
    assert plan.actions.get(ref="1.1").history.count() == 3  # as imported: nothing written


def test_new_progress_on_an_unchanged_action_is_added(loaded):
    plan, draft = loaded
    newer = copy.deepcopy(draft)
    find(newer, "3.3").progress = [ProgressDraft(date(2024, 1, 1), "Recruitment started.", "green")]
    apply_reimport(operator_access(plan.authority), plan, newer)
    update = plan.actions.get(ref="3.3").updates.get()
    assert (update.narrative, update.action_rating, update.author) == (
        "Recruitment started.",
        "green",
        None,
    )


def test_a_closed_action_that_comes_back_is_opened_again(loaded):
    plan, draft = loaded
    without = copy.deepcopy(draft)
    without.priorities[0].actions.pop()
    apply_reimport(operator_access(plan.authority), plan, without, close_all_missing=True)
    assert plan.actions.get(ref="1.10").closed_on == today()
    apply_reimport(operator_access(plan.authority), plan, draft)
    assert plan.actions.get(ref="1.10").closed_on is None


def test_a_new_focus_area_is_added_on_reimport(loaded):
    plan, draft = loaded
    newer = copy.deepcopy(draft)
    newer.focus_areas.append(FocusAreaDraft("FA14", "Early help"))
    find(newer, "1.1").focus_areas.append("FA14")
    apply_reimport(operator_access(plan.authority), plan, newer)
    assert plan.focus_areas.get(code="FA14").name == "Early help"
    assert "FA14" in plan.actions.get(ref="1.1").focus_areas.values_list("code", flat=True)
    assert not reconcile(plan, newer).changed  # and it stays unchanged next time


def test_an_edit_begun_before_a_reimport_is_refused_as_out_of_date(loaded):
    from g2g.plans.services import StaleActionError, edit_action
    from g2g.tenancy.access import access_for
    from g2g.tenancy.models import Role
    from tests.factories import MembershipFactory

    plan, draft = loaded
    lead = MembershipFactory(authority=plan.authority, role=Role.IMPROVEMENT_LEAD).user
    read_before = plan.actions.get(ref="1.1")
    newer = copy.deepcopy(draft)
    find(newer, "1.1").end = date(2024, 6, 30)
    apply_reimport(operator_access(plan.authority), plan, newer)

    with pytest.raises(StaleActionError):
        edit_action(
            access_for(lead, plan.authority.slug),
            read_before,
            version=read_before.version,
            title="Typed before the re-import",
        )
    assert plan.actions.get(ref="1.1").title != "Typed before the re-import"


def role_access(authority, role: str):
    user = MembershipFactory(authority=authority, role=role).user
    return access_for(user, authority.slug)


def test_import_plan_writes_a_new_plan_then_reimports_the_one_with_its_title():
    authority = AuthorityFactory(name="Tameside", slug="tameside")
    lead = role_access(authority, Role.IMPROVEMENT_LEAD)
    draft = read_plan_file(TAMESIDE)
    assert preview_plan_import(lead, draft).plan is None
    first = import_plan(lead, draft)
    assert first.reimport is None
    assert first.plan.history.get().history_user == lead.user
    newer = copy.deepcopy(draft)
    newer.priorities[0].actions.pop()
    preview = preview_plan_import(lead, newer)
    assert preview.plan == first.plan
    assert [action.ref for action in preview.reimport.missing] == ["1.10"]
    again = import_plan(lead, newer, close_all_missing=True)
    assert again.plan == first.plan
    assert [action.ref for action in again.reimport.missing] == ["1.10"]
    assert Plan.objects.filter(authority=authority).count() == 1
    closed = first.plan.actions.get(ref="1.10")
    assert closed.closed_on == today()
    assert closed.history.first().history_user == lead.user


@pytest.mark.parametrize("role", [Role.ACTION_LEAD, Role.VIEWER, Role.REGIONAL_VIEWER])
def test_only_roles_that_edit_the_plan_import_one(loaded, role):
    plan, draft = loaded
    access = role_access(plan.authority, role)
    newer = copy.deepcopy(draft)
    newer.priorities[0].actions.pop()
    entries = Action.history.count()
    with pytest.raises(PermissionDenied):
        write_plan(access, draft)
    with pytest.raises(PermissionDenied):
        apply_reimport(access, plan, newer, close_all_missing=True)
    with pytest.raises(PermissionDenied):
        import_plan(access, newer, close_all_missing=True)
    assert Plan.objects.filter(authority=plan.authority).count() == 1
    assert Action.history.count() == entries
    assert plan.actions.get(ref="1.10").closed_on is None


def _progress(month, text="Imported progress."):
    return ProgressDraft(month, text, "green")


@pytest.mark.parametrize("round_back", [0, 1, None], ids=["this-month", "last-month", "no-round"])
def test_imported_progress_for_the_open_rounds_month_comes_in_submitted(loaded, round_back):
    """docs/security.md #19: a re-import adds progress for any month without an update; from
    the open round's month on (this month when no round is earlier) it is submitted by the
    importer, awaiting someone else's sign-off, never signed off. Earlier months are the
    signed document's record."""
    from g2g.core.dates import add_months, current_period
    from g2g.plans.models import ProgressUpdate
    from tests.factories import RoundFactory

    plan, draft = loaded
    this_month = current_period()
    if round_back is not None:
        RoundFactory(plan=plan, period=add_months(this_month, -round_back), tasks=[])
    first_open = add_months(this_month, -(round_back or 0))
    months = [add_months(this_month, -back) for back in range(4)]
    newer = copy.deepcopy(draft)
    find(newer, "3.3").progress = [_progress(month) for month in months]
    lead = role_access(plan.authority, Role.IMPROVEMENT_LEAD)
    apply_reimport(lead, plan, newer)

    Status = ProgressUpdate.Status
    updates = {u.period: u for u in plan.actions.get(ref="3.3").updates.all()}
    assert set(updates) == set(months)
    for month, update in updates.items():
        if month >= first_open:
            assert (update.status, update.submitted_by) == (Status.SUBMITTED, lead.user)
            assert update.submitted_at is not None
        else:
            assert (update.status, update.submitted_by) == (Status.SIGNED_OFF, None)


def test_the_importer_cannot_sign_off_what_the_import_submitted(loaded):
    from django.core.exceptions import ValidationError

    from g2g.core.dates import current_period
    from g2g.plans.services import sign_off_update

    plan, draft = loaded
    newer = copy.deepcopy(draft)
    find(newer, "3.3").progress = [_progress(current_period())]
    importer = role_access(plan.authority, Role.IMPROVEMENT_LEAD)
    apply_reimport(importer, plan, newer)
    update = plan.actions.get(ref="3.3").updates.get()
    with pytest.raises(ValidationError, match="someone else must sign it off"):
        sign_off_update(importer, update, version=update.version)
    other = role_access(plan.authority, Role.IMPROVEMENT_LEAD)
    assert sign_off_update(other, update, version=update.version).signed_off_by == other.user


def test_a_new_plans_progress_for_this_month_comes_in_submitted():
    from g2g.core.dates import add_months, current_period
    from g2g.plans.models import ProgressUpdate

    authority = AuthorityFactory()
    draft = read_plan_file(TAMESIDE)
    months = [current_period(), add_months(current_period(), -1)]
    find(draft, "3.3").progress = [_progress(month) for month in months]
    plan = write_plan(operator_access(authority), draft)
    statuses = dict(plan.actions.get(ref="3.3").updates.values_list("period", "status"))
    assert statuses == {
        months[0]: ProgressUpdate.Status.SUBMITTED,
        months[1]: ProgressUpdate.Status.SIGNED_OFF,
    }
