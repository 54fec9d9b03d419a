"""The comparison rules: the neighbours' average, rank among neighbours, national quartile, and
the direction of travel in words that respect polarity (measures/comparison.py, rating.py)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from g2g.measures.comparison import (
    best_first_rank,
    json_number,
    neighbours_average,
    plain,
    quartile,
    quartile_words,
    rank_among,
)
from g2g.measures.rating import Polarity, change_in_words

D = Decimal


def test_the_average_is_of_the_neighbours_with_a_figure_to_one_place_half_up():
    assert neighbours_average([D("10"), None, D("11"), D("11")]) == (D("10.7"), 3)
    assert neighbours_average([D("22.25"), D("22.25")]) == (D("22.3"), 2)
    assert neighbours_average([None, None]) == (None, 0)


@pytest.mark.parametrize(
    ("value", "others", "polarity", "rank"),
    [
        (D(10), [D(8), D(12), D(10)], Polarity.LOWER, 2),  # 8 is better; 10 ties share
        (D(10), [D(8), D(12), D(10)], Polarity.HIGHER, 2),  # 12 is better
        (D(10), [D(8), D(12), None], Polarity.NEITHER, 2),  # highest first
        (D(5), [], Polarity.LOWER, 1),
        (None, [D(1)], Polarity.LOWER, None),
    ],
)
def test_rank_among_neighbours_is_best_first_by_polarity_ties_sharing(
    value, others, polarity, rank
):
    assert rank_among(value, others, polarity) == rank


def test_the_quartile_takes_the_best_first_place():
    assert best_first_rank((3, 150), Polarity.LOWER) == 3
    assert best_first_rank((3, 150), Polarity.HIGHER) == 150
    assert best_first_rank((3, 150), Polarity.NEITHER) == 150  # highest first
    assert [quartile(rank, 8) for rank in range(1, 9)] == [1, 1, 2, 2, 3, 3, 4, 4]
    assert quartile(None, 8) is None
    assert quartile_words(1, Polarity.LOWER) == "Quartile 1 (best quarter of authorities)"
    assert quartile_words(1, Polarity.NEITHER) == "Quartile 1 (highest quarter of authorities)"


@given(st.integers(1, 200), st.data())
def test_a_quartile_is_one_to_four_and_never_falls_as_the_place_improves(count, data):
    rank = data.draw(st.integers(1, count))
    assert 1 <= quartile(rank, count) <= 4
    if rank > 1:
        assert quartile(rank - 1, count) <= quartile(rank, count)


def test_values_come_back_as_published():
    assert str(plain(D("10.4000"))) == "10.4"
    assert str(plain(D("67.0000"))) == "67"
    assert str(plain(D("100"))) == "100"
    assert json_number(D("67.0000")) == 67
    assert isinstance(json_number(D("67.0000")), int)
    assert json_number(D("22.6000")) == 22.6
    assert json_number(None) is None


@pytest.mark.parametrize(
    ("old", "new", "polarity", "words"),
    [
        ("13", "11", Polarity.LOWER, "3+ placements fell from 13% (2024) to 11% (2025): better"),
        ("11", "13", Polarity.LOWER, "3+ placements rose from 11% (2024) to 13% (2025): worse"),
        ("11", "13", Polarity.HIGHER, "3+ placements rose from 11% (2024) to 13% (2025): better"),
        ("11", "11", Polarity.LOWER, "3+ placements stayed at 11% (2024 and 2025): no change"),
        (
            "11",
            "13",
            Polarity.NEITHER,
            "3+ placements rose from 11% (2024) to 13% (2025): neither higher nor lower is better",
        ),
    ],
)
def test_the_direction_of_travel_in_words_respects_polarity(old, new, polarity, words):
    arrow, verdict, sentence = change_in_words(
        "3+ placements", ("2024", D(old)), ("2025", D(new)), "%", polarity
    )
    assert sentence == words
    assert arrow in "↑↓→"
    assert verdict in ("better", "worse", "no change", "higher", "lower")
