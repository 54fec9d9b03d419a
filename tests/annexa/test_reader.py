"""Reading: lenient sheet names, headers and codes; unknown sheets and columns reported."""

from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from g2g.annexa.reader import (
    code_column,
    date_column,
    integer_column,
    parse_dates,
    parse_integers,
    read_annexa,
    typed_lists,
)
from g2g.annexa.spec import load_spec
from g2g.core.problems import ReadError

from .builders import headers, workbook

SPEC = load_spec()


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("List 1", 1),
        ("list_3_referrals", 3),
        ("List 10", 10),
        ("3. Referrals", 3),
        ("Child protection", 7),
        ("List1", 1),
    ],
)
def test_sheets_are_matched_by_number_or_name(name, number):
    assert SPEC.match_sheet(name).number == number


@pytest.mark.parametrize("name", ["Notes", "List 12", "Cover"])
def test_other_sheets_match_no_list(name):
    assert SPEC.match_sheet(name) is None


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("a) Male", "M"),
        ("M", "M"),
        ("male", "M"),
        (" MALE ", "M"),
        ("b) Female", "F"),
        ("c) Not stated/recorded", "U"),
        ("X", None),
    ],
)
def test_gender_codes_are_normalised(cell, code):
    assert SPEC.codes["gender"].find(cell) == code


@pytest.mark.parametrize(
    ("codes", "cell", "code"),
    [
        ("source", "a) 1A: Individual", "1A"),
        ("source", "1A", "1A"),
        ("source", "q) 6: Police", "6"),
        ("source", "Police", "6"),
        ("ethnicity", "a) WBRI", "WBRI"),
        ("ethnicity", "WBRI", "WBRI"),
        ("ethnicity", "White British", "WBRI"),
        ("ethnicity", "t) NOBT", "NOBT"),
        ("need", "N1 - Abuse or neglect", "N1"),
        ("need", "n1", "N1"),
        ("legal_status", "C2: FCO", "C2"),
        ("legal_status", "L2", "L2"),
        ("activity", "F3: Full time in training or employment", "F3"),
        ("activity", "G9", None),
        ("yes_no", "a) Yes", "Y"),
        ("yes_no", "yes", "Y"),
        ("yes_no", "N", "N"),
    ],
)
def test_codes_are_matched_by_label_short_code_or_name(codes, cell, code):
    assert SPEC.codes[codes].find(cell) == code


def test_headers_match_ignoring_case_spacing_and_punctuation():
    found, unknown, missing = SPEC.list("referrals").match_headers(
        [
            "child unique id",
            "GENDER",
            "Ethnicity",
            "Date of Referral ",
            "Referral source",
            "Referral NFA",
            "Number of referrals in last 12 months",
            "Allocated team",
            "Allocated worker",
            "Comments",
        ]
    )
    assert found["child unique id"] == "child_id"
    assert found["Date of Referral "] == "referral_date"
    assert found["Referral NFA"] == "nfa"
    assert unknown == ["Comments"]
    assert missing == ["birth_date", "age"]


def test_a_workbook_is_read_with_row_numbers_and_typed():
    data = workbook(
        {
            "Notes": [["Anything"]],
            "List 3": [
                [*headers("referrals"), "Comments"],
                [
                    "C1",
                    "a) Male",
                    "a) WBRI",
                    "01/02/2015",
                    10,
                    "03/03/2025",
                    "q) 6: Police",
                    "b) No",
                    0,
                    "Team A",
                    "Worker 1",
                    "x",
                ],
                [
                    "C2",
                    "female",
                    "WBRI",
                    "2015-02-01",
                    "ten",
                    "31/02/2025",
                    "Police",
                    "Y",
                    2,
                    "Team A",
                    "Worker 1",
                    "",
                ],
            ],
        }
    )
    raw = read_annexa(data, "return.xlsx")
    assert raw.unknown_sheets == ["Notes"]
    assert raw.unknown_columns == {"referrals": 1}  # counted: a heading is never kept
    frame = typed_lists(raw)["referrals"]
    assert frame["_row"].to_list() == [2, 3]
    assert frame["gender"].to_list() == ["M", "F"]
    assert frame["birth_date"].to_list() == [date(2015, 2, 1)] * 2
    assert frame["age"].to_list() == [10, None]  # "ten" is not a number
    assert frame["referral_date"].to_list() == [date(2025, 3, 3), None]  # no 31 February
    assert frame["source"].to_list() == ["6", "6"]
    assert frame["nfa"].to_list() == ["N", "Y"]


def test_excel_dates_and_serial_numbers_are_read(tmp_path):
    import xlsxwriter

    path = tmp_path / "dates.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("List 1")
    sheet.write_row(0, 0, headers("contacts"))
    sheet.write_row(1, 0, ["C1", "M", "WBRI"])
    sheet.write_datetime(
        1,
        5,
        __import__("datetime").datetime(2025, 3, 3),
        book.add_format({"num_format": "dd/mm/yyyy"}),
    )
    sheet.write_row(2, 0, ["C2", "M", "WBRI", "", "", 45719])  # 2025-03-03 as a serial number
    book.close()
    frame = typed_lists(read_annexa(path))["contacts"]
    assert frame["contact_date"].to_list() == [date(2025, 3, 3)] * 2


@settings(max_examples=80)
@given(
    cells=st.lists(
        st.one_of(
            st.none(),
            st.dates().map(lambda day: f"{day:%d/%m/%Y}"),
            st.dates().map(lambda day: f"{day:%-d/%-m/%y}"),
            st.dates().map(lambda day: f"{day:%Y-%m-%d}"),
            st.integers(0, 99999).map(str),
            st.text(alphabet="0123456789/-. :", max_size=12),
        ),
        max_size=12,
    )
)
def test_a_date_column_reads_as_every_cell_through_parse_dates(cells):
    """The fast path (Annex A's dd/mm/yyyy over the whole column, the rest one distinct text at
    a time) gives what `parse_dates` gives each cell on its own."""
    values = pl.Series(cells, dtype=pl.String)
    one_by_one = pl.select(parse_dates(pl.lit(values))).to_series()
    assert date_column(values).equals(one_by_one, check_names=False)


@settings(max_examples=80)
@given(
    cells=st.lists(
        st.one_of(
            st.none(),
            st.integers(-(10**20), 10**20).map(str),
            st.integers(-99, 99).map(lambda number: f"{number}.{'0' * (abs(number) % 4)}"),
            st.text(alphabet="0123456789+-. e", max_size=8),
        ),
        max_size=12,
    )
)
def test_an_integer_column_reads_as_every_cell_through_parse_integers(cells):
    """The fast path (a plain cast over the whole column, the rest one distinct text at a
    time) gives what `parse_integers` gives each cell on its own."""
    values = pl.Series(cells, dtype=pl.String)
    one_by_one = pl.select(parse_integers(pl.lit(values))).to_series()
    assert integer_column(values).equals(one_by_one, check_names=False)


def _spellings(codes):
    """Every spelling the spec gives a code set, and each in other cases."""
    spelled = sorted(SPEC.codes[codes].spelled)
    return st.sampled_from(spelled).flatmap(
        lambda text: st.sampled_from([text, text.lower(), text.upper(), f"{text}: more"])
    )


@settings(max_examples=80)
@given(
    codes=st.sampled_from(sorted(SPEC.codes)),
    data=st.data(),
)
def test_a_code_column_reads_as_every_cell_through_find(codes, data):
    """The fast path (each spelling as the spec writes it, over the whole column; the rest one
    distinct text at a time) gives what `CodeSet.find` gives each cell on its own."""
    code_set = SPEC.codes[codes]
    cells = data.draw(
        st.lists(st.one_of(st.none(), _spellings(codes), st.text(max_size=10)), max_size=12)
    )
    values = pl.Series(cells, dtype=pl.String)
    one_by_one = [None if cell is None else code_set.find(cell) for cell in cells]
    assert code_column(values, code_set).to_list() == one_by_one


def test_a_file_that_is_not_a_workbook_is_a_read_error():
    with pytest.raises(ReadError):
        read_annexa(b"PK\x03\x04 not really a zip", "broken.xlsx")


@settings(max_examples=60)
@given(cells=st.lists(st.text(max_size=20), min_size=1, max_size=8))
def test_garbage_cells_never_crash_the_reader(cells):
    data = workbook({"List 1": [headers("contacts"), cells]})
    raw = read_annexa(data, "garbage.xlsx")
    typed_lists(raw)


CHILD_ROW = ["C-7731", "a) Male", "a) WBRI", "14/02/2015", 10, "03/03/2025", "q) 6: Police"]


def test_a_list_without_its_header_row_is_refused_with_its_place():
    """docs/security.md #21: without its header row a list's first row is a child's, and read
    as headings it would be kept as "columns not in Annex A". It is refused instead, located by
    file, sheet and row, and the message repeats nothing from the row."""
    data = workbook({"List 1": [headers("contacts"), ["C1"]], "List 3": [CHILD_ROW, CHILD_ROW]})
    with pytest.raises(ReadError) as refused:
        read_annexa(data, "return.xlsx")
    (problem,) = refused.value.problems
    assert (problem.file, problem.sheet, problem.row) == ("return.xlsx", "List 3", 1)
    assert problem.where == "return.xlsx, sheet 'List 3', row 1"
    assert "List 3: Referrals" in problem.message
    assert not any(str(cell) in str(refused.value) for cell in CHILD_ROW if cell != 10)


def test_a_csv_list_without_its_header_row_is_refused_with_its_place(tmp_path):
    (tmp_path / "List 3.csv").write_text(",".join(str(cell) for cell in CHILD_ROW) + "\n")
    with pytest.raises(ReadError) as refused:
        read_annexa(tmp_path)
    (problem,) = refused.value.problems
    assert (problem.file, problem.sheet, problem.row) == ("List 3.csv", "", 1)
    assert "C-7731" not in str(refused.value)


def test_headings_that_are_not_annex_a_are_counted_never_kept():
    data = workbook({"List 3": [[*headers("referrals"), "Jane Doe 14/02/2015", "Notes"], ["C1"]]})
    raw = read_annexa(data, "return.xlsx")
    assert raw.unknown_columns == {"referrals": 2}
    assert "Jane Doe" not in repr(raw)
