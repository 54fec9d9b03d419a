"""The board pack: its sections, "as at" a past moment, its four formats, the command and page."""

import io
import json
from datetime import datetime, timedelta

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from pypdf import PdfReader

from g2g.core.dates import current_period, today
from g2g.measures.models import MeasureValue, Milestone
from g2g.plans.models import Action, ProgressUpdate, Rating
from g2g.reports.board_pack import build_board_pack
from g2g.reports.models import SavedPack
from g2g.reports.outputs import pack_docx, pack_json, pack_pdf, pack_xlsx, section_tables
from g2g.rounds.models import Round
from g2g.tenancy.models import Role
from tests.factories import ActionFactory, ProgressUpdateFactory

pytestmark = pytest.mark.django_db


def rate(action, rating, *, status="submitted", period=None, impact=""):
    return ProgressUpdate.objects.update_or_create(
        action=action,
        period=period or current_period(),
        defaults={
            "narrative": "n",
            "status": status,
            "action_rating": rating,
            "impact_rating": impact,
        },
    )[0]


def past_deadline(world):
    """The month's round is past its deadline: an action without an update is an exception."""
    Round.objects.update_or_create(
        plan=world.plan,
        period=current_period(),
        defaults={"deadline": today() - timedelta(days=1)},
    )


def test_the_pack_lists_exceptions_deadlines_and_uncovered_recommendations(world):
    led, other = world.led_action, world.other_action
    rate(led, Rating.RED, impact=Rating.AMBER)
    other.end = today() + timedelta(days=20)
    other.save()
    rate(other, Rating.GREEN)
    overdue = ActionFactory(priority=led.priority, end=today() - timedelta(days=3), title="Late")
    past_deadline(world)
    pack = build_board_pack(world.plan, current_period())
    reasons = {item.action.pk: item.reasons for item in pack.exceptions}
    assert reasons[led.pk] == ["Red"]
    assert reasons[overdue.pk][0].startswith("Overdue (due ")
    assert "No update this month" in reasons[overdue.pk]
    assert other.pk not in reasons
    assert [action.pk for action in pack.deadlines] == [other.pk]
    summary = pack.priorities[0]
    assert summary.total == 3
    assert (summary.action[Rating.RED], summary.action[Rating.GREEN], summary.action[""]) == (
        1,
        1,
        1,
    )
    # The world's recommendation is answered by no action of the plan.
    assert [gap.number for gap in pack.coverage] == [world.inspection.findings.get().number]
    world.inspection.findings.get().actions.add(led)  # answered only by a red action
    gap = build_board_pack(world.plan, current_period()).coverage[0]
    assert [action.pk for action in gap.actions] == [led.pk]


def test_exceptions_carry_the_next_steps_risks_and_support_the_lead_submitted(client, world):
    led = world.led_action
    update = rate(led, Rating.RED)
    update.next_steps, update.risks, update.support_needed = "Re-audit", "- Staffing", ""
    update.save()
    item = next(e for e in build_board_pack(world.plan, current_period()).exceptions)
    assert item.action.pk == led.pk
    assert item.notes == [("Next steps", "Re-audit"), ("Risks and issues", "- Staffing")]
    assert item.notes_in_words == "Next steps: Re-audit\nRisks and issues: - Staffing"
    pack = build_board_pack(world.plan, current_period())
    tables = {table.heading: table.rows for table in section_tables(pack)}
    assert tables["Exceptions"][0][-1] == item.notes_in_words
    [listed] = json.loads(pack_json(pack))["exceptions"]
    assert listed["notes"] == [
        {"label": "Next steps", "text": "Re-audit"},
        {"label": "Risks and issues", "text": "- Staffing"},
    ]
    client.force_login(world.users[Role.VIEWER])
    page = client.get(f"/{world.authority.slug}/reports/board-pack/").content.decode()
    assert "<strong>Risks and issues</strong>" in page
    assert '<ul class="govuk-list govuk-list--bullet"><li>Staffing</li></ul>' in page
    past_deadline(world)
    update.status = "draft"  # a draft is not shared with the board
    update.save()
    assert build_board_pack(world.plan, current_period()).exceptions[0].notes == []


def test_a_blue_awaiting_sign_off_is_not_counted_blue():
    action = ActionFactory()
    rate(action, Rating.BLUE)
    pack = build_board_pack(action.plan, current_period())
    assert pack.priorities[0].action[Rating.BLUE] == 0
    update = ProgressUpdate.objects.get()
    update.status = "signed_off"  # through save(), as the sign-off service does: history sees it
    update.save()
    assert build_board_pack(action.plan, current_period()).priorities[0].action[Rating.BLUE] == 1


def test_a_pack_for_a_past_moment_equals_the_pack_generated_then(world):
    led = world.led_action
    rate(led, Rating.AMBER)
    MeasureValue.objects.create(measure=world.measure, period=current_period(), value=40)
    Milestone.objects.create(measure=world.measure, due=today(), value=60)
    then = build_board_pack(world.plan, current_period())
    moment = then.as_at
    # Afterwards: the update is signed off as Blue, an action is added and another slips,
    # the measure's value is corrected and a comparator appears.
    update = rate(led, Rating.BLUE, status="signed_off")
    update.save()
    ActionFactory(priority=led.priority, title="Added later")
    world.other_action.end = today() + timedelta(days=400)
    world.other_action.save()
    MeasureValue.objects.filter(measure=world.measure).update(value=70)  # bypasses history
    value = MeasureValue.objects.get(measure=world.measure)
    value.value = 75
    value.save()
    again = build_board_pack(world.plan, current_period(), as_at=moment)
    assert section_tables(again) == section_tables(then)
    now = build_board_pack(world.plan, current_period(), previous=moment)
    assert section_tables(now) != section_tables(then)
    assert now.priorities[0].rows()[0]["action_change"] == "+1"  # one more Blue since


def test_change_since_the_previous_pack():
    action = ActionFactory()
    rate(action, Rating.RED, period=current_period() - timedelta(days=1))
    previous = timezone.now()
    rate(action, Rating.GREEN)
    pack = build_board_pack(action.plan, current_period(), previous=previous)
    rows = {row["key"]: row for row in pack.priorities[0].rows()}
    assert (rows[Rating.GREEN]["action_change"], rows[Rating.RED]["action_change"]) == ("+1", "-1")
    assert rows[Rating.AMBER]["action_change"] == "no change"


def test_word_has_headings_and_tables_with_header_rows(world):
    rate(world.led_action, Rating.RED)
    document = Document(io.BytesIO(pack_docx(build_board_pack(world.plan, current_period()))))
    headings = [
        p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]
    assert headings[0].endswith(f"board pack: {current_period():%B %Y}")
    assert {"Ratings by priority", "Exceptions", "Scorecard", "Upcoming deadlines"} <= set(headings)
    assert document.tables
    for table in document.tables:
        header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
        assert header is not None
        assert header.get(qn("w:val")) == "true"
    assert document.core_properties.language == "en-GB"


def test_excel_has_a_sheet_per_section_with_formulas_neutralised(world):
    world.led_action.title = '=HYPERLINK("http://evil","x")'
    world.led_action.save()
    rate(world.led_action, Rating.RED)
    workbook = openpyxl.load_workbook(
        io.BytesIO(pack_xlsx(build_board_pack(world.plan, current_period())))
    )
    assert {"Exceptions", "Scorecard", "Recommendation coverage", "Upcoming deadlines"} <= set(
        workbook.sheetnames
    )
    cells = [c.value for row in workbook["Exceptions"].iter_rows() for c in row]
    assert '\'=HYPERLINK("http://evil","x")' in cells


def test_the_pdf_has_the_packs_text(world):
    rate(world.led_action, Rating.RED)
    pdf = pack_pdf(build_board_pack(world.plan, current_period()))
    pages = PdfReader(io.BytesIO(pdf)).pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    assert "board pack" in text
    assert "Exceptions" in text
    assert world.led_action.ref in text


@pytest.mark.parametrize("kind", ["docx", "xlsx", "html", "pdf"])
def test_the_command_writes_a_file(world, tmp_path, kind):
    output = tmp_path / f"pack.{kind}"
    out = io.StringIO()
    call_command(
        "board_pack",
        "--authority",
        world.authority.name,
        "--period",
        f"{current_period():%Y-%m}",
        "--format",
        kind,
        "--output",
        str(output),
        stdout=out,
    )
    assert output.stat().st_size > 1000
    assert "Wrote" in out.getvalue()


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_shows_the_pack_and_its_queries_do_not_grow(client, world):
    past_deadline(world)
    client.force_login(world.users[Role.VIEWER])
    url = f"/{world.authority.slug}/reports/board-pack/"
    page = client.get(url).content.decode()
    assert "Exceptions" in page
    assert world.other_action.title in page  # no update this month
    before = queries(client, url)
    for _ in range(20):
        action = ActionFactory(priority=world.led_action.priority)
        ProgressUpdateFactory(action=action, narrative="more")
    assert queries(client, url) == before


def test_bad_choices_are_explained_not_a_server_error(client, world):
    client.force_login(world.users[Role.VIEWER])
    page = client.get(f"/{world.authority.slug}/reports/board-pack/?period=2099-01&as_at=soon")
    assert page.status_code == 200
    assert "The month cannot be in the future" in page.content.decode()
    assert "The date to show the plan on must be a real date" in page.content.decode()
    missing = client.get(f"/{world.authority.slug}/reports/board-pack/download/?format=exe")
    assert missing.status_code == 404


def test_improvement_leads_save_packs_and_anyone_downloads_them_unchanged(client, world):
    past_deadline(world)
    slug = world.authority.slug
    client.force_login(world.users[Role.VIEWER])
    assert client.post(f"/{slug}/reports/board-pack/save/", {}).status_code == 403
    client.force_login(world.users[Role.IMPROVEMENT_LEAD])
    response = client.post(
        f"/{slug}/reports/board-pack/save/", {"period": f"{current_period():%Y-%m}"}
    )
    assert response.status_code == 302
    saved = SavedPack.objects.exclude(pk=world.saved_pack.pk).get()
    Action.objects.filter(pk=world.other_action.pk).update(title="Renamed since")
    client.force_login(world.users[Role.VIEWER])
    docx = client.get(f"/{slug}/reports/saved/{saved.pk}/?format=docx")
    assert docx.status_code == 200
    assert docx.content == bytes(saved.docx)
    html = client.get(f"/{slug}/reports/saved/{saved.pk}/?format=html").content.decode()
    assert world.other_action.title in html
    assert "Renamed since" not in html


def test_the_command_writes_the_pack_as_data_a_program_can_check(world, tmp_path):
    led, other = world.led_action, world.other_action
    rate(led, Rating.RED, impact=Rating.AMBER)
    other.end = today() + timedelta(days=20)
    other.save()
    rate(other, Rating.GREEN)
    world.measure.unit = "%"
    world.measure.save()
    MeasureValue.objects.create(measure=world.measure, period=current_period(), value="42.5")
    Milestone.objects.create(measure=world.measure, due=today(), value=60)
    output = tmp_path / "pack.json"
    call_command(
        "board_pack",
        "--authority",
        world.authority.name,
        "--period",
        f"{current_period():%Y-%m}",
        "--format",
        "json",
        "--output",
        str(output),
        stdout=io.StringIO(),
    )
    data = json.loads(output.read_text(encoding="utf-8"))
    pack = build_board_pack(world.plan, current_period())
    assert data["title"] == pack.title
    assert data["period"] == f"{current_period():%Y-%m}"
    assert data["plan"] == {
        "id": world.plan.pk,
        "title": world.plan.title,
        "status": "active",
        "synthetic_note": None,
    }
    assert datetime.fromisoformat(data["as_at"]).tzinfo is not None
    # Open actions, by rating in words.
    assert data["open_actions"] == 2
    summary = data["summary_by_priority"][0]
    assert summary["open_actions"] == 2
    ratings = {row["rating"]: row for row in summary["ratings"]}
    assert (ratings["Red"]["action"], ratings["Green"]["action"]) == (1, 1)
    assert ratings["Amber"]["impact"] == 1
    assert ratings["Red"]["action_change"] == 1  # none before this month
    assert [
        (e["ref"], e["action_rating"], e["impact_rating"], e["reasons"]) for e in data["exceptions"]
    ] == [(led.ref, "Red", "Amber", ["Red"])]
    [deadline] = data["upcoming_deadlines"]
    assert (deadline["ref"], deadline["action_rating"]) == (other.ref, "Green")
    assert deadline["end"] == other.end.isoformat()
    # The measure's value: a number with its unit.
    [measure] = data["scorecard"]
    assert measure["name"] == world.measure.name
    assert measure["latest"] == {
        "value": 42.5,
        "unit": "%",
        "text": "42.5%",
        "period": f"{current_period():%Y-%m}",
    }
    assert measure["target"]["unit"] == "%"
    assert isinstance(measure["target"]["value"], int | float)
    assert measure["against_target"]["rating"] in {"green", "amber", "red"}
    # The same content as the other formats: every exception and measure the tables list.
    tables = {table.heading: table.rows for table in section_tables(pack)}
    assert [row[0] for row in tables["Exceptions"]] == [e["ref"] for e in data["exceptions"]]
    assert str(tables["Scorecard"][0][2]) == measure["latest"]["text"]
    coverage = [int(row[1].split(".")[0]) for row in tables["Recommendation coverage"]]
    assert [gap["number"] for gap in data["recommendation_coverage"]] == coverage
    assert coverage


def test_the_json_pack_can_go_to_standard_output_and_is_offered_on_the_page(client, world):
    out = io.StringIO()
    call_command(
        "board_pack",
        "--authority",
        world.authority.slug,
        "--period",
        f"{current_period():%Y-%m}",
        "--format",
        "json",
        "--output",
        "-",
        stdout=out,
    )
    assert json.loads(out.getvalue())["authority"]["slug"] == world.authority.slug
    client.force_login(world.users[Role.VIEWER])
    slug = world.authority.slug
    assert "format=json" in client.get(f"/{slug}/reports/board-pack/").content.decode()
    response = client.get(f"/{slug}/reports/board-pack/download/?format=json")
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["period"] == f"{current_period():%Y-%m}"
