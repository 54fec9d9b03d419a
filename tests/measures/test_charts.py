"""Trend charts: an SVG that can be inlined in a page, and the summary and table that say the same
thing in words."""

import io
import re
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

import pytest
from PIL import Image

from g2g.measures.charts import (
    _LOOKS,
    NO_VALUE,
    SYNTHETIC_CAPTION,
    Series,
    chart_summary,
    chart_table_rows,
    trend_chart_png,
    trend_chart_svg,
)

pytestmark: list = []  # pure functions: no database

D = Decimal
SVG = "{http://www.w3.org/2000/svg}"
TITLE = "Assessments completed within 45 working days"


def monthly(label, start, values, style="actual"):
    """A series with one value a month from `start`; None is a month with no value."""
    points = []
    for offset, value in enumerate(values):
        month = start.month - 1 + offset
        day = date(start.year + month // 12, month % 12 + 1, 1)
        points.append((day, None if value is None else D(value)))
    return Series(label, points, style)


ACTUAL = monthly("Assessments", date(2024, 1, 1), ["55", "58", None, "61", "63"])
TRAJECTORY = monthly("Trajectory", date(2024, 1, 1), ["56", "58", "60", "62", "64"], "trajectory")
ENGLAND = Series("England", [(date(2023, 3, 1), D("82.6"))], "comparator")
NEIGHBOURS = Series("Statistical neighbours", [(date(2023, 3, 1), D("78"))], "comparator")
ALL = [ACTUAL, TRAJECTORY, ENGLAND, NEIGHBOURS]


def parse(svg):
    return ET.fromstring(svg)  # noqa: S314 - our own output, not untrusted input


def texts(root):
    return [element.text for element in root.iter(f"{SVG}text") if element.text]


# ---------------------------------------------------------------------------------------------
# The SVG


def test_the_svg_is_an_element_to_inline_in_html():
    svg = trend_chart_svg(TITLE, "%", ALL)

    assert svg.startswith("<svg ")
    assert "<?xml" not in svg
    assert "DOCTYPE" not in svg
    root = parse(svg)
    assert (root.get("width"), root.get("height")) == ("640", "320")
    assert root.get("viewBox") == "0 0 640 320"


def test_the_svg_is_labelled_and_described():
    root = parse(trend_chart_svg(TITLE, "%", ALL, chart_id="timely"))

    title, description = root[0], root[1]
    assert root.get("role") == "img"
    assert (title.tag, title.get("id"), title.text) == (f"{SVG}title", "timely-title", TITLE)
    assert root.get("aria-labelledby") == "timely-title"
    assert root.get("aria-describedby") == description.get("id") == "timely-desc"
    assert description.text == chart_summary(TITLE, "%", ALL)


def test_the_title_legend_and_unit_are_visible_text():
    words = texts(parse(trend_chart_svg(TITLE, "%", ALL)))

    assert TITLE in words
    assert {"Assessments", "Trajectory", "England", "Statistical neighbours"} <= set(words)
    assert "Per cent" in words
    assert {"Mar 2023", "Mar 2024"} <= set(words)  # a label every few months


def test_the_same_data_draws_the_same_svg():
    assert trend_chart_svg(TITLE, "%", ALL) == trend_chart_svg(TITLE, "%", ALL)


def test_drawing_in_threads_draws_the_same_svg():
    expected = trend_chart_svg(TITLE, "%", ALL)
    with ThreadPoolExecutor(max_workers=4) as pool:
        drawn = list(pool.map(lambda _: trend_chart_svg(TITLE, "%", ALL), range(8)))
    assert drawn == [expected] * 8


def test_the_print_png_is_rgb_on_white_at_one_and_a_half_times_the_size():
    """No alpha channel: WeasyPrint would split one into a mask and encode the image twice."""
    png = trend_chart_png(TITLE, "%", ALL)
    image = Image.open(io.BytesIO(png))
    assert (image.format, image.mode, image.size) == ("PNG", "RGB", (960, 480))
    assert image.getpixel((0, 0)) == (255, 255, 255)
    assert round(image.info["dpi"][0]) == 108
    assert trend_chart_png(TITLE, "%", ALL) == png  # the same data, the same bytes


def test_two_charts_on_a_page_share_no_ids():
    first = parse(trend_chart_svg(TITLE, "%", ALL, chart_id="first"))
    second = parse(trend_chart_svg(TITLE, "%", ALL, chart_id="second"))

    first_ids = [element.get("id") for element in first.iter() if element.get("id")]
    second_ids = [element.get("id") for element in second.iter() if element.get("id")]
    assert len(first_ids) == len(set(first_ids))
    assert all(id_.startswith("first-") for id_ in first_ids)
    assert not set(first_ids) & set(second_ids)


def test_references_inside_the_svg_follow_the_prefixed_ids():
    svg = trend_chart_svg(TITLE, "%", ALL, chart_id="timely")
    ids = set(re.findall(r'\sid="([^"]+)"', svg))
    references = re.findall(r'href="#([^"]+)"|url\(#([^)]+)\)', svg)

    assert references
    assert {one or other for one, other in references} <= ids


def test_the_chart_id_defaults_to_the_title():
    root = parse(trend_chart_svg("Re-referrals (%) in 12 months", "%", ALL))
    assert root.get("aria-labelledby") == "chart-re-referrals-in-12-months-title"


def test_a_chart_id_that_is_not_an_id_is_refused():
    with pytest.raises(ValueError, match="chart_id"):
        trend_chart_svg(TITLE, "%", ALL, chart_id='x" onload="alert(1)')


def test_titles_are_text_not_markup_or_mathematics():
    title = 'Cost <£5 & $10 to $20 "per child"'
    root = parse(trend_chart_svg(title, "count", ALL))

    assert root[0].text == title
    assert title in texts(root)


def test_a_gap_breaks_the_line():
    root = parse(trend_chart_svg(TITLE, "%", [ACTUAL], chart_id="gap"))

    line = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "gap-series-0")
    path = next(line.iter(f"{SVG}path")).get("d")
    assert path.count("M") == 2  # two runs: Jan–Feb, then Apr–May


def test_synthetic_data_is_captioned():
    synthetic = parse(trend_chart_svg(TITLE, "%", ALL, synthetic=True))
    real = parse(trend_chart_svg(TITLE, "%", ALL))

    assert SYNTHETIC_CAPTION in texts(synthetic)
    assert synthetic[1].text.endswith(f"{SYNTHETIC_CAPTION}.")
    assert SYNTHETIC_CAPTION not in texts(real)


@pytest.mark.parametrize(
    "series",
    [
        pytest.param([], id="no-series"),
        pytest.param([Series("Assessments", [])], id="no-points"),
        pytest.param([monthly("Assessments", date(2024, 1, 1), [None, None])], id="all-none"),
        pytest.param([monthly("Assessments", date(2024, 1, 1), ["61"])], id="single-point"),
        pytest.param([monthly("Assessments", date(2024, 1, 1), ["0", "0"])], id="all-zero"),
        pytest.param([monthly("Change", date(2024, 1, 1), ["-3", "2"])], id="negative"),
    ],
)
def test_charts_with_little_or_no_data_still_draw(series):
    root = parse(trend_chart_svg(TITLE, "count", series))
    assert root[0].text == TITLE


def test_with_no_values_the_chart_says_so():
    words = texts(parse(trend_chart_svg(TITLE, "%", [Series("Assessments", [])])))
    assert "No data to show" in words
    assert "Assessments (no data)" in words


def test_an_unknown_style_is_refused():
    with pytest.raises(ValueError, match="style"):
        Series("Assessments", [], "bar")  # type: ignore[arg-type]


# ---------------------------------------------------------------------------------------------
# Lines that can be told apart


def contrast_with_white(colour: str) -> float:
    """WCAG contrast ratio of an sRGB "#rrggbb" colour against white."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return 1.05 / (luminance + 0.05)


@pytest.mark.parametrize("style", _LOOKS)
def test_every_colour_has_three_to_one_contrast_with_white(style):
    for colour in _LOOKS[style].colours:
        assert contrast_with_white(colour) >= 3, colour


def test_styles_differ_without_colour():
    looks = _LOOKS.values()
    assert len({look.linestyle for look in looks}) == len(_LOOKS)
    assert _LOOKS["actual"].markers[0] != _LOOKS["comparator"].markers[0]


# ---------------------------------------------------------------------------------------------
# The summary for screen readers


@pytest.mark.parametrize(
    ("unit", "series", "summary"),
    [
        pytest.param(
            "%",
            ALL,
            "Timely assessments: 63% in May 2024, up 2 points from 61% in Apr 2024, 1 point "
            "below the 64% trajectory. Compared with England 82.6% (Mar 2023) and Statistical "
            "neighbours 78% (Mar 2023).",
            id="everything",
        ),
        pytest.param(
            "%",
            [monthly("Assessments", date(2024, 1, 1), ["63", "60.5"]), TRAJECTORY],
            "Timely assessments: 60.5% in Feb 2024, down 2.5 points from 63% in Jan 2024, "
            "2.5 points above the 58% trajectory.",
            id="down-and-above",
        ),
        pytest.param(
            "days",
            [monthly("Assessments", date(2024, 1, 1), ["20", "20"])],
            "Timely assessments: 20 days in Feb 2024, no change from Jan 2024.",
            id="no-change",
        ),
        pytest.param(
            "count",
            [monthly("Assessments", date(2024, 1, 1), ["1200"]), ENGLAND],
            "Timely assessments: 1,200 in Jan 2024. Compared with England 82.6 (Mar 2023).",
            id="one-value",
        ),
        pytest.param(
            "%",
            [monthly("Assessments", date(2024, 4, 1), ["62"]), TRAJECTORY],
            "Timely assessments: 62% in Apr 2024, on the 62% trajectory.",
            id="on-trajectory",
        ),
        pytest.param(
            "%",
            [monthly("Assessments", date(2024, 7, 1), ["62"]), TRAJECTORY],
            "Timely assessments: 62% in Jul 2024.",
            id="no-trajectory-that-month",
        ),
        pytest.param(
            "%",
            [Series("Assessments", []), TRAJECTORY, ENGLAND],
            "Timely assessments: no values to show.",
            id="no-values",
        ),
        pytest.param("%", [], "Timely assessments: no values to show.", id="no-series"),
    ],
)
def test_chart_summary(unit, series, summary):
    assert chart_summary("Timely assessments", unit, series) == summary


# ---------------------------------------------------------------------------------------------
# The table alternative


def test_table_rows_have_a_month_column_and_one_per_series():
    headers, rows = chart_table_rows([ACTUAL, TRAJECTORY, ENGLAND])

    assert headers == ["Month", "Assessments", "Trajectory", "England"]
    assert rows == [
        ["Mar 2023", NO_VALUE, NO_VALUE, "82.6"],
        ["Jan 2024", "55", "56", NO_VALUE],
        ["Feb 2024", "58", "58", NO_VALUE],
        ["Mar 2024", NO_VALUE, "60", NO_VALUE],
        ["Apr 2024", "61", "62", NO_VALUE],
        ["May 2024", "63", "64", NO_VALUE],
    ]


def test_table_values_are_rounded_and_keyed_by_month():
    series = Series("Rate", [(date(2024, 2, 15), D("45.26")), (date(2024, 1, 1), D("1234.5"))])
    assert chart_table_rows([series]) == (
        ["Month", "Rate"],
        [["Jan 2024", "1,234.5"], ["Feb 2024", "45.3"]],
    )


def test_an_empty_table():
    assert chart_table_rows([]) == (["Month"], [])
