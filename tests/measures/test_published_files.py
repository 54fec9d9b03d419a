"""Reading DfE's published files: every cell kept as published (a suppressed one never read as
zero), a changed column or breakdown refused with its place, next year's file read unchanged."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from g2g.core.problems import ReadError
from g2g.measures.indicators import DATA_FILES, FILES_BY_KEY, INDICATORS, PUBLISHED
from g2g.measures.published_files import SYMBOLS, Cell, parse_cell, read_published_folder

from .published_data import DFE, copy_files, dfe_file, read_rows, rewrite

# ---------------------------------------------------------------------------------------------
# One cell


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("22.6", Cell(Decimal("22.6"))),
        ("67", Cell(Decimal("67"))),
        ("0", Cell(Decimal("0"))),
        (" 15.2 ", Cell(Decimal("15.2"))),
        ("-1.5", Cell(Decimal("-1.5"))),
        ("c", Cell(None, "c")),
        ("k", Cell(None, "k")),
        ("x", Cell(None, "x")),
        ("z", Cell(None, "z")),
        ("u", Cell(None, "u")),
        ("low", Cell(None, "low")),
        ("LOW", Cell(None, "low")),
        ("", Cell(None, "")),
        (None, Cell(None, "")),
    ],
    ids=lambda value: repr(value),
)
def test_a_cell_is_a_number_as_written_or_a_symbol_never_zero(text, expected):
    assert parse_cell(text) == expected


@pytest.mark.parametrize(
    "text", ["1,234", "12%", "n/a", ":", "..", "1.2.3", "1e5", "five", "٣", "1 000", "+5"]
)
def test_anything_else_is_refused(text):
    with pytest.raises(ValueError, match="not a number or one of DfE's symbols"):
        parse_cell(text)


def test_a_figure_with_more_decimal_places_than_are_kept_is_refused_not_rounded():
    with pytest.raises(ValueError, match="more digits than are kept"):
        parse_cell("10.12345")


@given(
    st.decimals(
        allow_nan=False, allow_infinity=False, places=2, min_value=-(10**9), max_value=10**9
    )
)
def test_every_number_comes_back_exactly(number):
    text = f"{number:f}"
    assert parse_cell(text) == Cell(Decimal(text))


@given(st.sampled_from(sorted(SYMBOLS)), st.sampled_from(["", " ", "  "]))
def test_every_symbol_is_suppressed_with_its_meaning(symbol, padding):
    cell = parse_cell(f"{padding}{symbol}{padding}")
    assert cell.value is None
    assert cell.suppressed
    assert cell.symbol == symbol
    assert SYMBOLS[cell.symbol]


@given(st.text(max_size=30))
def test_garbage_gives_a_cell_or_the_documented_error(text):
    cleaned = text.strip()
    if cleaned.lower() in SYMBOLS:
        assert parse_cell(text) == Cell(None, cleaned.lower())
    elif re.fullmatch(r"-?0*[0-9]{1,12}(\.[0-9]{1,4})?", cleaned):
        assert parse_cell(text) == Cell(Decimal(cleaned))
    else:
        with pytest.raises(ValueError, match="not a number|more digits"):
            parse_cell(text)


# ---------------------------------------------------------------------------------------------
# The catalogue and the files agree


def test_every_published_indicator_names_a_known_file_column_and_breakdown():
    for indicator in PUBLISHED:
        for source in indicator.sources:
            columns = FILES_BY_KEY[source.file].columns
            assert source.column in columns, indicator.key
            assert all(column in columns for column, _value in source.rows), indicator.key


def test_every_file_in_the_folder_is_one_the_catalogue_knows():
    for data_file in DATA_FILES:
        assert [p for p in DFE.iterdir() if re.fullmatch(data_file.pattern, p.name)], data_file.key


def test_the_issue_s_indicators_are_all_published_with_their_framework_area():
    required = {
        "cin_rate", "re_referrals_12_months", "cp_second_time", "cp_two_years", "cla_rate",
        "cla_three_placements", "cla_long_term_stability", "cla_three_social_workers",
        "cla_placed_over_20_miles", "care_leavers_eet", "care_leavers_accommodation",
        "sw_turnover", "sw_agency_rate", "sw_vacancy_rate", "caseload",
    }  # fmt: skip
    published = {indicator.key: indicator for indicator in PUBLISHED}
    assert required <= set(published)
    for key in required:
        indicator = published[key]
        assert indicator.framework_area
        assert indicator.definition
        assert indicator.source_words
    assert published["cin_rate"].calculated is not None  # b1 has counts, no rate
    assert all(i.framework_area for i in INDICATORS)


# ---------------------------------------------------------------------------------------------
# The folder


@pytest.fixture(scope="module")
def folder():
    return read_published_folder(DFE)


def test_the_folder_reads_every_file_and_reports_rows_read_loaded_and_suppressed(folder):
    reports = {report.file: report for report in folder.reports}
    c1 = reports[dfe_file("c1_").name]
    assert c1.rows_read == len(read_rows(dfe_file("c1_"))) == c1.rows_used
    assert c1.indicators == ["re_referrals_12_months"]
    assert c1.suppressed == sum(
        row["rereferral_percent"] in SYMBOLS for row in read_rows(dfe_file("c1_"))
    )
    leavers = reports[dfe_file("la_care_leavers_activity").name]
    assert leavers.rows_read == 20040
    assert leavers.rows_used < leavers.rows_read
    assert "not loaded" in reports[dfe_file("national_cla_adopted").name].note
    assert "not loaded" in reports[dfe_file("LA_Inspection").name].note
    assert folder.neighbour_model.name == "2025"
    assert len(folder.neighbour_model.rows) == 153


def test_a_suppressed_cell_is_kept_with_its_symbol(folder):
    rows = read_rows(dfe_file("d5_"))
    row = next(r for r in rows if r["2_years_or_more_percent"] == "c" and r["old_la_code"])
    figure = next(
        f
        for f in folder.figures
        if f.indicator == "cp_two_years"
        and f.area_code == row["old_la_code"]
        and f.year == int(row["time_period"])
    )
    assert figure.cell == Cell(None, "c")
    assert figure.rank_low is None
    assert figure.ranked is None


def test_a_figure_published_jointly_belongs_to_each_authority(folder):
    joint = [f for f in folder.figures if f.indicator == "caseload" and f.year == 2025]
    kingston = next(f for f in joint if f.area_code == "314")
    richmond = next(f for f in joint if f.area_code == "318")
    assert kingston.cell == richmond.cell
    assert "jointly" in kingston.note


def test_ranks_count_the_authorities_with_a_value_that_year(folder):
    year = [
        f
        for f in folder.figures
        if f.indicator == "cla_three_placements" and f.year == 2025 and f.level == "local"
    ]
    values = [f.cell.value for f in year if f.cell.value is not None]
    for figure in year:
        if figure.cell.value is None:
            continue
        assert figure.ranked == len(values)
        assert figure.rank_low == 1 + sum(v < figure.cell.value for v in values)
        assert figure.rank_high == 1 + sum(v > figure.cell.value for v in values)


def test_the_calculated_rate_is_the_published_counts_divided_openly(folder):
    children = {
        (r["time_period"], r["old_la_code"] or r["country_code"]): r["At31_episodes"]
        for r in read_rows(dfe_file("b1_"))
        if r["geographic_level"] in ("National", "Local authority")
    }
    population = {
        (r["time_period"], r["old_la_code"] or r["country_code"]): r["population_estimate"]
        for r in read_rows(dfe_file("cla_number"))
        if r["population_type"] == "Children looked after on 31 March each year"
        and r["geographic_level"] in ("National", "Local authority")
    }
    for year, code in [("2025", "E92000001"), ("2025", "353"), ("2021", "357")]:
        expected = Decimal(children[(year, code)]) * 10000 / Decimal(population[(year, code)])
        figure = next(
            f
            for f in folder.figures
            if f.indicator == "cin_rate" and f.area_code == code and f.year == int(year)
        )
        assert figure.cell.value == expected.quantize(Decimal("0.1"))
    assert not [f for f in folder.figures if f.indicator == "cin_rate" and f.year < 2021]


# ---------------------------------------------------------------------------------------------
# Files that changed


def test_a_renamed_column_is_an_error_naming_the_file_and_the_column(tmp_path):
    copy_files(tmp_path, "c1_", "d3_")
    path = tmp_path / dfe_file("c1_").name
    rewrite(
        path,
        lambda header, rows: (
            [h.replace("rereferral_percent", "rereferral_pct") for h in header],
            rows,
        ),
    )
    with pytest.raises(ReadError) as refused:
        read_published_folder(tmp_path)
    where = {(p.file, p.column) for p in refused.value.problems}
    assert (path.name, "rereferral_percent") in where
    assert (path.name, "rereferral_pct") in where
    assert "renamed" in str(refused.value)


def test_a_renamed_breakdown_is_an_error_too(tmp_path):
    copy_files(tmp_path, "la_cla_placement_stability")
    path = tmp_path / dfe_file("la_cla_placement_stability").name

    def rename(header, rows):
        column = header.index("placement_stability")
        for row in rows:
            row[column] = row[column].replace("during the year", "in the year")
        return header, rows

    rewrite(path, rename)
    with pytest.raises(ReadError, match="placement_stability is 'With 3 or more placements"):
        read_published_folder(tmp_path)


def test_a_garbage_cell_is_located_by_file_row_and_column(tmp_path):
    copy_files(tmp_path, "d3_")
    path = tmp_path / dfe_file("d3_").name

    def spoil(header, rows):
        rows[4][header.index("CPP_subsequent_percent")] = "about 20"
        return header, rows

    rewrite(path, spoil)
    with pytest.raises(ReadError) as refused:
        read_published_folder(tmp_path)
    (problem,) = refused.value.problems
    assert (problem.file, problem.row, problem.column) == (path.name, 6, "CPP_subsequent_percent")


def test_next_year_s_file_loads_without_a_code_change(tmp_path):
    """DfE adds a year each year: the file's name changes, its columns do not."""
    copy_files(tmp_path, "c1_")
    old = tmp_path / dfe_file("c1_").name
    new = old.rename(tmp_path / "c1_children_in_need_referrals_and_rereferrals_2013_to_2026.csv")

    def add_2026(header, rows):
        year = header.index("time_period")
        added = [[*row[:year], "2026", *row[year + 1 :]] for row in rows if row[year] == "2025"]
        return header, added + rows

    rewrite(new, add_2026)
    found = read_published_folder(tmp_path)
    years = {f.year for f in found.figures if f.indicator == "re_referrals_12_months"}
    assert max(years) == 2026
    assert found.indicators == ["re_referrals_12_months"]


def test_two_files_of_the_same_kind_are_refused(tmp_path):
    copy_files(tmp_path, "d3_")
    source = tmp_path / dfe_file("d3_").name
    (tmp_path / "d3_cpps_subsequent_plan_2013_to_2026.csv").write_bytes(source.read_bytes())
    with pytest.raises(ReadError, match="same kind of file"):
        read_published_folder(tmp_path)


def test_a_missing_folder_is_an_error():
    with pytest.raises(ReadError, match="no such folder"):
        read_published_folder(Path("/no/such/folder"))
