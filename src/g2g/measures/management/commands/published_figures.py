"""`g2g published_figures --authority NAME --indicator KEY [--format json]`: one indicator's
published figures for an authority, year by year, beside its statistical neighbours' average,
its region and England, with its rank among its neighbours and its national quartile.
`--neighbours` prints the authority's statistical neighbours instead."""

import json

from django.core.management.base import BaseCommand, CommandError

from g2g.measures.comparison import (
    indicator_series,
    neighbours_as_json,
    ordinal,
    plain,
    quartile_words,
)
from g2g.measures.indicators import PUBLISHED_KEYS
from g2g.measures.rating import format_value
from g2g.tenancy.commands import authority_argument


class Command(BaseCommand):
    help = "Print an authority's published figures for one indicator, or its neighbours."

    def add_arguments(self, parser):
        parser.add_argument("--authority", required=True, help="Authority name or slug")
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--indicator", choices=PUBLISHED_KEYS)
        which.add_argument("--neighbours", action="store_true")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, authority: str, indicator: str | None, neighbours: bool, format, **options):
        found = authority_argument(authority)
        if neighbours:
            listed = neighbours_as_json(found)
            if not listed["neighbours"]:
                raise CommandError(f"No statistical neighbours are loaded for {found.name}.")
            if format == "json":
                self.stdout.write(json.dumps(listed, indent=2))
                return
            self.stdout.write(f"{found.name}: {listed['model']}")
            for row in listed["neighbours"]:
                band = f" ({row['closeness']})" if row["closeness"] else ""
                self.stdout.write(f"  {row['rank']:>2}. {row['name']} [{row['code']}]{band}")
            return
        series = indicator_series(found, indicator)
        if format == "json":
            self.stdout.write(json.dumps(series.as_json(), indent=2))
            return
        self._write_text(found, series)

    def _write_text(self, authority, series) -> None:
        indicator = series.indicator
        self.stdout.write(f"{authority.name}: {indicator.name} ({indicator.unit_label})")
        self.stdout.write(f"Source: {indicator.source_words}")
        unit = indicator.unit

        def shown(value) -> str:
            return "–" if value is None else format_value(plain(value), unit)

        for year in series.years:
            own = shown(year.value) if year.value is not None else year.suppression_words
            if year.suppressed and year.suppression:
                own = f"no figure ({year.suppression}: {year.suppression_words})"
            rank = (
                f"{ordinal(year.rank_in_neighbours)} of {year.ranked_in_neighbours}"
                if year.rank_in_neighbours
                else "–"
            )
            self.stdout.write(
                f"  {year.year}: {own}; neighbours {shown(year.sn_average)} "
                f"({year.sn_count} of {year.neighbours}); region {shown(year.region)}; "
                f"England {shown(year.england)}; rank among neighbours {rank}; "
                f"{quartile_words(year.national_quartile, indicator.polarity)}"
            )
