"""PDF plans read through pdfplumber and the one mapper: the seed plans saved as PDF import as
their text does; page furniture is left out; what a hostile PDF may cost is bounded; any bytes
either read or are refused with ReadError (docs/security.md #4, #5)."""

from datetime import date
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from g2g.core.problems import ReadError
from g2g.importers import pdf_reader
from g2g.importers.draft import PlanDraft
from g2g.importers.pdf_reader import MAX_PAGE_DRAWINGS, pdf_lines, read_pdf_plan
from g2g.importers.services import read_plan_upload
from g2g.importers.text_reader import read_text_plan
from tests.security.hostile_corpus import CATALOG, FONT, page, pdf, stream
from tests.seed_files import SEEDS

from .builders import html_table, pdf_from_html, pdf_from_seed

TAMESIDE = SEEDS / "tameside-improvement-plan-2023.txt"
OLDHAM = SEEDS / "oldham-improvement-plan-2019-21.txt"

pytestmark: list = []  # no database


@cache
def seed_pdf(path: Path) -> bytes:
    return pdf_from_seed(path.read_text(encoding="utf-8"))


def fields(draft: PlanDraft) -> list[tuple]:
    return [
        (
            priority.number,
            priority.title,
            action.ref,
            action.objective,
            action.text,
            tuple(action.leads),
            action.timescale_text,
            action.start,
            action.end,
            action.evidence_of_success,
            tuple(action.sources),
        )
        for priority in draft.priorities
        for action in priority.actions
    ]


@pytest.mark.parametrize("seed", [OLDHAM, TAMESIDE], ids=["oldham", "tameside"])
def test_a_seed_saved_as_pdf_imports_as_its_text(seed):
    text = seed.read_text(encoding="utf-8")
    draft = read_plan_upload("plan.pdf", seed_pdf(seed))
    assert fields(draft) == fields(read_text_plan(text))
    assert all(problem.where.startswith("plan.pdf, page ") for problem in draft.problems)


def test_a_row_split_over_pages_is_joined_and_located():
    draft = read_pdf_plan(seed_pdf(OLDHAM), source="oldham.pdf")
    joined = [p for p in draft.problems if "split by a page break" in p.message]
    assert joined
    assert all(", table " in p.where and ", row " in p.where for p in joined)


def test_running_headers_and_page_numbers_are_left_out():
    rows = [(("Ref", "Action", "Lead", "Timescale"), False)]
    rows += [
        ((f"1.{n}", f"Action number {n}", "Head of Service", "March 2025"), False)
        for n in range(1, 80)
    ]
    style = "@page { size: A4; @top-center { content: 'Northshire improvement plan'; } }"
    style += "@page { @bottom-right { content: 'Page ' counter(page) ' of ' counter(pages); } }"
    style += "td { border: 0.75pt solid black; } table { border-collapse: collapse; }"
    data = pdf_from_html("<h1>Northshire improvement plan</h1>" + html_table(rows), style)
    texts = [line.text for line in pdf_lines(data, "plan.pdf") if line.cells is None]
    assert not any("Page" in text for text in texts)
    assert texts.count("Northshire improvement plan") <= 1
    draft = read_pdf_plan(data, source="plan.pdf")
    assert [a.ref for a in draft.actions] == [f"1.{n}" for n in range(1, 80)]


def test_a_cell_keeps_its_paragraphs_and_bullets_and_joins_wrapped_lines():
    rows = [
        (("Ref", "Action", "Lead", "Timescale"), False),
        (
            (
                "1.1",
                "Improve the quality of assessments so that they analyse risk and the capacity "
                "of parents to meet children's needs.\n• Training for all social workers\n"
                "• Monthly audits",
                "Head of Service",
                "From Nov 23",
            ),
            False,
        ),
    ]
    data = pdf_from_html(html_table(rows))
    (action,) = read_pdf_plan(data, source="plan.pdf").actions
    assert action.text == (
        "Improve the quality of assessments so that they analyse risk and the capacity of "
        "parents to meet children's needs.\n\n• Training for all social workers\n• Monthly audits"
    )
    assert (action.start, action.end) == (date(2023, 11, 1), None)


def test_a_pdf_without_a_plan_table_is_refused_with_its_reason():
    data = pdf_from_html("<p>Minutes of the improvement board</p>")
    with pytest.raises(ReadError) as caught:
        read_plan_upload("minutes.pdf", data)
    assert "no plan table found" in str(caught.value)


def test_a_scanned_pdf_is_refused():
    data = pdf(CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page(), stream(b""), FONT)
    with pytest.raises(ReadError, match="no text layer"):
        pdf_lines(data, "scan.pdf")


# ---------------------------------------------------------------------------------------------
# Bounds: what a hostile PDF can make the reader do


def pages_of(count: int, operators: bytes) -> bytes:
    """`count` pages sharing one content stream."""
    content = stream(operators, compress=True)
    kids = b" ".join(b"%d 0 R" % (6 + n) for n in range(count))
    pages = [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>"
    ] * count
    tree = b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count
    return pdf(CATALOG, tree, page(), content, FONT, *pages)


def boxes(count: int) -> bytes:
    return b"".join(b"%d %d 5 5 re S " % (i % 100 * 6, i // 100 * 6) for i in range(count))


def text(lines: int) -> bytes:
    return b"BT /F1 6 Tf 7 TL 10 780 Td " + b"(Inspection report text) Tj T* " * lines + b"ET"


@pytest.mark.parametrize(
    ("data", "pages", "message"),
    [
        (pages_of(12, text(470)), 12, "more text and drawing than a plan"),
        (pages_of(9, boxes(1_990)), 9, "more text and drawing than a plan"),
        (pages_of(1, boxes(MAX_PAGE_DRAWINGS + 1)), 1, "lines and boxes"),
        (pages_of(1, text(600)), 1, "characters"),
        (pages_of(60, b"BT /F1 1 Tf " + b"(Inspection) Tj " * 1_150 + b"ET"), 60, "drawing instr"),
        (pages_of(121, text(1)), 121, "121 pages"),
    ],
    ids=["text", "boxes", "boxes-on-a-page", "text-on-a-page", "instructions", "pages"],
)
def test_a_pdf_that_would_take_too_long_is_refused_in_time(data, pages, message, monkeypatch):
    """Refused by the reader's budget before every page is laid out (laying out is the costly
    step); how long a refusal takes is measured by `make bench`, not asserted here."""
    laid_out = []
    lay_out = pdf_reader._page_lines
    monkeypatch.setattr(
        pdf_reader,
        "_page_lines",
        lambda page, number: laid_out.append(number) or lay_out(page, number),
    )
    with pytest.raises(ReadError, match=message):
        pdf_lines(data, "plan.pdf")
    assert len(laid_out) < pages


def test_a_font_that_unpacks_to_far_more_than_a_font_is_refused():
    bomb = stream(bytes(40 * 1024 * 1024), compress=True)
    font = b"<< /Type /Font /Subtype /TrueType /BaseFont /X /FontDescriptor 7 0 R >>"
    descriptor = b"<< /Type /FontDescriptor /FontName /X /FontFile2 6 0 R >>"
    data = pdf(
        CATALOG,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        page(),
        stream(text(1)),
        font,
        bomb,
        descriptor,
    )
    with pytest.raises(ReadError, match="font"):
        pdf_lines(data, "plan.pdf")


# ---------------------------------------------------------------------------------------------
# Never a crash


def reads_or_refuses(data: bytes) -> None:
    try:
        draft = read_plan_upload("plan.pdf", data)
    except ReadError as error:
        draft = error
    if isinstance(draft, ReadError):
        assert draft.problems, "a refusal says why"
    else:
        assert isinstance(draft, PlanDraft)


def corrupted(data: bytes) -> st.SearchStrategy[bytes]:
    cut = st.integers(0, len(data)).map(lambda end: data[:end])
    spliced = st.tuples(st.integers(0, len(data)), st.binary(min_size=1, max_size=64)).map(
        lambda at: data[: at[0]] + at[1] + data[at[0] + len(at[1]) :]
    )
    return cut | spliced


SMALL = pdf_from_html(
    html_table(
        [
            (("Ref", "Action", "Lead", "Timescale"), False),
            (("1.1", "Improve assessments", "Head of Service", "March 2025"), False),
        ]
    )
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corrupted(SMALL) | st.binary(max_size=2000).map(b"%PDF-1.7\n".__add__))
def test_any_pdf_bytes_read_or_are_refused(data):
    reads_or_refuses(data)


def test_the_small_pdf_reads():
    assert [a.ref for a in read_plan_upload("plan.pdf", SMALL).actions] == ["1.1"]
