"""Each KPI on a small hand-built list; the expected answer is worked out beside each row.

Snapshot Monday 31 March 2025, so the window is 1 October 2024 to 31 March 2025. English bank
holidays nearby: 25 and 26 December 2024, 1 January 2025."""

from datetime import date, timedelta

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from g2g.annexa.kpis import (
    KPIS,
    Frames,
    KpiResult,
    _count,
    compute_kpis,
    working_days_between,
)
from g2g.core import dates
from g2g.core.dates import months_before
from g2g.measures.indicators import BY_KEY

from .builders import D, typed

SNAPSHOT = D(2025, 3, 31)


def run(key: str, **lists) -> tuple[int, int]:
    frames = {name: typed(name, rows) for name, rows in lists.items()}
    return KPIS[key].compute(Frames(frames, SNAPSHOT))


def test_the_window_is_the_six_months_to_the_snapshot():
    frames = Frames({}, SNAPSHOT)
    assert frames.window_start == D(2024, 10, 1)
    assert months_before(D(2025, 8, 31), 6) == D(2025, 2, 28)


def test_every_kpi_is_keyed_by_a_catalogued_indicator_and_documented():
    required = {
        "contact_conversion",
        "re_referrals_12_months",
        "assessments_45_days",
        "s47_to_icpc",
        "icpc_15_days",
        "cp_second_time",
        "cp_ended_two_years",
        "cla_three_placements",
        "care_leavers_eet",
        "pathway_plans_up_to_date",
        "cp_visits_in_time",
    }
    assert required <= set(KPIS)
    for key, kpi in KPIS.items():
        assert key in BY_KEY
        assert kpi.numerator
        assert kpi.denominator
        assert kpi.window


def test_the_catalogue_says_which_indicators_annex_a_computes():
    """One copy: the catalogue's `annex_a_kpi` flags are exactly the KPIs registered here."""
    assert {key for key, indicator in BY_KEY.items() if indicator.annex_a_kpi} == set(KPIS)


def test_contact_conversion():
    contacts = [
        {"child_id": "X", "contact_date": D(2025, 1, 10)},  # referred the same day: yes
        {"child_id": "Y", "contact_date": D(2025, 1, 10)},  # referred 30 days later: yes
        {"child_id": "Z", "contact_date": D(2025, 1, 10)},  # 31 days later: no
        {"child_id": "W", "contact_date": D(2025, 1, 10)},  # referred the day before: no
        {"child_id": "V", "contact_date": D(2024, 9, 15)},  # before the window: left out
        {"child_id": "U", "contact_date": D(2025, 1, 10)},  # two referrals, one twice: once
    ]
    referrals = [
        {"child_id": "U", "referral_date": D(2025, 1, 12)},
        {"child_id": "U", "referral_date": D(2025, 1, 20)},
        {"child_id": "U", "referral_date": D(2025, 1, 20)},
        {"child_id": "X", "referral_date": D(2025, 1, 10)},
        {"child_id": "Y", "referral_date": D(2025, 2, 9)},
        {"child_id": "Z", "referral_date": D(2025, 2, 10)},
        {"child_id": "W", "referral_date": D(2025, 1, 9)},
        {"child_id": "V", "referral_date": D(2024, 9, 15)},
    ]
    assert run("contact_conversion", contacts=contacts, referrals=referrals) == (3, 5)


def test_re_referrals():
    referrals = [
        {"referral_date": D(2025, 1, 1), "referrals_12_months": 0},  # no
        {"referral_date": D(2025, 1, 2), "referrals_12_months": 1},  # yes
        {"referral_date": D(2025, 1, 3), "referrals_12_months": 3},  # yes
        {"referral_date": D(2025, 1, 4), "referrals_12_months": None},  # unknown: left out
        {"referral_date": D(2024, 9, 30), "referrals_12_months": 2},  # before the window
    ]
    assert run("re_referrals_12_months", referrals=referrals) == (2, 3)


def test_assessments_within_45_working_days_without_bank_holidays():
    assessments = [
        # Mon 6 Jan to Mon 10 Mar: 9 weeks, 45 working days: within.
        {"start_date": D(2025, 1, 6), "authorised_date": D(2025, 3, 10)},
        # One day more, 46: not within.
        {"start_date": D(2025, 1, 6), "authorised_date": D(2025, 3, 11)},
        # Mon 2 Dec to Thu 6 Feb: 48 weekdays less 3 bank holidays = 45: within.
        {"start_date": D(2024, 12, 2), "authorised_date": D(2025, 2, 6)},
        {"start_date": D(2024, 8, 1), "authorised_date": D(2024, 9, 30)},  # before the window
        {"start_date": D(2025, 3, 1), "authorised_date": None},  # still open
        {"start_date": D(2025, 1, 10), "authorised_date": D(2025, 1, 1)},  # ends before start
    ]
    assert run("assessments_45_days", assessments=assessments) == (2, 3)


def test_section_47_to_icpc():
    s47 = [
        {"s47_start_date": D(2025, 1, 6), "icpc_date": D(2025, 1, 20)},  # held: yes
        {"s47_start_date": D(2025, 1, 6), "icpc_unnecessary": "Y"},  # decided against: no
        {"s47_start_date": D(2025, 3, 20)},  # not decided yet: left out
        {"s47_start_date": D(2025, 2, 3), "icpc_date": D(2025, 2, 14)},  # held: yes
        {"s47_start_date": D(2024, 9, 2), "icpc_date": D(2024, 9, 16)},  # before the window
    ]
    assert run("s47_to_icpc", section_47=s47) == (2, 3)


def test_icpc_within_15_working_days():
    s47 = [
        # Mon 3 Mar to Mon 24 Mar: 15 working days: within.
        {"s47_start_date": D(2025, 3, 3), "icpc_date": D(2025, 3, 24)},
        # 16: not within.
        {"s47_start_date": D(2025, 3, 3), "icpc_date": D(2025, 3, 25)},
        # Fri 20 Dec to Mon 13 Jan: 16 weekdays less 3 bank holidays = 13: within.
        {"s47_start_date": D(2024, 12, 20), "icpc_date": D(2025, 1, 13)},
        {"s47_start_date": D(2025, 2, 10), "icpc_date": D(2025, 2, 7)},  # before its enquiry
        {"s47_start_date": D(2024, 9, 2), "icpc_date": D(2024, 9, 16)},  # before the window
    ]
    assert run("icpc_15_days", section_47=s47) == (2, 3)


def test_plans_for_a_second_or_subsequent_time():
    plans = [
        {"start_date": D(2025, 1, 1), "previous_plans": 0},
        {"start_date": D(2025, 1, 2), "previous_plans": 1},
        {"start_date": D(2025, 1, 3), "previous_plans": 2},
        {"start_date": D(2025, 1, 4), "previous_plans": None},  # unknown: left out
        {"start_date": D(2024, 6, 1), "previous_plans": 1},  # started before the window
    ]
    assert run("cp_second_time", child_protection=plans) == (2, 3)


def test_plans_lasting_two_years_or_more():
    plans = [
        {"start_date": D(2023, 1, 15), "end_date": D(2025, 1, 15)},  # exactly 2 years: yes
        {"start_date": D(2023, 1, 16), "end_date": D(2025, 1, 15)},  # a day short: no
        {"start_date": D(2022, 6, 1), "end_date": D(2025, 2, 1)},  # yes
        {"start_date": D(2022, 6, 1), "end_date": D(2024, 9, 1)},  # ended before the window
        {"start_date": D(2022, 6, 1), "end_date": None},  # still open
    ]
    assert run("cp_ended_two_years", child_protection=plans) == (2, 3)


def test_children_on_plans_visited_in_time():
    plans = [
        # Visited Mon 17 Mar: 10 working days to Mon 31 Mar: in time.
        {"start_date": D(2024, 11, 1), "last_visit_date": D(2025, 3, 17)},
        # Visited Fri 14 Mar: 11: late.
        {"start_date": D(2024, 11, 1), "last_visit_date": D(2025, 3, 14)},
        # Not visited yet, started Mon 24 Mar (5 working days ago): not yet due.
        {"start_date": D(2025, 3, 24), "last_visit_date": None},
        # Not visited, started in January: late.
        {"start_date": D(2025, 1, 6), "last_visit_date": None},
        # Ended before the snapshot: not open.
        {"start_date": D(2024, 11, 1), "end_date": D(2025, 3, 1), "last_visit_date": None},
        # Ends after the snapshot, so open; visited Fri 28 Mar: in time.
        {
            "start_date": D(2024, 11, 1),
            "end_date": D(2025, 4, 15),
            "last_visit_date": D(2025, 3, 28),
        },
    ]
    assert run("cp_visits_in_time", child_protection=plans) == (3, 5)


def test_children_in_care_with_three_placements():
    rows = [
        {"child_id": "A", "start_date": D(2023, 1, 1), "placements_12_months": 1},
        {"child_id": "A", "start_date": D(2024, 1, 1), "placements_12_months": 3},  # A: 3, yes
        {"child_id": "B", "start_date": D(2023, 1, 1), "placements_12_months": 2},  # no
        {
            "child_id": "C",
            "start_date": D(2023, 1, 1),
            "placements_12_months": 4,
            "ceased_date": D(2025, 2, 1),
        },  # left care: not counted
        {"child_id": "D", "start_date": D(2025, 4, 2), "placements_12_months": 3},  # not yet
        {
            "child_id": "E",
            "start_date": D(2023, 1, 1),
            "placements_12_months": 5,
            "ceased_date": D(2025, 4, 10),
        },  # in care on the snapshot: yes
    ]
    assert run("cla_three_placements", children_in_care=rows) == (2, 3)


LEAVERS = [
    # 20 on the snapshot (birthday that day); full-time training: EET, suitable.
    {"child_id": "A", "birth_date": D(2005, 3, 31), "activity": "F3", "suitability": "SUITABLE"},
    # 18 (birthday tomorrow): not in the 19-21 cohort.
    {"child_id": "B", "birth_date": D(2006, 4, 1), "activity": "F1", "suitability": "SUITABLE"},
    # 20; not in education, employment or training; unsuitable.
    {"child_id": "C", "birth_date": D(2004, 4, 1), "activity": "G5", "suitability": "UNSUITABLE"},
    # 22: too old.
    {"child_id": "D", "birth_date": D(2003, 3, 31), "activity": "F3", "suitability": "SUITABLE"},
    # 21; no information: counted, as neither.
    {"child_id": "E", "birth_date": D(2003, 4, 1), "activity": None, "suitability": None},
    # No date of birth, age column 19; part-time higher education: EET, suitable.
    {"child_id": "F", "age": 19, "activity": "P1", "suitability": "SUITABLE"},
    # No age at all: left out.
    {"child_id": "G", "activity": "F1", "suitability": "SUITABLE"},
]


def test_care_leavers_in_education_employment_or_training():
    assert run("care_leavers_eet", care_leavers=LEAVERS) == (2, 4)


def test_care_leavers_in_suitable_accommodation():
    assert run("care_leavers_accommodation", care_leavers=LEAVERS) == (2, 4)


def test_pathway_plans_up_to_date():
    leavers = [
        {"child_id": "A", "pathway_review_date": D(2025, 3, 31)},  # yes
        {"child_id": "B", "pathway_review_date": D(2024, 10, 1)},  # yes: first day in window
        {"child_id": "C", "pathway_review_date": D(2024, 9, 30)},  # too old
        {"child_id": "D", "pathway_review_date": None},  # never reviewed
        {"child_id": "E", "pathway_review_date": D(2025, 4, 2)},  # after the snapshot: no
        {"child_id": "A", "pathway_review_date": D(2024, 1, 1)},  # A again: counted once
    ]
    assert run("pathway_plans_up_to_date", care_leavers=leavers) == (2, 5)


def test_a_kpi_needs_its_lists_and_a_denominator():
    results = compute_kpis({"referrals": typed("referrals", [])}, SNAPSHOT)
    assert "contact_conversion" not in results  # no List 1
    assert results["re_referrals_12_months"] == KpiResult("re_referrals_12_months", 0, 0)
    assert results["re_referrals_12_months"].value is None


@pytest.mark.parametrize(
    ("numerator", "denominator", "value"),
    [(2, 3, "66.7"), (1, 8, "12.5"), (1, 16, "6.3"), (0, 5, "0.0"), (5, 5, "100.0")],
)
def test_values_are_percentages_to_one_place(numerator, denominator, value):
    assert str(KpiResult("x", numerator, denominator).value) == value


@given(
    start=st.dates(date(2015, 1, 1), date(2035, 12, 31)),
    length=st.integers(-400, 400),
)
def test_the_column_count_of_working_days_is_the_projects_rule(start, length):
    import polars as pl

    end = start + timedelta(days=length)
    frame = pl.DataFrame({"start": [start], "end": [end]})
    years = range(min(start, end).year, max(start, end).year + 1)
    counted = frame.select(working_days_between(pl.col("start"), pl.col("end"), years)).item()
    assert counted == dates.working_days_between(start, end)


def test_working_days_are_counted_with_the_holidays_of_the_window_and_the_year_before():
    """Every timescale counted ends in the window or on the snapshot: one that starts before
    the year before the window's is counted without its holidays, so counted as longer than it
    is, and is over every limit here either way."""
    import polars as pl

    frames = Frames({}, SNAPSHOT)
    assert frames.years == range(2023, 2026)
    for start, end in [(D(2023, 1, 3), D(2025, 3, 31)), (D(2024, 12, 20), D(2025, 1, 10))]:
        counted = pl.select(frames.working_days(start, end)).item()
        assert counted == dates.working_days_between(start, end)
    long_ago = pl.select(frames.working_days(D(2019, 1, 7), D(2024, 10, 1))).item()
    assert long_ago >= dates.working_days_between(D(2019, 1, 7), D(2024, 10, 1)) > 45


@given(
    rows=st.lists(
        st.tuples(st.sampled_from([True, False, None]), st.sampled_from([True, False, None])),
        max_size=12,
    )
)
def test_a_count_is_rows_where_the_denominator_holds_and_of_those_the_numerator(rows):
    """`_count` counts in one query; it gives what filtering by the denominator and then the
    numerator gives, a null holding neither."""
    frame = pl.DataFrame(rows, schema={"num": pl.Boolean, "den": pl.Boolean}, orient="row")
    counted = frame.filter(pl.col("den"))
    expected = (counted.filter(pl.col("num")).height, counted.height)
    assert _count(frame, pl.col("num"), pl.col("den")) == expected
    everyone = (frame.filter(pl.col("num")).height, frame.height)
    assert _count(frame, pl.col("num"), pl.lit(True)) == everyone
