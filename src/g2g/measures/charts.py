"""Trend charts for measures as SVG to inline in pages and board packs, with the words and the
table that say the same thing to people who cannot see the chart.

Why it is drawn this way:
- `matplotlib.figure.Figure` directly, never pyplot: pyplot keeps global figures, which is not
  safe in a threaded web server.
- matplotlib reads some SVG settings only from its global rcParams (the salt for element ids, and
  text kept as text rather than paths). They are set with `rc_context`, under a lock so that two
  requests drawing at once cannot swap or leak each other's settings.
- The output is deterministic (fixed id salt, no date in the metadata): the same data gives the
  same SVG, so tests and cached board packs are stable.
- Lines differ by line style and marker as well as colour, so they can be told apart without
  colour: actual values are solid with circles, trajectories dashed, comparators dotted with
  triangles. Every colour has at least 3:1 contrast against white.
- The SVG can be inlined in HTML: no XML prolog or DOCTYPE, role="img", a <title> and a <desc>
  (the chart's summary), and every id inside is prefixed with the chart's id, so several charts
  can share a page without clashing ids.
- Gaps (None) break the line rather than joining across a month with no value.
"""

import io
import math
import re
import textwrap
import threading
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Literal
from xml.sax.saxutils import escape

from matplotlib import dates as mdates
from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter
from PIL import Image

from g2g.core.dates import add_months, month_start

from .rating import format_difference, format_number, format_value, gap_words

Style = Literal["actual", "trajectory", "comparator"]

NO_VALUE = "–"  # an en dash: a month in the data table with no value
SYNTHETIC_CAPTION = "Synthetic data (demo)"


@dataclass(frozen=True)
class Series:
    """One line on a trend chart: a measure's values, its trajectory, or a comparator such as the
    England average. Points are (month, value); a None value is a gap in the line."""

    label: str
    points: list[tuple[date, Decimal | None]]
    style: Style = "actual"

    def __post_init__(self) -> None:
        if self.style not in _LOOKS:
            raise ValueError(f"Unknown series style {self.style!r}")

    def known(self) -> list[tuple[date, Decimal]]:
        """The points that have a value, oldest first."""
        return [(day, value) for day, value in sorted(self.points, key=_day) if value is not None]


@dataclass(frozen=True)
class _Look:
    """How lines of one style are drawn; the nth series of a style takes the nth colour/marker."""

    linestyle: str
    linewidth: float
    colours: tuple[str, ...]  # GOV.UK palette, each at least 3:1 against white
    markers: tuple[str, ...]
    marker_on_every_point: bool  # otherwise only on points with no neighbours, to stay visible


_LOOKS: dict[str, _Look] = {
    "actual": _Look("solid", 2.5, ("#1d70b8", "#003078"), ("o", "s"), True),
    "trajectory": _Look("dashed", 2.0, ("#0b0c0c", "#505a5f"), ("D",), False),
    "comparator": _Look("dotted", 2.0, ("#4c2c92", "#505a5f", "#912b88"), ("^", "v", "P"), True),
}
_GRID_COLOUR = "#b1b4b6"
_TEXT_COLOUR = "#0b0c0c"

_RC = {
    "svg.hashsalt": "g2g-trend-chart",  # fixed, so ids (and the whole SVG) are deterministic
    "svg.fonttype": "none",  # text stays text: smaller, selectable, and in the page's font
    "font.family": "sans-serif",
    "font.sans-serif": ["Arial", "Helvetica", "DejaVu Sans"],
    "font.size": 12,
    "text.color": _TEXT_COLOUR,
    "text.parse_math": False,  # a "$" in a title is a pound or dollar, not mathematics
    "axes.edgecolor": "#505a5f",
    "xtick.color": _TEXT_COLOUR,
    "ytick.color": _TEXT_COLOUR,
}
_RENDER_LOCK = threading.Lock()

_UNIT_LABELS = {
    "%": "Per cent",
    "days": "Days",
    "count": "Number",
    "rate per 10,000": "Rate per 10,000",
}
_MONTH_ABBREVIATIONS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
_CHART_ID = re.compile(r"[A-Za-z][\w-]*")
_PIXELS_PER_TICK_LABEL = 100
_PIXELS_PER_YEAR_LABEL = 50
# Room for each character of the title (bold) with WCAG text spacing applied (letters 0.12 em
# and words 0.16 em further apart).
_PIXELS_PER_TITLE_CHARACTER = 10
# Charts narrower than this list their legend in one column.
_WIDE_LEGEND_PX = 480
_NARROW_LEGEND_CHARACTERS = 30
# Changes with the drawing's look: part of the key charts are cached by (so a release that
# changes how charts are drawn does not serve charts drawn the old way).
DRAWING_VERSION = 3  # 3: print PNGs in RGB, without an alpha channel
_SLUG_LENGTH = 40


# ---------------------------------------------------------------------------------------------
# The SVG


def trend_chart_svg(
    title: str,
    unit: str,
    series: list[Series],
    *,
    width_px: int = 640,
    height_px: int = 320,
    synthetic: bool = False,
    chart_id: str | None = None,
    yearly: bool = False,
    show_title: bool = True,
) -> str:
    """A trend chart as an <svg> element to inline in HTML, labelled by its title and described by
    `chart_summary`. `chart_id` (default: from the title) prefixes every id inside the SVG; give
    each chart on a page its own. `yearly`: one point a year, labelled by its year.
    `show_title=False` leaves the title out of the drawing (a heading above it already says it;
    the SVG is still labelled by it), leaving the plot the room."""
    chart_id = chart_id or _slug(title)
    if not _CHART_ID.fullmatch(chart_id):
        raise ValueError(f"chart_id must be a letter then letters, digits, - or _: {chart_id!r}")
    description = chart_summary(title, unit, series, yearly=yearly)
    if synthetic:
        description = f"{description} {SYNTHETIC_CAPTION}."
    with _RENDER_LOCK, rc_context(_RC):
        figure = _draw(title, unit, series, width_px, height_px, synthetic, yearly, show_title)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return _inline(buffer.getvalue(), chart_id, width_px, height_px, title, description)


def trend_chart_png(
    title: str,
    unit: str,
    series: list[Series],
    *,
    width_px: int = 640,
    height_px: int = 320,
    synthetic: bool = False,
    scale: float = 1.5,
) -> bytes:
    """The same chart as a PNG (at `scale` times the size, for print), for documents whose
    renderer does not draw matplotlib's SVG styles, such as the PDF board pack. The text
    alternative travels with it in the document (an <img> alt and the chart's summary).

    An RGB PNG on white, with no alpha channel: matplotlib's PNGs are RGBA (opaque here), which
    WeasyPrint splits into a colour image and an alpha mask, encoding each again (about 30 ms
    a chart); an RGB PNG it encodes once."""
    dpi = 72 * scale
    with _RENDER_LOCK, rc_context(_RC):
        figure = _draw(title, unit, series, width_px, height_px, synthetic)
        figure.set_dpi(dpi)
        canvas = FigureCanvasAgg(figure)
        canvas.draw()
        drawn = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba())
    on_white = Image.new("RGBA", drawn.size, "white")
    on_white.alpha_composite(drawn)
    buffer = io.BytesIO()
    on_white.convert("RGB").save(buffer, format="png", dpi=(dpi, dpi))
    return buffer.getvalue()


def _draw(
    title: str,
    unit: str,
    series: list[Series],
    width_px: int,
    height_px: int,
    synthetic: bool,
    yearly: bool = False,
    show_title: bool = True,
) -> Figure:
    # SVG units are points; one point per pixel makes the viewBox the size in pixels.
    figure = Figure(figsize=(width_px / 72, height_px / 72), layout="constrained")
    axes = figure.add_subplot()
    title_width = max(20, width_px // _PIXELS_PER_TITLE_CHARACTER)
    if show_title:
        figure.suptitle(textwrap.fill(title, title_width), x=0.01, ha="left", fontweight="bold")
    if synthetic:
        axes.set_title(SYNTHETIC_CAPTION, loc="left", fontstyle="italic")
    lines = _plot_all(axes, series)
    _style_axes(axes, unit)
    if yearly:
        _set_year_axis(axes, sorted({day for one in series for day, _ in one.points}), width_px)
    else:
        _set_x_axis(axes, _months_spanned(series), width_px)
    values = [value for one in series for _, value in one.known()]
    if values:
        _set_y_limits(axes, values)
    else:
        _say_no_data(axes)
    if lines:
        # A narrow chart (a small multiple) lists its series one under another, from the left,
        # a long label on two lines, so no label is cut off at the chart's edges, even with
        # WCAG text spacing applied.
        narrow = width_px < _WIDE_LEGEND_PX
        labels = [_legend_label(one) for one in series]
        if narrow:
            labels = [textwrap.fill(label, _NARROW_LEGEND_CHARACTERS) for label in labels]
        figure.legend(
            lines,
            labels,
            loc="outside lower left" if narrow else "outside lower center",
            ncols=1 if narrow else min(len(lines), 3),
        )
    return figure


def _plot_all(axes: Axes, series: list[Series]) -> list[Line2D]:
    seen: dict[str, int] = {}  # how many series of each style have been drawn
    lines = []
    for position, one in enumerate(series):
        index = seen.get(one.style, 0)
        seen[one.style] = index + 1
        line = _plot(axes, one, _LOOKS[one.style], index)
        line.set_gid(f"series-{position}")  # the line's <g id>, for styling and tests
        lines.append(line)
    return lines


def _plot(axes: Axes, series: Series, look: _Look, index: int) -> Line2D:
    points = sorted(series.points, key=_day)
    x = [float(mdates.date2num(day)) for day, _ in points]
    y = [math.nan if value is None else float(value) for _, value in points]  # NaN breaks a line
    (line,) = axes.plot(
        x,
        y,
        linestyle=look.linestyle,
        linewidth=look.linewidth,
        color=look.colours[index % len(look.colours)],
        marker=look.markers[index % len(look.markers)],
        markersize=6,
        markevery=None if look.marker_on_every_point else _isolated(y),
    )
    return line


def _isolated(y: list[float]) -> list[int]:
    """Indexes of values with no value either side: a line alone would not show them."""

    def known(index: int) -> bool:
        return 0 <= index < len(y) and not math.isnan(y[index])

    return [i for i in range(len(y)) if known(i) and not known(i - 1) and not known(i + 1)]


def _style_axes(axes: Axes, unit: str) -> None:
    axes.set_ylabel(_UNIT_LABELS.get(unit, unit.capitalize()))
    suffix = "%" if unit == "%" else ""
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:,g}{suffix}"))
    axes.grid(axis="y", color=_GRID_COLOUR, linewidth=0.8)
    axes.set_axisbelow(True)
    axes.spines[["top", "right"]].set_visible(False)


def _set_x_axis(axes: Axes, months: list[date], width_px: int) -> None:
    """A label every few months, as many as fit; a fortnight's margin either side."""
    if not months:
        axes.set_xticks([])
        return
    step = math.ceil(len(months) / max(2, width_px // _PIXELS_PER_TICK_LABEL))
    shown = months[::step]
    axes.set_xticks([float(mdates.date2num(month)) for month in shown])
    axes.set_xticklabels([month_label(month) for month in shown])
    axes.set_xlim(mdates.date2num(months[0]) - 15, mdates.date2num(months[-1]) + 15)


def _set_year_axis(axes: Axes, days: list[date], width_px: int) -> None:
    """A label every year or every few years, as many as fit; half a year's margin either side."""
    if not days:
        axes.set_xticks([])
        return
    step = math.ceil(len(days) / max(2, width_px // _PIXELS_PER_YEAR_LABEL))
    shown = days[::-1][::step][::-1]  # always label the latest year
    axes.set_xticks([float(mdates.date2num(day)) for day in shown])
    axes.set_xticklabels([str(day.year) for day in shown])
    axes.set_xlim(mdates.date2num(days[0]) - 180, mdates.date2num(days[-1]) + 180)


def _months_spanned(series: list[Series]) -> list[date]:
    """Every month from the first point's to the last's, including months with no points."""
    days = [day for one in series for day, _ in one.points]
    if not days:
        return []
    month, last = month_start(min(days)), month_start(max(days))
    months = []
    while month <= last:
        months.append(month)
        month = add_months(month, 1)
    return months


def _set_y_limits(axes: Axes, values: list[Decimal]) -> None:
    """From zero when nothing is negative, so differences are not exaggerated."""
    low, high = float(min(values)), float(max(values))
    low = min(low, 0.0)
    if high == low:
        high = low + 1
    padding = (high - low) * 0.08
    axes.set_ylim(low if low == 0 else low - padding, high + padding)


def _say_no_data(axes: Axes) -> None:
    axes.set_yticks([])
    axes.text(0.5, 0.5, "No data to show", transform=axes.transAxes, ha="center", va="center")


def _legend_label(series: Series) -> str:
    return series.label if series.known() else f"{series.label} (no data)"


def _inline(
    svg: str, chart_id: str, width_px: int, height_px: int, title: str, description: str
) -> str:
    """Make matplotlib's SVG document an element to inline in HTML (see the module docstring)."""
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<[^<>]+>", lambda tag: _prefix_ids(tag.group(0), chart_id), svg)
    end = svg.index(">")
    opening = re.sub(
        r'\swidth="[^"]*"\sheight="[^"]*"', f' width="{width_px}" height="{height_px}"', svg[:end]
    )
    accessible = (
        f'{opening} role="img" aria-labelledby="{chart_id}-title"'
        f' aria-describedby="{chart_id}-desc">\n'
        f' <title id="{chart_id}-title">{escape(title)}</title>\n'
        f' <desc id="{chart_id}-desc">{escape(description)}</desc>'
    )
    return accessible + svg[end + 1 :]


def _prefix_ids(tag: str, chart_id: str) -> str:
    """id="x", href="#x" and url(#x) inside one tag become chart_id-x."""
    return re.sub(r'(\sid="|href="#|url\(#)', lambda found: f"{found.group(1)}{chart_id}-", tag)


def _slug(title: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:_SLUG_LENGTH].strip("-")
    return f"chart-{words or 'trend'}"


# ---------------------------------------------------------------------------------------------
# The same information in words and as a table


def chart_summary(title: str, unit: str, series: list[Series], *, yearly: bool = False) -> str:
    """One or two sentences for screen readers: the latest value of the first "actual" series,
    its change, how it compares with the trajectory, and each comparator's latest value.

    "Timely assessments: 62% in Feb 2024, up 3 points from 59% in Jan 2024, 8 points below the
    70% trajectory. Compared with England 65% (Mar 2023)."
    """
    main = next((one for one in series if one.style == "actual"), None)
    known = main.known() if main else []
    if not known:
        return f"{title}: no values to show."
    label = year_label if yearly else month_label
    day, value = known[-1]
    parts = [f"{format_value(value, unit)} in {label(day)}"]
    if len(known) > 1:
        parts.append(_change(known[-2], known[-1], unit, label))
    expected = _trajectory_in(series, month_start(day))
    if expected is not None:
        words = gap_words(value, expected, unit)
        parts.append(words[:1].lower() + words[1:])
    sentences = [f"{title}: {', '.join(parts)}."]
    comparisons = [_latest_words(one, unit, label) for one in series if one.style == "comparator"]
    comparisons = [words for words in comparisons if words]
    if comparisons:
        sentences.append(f"Compared with {_and_list(comparisons)}.")
    return " ".join(sentences)


def _change(
    previous: tuple[date, Decimal], latest: tuple[date, Decimal], unit: str, label=None
) -> str:
    label = label or month_label
    (before, old), (_, new) = previous, latest
    if new == old:
        return f"no change from {label(before)}"
    direction = "up" if new > old else "down"
    size = format_difference(abs(new - old), unit)
    return f"{direction} {size} from {format_value(old, unit)} in {label(before)}"


def _trajectory_in(series: list[Series], month: date) -> Decimal | None:
    """The first trajectory's value for the month, if it has one."""
    trajectory = next((one for one in series if one.style == "trajectory"), None)
    if trajectory is None:
        return None
    return _by_month(trajectory).get(month)


def _latest_words(series: Series, unit: str, label=None) -> str:
    known = series.known()
    if not known:
        return ""
    day, value = known[-1]
    return f"{series.label} {format_value(value, unit)} ({(label or month_label)(day)})"


def _and_list(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def chart_table_rows(
    series: list[Series], *, yearly: bool = False
) -> tuple[list[str], list[list[str]]]:
    """Headers ["Month", *labels] and one row per month (or year), oldest first, for the table
    that is the chart's alternative. Values are numbers without units (the caption gives the
    unit)."""
    label = year_label if yearly else month_label
    headers = ["Year" if yearly else "Month", *(one.label for one in series)]
    columns = [_by_month(one) for one in series]
    months = sorted({month for column in columns for month in column})
    rows = [[label(month), *(_cell(column.get(month)) for column in columns)] for month in months]
    return headers, rows


def _cell(value: Decimal | None) -> str:
    return NO_VALUE if value is None else format_number(value)


def _by_month(series: Series) -> dict[date, Decimal | None]:
    """Values keyed by the first of their month; a later point in the same month wins."""
    return {month_start(day): value for day, value in sorted(series.points, key=_day)}


# ---------------------------------------------------------------------------------------------
# Months


def month_label(day: date) -> str:
    """ "Jan 2024", in English whatever the server's locale."""
    return f"{_MONTH_ABBREVIATIONS[day.month - 1]} {day.year}"


def year_label(day: date) -> str:
    return str(day.year)


def _day(point: tuple[date, Decimal | None]) -> date:
    return point[0]
