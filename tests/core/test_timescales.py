"""Timescale phrases as councils write them, and properties that hold for any text."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from g2g.core.timescales import (
    Timescale,
    looks_like_timescale,
    parse_month,
    parse_timescale,
    split_timescale,
)

pytestmark: list = []  # pure functions: no database

D = date

RANGES = [
    ("Sep 23 – Mar 24", D(2023, 9, 1), D(2024, 3, 31)),
    ("April 2019- Sept 2019", D(2019, 4, 1), D(2019, 9, 30)),
    ("April 2019 – March 2020", D(2019, 4, 1), D(2020, 3, 31)),
    ("April 2019 - March 2020", D(2019, 4, 1), D(2020, 3, 31)),
    ("April 2019 — March 2020", D(2019, 4, 1), D(2020, 3, 31)),
    ("April 2019 to March 2020", D(2019, 4, 1), D(2020, 3, 31)),
    ("April 2019–March 2020", D(2019, 4, 1), D(2020, 3, 31)),
    ("June 19 – Dec 19", D(2019, 6, 1), D(2019, 12, 31)),
    ("June 2019 - March 2020", D(2019, 6, 1), D(2020, 3, 31)),
    ("April – June 2020", D(2020, 4, 1), D(2020, 6, 30)),
    ("Nov – Feb 2020", D(2019, 11, 1), D(2020, 2, 29)),
    ("April 2019- October 2019", D(2019, 4, 1), D(2019, 10, 31)),
    ("2019-2021", D(2019, 1, 1), D(2021, 12, 31)),
    ("2019-21", D(2019, 1, 1), D(2021, 12, 31)),
    ("Q3 2024", D(2024, 7, 1), D(2024, 9, 30)),
    ("Q1 24", D(2024, 1, 1), D(2024, 3, 31)),
    ("Q4 2023", D(2023, 10, 1), D(2023, 12, 31)),
    ("2019/20", D(2019, 4, 1), D(2020, 3, 31)),
    ("01/09/2023 - 31/03/2024", D(2023, 9, 1), D(2024, 3, 31)),
    # quarters of the financial year: Q1 is April to June
    ("Q2 2024/25", D(2024, 7, 1), D(2024, 9, 30)),
    ("Q4 23/24", D(2024, 1, 1), D(2024, 3, 31)),
    ("Q1 2019/20 – Q2 2019/20", D(2019, 4, 1), D(2019, 9, 30)),
    ("Q3 2023/24 - Q1 2024/25", D(2023, 10, 1), D(2024, 6, 30)),
]


@pytest.mark.parametrize(("text", "start", "end"), RANGES, ids=[r[0] for r in RANGES])
def test_ranges_run_from_the_first_day_to_the_last_day(text, start, end):
    timescale = parse_timescale(text)
    assert (timescale.start, timescale.end) == (start, end)
    assert not timescale.ongoing
    assert not timescale.recurring


ONGOING = [
    ("April 2019 – ongoing", D(2019, 4, 1)),
    ("April 2019 - Ongoing", D(2019, 4, 1)),
    ("April 2019- Ongoing", D(2019, 4, 1)),
    ("Sept 2019 – Ongoing", D(2019, 9, 1)),
    ("Sept 2019- ongoing", D(2019, 9, 1)),
    ("April 2019 onwards", D(2019, 4, 1)),
    ("Sep 2019 onwards (ongoing)", D(2019, 9, 1)),
    ("November 2023 (ongoing)", D(2023, 11, 1)),
    ("ongoing", None),
    ("Ongoing", None),
]


@pytest.mark.parametrize(("text", "start"), ONGOING, ids=[o[0] for o in ONGOING])
def test_ongoing_work_has_a_start_and_no_end(text, start):
    assert parse_timescale(text) == Timescale(text, start, None, ongoing=True, recurring=False)


DEADLINES = [
    ("30 Sept 2019", D(2019, 9, 30)),
    ("30th September 2019", D(2019, 9, 30)),
    ("October 2019", D(2019, 10, 31)),
    ("Sept 2020", D(2020, 9, 30)),
    ("Sep 23", D(2023, 9, 30)),
    ("Feb 24", D(2024, 2, 29)),
    ("2020", D(2020, 12, 31)),
    ("by end of September 19", D(2019, 9, 30)),
    ("By the end of March 2020", D(2020, 3, 31)),
    ("end of June 2021", D(2021, 6, 30)),
    ("01/09/2023", D(2023, 9, 1)),
    ("1.9.23", D(2023, 9, 1)),
    ("2023-09-01", D(2023, 9, 1)),
    ("February 2020", D(2020, 2, 29)),
    ("Complete by March 2020", D(2020, 3, 31)),
]


DEADLINES += [
    ("By Q2 2024/25", D(2024, 9, 30)),  # after "by", a quarter's last day is the deadline
    ("By end of Q4 2023", D(2023, 12, 31)),
]


@pytest.mark.parametrize(("text", "end"), DEADLINES, ids=[d[0] for d in DEADLINES])
def test_a_single_date_is_a_deadline(text, end):
    timescale = parse_timescale(text)
    assert (timescale.start, timescale.end) == (None, end)


STARTS = [
    ("From Nov 23", D(2023, 11, 1)),
    ("from November 2023", D(2023, 11, 1)),
    ("Starting April 2024", D(2024, 4, 1)),
    ("Starting from 1 May 2024", D(2024, 5, 1)),
    ("Commencing Q2 2024", D(2024, 4, 1)),
    ("Start in Sept 2019", D(2019, 9, 1)),
    ("From the start of January 2025", D(2025, 1, 1)),
]


@pytest.mark.parametrize(("text", "start"), STARTS, ids=[s[0] for s in STARTS])
def test_a_single_date_written_as_a_start_starts_and_has_no_end(text, start):
    timescale = parse_timescale(text)
    assert (timescale.start, timescale.end) == (start, None)


def test_from_with_a_range_is_the_range():
    timescale = parse_timescale("From April 2019 to March 2020")
    assert (timescale.start, timescale.end) == (D(2019, 4, 1), D(2020, 3, 31))


RECURRING = ["Quarterly updates", "Monthly", "Bi-annually", "Annually", "Termly", "bi-monthly"]


@pytest.mark.parametrize("text", RECURRING)
def test_recurring_work_has_no_dates(text):
    assert parse_timescale(text) == Timescale(text, None, None, ongoing=False, recurring=True)


UNREADABLE = ["February", "April – June", "TBC", "", "Staff may report", "31 Feb 2020", "Q5"]


@pytest.mark.parametrize("text", UNREADABLE, ids=[u or "empty" for u in UNREADABLE])
def test_phrases_without_a_year_or_date_keep_their_text_only(text):
    timescale = parse_timescale(text)
    assert timescale.text == text
    assert (timescale.start, timescale.end) == (None, None)


def test_text_is_kept_but_stripped():
    assert parse_timescale("  Sep 23 \n").text == "Sep 23"


def test_a_reversed_range_keeps_its_deadline():
    assert parse_timescale("Dec 2020 – Jan 2019").start is None
    assert parse_timescale("Dec 2020 – Jan 2019").end == D(2019, 1, 31)


MONTH_CELLS = [
    ("Sep 23", D(2023, 9, 1), D(2023, 9, 30)),
    ("Sept 23", D(2023, 9, 1), D(2023, 9, 30)),
    ("September 2023", D(2023, 9, 1), D(2023, 9, 30)),
    ("Mar 24", D(2024, 3, 1), D(2024, 3, 31)),
    ("30 Sept 2019", D(2019, 9, 30), D(2019, 9, 30)),
    ("01/09/2023", D(2023, 9, 1), D(2023, 9, 1)),
    ("2023-09-01", D(2023, 9, 1), D(2023, 9, 1)),
    ("Q3 2024", D(2024, 7, 1), D(2024, 9, 30)),
    ("2024", D(2024, 1, 1), D(2024, 12, 31)),
    ("Current Post Holders (September 2023)", D(2023, 9, 1), D(2023, 9, 30)),
]


@pytest.mark.parametrize(("text", "start", "end"), MONTH_CELLS, ids=[m[0] for m in MONTH_CELLS])
def test_start_and_end_cells(text, start, end):
    assert parse_month(text, end=False) == start
    assert parse_month(text, end=True) == end


@pytest.mark.parametrize("text", ["", "TBC", "September", "Ongoing"])
def test_cells_without_a_full_date_give_none(text):
    assert parse_month(text, end=False) is None
    assert parse_month(text, end=True) is None


BEGINS_WITH_DATE = [
    "April 2019 – March 2020 • Analysis and critical thinking",
    "30 Sept 2019",
    "April 2019- Ongoing",
    "Sept 2020",
    "2020",
    "February",
    "Quarterly updates",
    "by end of September 19",
    "Q3 2024",
]
NOT_A_DATE = [
    "Director of Children's Social Care",
    'Quarterly "spotlight deep dive clinics" and bi-annually practice weeks lead to change',
    "May be reviewed",
    "Marching on",
    "100% of social workers",
    "",
    "Ongoing audit activity to measure progress and check the plans",
]


@pytest.mark.parametrize("text", BEGINS_WITH_DATE)
def test_cells_that_begin_with_a_timescale(text):
    assert looks_like_timescale(text)


@pytest.mark.parametrize("text", NOT_A_DATE, ids=[n[:30] or "empty" for n in NOT_A_DATE])
def test_cells_that_do_not(text):
    assert not looks_like_timescale(text)


def test_split_timescale_returns_the_glued_on_rest():
    cell = "April 2019 – March 2020 • Analysis and critical thinking in assessments"
    assert split_timescale(cell) == (
        "April 2019 – March 2020",
        "• Analysis and critical thinking in assessments",
    )
    assert split_timescale("Director") == ("", "Director")


@given(st.text())
def test_never_raises_and_keeps_ranges_in_order(text):
    timescale = parse_timescale(text)
    assert timescale.text == text.strip()
    if timescale.start and timescale.end:
        assert timescale.start <= timescale.end
    parse_month(text, end=True)
    parse_month(text, end=False)
    looks_like_timescale(text)


date_words = st.sampled_from(["Sep", "Sept", "September", "Q3", "30", "2019", "19", "ongoing"])
separators = st.sampled_from([" ", " – ", "-", " to ", "/", ".", " — "])


@given(st.lists(st.one_of(date_words, separators, st.integers(0, 3000).map(str)), max_size=8))
def test_date_like_noise_never_raises(parts):
    text = "".join(parts)
    timescale = parse_timescale(text)
    if timescale.start and timescale.end:
        assert timescale.start <= timescale.end


@given(st.dates())
def test_iso_dates_round_trip(day):
    assert parse_timescale(str(day)).end == day
    assert parse_month(str(day), end=False) == day
    assert parse_month(str(day), end=True) == day


@given(st.dates(min_value=date(1000, 1, 1)))
def test_british_dates_round_trip(day):
    assert parse_month(day.strftime("%d/%m/%Y"), end=True) == day


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_month_names_round_trip(day):
    first = day.replace(day=1)
    texts = [day.strftime("%B %Y"), day.strftime("%b %Y")]
    if day.year >= 2000:  # two-digit years are this century
        texts.append(day.strftime("%b %y"))
    for text in texts:
        assert parse_month(text, end=False) == first
        assert parse_month(text, end=True) >= day
    assert parse_month(day.strftime("%d %B %Y"), end=True) == day
