"""Data-quality checks on small workbooks, each planted problem found at its row."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from g2g.annexa.analysis import analyse
from g2g.annexa.spec import load_spec

from .builders import headers, workbook

SNAPSHOT = date(2025, 3, 31)
PERSON = ["C1", "a) Male", "a) WBRI", "01/02/2015", 10]


def referral(child="C1", day="03/03/2025", birth="01/02/2015", gender="a) Male", worker="W1"):
    return [child, gender, "a) WBRI", birth, 10, day, "q) 6: Police", "b) No", 0, "Team", worker]


def issues(data: bytes) -> dict:
    report = analyse(data, "test.xlsx", SNAPSHOT).quality
    return {(i.list_key, i.column, i.check): i.rows for i in report.issues}


def test_a_clean_list_has_no_problems():
    assert issues(workbook({"List 3": [headers("referrals"), referral()]})) == {}


def test_each_problem_is_found_at_its_row():
    rows = [
        headers("referrals"),
        referral(),  # row 2: clean
        referral(child="C2", worker=""),  # row 3: allocated worker missing
        referral(child="C3", gender="Boy?"),  # row 4: not a gender code
        referral(child="C4", day="31/02/2025"),  # row 5: not a date
        referral(child="C5", day="01/05/2025"),  # row 6: after the snapshot
        referral(child="C6", birth="04/03/2025"),  # row 7: born after the referral
        referral(),  # row 8: the same as row 2
    ]
    found = issues(workbook({"List 3": rows}))
    assert found == {
        ("referrals", "worker", "missing"): [3],
        ("referrals", "gender", "invalid_code"): [4],
        ("referrals", "referral_date", "invalid_date"): [5],
        ("referrals", "referral_date", "future_date"): [6],
        ("referrals", "birth_date", "birth_after_event"): [7],
        ("referrals", "child_id", "duplicate"): [8],
    }


def test_an_end_before_its_start_is_found():
    row = [
        *PERSON,
        "a) No" if False else "b) No",
        "10/03/2025",
        "a) Yes",
        "01/03/2025",
        "",
        "T",
        "W",
    ]
    found = issues(workbook({"List 4": [headers("assessments"), row]}))
    assert found == {("assessments", "authorised_date", "end_before_start"): [2]}


def test_problems_across_lists():
    s47 = headers("section_47")
    plan = headers("child_protection")
    person = [*PERSON, "b) No"]
    found = issues(
        workbook(
            {
                "List 5": [
                    s47,
                    # row 2: an ICPC that made a plan, for a child not on List 7
                    [*person, "03/03/2025", "b) No", "10/03/2025", "a) Yes", 1, 1, "T", "W"],
                    # row 3: an ICPC with no section 47 start date
                    [
                        *["C9", *PERSON[1:]],
                        "b) No",
                        "",
                        "b) No",
                        "10/03/2025",
                        "b) No",
                        1,
                        1,
                        "T",
                        "W",
                    ],
                ],
                "List 7": [
                    plan,
                    # row 2: a plan started in the window; its child has no ICPC
                    [
                        *["C7", *PERSON[1:]],
                        "b) No",
                        "05/03/2025",
                        "a) Neglect",
                        "a) Neglect",
                        "20/03/2025",
                        "a) Yes",
                        "",
                        "",
                        "b) No",
                        0,
                        "T",
                        "W",
                    ],
                ],
            }
        )
    )
    assert found == {
        ("section_47", "icpc_to_plan", "icpc_plan_not_in_cp_list"): [2],
        ("section_47", "s47_start_date", "icpc_without_s47"): [3],
        ("section_47", "s47_start_date", "missing"): [3],
        ("child_protection", "start_date", "cp_plan_without_icpc"): [2],
    }


def test_unknown_sheets_and_columns_are_reported_not_fatal():
    report = analyse(
        workbook(
            {
                "Read me": [["x"]],
                "List 3": [[*headers("referrals")[:-1], "Extra"], referral()[:-1] + ["?"]],
            }
        ),
        "test.xlsx",
        SNAPSHOT,
    ).quality
    assert report.unknown_sheets == ["Read me"]
    assert report.unknown_columns == {"referrals": 1}  # how many, never the headings
    assert report.missing_columns == {"referrals": ["worker"]}
    assert all(issue.column != "worker" for issue in report.issues)  # reported once, above


@settings(max_examples=60)
@given(
    keys=st.lists(
        st.tuples(
            st.sampled_from(["C1", "C2", ""]),
            st.sampled_from(["01/03/2025", "2025-03-01", "02/03/2025", ""]),
            st.sampled_from(["q) 6: Police", "6", "a) 1A: Individual", "1A", ""]),
        ),
        max_size=14,
    )
)
def test_a_duplicate_is_a_row_whose_keys_all_given_an_earlier_row_has(keys):
    """Referrals are one a child, referral date and source: compared as read (the same date or
    code however written), a row missing any of them is nobody's duplicate."""
    rows = [referral(child=child, day=day) for child, day, _source in keys]
    for row, (_child, _day, source) in zip(rows, keys, strict=True):
        row[6] = source
    spec = load_spec()
    seen, expected = set(), []
    for number, (child, day, source) in enumerate(keys, start=2):
        read = (child, DAYS.get(day), spec.codes["source"].find(source) if source else None)
        if None not in read and "" not in read:
            if read in seen:
                expected.append(number)
            seen.add(read)
    found = issues(workbook({"List 3": [headers("referrals"), *rows]}))
    assert found.get(("referrals", "child_id", "duplicate"), []) == expected


DAYS = {
    "01/03/2025": date(2025, 3, 1),
    "2025-03-01": date(2025, 3, 1),
    "02/03/2025": date(2025, 3, 2),
}
