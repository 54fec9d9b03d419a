"""The demo that lived (issue 15, 3 and 4): each plan replayed month by month and recorded as at
the time, so a board pack for any month of a plan's life has its open actions rated and a
measure value; Oldham's August 2019 round is Oldham's own words; the first screen shows a live
round with believable numbers; Tameside's latest pack fits a board's papers (issue 17).

The demo is loaded once for the module (`loaded_demo`); each test reads it in its own savepoint.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date
from html import unescape

import pytest
from django.core.management import call_command
from django.http import HttpRequest
from pypdf import PdfReader

from g2g.core.dates import add_months, current_period, end_of_day, month_end, today
from g2g.measures.models import MeasureValue
from g2g.operations.demo import DEMO_PASSWORD
from g2g.operations.demo.lived import OLDHAM_PROGRESS_SEED, PLAN_NOTE, REAL_WORDS, SYNTHETIC
from g2g.plans.models import Action, Plan, ProgressUpdate
from g2g.rounds.models import Round
from tests.seed_files import SEEDS

pytestmark = pytest.mark.django_db


def months(first: date, last: date) -> list[date]:
    found = []
    while first <= last:
        found.append(first)
        first = add_months(first, 1)
    return found


def pack(tmp_path, authority: str, month: date) -> dict:
    output = tmp_path / f"{authority}-{month:%Y-%m}.json"
    call_command(
        "board_pack",
        authority=authority,
        period=f"{month:%Y-%m}",
        format="json",
        output=output,
        stdout=open("/dev/null", "w"),  # noqa: SIM115 - the command's own message
    )
    return json.loads(output.read_text())


def rated_share(data: dict) -> float:
    unrated = sum(
        row["action"]
        for summary in data["summary_by_priority"]
        for row in summary["ratings"]
        if row["rating"] == "Not rated"
    )
    return 1 - unrated / data["open_actions"]


def measure_values(data: dict) -> int:
    return sum(1 for measure in data["scorecard"] if measure.get("latest") is not None)


PLANS = [
    (
        "tameside",
        "Tameside Children's Social Care Improvement Plan",
        date(2023, 9, 1),
        date(2025, 12, 1),
    ),
    ("oldham", "Oldham Children's Services Improvement Plan", date(2019, 5, 1), date(2021, 3, 1)),
]


@pytest.mark.parametrize(("authority", "title", "first", "last"), PLANS)
def test_every_month_of_each_plan_has_a_pack_rated_and_measured(
    tmp_path, demo, authority, title, first, last
):
    plan = Plan.objects.get(authority__slug=authority, title__startswith=title[:20])
    assert plan.status == Plan.Status.CLOSED  # it ended, as the plan did
    for month in months(first, last):
        data = pack(tmp_path, authority, month)
        assert data["plan"]["id"] == plan.pk, month  # the plan worked to then, not today's
        assert data["open_actions"] >= 20, month
        assert rated_share(data) >= 0.8, (month, rated_share(data))
        assert measure_values(data) >= 1, month


def test_the_current_plan_answers_tameside_s_2024_inspection_and_its_packs_pick_it(tmp_path, demo):
    from g2g.inspections.models import Inspection

    plan = Plan.objects.get(authority__slug="tameside", status=Plan.Status.ACTIVE)
    inspection = Inspection.objects.get(authority__slug="tameside", end__year=2023)
    assert list(plan.inspections.all()) == [inspection]
    actions = plan.actions.all()
    assert actions.count() == 13
    assert not actions.filter(leads=None).exists()
    assert not actions.filter(end=None).exists()
    assert plan.approved_at.date() == date(2026, 1, 6)
    data = pack(tmp_path, "tameside", add_months(current_period(), -1))
    assert data["plan"]["id"] == plan.pk
    assert rated_share(data) >= 0.8
    # December 2025 is the 2023 plan's, the month the new plan was approved is the new one's.
    assert pack(tmp_path, "tameside", date(2025, 12, 1))["plan"]["id"] != plan.pk
    assert pack(tmp_path, "tameside", date(2026, 1, 1))["plan"]["id"] == plan.pk


def test_only_the_plan_the_demo_made_up_is_labelled_synthetic(client, demo):
    """Tameside's current plan is the demo's own (drafted from the inspection's
    recommendations; its leads, dates and approval made up): its pages say so beside its dates.
    The plans read from the seed documents carry no such label."""
    current = Plan.objects.get(authority__slug="tameside", status=Plan.Status.ACTIVE)
    assert current.synthetic_note == PLAN_NOTE
    others = Plan.objects.exclude(pk=current.pk)
    assert others.exists()
    assert set(others.values_list("synthetic_note", flat=True)) == {""}
    assert client.login(request=HttpRequest(), username="improvement_lead", password=DEMO_PASSWORD)
    for path in ("/tameside/", "/tameside/reports/board-pack/"):
        assert f"Synthetic {PLAN_NOTE}" in page_text(client.get(path)), path
    earlier = Plan.objects.get(authority__slug="tameside", status=Plan.Status.CLOSED)
    shown = page_text(client.get(f"/tameside/?plan={earlier.pk}"))
    assert earlier.title in shown
    assert PLAN_NOTE not in shown


def page_text(response) -> str:
    """A page's words as a reader sees them: tags dropped, entities read, spaces collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def seed_paragraphs() -> str:
    return " ".join((SEEDS / OLDHAM_PROGRESS_SEED).read_text("utf-8").split())


def test_oldham_s_august_2019_round_is_oldham_s_own_words_as_at_the_end_of_august(tmp_path, demo):
    seed = seed_paragraphs()
    moment = end_of_day(date(2019, 8, 31))
    rows = {
        row.id: row
        for row in ProgressUpdate.history.filter(
            action__plan__authority__slug="oldham",
            period=date(2019, 8, 1),
            history_date__lte=moment,
        ).order_by("history_date", "history_id")
    }
    assert len(rows) == 25
    words_of_seed = set(seed.split())
    whole = {}
    for row in rows.values():
        words = " ".join(row.narrative.split())
        assert "Synthetic" not in words
        assert set(words.split()) <= words_of_seed, words[:80]  # no word of the demo's
        whole[Action.objects.get(pk=row.action_id).ref] = words in seed
    # Word for word, each text whole, where the published table kept its cells apart (a cell
    # split by a page break, or run into its row's first line, the importer puts back as best
    # it can: `words_of_seed` above holds for those too).
    assert sum(whole.values()) >= 19, whole
    assert all(whole[ref] for ref in ["1.1", "1.4", "2.9", "4.4", "4.6"]), whole
    texts = [" ".join(row.narrative.split()) for row in rows.values()]
    for text in [
        "OPH project plan on track to launch by end of September 19 with a risk attached due "
        "to current capacity.",
        "Practice week will take place the w/c 23 September",
        "Analysis of spotlight audits will be presented at the Children’s Assurance Board in "
        "October 19.",
    ]:
        assert any(text in words for words in texts), text
    update = ProgressUpdate.objects.get(
        action__plan__authority__slug="oldham", action__ref="1.1", period=date(2019, 8, 1)
    )
    assert "word for word" in update.synthetic_note
    others = ProgressUpdate.objects.filter(action__plan__authority__slug="oldham").exclude(
        period=date(2019, 8, 1)
    )
    assert others.exists()
    assert not others.exclude(synthetic_note__startswith="Synthetic").exists()
    data = pack(tmp_path, "oldham", date(2019, 8, 1))
    assert rated_share(data) >= 0.8


# Sentences of the seed's "Progress update Aug 19" column, checked by reading the seed file itself
# (demo-data/seeds/oldham-improvement-plan-2019-21-aug19-progress.txt, lines 235-248 and
# 413-416), the line breaks of its table cells joined.
AUGUST_2019_SENTENCES = {
    "1.1": [
        "OPH project plan on track to launch by end of September 19 with a risk attached due to "
        "current capacity.",
        "Recruitment and retention remains a high priority.",
        "The induction and probation processes have been reviewed and are awaiting sign off by "
        "the G2G board in September 19.",
    ],
    "1.4": [
        "Practice week will take place the w/c 23 September of which supervision files will be "
        "audited.",
    ],
}


def test_oldham_s_august_2019_pack_carries_oldham_s_own_progress_texts(tmp_path, demo):
    """Issue 15 acceptance: the pack for August 2019, as at the end of August, shows each
    action's real progress text (the month's update that counted), word for word."""
    from g2g.importers.services import read_plan_file

    data = pack(tmp_path, "oldham", date(2019, 8, 1))
    shown = {item["ref"]: " ".join((item["progress"] or "").split()) for item in data["progress"]}
    assert len(shown) == data["open_actions"] >= 20
    # Each action's text is what the project's reader reads from the seed for August 2019.
    published = read_plan_file(SEEDS / OLDHAM_PROGRESS_SEED)
    read = {
        drafted.ref: " ".join(progress.narrative.split())
        for drafted in published.actions
        for progress in drafted.progress
        if progress.period == date(2019, 8, 1)
    }
    assert len(read) >= 20
    for ref, words in read.items():
        if ref in shown:
            assert shown[ref] == words, ref
    # ... and stands whole in the seed's own text for most (see the test above), with Oldham's
    # note on every one of them.
    seed = seed_paragraphs()
    assert sum(words in seed for words in shown.values() if words) >= 19
    assert {item["note"] for item in data["progress"]} == {REAL_WORDS}
    assert not any("Synthetic" in words for words in shown.values())
    for ref, sentences in AUGUST_2019_SENTENCES.items():
        for sentence in sentences:
            assert sentence in seed  # the sentence is the seed's
            assert sentence in shown[ref], (ref, sentence)
    # A synthetic month's pack shows the synthetic words, labelled.
    september = pack(tmp_path, "oldham", date(2019, 9, 1))
    assert {item["note"] for item in september["progress"] if item["progress"]} == {SYNTHETIC}


def test_the_seeds_dates_are_unchanged(demo):
    oldham = {a.ref: a for a in Action.objects.filter(plan__authority__slug="oldham")}
    assert (oldham["1.4"].start, oldham["1.4"].end) == (date(2019, 4, 1), date(2020, 3, 31))
    assert (oldham["2.2"].start, oldham["2.2"].end) == (date(2019, 6, 1), date(2019, 12, 31))
    assert oldham["2.10"].end == date(2019, 9, 30)
    assert oldham["1.4"].timescale_text == "April 2019 – March 2020"
    tameside = Plan.objects.get(authority__slug="tameside", start=date(2023, 8, 1))
    moved = Action.history.filter(plan_id=tameside.pk).exclude(history_change_reason=None)
    # The end dates the demo moved are recorded with their reasons; the rest are the seed's.
    assert moved.count() == 6
    for row in moved:
        assert row.change_agreed_by
        assert row.history_change_reason
        first = Action.history.filter(id=row.id).order_by("history_date").first()
        assert first.end < row.end  # moved later, from the seed's own date
        assert first.history_date.date() == date(2023, 8, 1)


def test_history_is_dated_as_at_the_time(demo):
    oldham = Plan.objects.get(authority__slug="oldham")
    created = Plan.history.filter(id=oldham.pk).order_by("history_date")
    assert created.first().history_date.date() == date(2019, 4, 1)
    assert created.last().status == Plan.Status.CLOSED
    assert created.last().history_date.date() == date(2021, 4, 1)
    rounds = Round.objects.filter(plan=oldham)
    assert rounds.count() == 24
    assert all(r.opened_at.date().replace(day=1) == r.period for r in rounds)
    update = ProgressUpdate.objects.filter(action__plan=oldham).order_by("period").first()
    history = list(update.history.order_by("history_date"))
    assert [h.status for h in history][-1] == "signed_off"
    assert history[0].history_date < history[-1].history_date
    assert history[-1].history_date <= end_of_day(month_end(add_months(update.period, 1)))
    # Some updates were returned on the way, and then signed off.
    returned = ProgressUpdate.history.filter(
        action__plan__authority__slug="tameside", status="returned"
    )
    assert returned.count() >= 3


def test_measures_are_one_continuous_synthetic_series_each(demo):
    values = MeasureValue.objects.filter(measure__authority__slug="tameside")
    by_measure: dict[int, list] = {}
    for value in values.order_by("period"):
        by_measure.setdefault(value.measure_id, []).append(value)
    assert by_measure
    for series in by_measure.values():
        synthetic = [v for v in series if v.source == MeasureValue.Source.SYNTHETIC]
        if not synthetic:
            continue
        periods = [v.period for v in synthetic]
        assert periods == months(periods[0], periods[-1])  # no gap
        assert {v.source for v in series if v.period in periods} == {
            MeasureValue.Source.SYNTHETIC
        }  # no other source spliced into its months


def live_numbers() -> dict:
    plan = Plan.objects.get(authority__slug="tameside", status=Plan.Status.ACTIVE)
    actions = list(Action.objects.filter(plan=plan).open().with_status(today()))
    updates = ProgressUpdate.objects.filter(action__plan=plan, period=current_period())
    return {
        "open": len(actions),
        "overdue": sum(a.is_overdue for a in actions),
        "ratings": {a.action_rating for a in actions} | {a.impact_rating for a in actions},
        "awaiting": updates.filter(status="submitted").count(),
        "returned": updates.filter(status="returned").count(),
        "round": Round.objects.filter(plan=plan, period=current_period()).exists(),
    }


def test_the_first_screen_shows_a_live_round_with_believable_numbers(client, demo):
    numbers = live_numbers()
    assert numbers["round"]
    assert numbers["overdue"] <= 0.2 * numbers["open"], numbers
    assert {"blue", "green", "amber", "red"} <= numbers["ratings"], numbers
    assert numbers["awaiting"] >= 1, numbers
    assert numbers["returned"] >= 1, numbers
    month = current_period().strftime("%B %Y")
    deadline = Round.objects.get(plan__authority__slug="tameside", period=current_period()).deadline
    # What signing in lands on ("Your authorities"), for Tameside: the round for those who run
    # it, what is due (and returned) for the action lead, the exceptions for a viewer.
    seen = {
        "administrator": rf"{month}: \d+ of {numbers['open']} submitted",
        "improvement_lead": rf"{numbers['awaiting']} updates awaiting sign-off in Tameside",
        "action_lead": rf"\d+ updates? by {deadline:%-d %B %Y}: Write the update for",
        "viewer": r"Red or overdue [1-9]\d* actions?",
    }
    for role, words in seen.items():
        assert client.login(request=HttpRequest(), username=role, password=DEMO_PASSWORD)
        first = client.get("/").content.decode()
        card = first[first.index('id="home-tameside"') :]
        assert re.search(words, " ".join(re.sub(r"<[^>]+>", " ", card).split())), role
        client.logout()
    assert client.login(request=HttpRequest(), username="action_lead", password=DEMO_PASSWORD)
    work = page_text(client.get("/tameside/home/"))
    assert f"The {month} round" in work or f"for the {month} round" in work
    assert "No updates have been returned to you" not in work


def test_the_boards_have_meetings_to_come_labelled_synthetic(client, demo):
    """The board Tameside's priorities report to meets in the weeks ahead (dates the demo's,
    labelled); the improvement lead's home names the next meeting."""
    from g2g.governance.models import Meeting
    from g2g.operations.demo.governance import MEETING_NOTE

    coming = Meeting.objects.filter(held_on__gt=today()).select_related("board__authority")
    assert {m.board.authority.slug for m in coming} == {"tameside"}  # Oldham's programme ended
    assert coming.count() >= 2
    assert {m.synthetic_note for m in coming} == {MEETING_NOTE}
    assert not Meeting.objects.filter(held_on__lte=today()).exists()  # no past date made up
    first = min(coming, key=lambda m: m.held_on)
    assert client.login(request=HttpRequest(), username="improvement_lead", password=DEMO_PASSWORD)
    home = page_text(client.get("/tameside/home/"))
    assert f"Next board meeting Meeting {first.board.name}, {first.held_on:%A %-d %B %Y}" in home
    assert "Synthetic" in home


def test_tamesides_latest_pack_is_at_most_twelve_tagged_a4_pages(demo, tmp_path):
    output = tmp_path / "pack.pdf"
    call_command(
        "board_pack", "--authority", "Tameside", "--period", f"{current_period():%Y-%m}",
        "--format", "pdf", "--output", str(output), stdout=io.StringIO(),
    )  # fmt: skip
    pdf = PdfReader(output)
    assert 3 <= len(pdf.pages) <= 12, len(pdf.pages)
    for page in pdf.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            (595.28, 841.89), abs=0.5
        )
    assert "/StructTreeRoot" in pdf.trailer["/Root"]  # tagged
    assert pdf.metadata.title.startswith("Tameside improvement board pack: ")
    first = " ".join(pdf.pages[0].extract_text().split())
    assert "Tameside" in first
    assert "OFFICIAL" in first
    text = " ".join(" ".join(page.extract_text().split()) for page in pdf.pages)
    for section in ("Summary", "Ratings by priority", "Scorecard", "Last governance meeting"):
        assert text.count(section) >= 2  # in the contents and as the section's heading
