"""The rule that rates a measure for a month, the trajectory read from a plan's milestones, and
the words that explain both."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from g2g.core.dates import month_end
from g2g.measures.rating import (
    Assessment,
    Milestone,
    Polarity,
    assess,
    direction_of_travel,
    expected_value,
    format_number,
    parse_milestones,
)

pytestmark: list = []  # pure functions: no database

D = Decimal
HIGHER, LOWER, NEITHER = Polarity.HIGHER, Polarity.LOWER, Polarity.NEITHER
RANK = {"red": 0, "amber": 1, "green": 2}  # worse to better

OLDHAM = (
    "Baseline audits of assessments for CIN, CP and CLA are judged Good or Outstanding: "
    "55% by October 2019 70% by June 2020 85% by Sept 2020"
)
AUTUMN_2019 = Milestone(date(2019, 10, 31), D(55))
SUMMER_2020 = Milestone(date(2020, 6, 30), D(70))


# ---------------------------------------------------------------------------------------------
# assess: the rule


T = "the 70% trajectory"
NOT_RATED = "Not rated: neither higher nor lower is better"


def case(name, value, polarity, rating, words, expected="70"):
    """One row of the rule: a value against a 70% trajectory unless told otherwise."""
    return pytest.param(value, expected, polarity, rating, words, id=name)


RULE = [
    # Higher is better.
    case("higher-better", "71.5", HIGHER, "green", f"1.5 points above {T}"),
    case("higher-on-trajectory", "70", HIGHER, "green", f"On {T}"),
    case("higher-within-tolerance", "65.7", HIGHER, "amber", f"4.3 points below {T}"),
    case("higher-at-tolerance", "65", HIGHER, "amber", f"5 points below {T}"),
    case("higher-beyond-tolerance", "64.9", HIGHER, "red", f"5.1 points below {T}"),
    case("higher-missing-value", None, HIGHER, "", "No value for this period"),
    case("higher-missing-target", "64", HIGHER, "", "No target for this period", expected=None),
    # Lower is better: above the trajectory is worse.
    case("lower-better", "66", LOWER, "green", f"4 points below {T}"),
    case("lower-on-trajectory", "70", LOWER, "green", f"On {T}"),
    case("lower-within-tolerance", "72", LOWER, "amber", f"2 points above {T}"),
    case("lower-at-tolerance", "75", LOWER, "amber", f"5 points above {T}"),
    case("lower-beyond-tolerance", "80", LOWER, "red", f"10 points above {T}"),
    case("lower-missing-value", None, LOWER, "", "No value for this period"),
    case("lower-missing-target", "80", LOWER, "", "No target for this period", expected=None),
    # Neither direction is better: never rated, however far off.
    case("neither-above", "90", NEITHER, "", NOT_RATED),
    case("neither-on-trajectory", "70", NEITHER, "", NOT_RATED),
    case("neither-below", "50", NEITHER, "", NOT_RATED),
    case("neither-missing-value", None, NEITHER, "", "No value for this period"),
    case("neither-missing-target", "50", NEITHER, "", "No target for this period", expected=None),
]


@pytest.mark.parametrize(("value", "expected", "polarity", "rating", "words"), RULE)
def test_rule(value, expected, polarity, rating, words):
    value = None if value is None else D(value)
    expected = None if expected is None else D(expected)

    result = assess(value, expected, polarity)

    assert (result.rating, result.words) == (rating, words)
    assert result.target == expected
    assert result.gap == (None if value is None or expected is None else value - expected)


def test_blue_is_never_given_to_a_measure():
    far_better = assess(D(100), D(10), HIGHER)
    assert far_better.rating == "green"


def test_the_tolerance_is_in_the_units_points():
    assert assess(D(62), D(70), HIGHER, tolerance=D(10)).rating == "amber"
    assert assess(D(69), D(70), HIGHER, tolerance=D(0)).rating == "red"


def test_lower_is_better_in_days():
    assert assess(D(22), D(20), LOWER, unit="days") == Assessment(
        "amber", D(2), "2 days above the 20 days trajectory", D(20)
    )


# ---------------------------------------------------------------------------------------------
# Words and numbers


@pytest.mark.parametrize(
    ("value", "expected", "unit", "words"),
    [
        pytest.param("65.7", "70", "%", "4.3 points below the 70% trajectory", id="percent"),
        pytest.param("71", "70", "%", "1 point above the 70% trajectory", id="percent-one-point"),
        pytest.param("22", "20", "days", "2 days above the 20 days trajectory", id="days"),
        pytest.param("19", "20", "days", "1 day below the 20 days trajectory", id="days-one-day"),
        pytest.param("28", "40", "count", "12 below the 40 trajectory", id="count"),
        pytest.param(
            "48.7",
            "45.2",
            "rate per 10,000",
            "3.5 per 10,000 above the 45.2 per 10,000 trajectory",
            id="rate",
        ),
        pytest.param("3", "5", "weeks", "2 weeks below the 5 weeks trajectory", id="other-unit"),
        pytest.param(
            "70.04", "70", "%", "Less than 0.1 points above the 70% trajectory", id="tiny-gap"
        ),
        pytest.param(
            "62.4",
            "62.46913580246913580246913580",
            "%",
            "0.1 points below the 62.5% trajectory",
            id="interpolated",
        ),
        pytest.param("1300", "1234.56", "count", "65.4 above the 1,234.6 trajectory", id="big"),
    ],
)
def test_words_for_each_unit(value, expected, unit, words):
    assert assess(D(value), D(expected), HIGHER, unit=unit).words == words


@pytest.mark.parametrize(
    ("number", "written"),
    [
        ("70", "70"),
        ("70.00", "70"),
        ("4.30", "4.3"),
        ("4.25", "4.3"),  # half up
        ("-4.25", "-4.3"),
        ("-0.04", "0"),  # never "-0"
        ("1234567.8", "1,234,567.8"),
        ("1E+3", "1,000"),
        ("1E+20", "1.0E+20"),
    ],
)
def test_format_number(number, written):
    assert format_number(D(number)) == written


# ---------------------------------------------------------------------------------------------
# Milestones in plans' words


def test_oldhams_evidence_of_success():
    assert parse_milestones(OLDHAM) == [
        AUTUMN_2019,
        SUMMER_2020,
        Milestone(date(2020, 9, 30), D(85)),
    ]


@pytest.mark.parametrize(
    ("text", "due", "value"),
    [
        ("60% by Oct 2019", date(2019, 10, 31), "60"),
        ("60% by Sept 2020", date(2020, 9, 30), "60"),
        ("60% by Sept. 2020", date(2020, 9, 30), "60"),
        ("60% by September 2020", date(2020, 9, 30), "60"),
        ("60% by Sep 2020", date(2020, 9, 30), "60"),
        ("60% by January 2020", date(2020, 1, 31), "60"),
        ("60% by February 2024", date(2024, 2, 29), "60"),
        ("60 % BY JUNE 2020", date(2020, 6, 30), "60"),
        ("12.5% by the end of March 2021", date(2021, 3, 31), "12.5"),
        ("fewer than 1,200 by end of March 2021", date(2021, 3, 31), "1200"),
        ("visits within 10 days by May 2021", date(2021, 5, 31), "10"),
        ("55 per cent by October 2019", date(2019, 10, 31), "55"),
    ],
)
def test_milestone_phrases(text, due, value):
    assert parse_milestones(text) == [Milestone(due, D(value))]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Improve timeliness of assessments",
        "70% in June 2020",  # not "by"
        "70% by June 30, 2020",  # a day, not a two-digit year
        "70% by Junetide 2020",
        "70% by June 20200",
        "70% by June 0000",
        "v2.70% by June 2020",
    ],
)
def test_text_without_milestones(text):
    assert parse_milestones(text) == []


def test_milestones_are_sorted_and_not_repeated():
    text = "85% by Sept 2020; 55% by October 2019; again, 55% by Oct 2019"
    assert parse_milestones(text) == [AUTUMN_2019, Milestone(date(2020, 9, 30), D(85))]


@given(st.text())
def test_any_text_parses_without_raising(text):
    milestones = parse_milestones(text)
    assert milestones == sorted(milestones)


phrase_parts = st.sampled_from(
    ["by", "%", " ", "Sept", "June", "end of", "the", "0000", "2020", "99", "1,000", ".5", ","]
)


@given(st.lists(st.one_of(phrase_parts, st.integers(0, 99999).map(str)), max_size=10))
def test_phrase_like_text_parses_without_raising(parts):
    for milestone in parse_milestones(" ".join(parts)):
        assert milestone.due == month_end(milestone.due)


# ---------------------------------------------------------------------------------------------
# The trajectory for a month


def test_between_milestones_by_day_counts():
    # End of February 2020 is 30 + 31 + 31 + 29 = 121 days after 31 October 2019, and the two
    # milestones are 121 + 31 + 30 + 31 + 30 = 243 days apart.
    by_hand = D(55) + (D(70) - D(55)) * D(121) / D(243)

    expected = expected_value([SUMMER_2020, AUTUMN_2019], date(2020, 2, 1))

    assert expected == by_hand
    assert round(expected, 2) == D("62.47")


def test_any_day_of_the_month_is_compared_at_month_end():
    milestones = [AUTUMN_2019, SUMMER_2020]
    assert expected_value(milestones, date(2020, 2, 17)) == expected_value(
        milestones, date(2020, 2, 1)
    )


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        pytest.param(date(2019, 10, 1), D(55), id="first-milestone-month"),
        pytest.param(date(2020, 6, 1), D(70), id="second-milestone-month"),
        pytest.param(date(2021, 1, 1), D(70), id="after-the-last"),
        pytest.param(date(2019, 9, 1), None, id="before-the-first"),
    ],
)
def test_at_and_beyond_the_milestones(period, expected):
    assert expected_value([AUTUMN_2019, SUMMER_2020], period) == expected


def test_before_the_first_milestone_from_the_baseline():
    # End of July 2019 is 31 + 30 + 31 = 92 days after the baseline on 30 April 2019, which is
    # 92 + 31 + 30 + 31 = 184 days before the first milestone: halfway from 40 to 55.
    baseline = Milestone(date(2019, 4, 30), D(40))

    assert expected_value([AUTUMN_2019], date(2019, 7, 1), baseline=baseline) == D("47.5")
    assert expected_value([AUTUMN_2019], date(2019, 4, 1), baseline=baseline) == D(40)
    assert expected_value([AUTUMN_2019], date(2019, 3, 1), baseline=baseline) is None


def test_no_milestones_no_trajectory():
    baseline = Milestone(date(2019, 4, 30), D(40))
    assert expected_value([], date(2020, 1, 1), baseline=baseline) is None


finite = st.decimals(allow_nan=False, allow_infinity=False)
milestones = st.builds(Milestone, st.dates(date(2000, 1, 1), date(2040, 12, 31)), finite)


@given(st.lists(milestones, min_size=1, max_size=6), st.dates(date(1999, 1, 1), date(2041, 1, 1)))
def test_expected_value_stays_between_neighbouring_milestones(milestones, period):
    at = month_end(period)
    ordered = sorted(milestones)
    before = [m.value for m in ordered if m.due <= at]
    after = [m.value for m in ordered if m.due >= at]

    expected = expected_value(milestones, period)

    if not before:
        assert expected is None
    elif not after:
        assert expected == ordered[-1].value
    else:
        assert min(before[-1], after[0]) <= expected <= max(before[-1], after[0])


# ---------------------------------------------------------------------------------------------
# Properties of the rule


units = st.sampled_from(["%", "days", "count", "rate per 10,000", "", "weeks"])


@given(st.none() | finite, st.none() | finite, st.sampled_from(Polarity), units, finite)
def test_assess_never_raises(value, expected, polarity, unit, tolerance):
    result = assess(value, expected, polarity, unit=unit, tolerance=tolerance)
    assert result.rating in {"", "green", "amber", "red"}
    assert result.words


@given(finite, finite, finite, st.sampled_from([HIGHER, LOWER]), finite.map(abs))
def test_a_better_value_never_gets_a_worse_rating(one, other, expected, polarity, tolerance):
    worse, better = sorted([one, other], reverse=polarity == LOWER)

    worse_rating = assess(worse, expected, polarity, tolerance=tolerance).rating
    better_rating = assess(better, expected, polarity, tolerance=tolerance).rating

    assert RANK[better_rating] >= RANK[worse_rating]


# ---------------------------------------------------------------------------------------------
# Direction of travel


@pytest.mark.parametrize(
    ("values", "polarity", "direction"),
    [
        pytest.param(["60", "62"], HIGHER, ("↑", "improving"), id="higher-up"),
        pytest.param(["62", "60"], HIGHER, ("↓", "worse than last month"), id="higher-down"),
        pytest.param(["20", "18"], LOWER, ("↓", "improving"), id="lower-down"),
        pytest.param(["18", "20"], LOWER, ("↑", "worse than last month"), id="lower-up"),
        pytest.param(["60", "60"], HIGHER, ("→", "no change"), id="no-change"),
        pytest.param(["60", "62"], NEITHER, ("↑", "higher than last month"), id="neither-up"),
        pytest.param(["62", "60"], NEITHER, ("↓", "lower than last month"), id="neither-down"),
        pytest.param(["60", None, "62", None], HIGHER, ("↑", "improving"), id="skips-gaps"),
        pytest.param(["70", "60", "62"], HIGHER, ("↑", "improving"), id="last-two-only"),
        pytest.param(["60"], HIGHER, ("", "not enough data"), id="one-value"),
        pytest.param([None, "60", None], LOWER, ("", "not enough data"), id="one-known"),
        pytest.param([], NEITHER, ("", "not enough data"), id="none"),
    ],
)
def test_direction_of_travel(values, polarity, direction):
    values = [None if value is None else D(value) for value in values]
    assert direction_of_travel(values, polarity) == direction


def test_polarity_may_be_given_as_its_stored_string():
    assert assess(D(60), D(70), "higher").rating == "red"  # type: ignore[arg-type]
    assert direction_of_travel([D(20), D(18)], "lower") == ("↓", "improving")  # type: ignore[arg-type]
