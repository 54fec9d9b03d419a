"""The board pack's one-page summary (drafted from the data, edited by an improvement lead, its
edits kept in history, the same in every format), the last governance meeting, the compact
scorecard's comparators, and saved packs attached to meetings (issue 17)."""

import io
from datetime import timedelta
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from docx import Document

from g2g.core.dates import add_months, current_period, today
from g2g.measures.models import ComparatorValue, MeasureValue, Milestone
from g2g.plans.models import Rating
from g2g.reports import services
from g2g.reports.board_pack import build_board_pack
from g2g.reports.models import MeetingPack, PackSummary
from g2g.reports.outputs import pack_data, pack_docx, pack_print_html, pack_xlsx, section_tables
from g2g.tenancy.access import access_for
from g2g.tenancy.models import Role
from tests.factories import MeetingActionFactory, MeetingFactory, SavedPackFactory
from tests.reports.test_board_pack import past_deadline, rate

pytestmark = pytest.mark.django_db


def lead_access(world):
    return access_for(world.users[Role.IMPROVEMENT_LEAD], world.authority.slug)


def summary_url(world) -> str:
    return f"/{world.authority.slug}/reports/board-pack/summary/?period={current_period():%Y-%m}"


# ---------------------------------------------------------------------------------------------
# The draft from the data


def test_the_draft_says_the_ratings_pace_what_moved_and_what_is_off_track(world):
    led = world.led_action
    world.plan.start, world.plan.end = today() - timedelta(days=100), today() + timedelta(days=300)
    world.plan.save()
    rate(led, Rating.GREEN)
    moment = timezone.now()
    rate(led, Rating.RED)  # worse since the last pack
    past_deadline(world)  # the other action has no update, now due
    pack = build_board_pack(world.plan, current_period(), previous=moment)
    position, pace, moved, off_track, measures = pack.summary.paragraphs
    assert "the plan has 2 open actions. Action ratings: 1 Red and 1 Not rated." in position
    assert "At the last pack" in position
    assert "1 Green and 1 Not rated" in position
    assert pace.startswith("0 of 2 open actions (0%) are complete (Blue) against 25% of the ")
    assert pace.endswith("behind by 25 points.")
    assert moved == (
        f"Since the last pack 1 action changed action rating (0 better, 1 worse): "
        f"{led.ref} Green to Red."
    )
    assert f"Red: 1 action ({led.ref})" in off_track
    assert f"no update this month: 1 action ({world.other_action.ref})" in off_track
    assert "1 inspection recommendation has no open action" in off_track
    assert measures == "No measure has a value yet."
    assert not pack.summary.edited


def test_the_draft_names_the_measures_furthest_from_target(world):
    period = current_period()
    Milestone.objects.create(measure=world.measure, due=add_months(period, -1), value=70)
    Milestone.objects.create(measure=world.measure, due=add_months(period, 1), value=70)
    for months_ago, value in ((1, "55"), (0, "50")):
        MeasureValue.objects.create(
            measure=world.measure, period=add_months(period, -months_ago), value=Decimal(value)
        )
    measures = build_board_pack(world.plan, period).summary.paragraphs[-1]
    assert measures.startswith("1 measure is behind trajectory of 1 with a target this month.")
    assert f"Furthest from target: {world.measure.name} (Red: 20 points below" in measures
    assert measures.endswith("1 measure got worse than last month.")


# ---------------------------------------------------------------------------------------------
# Editing it, with history


def test_a_saved_summary_replaces_the_draft_in_every_format(world):
    text = (
        "The board should note the progress on Priority 1.\n\nRisks: recruitment of social workers."
    )
    services.save_pack_summary(lead_access(world), world.plan, current_period(), text, version=0)
    pack = build_board_pack(world.plan, current_period())
    expected = [
        "The board should note the progress on Priority 1.",
        "Risks: recruitment of social workers.",
    ]
    assert pack.summary.paragraphs == expected
    assert pack.summary.edited
    assert pack.summary.version == 1
    data = pack_data(pack)["summary"]
    assert data["paragraphs"] == expected
    assert data["edited"] is True
    assert data["edited_by"]
    html = pack_print_html(pack)
    assert all(paragraph in html for paragraph in expected)
    word = [p.text for p in Document(io.BytesIO(pack_docx(pack))).paragraphs]
    assert word[word.index("Summary") + 1 : word.index("Summary") + 3] == expected
    sheet = openpyxl.load_workbook(io.BytesIO(pack_xlsx(pack)))["Summary"]
    assert [row[0].value for row in sheet.iter_rows(min_row=2, max_row=3)] == expected


def test_each_save_is_kept_in_history_and_a_stale_save_is_refused(world):
    access, period = lead_access(world), current_period()
    services.save_pack_summary(access, world.plan, period, "First", version=0)
    services.save_pack_summary(access, world.plan, period, "Second", version=1)
    with pytest.raises(ValidationError, match="Someone else saved this summary"):
        services.save_pack_summary(access, world.plan, period, "Stale", version=1)
    assert PackSummary.objects.get().text == "Second"
    versions = services.summary_versions(access, world.plan, period)
    assert [(v.version, v.text) for v in versions] == [(2, "Second"), (1, "First")]


@pytest.mark.parametrize(
    ("text", "error"), [("  \n ", "Enter the summary"), ("x" * 10_001, "10,000")]
)
def test_a_bad_summary_is_refused_and_writes_nothing(world, text, error):
    with pytest.raises(ValidationError, match=error):
        services.save_pack_summary(
            lead_access(world), world.plan, current_period(), text, version=0
        )
    assert not PackSummary.objects.exists()


def test_only_those_who_edit_the_plan_save_the_summary(world, foreign_world):
    viewer = access_for(world.users[Role.VIEWER], world.authority.slug)
    with pytest.raises(PermissionDenied):
        services.save_pack_summary(viewer, world.plan, current_period(), "Mine", version=0)
    with pytest.raises(Http404):
        services.save_pack_summary(
            lead_access(world), foreign_world.plan, current_period(), "Theirs", version=0
        )
    assert not PackSummary.objects.exists()


def test_the_summary_page_shows_the_draft_and_saves_the_edit(client, world):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    page = client.get(summary_url(world))
    assert page.status_code == 200
    assert "the plan has 2 open actions" in page.content.decode()
    period = f"{current_period():%Y-%m}"
    posted = {"period": period, "version": "0", "text": "Edited for the board."}
    response = client.post(summary_url(world), posted)
    assert response.status_code == 302
    assert f"period={period}" in response["Location"]
    pack_page = client.get(response["Location"]).content.decode()
    assert "Edited for the board." in pack_page
    assert "Written by" in pack_page
    again = client.post(summary_url(world), posted | {"text": "Stale edit"})
    assert "Someone else saved this summary" in again.content.decode()
    empty = client.post(summary_url(world), posted | {"version": "1", "text": " "})
    assert "Enter the summary" in empty.content.decode()
    assert PackSummary.objects.get().text == "Edited for the board."
    client.force_login(world.users[Role.VIEWER])
    assert client.get(summary_url(world)).status_code == 403


# ---------------------------------------------------------------------------------------------
# The last governance meeting, and the scorecard's comparators


def test_the_pack_has_the_last_meetings_decisions_and_actions_arising(world):
    world.meeting.decisions = "Agreed the scorecard\nAsked for a recruitment plan"
    world.meeting.save()
    done = MeetingActionFactory(meeting=world.meeting, description="Done one", done_on=today())
    later = MeetingFactory(board=world.board, held_on=today() + timedelta(days=40))
    MeetingActionFactory(meeting=later, description="Not yet met")
    meeting = build_board_pack(world.plan, current_period()).meeting
    assert meeting.board == world.board.name
    assert meeting.held_on == world.meeting.held_on
    assert meeting.decisions == ["Agreed the scorecard", "Asked for a recruitment plan"]
    statuses = {action.description: action.status for action in meeting.actions}
    assert statuses[done.description] == "Done"
    assert statuses[world.meeting_action.description] in ("Open", "Overdue")
    assert "Not yet met" not in statuses
    table = next(t for t in section_tables(build_board_pack(world.plan, current_period()))
                 if t.section == "Last governance meeting")  # fmt: skip
    assert table.rows[0][0] == "Decision: Agreed the scorecard"


def test_a_pack_without_a_meeting_says_so(world):
    world.meeting.delete()
    pack = build_board_pack(world.plan, current_period())
    assert pack.meeting is None
    assert "No governance meeting is recorded" in pack_print_html(pack)
    assert pack_data(pack)["last_meeting"] is None


def test_the_scorecard_shows_the_published_neighbours_figure_where_there_is_one(world):
    period = current_period()
    MeasureValue.objects.create(measure=world.measure, period=period, value=Decimal("60"))
    ComparatorValue.objects.create(
        measure=world.measure, period=period, kind="neighbours", value=Decimal("64"),
        source="Synthetic demo data",
    )  # fmt: skip
    ComparatorValue.objects.create(
        measure=world.measure, period=add_months(period, -9), kind="neighbours",
        value=Decimal("10.6"), source="Published (DfE, 2025): Children in need",
    )  # fmt: skip
    ComparatorValue.objects.create(
        measure=world.measure, period=period, kind="england", value=Decimal("71.2")
    )
    pack = build_board_pack(world.plan, period)
    (measure,) = pack_data(pack)["scorecard"]
    assert measure["statistical_neighbours"]["value"] == 10.6
    assert measure["statistical_neighbours"]["published"] is True
    assert measure["england"]["value"] == 71.2
    scorecard = next(t for t in section_tables(pack) if t.section == "Scorecard")
    header, (row,) = scorecard.text_columns()
    cells = dict(zip(header, (str(cell) for cell in row), strict=True))
    assert cells["Statistical neighbours"] == "10.6%"
    assert cells["England"] == "71.2%"
    html = pack_print_html(pack)
    assert "published (DfE, 2025)" in html


# ---------------------------------------------------------------------------------------------
# Saved packs attached to governance meetings


def meeting_packs_url(world) -> str:
    return f"/{world.authority.slug}/reports/meetings/{world.meeting.pk}/packs/"


def test_a_saved_pack_is_attached_to_a_meeting_and_listed_on_it(client, world):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    form = client.get(meeting_packs_url(world)).content.decode()
    assert world.saved_pack.title in form
    response = client.post(meeting_packs_url(world), {"saved_pack": world.saved_pack.pk})
    assert response.status_code == 302
    meeting_page = f"/{world.authority.slug}/boards/meetings/{world.meeting.pk}/"
    assert response["Location"] == meeting_page
    client.force_login(world.users[Role.VIEWER])
    page = client.get(meeting_page).content.decode()
    assert world.saved_pack.title in page
    assert f"/reports/saved/{world.saved_pack.pk}/?format=docx" in page
    assert "Attach a saved board pack" not in page  # viewers read, they do not attach
    packs = client.get(f"/{world.authority.slug}/reports/board-pack/").content.decode()
    assert f'href="{meeting_page}">{world.board.name}, ' in packs  # the saved pack's meetings
    assert (
        client.post(meeting_packs_url(world), {"saved_pack": world.saved_pack.pk}).status_code
        == 403
    )


def test_attaching_another_authoritys_pack_or_twice_is_refused(client, world, foreign_world):
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    foreign = client.post(meeting_packs_url(world), {"saved_pack": foreign_world.saved_pack.pk})
    assert "Choose one of the saved packs listed" in foreign.content.decode()
    assert not MeetingPack.objects.exists()
    services.attach_pack(lead_access(world), world.meeting, world.saved_pack)
    with pytest.raises(ValidationError, match="already attached"):
        services.attach_pack(lead_access(world), world.meeting, world.saved_pack)
    assert MeetingPack.objects.count() == 1
    empty = client.post(meeting_packs_url(world), {})
    assert "There is no saved pack to attach" in empty.content.decode()


def test_a_pack_is_removed_from_a_meeting_and_kept(client, world):
    services.attach_pack(lead_access(world), world.meeting, world.saved_pack)
    second = SavedPackFactory(authority=world.authority, plan=world.plan)
    services.attach_pack(lead_access(world), world.meeting, second)
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    url = f"{meeting_packs_url(world)}{world.saved_pack.pk}/remove/"
    assert client.post(url).status_code == 302
    assert [a.saved_pack_id for a in MeetingPack.objects.all()] == [second.pk]
    world.saved_pack.refresh_from_db()  # the pack itself is kept
    assert (
        MeetingPack.history.filter(history_type="-").get().history_user
        == world.users[Role.IMPROVEMENT_LEAD]
    )


def test_each_chart_has_its_figures_in_a_table(client, world, settings):
    settings.G2G_PACK_CHARTS = "all"
    for months_ago, value in ((1, "61.5"), (0, "66.8")):
        MeasureValue.objects.create(
            measure=world.measure,
            period=add_months(current_period(), -months_ago),
            value=Decimal(value),
        )
    html = pack_print_html(build_board_pack(world.plan, current_period()))
    assert "<caption>The figures</caption>" in html
    assert '<th scope="row">' in html.split("The figures", 1)[1]
    assert "66.8" in html.split("The figures", 1)[1]
    client.force_login(world.users[Role.VIEWER])
    page = client.get(f"/{world.authority.slug}/reports/board-pack/").content.decode()
    assert 'The figures<span class="govuk-visually-hidden"> of ' in page


def test_an_edited_summary_or_a_new_meeting_makes_a_new_pack_file(world):
    from g2g.reports.background import data_version

    period = current_period()
    before = data_version(world.plan, period, None)
    services.save_pack_summary(lead_access(world), world.plan, period, "Edited", version=0)
    edited = data_version(world.plan, period, None)
    assert edited != before
    MeetingActionFactory(meeting=world.meeting, description="Arising later")
    assert data_version(world.plan, period, None) != edited
