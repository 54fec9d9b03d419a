"""Reading: lenient sheet names, headers and codes; unknown sheets and columns reported."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from g2g.annexa.reader import AnnexAReadError, find_code, read_annexa, typed_lists
from g2g.annexa.spec import load_spec

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
    assert find_code(cell, SPEC.codes["gender"]) == code


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
    assert find_code(cell, SPEC.codes[codes]) == code


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
    assert raw.unknown_columns == {"referrals": ["Comments"]}
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


def test_a_file_that_is_not_a_workbook_is_a_read_error():
    with pytest.raises(AnnexAReadError):
        read_annexa(b"PK\x03\x04 not really a zip", "broken.xlsx")


@settings(max_examples=60)
@given(cells=st.lists(st.text(max_size=20), min_size=1, max_size=8))
def test_garbage_cells_never_crash_the_reader(cells):
    data = workbook({"List 1": [headers("contacts"), cells]})
    raw = read_annexa(data, "garbage.xlsx")
    typed_lists(raw)
