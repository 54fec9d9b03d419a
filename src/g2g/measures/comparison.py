"""How an authority compares: its published figures beside its statistical neighbours' average,
its region and England, year by year, with its rank among its neighbours and its national
quartile. The one home of these rules; the "how we compare" pages, `g2g published_figures`, the
API, the CSV feeds and the measures' published comparators all read them from here.

The rules (docs/published-figures.md says the same):

* Values are as published (`PublishedFigure.value`); a suppressed cell has no value.
* Neighbours are the current model's ten (the 2025 model once loaded; `tenancy.models`).
* The neighbours' average is the mean of the neighbours that have a value that year, to one
  decimal place (half up); `sn_count` says how many that is (state it when fewer than 10).
* Rank among neighbours: among the authority and its neighbours with a value that year, 1 is
  the best by the indicator's polarity; equal values share the better rank. For an indicator
  where neither direction is better, 1 is the highest value.
* National quartile: among all authorities with a value that year, quartile 1 is the best
  quarter by polarity (the highest quarter when neither is better): quartile = ⌈4 × rank ÷ n⌉,
  where rank is the authority's place, best first, equal values sharing the better place.

Every read here takes a fixed number of queries, whatever the number of indicators or years.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property

from g2g.tenancy.models import Authority, neighbour_lists
from g2g.tenancy.reference import REGIONS

from .charts import DRAWING_VERSION, Series, chart_summary, chart_table_rows, trend_chart_svg
from .indicators import AREAS, BY_KEY, FRAMEWORK, PUBLISHED, Area, Indicator
from .models import PublishedFigure
from .published_files import ENGLAND, SYMBOLS
from .rating import Polarity, change_in_words
from .scorecard import Chart, cached

REGION_CODES = {name: code for code, (_short, name) in REGIONS.items()}
ONE_PLACE = Decimal("0.1")
QUARTERS = 4


# ---------------------------------------------------------------------------------------------
# The rules


def neighbours_average(values: Iterable[Decimal | None]) -> tuple[Decimal | None, int]:
    """The mean of the values given (None is no value), to one decimal place, and how many."""
    known = [value for value in values if value is not None]
    if not known:
        return None, 0
    mean = sum(known, Decimal(0)) / len(known)
    return mean.quantize(ONE_PLACE, rounding=ROUND_HALF_UP), len(known)


def rank_among(
    value: Decimal | None, others: Iterable[Decimal | None], polarity: str
) -> int | None:
    """1 + how many of `others` are better than `value` (higher, unless lower is better)."""
    if value is None:
        return None
    if polarity == Polarity.LOWER:
        return 1 + sum(other is not None and other < value for other in others)
    return 1 + sum(other is not None and other > value for other in others)


def best_first_rank(figure_ranks: tuple[int | None, int | None], polarity: str) -> int | None:
    """The place, best first, from a figure's (rank_low, rank_high)."""
    rank_low, rank_high = figure_ranks
    return rank_low if polarity == Polarity.LOWER else rank_high


def quartile(rank: int | None, count: int | None) -> int | None:
    """⌈4 × rank ÷ count⌉: quartile 1 holds the best quarter."""
    if not rank or not count:
        return None
    return min(QUARTERS, -(-QUARTERS * rank // count))


def quartile_words(number: int | None, polarity: str) -> str:
    if number is None:
        return "Not ranked"
    if polarity == Polarity.NEITHER:
        which = {1: "highest", 4: "lowest"}.get(number, "middle")
        return f"Quartile {number} ({which} quarter of authorities)"
    which = {1: "best", 2: "second best", 3: "second worst", 4: "worst"}[number]
    return f"Quartile {number} ({which} quarter of authorities)"


def ordinal(number: int) -> str:
    suffix = (
        "th" if 11 <= number % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def plain(value: Decimal | None) -> Decimal | None:
    """The value as published: no trailing zeros from storage ("10.4000" -> 10.4, "67" -> 67)."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def json_number(value: Decimal | None) -> int | float | None:
    """A number for JSON: an integer when the figure is whole, else the decimal as written."""
    value = plain(value)
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(str(value))


# ---------------------------------------------------------------------------------------------
# One indicator's years


@dataclass(frozen=True)
class Year:
    """One year of an indicator for an authority, with its comparators."""

    year: int
    value: Decimal | None
    published: bool  # the authority has a row in the file that year
    suppression: str  # DfE's symbol when there is no value ("" when blank or not published)
    note: str
    sn_average: Decimal | None
    sn_count: int
    neighbours: int  # how many neighbours the authority has
    region: Decimal | None
    england: Decimal | None
    rank_in_neighbours: int | None
    ranked_in_neighbours: int
    national_quartile: int | None
    ranked_nationally: int | None

    @property
    def suppressed(self) -> bool:
        return self.published and self.value is None

    @property
    def suppression_words(self) -> str:
        if not self.published:
            return "not published"
        return SYMBOLS.get(self.suppression, self.suppression)

    def as_json(self) -> dict:
        return {
            "year": self.year,
            "value": json_number(self.value),
            "suppressed": self.suppressed,
            "suppression": self.suppression if self.suppressed else None,
            "published": self.published,
            "sn_average": json_number(self.sn_average),
            "sn_count": self.sn_count,
            "region": json_number(self.region),
            "england": json_number(self.england),
            "rank_in_neighbours": self.rank_in_neighbours,
            "ranked_in_neighbours": self.ranked_in_neighbours,
            "national_quartile": self.national_quartile,
            "ranked_nationally": self.ranked_nationally,
        }


@dataclass
class IndicatorComparison:
    indicator: Indicator
    years: list[Year]  # oldest first
    authority_name: str
    region_name: str
    chart_key: str = ""

    @property
    def polarity(self) -> str:
        return self.indicator.polarity

    @cached_property
    def latest(self) -> Year | None:
        """The latest year the authority has a row for."""
        return next((year for year in reversed(self.years) if year.published), None)

    @cached_property
    def change(self) -> tuple[str, str, str] | None:
        """(arrow, verdict, sentence) from the year before the latest to the latest, when both
        have a value."""
        latest = self.latest
        if latest is None or latest.value is None:
            return None
        earlier = [y for y in self.years if y.year < latest.year and y.published]
        if not earlier or earlier[-1].value is None:
            return None
        before = earlier[-1]
        return change_in_words(
            self.indicator.subject,
            (str(before.year), plain(before.value)),
            (str(latest.year), plain(latest.value)),
            self.indicator.unit,
            Polarity(self.indicator.polarity),
        )

    @property
    def first_year(self) -> int | None:
        return next((year.year for year in self.years if year.published), None)

    def series(self) -> list[Series]:
        month = self.indicator.month

        def points(getter) -> list[tuple[date, Decimal | None]]:
            return [(date(year.year, month, 1), plain(getter(year))) for year in self.years]

        return [
            Series(self.authority_name, points(lambda y: y.value)),
            Series("Statistical neighbours' average", points(lambda y: y.sn_average), "comparator"),
            Series(self.region_name or "Region", points(lambda y: y.region), "comparator"),
            Series("England", points(lambda y: y.england), "comparator"),
        ]

    def chart(self, size: tuple[int, int] = (640, 320), suffix: str = "") -> Chart:
        """The trend since the first published year, with a summary and the figures as a
        table. Drawn once for what it shows, then cached."""
        name, unit, series = self.indicator.name, self.indicator.unit, self.series()
        width, height = size
        drawing = (DRAWING_VERSION, name, unit, series, width, height)
        key = "published-chart:" + hashlib.sha256(repr(drawing).encode()).hexdigest()
        chart_id = f"published-{self.indicator.key.replace('_', '-')}{suffix}"
        svg = cached(
            key,
            lambda: trend_chart_svg(
                name,
                unit,
                series,
                width_px=width,
                height_px=height,
                chart_id=chart_id,
                yearly=True,
            ),
        )
        headers, rows = chart_table_rows(series, yearly=True)
        return Chart(svg, chart_summary(name, unit, series, yearly=True), headers, rows)

    def cache_key(self, *context) -> str:
        """A key naming everything a rendering of this indicator shows (its figures, the
        authority's name and region, and `context`), so a cached rendering is reused only while
        it would be drawn the same."""
        shown = (self.indicator.key, self.authority_name, self.region_name, self.years, context)
        return hashlib.sha256(repr(shown).encode()).hexdigest()

    @cached_property
    def card_chart(self) -> Chart:
        """The chart on the "how we compare" page: smaller, scaling down on a phone."""
        return self.chart((560, 260), "-card")

    @cached_property
    def large_chart(self) -> Chart:
        return self.chart()

    def as_json(self) -> dict:
        indicator = self.indicator
        return {
            "indicator": indicator.key,
            "name": indicator.name,
            "unit": indicator.unit,
            "polarity": indicator.polarity,
            "framework_area": indicator.framework_area.value if indicator.framework_area else None,
            "source": indicator.source_words,
            "calculated": indicator.calculated is not None,
            "series": [year.as_json() for year in self.years],
        }


@dataclass
class Comparison:
    """An authority's published indicators beside its comparators (`compare`)."""

    authority: Authority
    region_name: str
    neighbour_model: str  # its label
    neighbours: list[Authority]
    indicators: list[IndicatorComparison] = field(default_factory=list)

    def by_area(self) -> list[tuple[Area, list[IndicatorComparison]]]:
        found = defaultdict(list)
        for comparison in self.indicators:
            found[comparison.indicator.framework_area].append(comparison)
        return [(area, found.get(area.key, [])) for area in FRAMEWORK]

    def get(self, key: str) -> IndicatorComparison | None:
        return next((c for c in self.indicators if c.indicator.key == key), None)

    @property
    def latest_year(self) -> int | None:
        years = [c.latest.year for c in self.indicators if c.latest]
        return max(years) if years else None


# ---------------------------------------------------------------------------------------------
# Reads


def region_code(authority: Authority) -> str:
    return REGION_CODES.get(authority.region, "")


def compare(authority: Authority, keys: Sequence[str] | None = None) -> Comparison:
    """Every published indicator (or those named) for `authority`, year by year, beside its
    neighbours' average, its region and England. Two queries, whatever the number of
    indicators: the neighbour lists, and the figures of those areas."""
    indicators = [BY_KEY[key] for key in keys] if keys is not None else PUBLISHED
    lists = neighbour_lists(authority)
    neighbours = lists.current
    region = region_code(authority)
    codes = [authority.la_number, region, ENGLAND, *(n.la_number for n in neighbours)]
    rows = PublishedFigure.objects.filter(
        area_code__in=[code for code in codes if code],
        indicator__in=[indicator.key for indicator in indicators],
    ).values_list(
        "indicator",
        "area_code",
        "year",
        "value",
        "suppression",
        "note",
        "rank_low",
        "rank_high",
        "ranked",
    )
    found: dict[str, dict[str, dict[int, tuple]]] = defaultdict(lambda: defaultdict(dict))
    for indicator, code, year, *rest in rows:
        found[indicator][code][year] = rest
    comparison = Comparison(authority, authority.region, lists.current_label, neighbours)
    neighbour_codes = [n.la_number for n in neighbours]
    for indicator in indicators:
        by_area = found.get(indicator.key, {})
        years = _years(indicator, by_area, authority.la_number, neighbour_codes, region)
        if years:
            comparison.indicators.append(
                IndicatorComparison(indicator, years, authority.name, authority.region)
            )
    return comparison


def _years(
    indicator: Indicator,
    by_area: dict[str, dict[int, tuple]],
    own: str,
    neighbours: list[str],
    region: str,
) -> list[Year]:
    """One `Year` for each year England or the authority has a figure, oldest first."""
    mine = by_area.get(own, {})
    years = sorted(set(by_area.get(ENGLAND, {})) | set(mine))
    polarity = indicator.polarity

    def value(code: str, year: int) -> Decimal | None:
        row = by_area.get(code, {}).get(year)
        return row[0] if row else None

    result = []
    for year in years:
        row = mine.get(year)
        own_value = row[0] if row else None
        theirs = [value(code, year) for code in neighbours]
        average, count = neighbours_average(theirs)
        with_value = [v for v in theirs if v is not None]
        national = best_first_rank((row[3], row[4]), polarity) if row else None
        result.append(
            Year(
                year=year,
                value=own_value,
                published=row is not None,
                suppression=row[1] if row else "",
                note=row[2] if row else "",
                sn_average=average,
                sn_count=count,
                neighbours=len(neighbours),
                region=value(region, year) if region else None,
                england=value(ENGLAND, year),
                rank_in_neighbours=rank_among(own_value, with_value, polarity),
                ranked_in_neighbours=len(with_value) + (own_value is not None),
                national_quartile=quartile(national, row[5] if row else None),
                ranked_nationally=row[5] if row else None,
            )
        )
    return result


def indicator_series(authority: Authority, key: str) -> IndicatorComparison:
    """One indicator for `authority`, every year (none when nothing is loaded)."""
    found = compare(authority, [key]).get(key)
    return found or IndicatorComparison(BY_KEY[key], [], authority.name, authority.region)


def neighbours_as_json(authority: Authority) -> dict:
    """The current model's neighbours: {"model", "neighbours": [{"rank", "code", "name",
    "closeness"}]}."""
    lists = neighbour_lists(authority)
    return {
        "model": lists.current_label,
        "neighbours": [
            {
                "rank": neighbour.neighbour_rank,
                "code": neighbour.la_number,
                "name": neighbour.name,
                "closeness": neighbour.closeness or None,
            }
            for neighbour in lists.current
        ],
    }


@dataclass(frozen=True)
class RegionRow:
    authority: Authority
    latest: Year | None
    change: tuple[str, str, str] | None


def region_comparison(authority: Authority, key: str) -> tuple[str, list[RegionRow]]:
    """One indicator's latest figure for every authority in `authority`'s region (as a regional
    viewer compares them), best first by polarity, then those without a value. Two queries."""
    indicator = BY_KEY[key]
    region = region_code(authority)
    if not region:
        return "", []
    members = list(Authority.objects.filter(region=authority.region).exclude(la_number=""))
    codes = [member.la_number for member in members] + [region, ENGLAND]
    rows = PublishedFigure.objects.filter(indicator=key, area_code__in=codes).values_list(
        "area_code", "year", "value", "suppression", "note", "rank_low", "rank_high", "ranked"
    )
    by_area: dict[str, dict[int, tuple]] = defaultdict(dict)
    for code, year, *rest in rows:
        by_area[code][year] = rest
    result = []
    for member in members:
        years = _years(indicator, by_area, member.la_number, [], region)
        comparison = IndicatorComparison(indicator, years, member.name, authority.region)
        result.append(RegionRow(member, comparison.latest, comparison.change))

    def order(row: RegionRow):
        value = row.latest.value if row.latest else None
        if value is None:
            return (1, 0, row.authority.name)
        signed = value if indicator.polarity == Polarity.LOWER else -value
        return (0, signed, row.authority.name)

    result.sort(key=order)
    return authority.region, result


def area_label(key: str) -> str:
    area = AREAS.get(key)
    return f"{area.kind} {area.number}: {area.title}" if area else ""


CSV_HEADER = [
    "indicator",
    "indicator_name",
    "framework_area",
    "unit",
    "polarity",
    "calculated",
    "year",
    "la_code",
    "authority",
    "value",
    "suppressed",
    "suppression",
    "sn_average",
    "sn_count",
    "region",
    "region_value",
    "england",
    "rank_in_neighbours",
    "ranked_in_neighbours",
    "national_quartile",
    "ranked_nationally",
    "note",
    "source",
]


def csv_rows(comparison: Comparison) -> list[list[object]]:
    """One row per indicator and year, values as published (the CSV download and feed)."""
    authority = comparison.authority
    rows = []
    for found in comparison.indicators:
        indicator = found.indicator
        for year in found.years:
            rows.append(
                [
                    indicator.key,
                    indicator.name,
                    area_label(indicator.framework_area),
                    indicator.unit,
                    indicator.polarity,
                    indicator.calculated is not None,
                    year.year,
                    authority.la_number,
                    authority.name,
                    plain(year.value),
                    year.suppressed,
                    year.suppression if year.suppressed else "",
                    year.sn_average,
                    year.sn_count,
                    comparison.region_name,
                    plain(year.region),
                    plain(year.england),
                    year.rank_in_neighbours,
                    year.ranked_in_neighbours,
                    year.national_quartile,
                    year.ranked_nationally,
                    year.note,
                    indicator.source_words,
                ]
            )
    return rows
