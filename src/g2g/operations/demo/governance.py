"""Demo governance: the boards the seed documents describe, read from their text, and one current
six-week obsession per authority made of real plan actions.

`boards_from_text` reads the sentences that name a board with its chair, the board it reports
into, or the priorities that report to it:

- Oldham plan 2019-21, "Governance": "... governed through the Getting to Good Programme Board,
  chaired by the Managing Director of Children's Services."
- Oldham council report, December 2020, 3.6: "... monitored through our Quality Improvement Group
  chaired by the Director of Social Care which reports into the Children's Assurance Board
  chaired by the Managing Director."
- Tameside plan 2023: "The sponsors for each priority will report quarterly to the Children's
  Improvement Board."

The seeds state no board's meeting frequency, so none is invented ("Not stated" on the pages).
The demo gives the boards that priorities report to (where its programme runs on to today:
Tameside) their next few meetings, dated from the day it is loaded (`NEXT_MEETINGS`), each
labelled synthetic: what the board's chair sees coming.
No meeting is given a past date, so no seed's date or decision is made up.
Oldham's reporting chain Task and Finish → Programme Board → Change Board → Portfolio meeting is
drawn in the plan's governance chart, a picture the seed's text does not hold; it is added from
`OLDHAM_CHART` below, each board saying where it comes from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.db import transaction

from g2g.core.dates import is_working_day, today
from g2g.governance import services
from g2g.governance.models import Board
from g2g.measures.models import Measure
from g2g.plans.models import Action, Post, Priority
from g2g.tenancy.access import Access, operator_access
from g2g.tenancy.models import Authority

# A board's name: capitalised words (with "to", "and", "of", "for" between them) ending in
# Board, Group or Committee: "Getting to Good Programme Board", "Quality Improvement Group".
NAME = r"[A-Z][\w']*(?:\s+(?:[A-Z][\w']*|to|and|of|for))*?\s+(?:Board|Group|Committee)"
CHAIRED = re.compile(
    rf"(?P<name>{NAME}),?\s+chaired by (?:the )?(?P<chair>[A-Z][^,.;]*?)(?=,|\.|;| which )"
)
REPORTS_INTO = re.compile(
    rf"(?P<name>{NAME})(?:,?\s+chaired by [^,.;]*?)?,?\s+which reports (?:into|to) (?:the )?"
    rf"(?P<parent>{NAME})"
)
PRIORITIES_REPORT = re.compile(
    rf"priorit(?:y|ies)\b[^.]*?(?:governed through|report (?P<frequency>[a-z-]+) to) (?:the )?"
    rf"(?P<name>{NAME})"
)


@dataclass
class BoardFromText:
    name: str
    chair: str = ""
    reports_to: str = ""
    priorities_frequency: str | None = None  # None: no priorities are said to report to it
    quotes: list[str] | None = None


def boards_from_text(text: str, source: str) -> list[BoardFromText]:
    """The boards a document's text names with a chair, a reporting line or the priorities that
    report to them, each with the sentences it comes from (quoted, with `source`)."""
    boards: dict[str, BoardFromText] = {}
    for line in text.splitlines():  # a paragraph a line, so a heading never joins a sentence
        _read_paragraph(" ".join(line.split()), source, boards)
    return list(boards.values())


def _read_paragraph(text: str, source: str, boards: dict[str, BoardFromText]) -> None:
    def board(name: str, sentence_at: int) -> BoardFromText:
        found = boards.setdefault(name, BoardFromText(name, quotes=[]))
        quote = f"{source}: “{_sentence(text, sentence_at)}”"
        if quote not in found.quotes:
            found.quotes.append(quote)
        return found

    for match in CHAIRED.finditer(text):
        board(match["name"], match.start()).chair = match["chair"].strip()
    for match in REPORTS_INTO.finditer(text):
        board(match["name"], match.start()).reports_to = match["parent"]
        board(match["parent"], match.start())
    for match in PRIORITIES_REPORT.finditer(text):
        found = board(match["name"], match.start())
        found.priorities_frequency = (match["frequency"] or "").capitalize()


def _sentence(text: str, at: int) -> str:
    """The sentence of `text` that the character at `at` is in."""
    start = text.rfind(". ", 0, at)
    end = text.find(". ", at)
    return text[start + 2 if start >= 0 else 0 : end + 1 if end >= 0 else len(text)].strip()


CHART_SOURCE = (
    "Oldham's governance chart (a picture in the improvement plan, so not in the seed's text; "
    "the chain is named in the programme brief): Task and Finish → Getting to Good Programme "
    "Board → Change Board → Portfolio meeting."
)
OLDHAM_CHART = [  # (board, the board it reports to)
    ("Task and Finish groups", "Getting to Good Programme Board"),
    ("Getting to Good Programme Board", "Change Board"),
    ("Change Board", "Portfolio meeting"),
    ("Portfolio meeting", ""),
]

DEMO_SEEDS = {
    "Oldham": [
        ("oldham-improvement-plan-2019-21.txt", "Oldham improvement plan 2019-21"),
        ("oldham-council-report-2020-12.txt", "Oldham council report, December 2020"),
    ],
    "Tameside": [("tameside-improvement-plan-2023.txt", "Tameside improvement plan 2023")],
}
DEMO_CHARTS = {"Oldham": OLDHAM_CHART}

# One obsession each, of real actions; the choice is the demo's, not the council's.
DEMO_OBSESSIONS = {
    "Oldham": (
        "Audit follow-through",
        ["4.5", "1.4", "4.1"],
        "Demo example, not Oldham's own choice: for six weeks leaders chase every remedial "
        "action from case audits and the supervision audits behind them.",
    ),
    "Tameside": (
        "Brilliant at the Basics",
        ["1.3", "4.6", "4.7"],
        "Demo example, not Tameside's own choice: for six weeks leaders focus on practice "
        "standards, management oversight and the audits that show whether they are met.",
    ),
}


# The next meetings of each board that priorities report to: in about two weeks, then every four
# weeks.
NEXT_MEETINGS = 3
LIVE = {"Tameside"}  # the authorities whose programme the demo carries on to today (Oldham's ended)
MEETING_NOTE = (
    "Synthetic: the date is made up for the demonstration (the seed documents give no meeting "
    "dates), counted from the day the demo was loaded."
)


def next_meeting_days(on, count: int = NEXT_MEETINGS) -> list:
    """`count` meeting days after `on`: the first working day from two weeks on, and from every
    four weeks after that."""
    days = []
    for number in range(count):
        day = on + timedelta(days=14 + 28 * number)
        while not is_working_day(day):
            day += timedelta(days=1)
        days.append(day)
    return days


def load_governance_demo(seeds: Path, log=print) -> None:
    for name, documents in DEMO_SEEDS.items():
        authority = Authority.objects.get(name=name)
        if Board.objects.in_authority(authority).exists():
            log(f"{name}: boards already loaded")
            continue
        found = []
        for filename, source in documents:
            found += boards_from_text((seeds / filename).read_text(encoding="utf-8"), source)
        with transaction.atomic():
            count, meetings = _write_boards(
                operator_access(authority), found, DEMO_CHARTS.get(name, []), name in LIVE
            )
            _write_obsession(operator_access(authority), DEMO_OBSESSIONS[name])
        log(
            f"{name}: {count} board(s) from the seed documents, {meetings} meeting(s) to come "
            "(synthetic dates), one obsession (demo example)"
        )


def _write_boards(access: Access, found: list[BoardFromText], chart, live: bool) -> tuple[int, int]:
    """The boards, their reporting lines and the priorities reporting to them; with `live`, the
    next meetings of those boards. Returns (boards, meetings)."""
    merged: dict[str, BoardFromText] = {}
    for board in found:
        into = merged.setdefault(board.name, BoardFromText(board.name, quotes=[]))
        into.chair = into.chair or board.chair
        into.reports_to = into.reports_to or board.reports_to
        if board.priorities_frequency is not None:
            into.priorities_frequency = board.priorities_frequency
        into.quotes += board.quotes
    for name, parent in chart:
        into = merged.setdefault(name, BoardFromText(name, quotes=[]))
        into.reports_to = into.reports_to or parent
        into.quotes.append(CHART_SOURCE)
    posts = {post.title.casefold(): post for post in access.scope(Post.objects.all())}
    boards = {}
    for spec in merged.values():
        chair_post = posts.get(spec.chair.casefold())
        boards[spec.name] = services.create_board(
            access,
            name=spec.name,
            chair_post=chair_post,
            chair_text="" if chair_post else spec.chair,
            source="\n\n".join(spec.quotes),
        )
    priorities = list(access.scope(Priority.objects.select_related("plan")))
    meetings = 0
    for spec in merged.values():
        if spec.reports_to:
            services.edit_board(access, boards[spec.name], reports_to=boards[spec.reports_to])
        if spec.priorities_frequency is not None:
            frequencies = dict.fromkeys(priorities, spec.priorities_frequency)
            services.set_priority_reports(access, boards[spec.name], frequencies)
            for day in next_meeting_days(today()) if live else []:
                services.record_meeting(
                    access, boards[spec.name], held_on=day, synthetic_note=MEETING_NOTE
                )
                meetings += 1
    return len(boards), meetings


def _write_obsession(access: Access, demo: tuple[str, list[str], str]) -> None:
    title, refs, why = demo
    actions = list(access.scope(Action.objects.filter(ref__in=refs)))
    measures = list(access.scope(Measure.objects.filter(indicator="remedial_actions_on_time"))[:1])
    starts = today() - timedelta(weeks=2)
    services.set_obsession(
        access, title=title, why=why, starts=starts, actions=actions, measures=measures
    )
