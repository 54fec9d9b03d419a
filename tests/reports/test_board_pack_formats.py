"""Board pack files that look like a council's: named for the authority and month, a PDF with a
cover, contents, protective marking and tags, Word in A4 with running headers and shaded
ratings, Excel with numbers as numbers (issue 17)."""

import gc
import io
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pdfplumber
import pytest
from django.core.management import call_command
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from g2g.core.collector import full_collections_paused
from g2g.core.dates import add_months, current_period
from g2g.measures.models import ComparatorValue, MeasureValue, Milestone
from g2g.plans.models import Rating, rating_look
from g2g.reports.board_pack import build_board_pack
from g2g.reports.outputs import (
    _charts_only,
    pack_context,
    pack_data,
    pack_pdf,
    pack_print_html,
    print_html,
)
from g2g.tenancy.models import Role
from tests.factories import MeasureFactory
from tests.reports.test_board_pack import rate

pytestmark = pytest.mark.django_db


def month() -> str:
    return f"{current_period():%Y-%m}"


def test_the_command_names_the_file_for_the_authority_and_month(world, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    call_command(
        "board_pack", "--authority", world.authority.name, "--period", month(), "--format", "xlsx"
    )
    assert [path.name for path in tmp_path.iterdir()] == [f"northshire-board-pack-{month()}.xlsx"]


@pytest.mark.parametrize("kind", ["docx", "xlsx", "pdf"])
def test_downloads_are_named_for_the_authority_and_month(client, world, kind):
    client.force_login(world.users[Role.VIEWER])
    response = client.get(
        f"/{world.authority.slug}/reports/board-pack/download/",
        {"format": kind, "period": month()},
    )
    if kind != "xlsx":  # made in the background (tests/reports/test_pack_files.py): its page
        response = client.get(f"{response['Location']}download/")
    assert response.status_code == 200
    expected = f'attachment; filename="northshire-board-pack-{month()}.{kind}"'
    assert response["Content-Disposition"] == expected


def with_values(world) -> None:
    """Three months of the world's measure (a percentage), a trajectory from 60% to 70% and
    England's figure."""
    period = current_period()
    for months_ago, value in ((2, "61.5"), (1, "64"), (0, "66.8")):
        MeasureValue.objects.create(
            measure=world.measure, period=add_months(period, -months_ago), value=Decimal(value)
        )
    Milestone.objects.create(measure=world.measure, due=add_months(period, -2), value=60)
    Milestone.objects.create(measure=world.measure, due=add_months(period, 6), value=70)
    ComparatorValue.objects.create(
        measure=world.measure, period=period, kind="england", value=Decimal("71.2")
    )


def command_file(world, tmp_path, kind: str) -> Path:
    output = tmp_path / f"pack.{kind}"
    call_command(
        "board_pack", "--authority", world.authority.name, "--period", month(), "--format", kind,
        "--output", str(output), stdout=io.StringIO(),
    )  # fmt: skip
    return output


# ---------------------------------------------------------------------------------------------
# PDF


@pytest.fixture
def pdf(world, tmp_path, settings) -> PdfReader:
    settings.G2G_PACK_CHARTS = "all"  # the measure is on track: chart it anyway
    with_values(world)
    return PdfReader(command_file(world, tmp_path, "pdf"))


def test_the_pdf_is_a4_portrait_tagged_titled_and_in_british_english(pdf):
    a4 = (595.28, 841.89)  # points
    for page in pdf.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            a4, abs=0.5
        )
    root = pdf.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert pdf.metadata.title == f"Northshire improvement board pack: {current_period():%B %Y}"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712


def test_the_pdf_opens_with_a_cover_and_contents_then_the_summary(pdf):
    cover, summary = (" ".join(page.extract_text().split()) for page in pdf.pages[:2])
    assert "Northshire" in cover
    assert f"board pack: {current_period():%B %Y}" in cover
    assert f"Period {current_period():%B %Y}" in cover
    assert "Protective marking" in cover
    assert "OFFICIAL" in cover
    assert "Contents" in cover  # the contents share the cover's page
    for section in ("Summary", "Ratings by priority", "Exceptions", "Scorecard"):
        assert section in cover
    assert "Last governance meeting" in cover
    assert "open action" not in cover  # the sections start on the next page
    assert summary.split("Summary", 1)[1].lstrip().startswith("At ")  # the summary's words
    assert "Drafted from the data" in summary


def test_every_pdf_page_carries_the_marking_authority_and_page_x_of_y(world, tmp_path, settings):
    settings.G2G_PROTECTIVE_MARKING = "OFFICIAL-SENSITIVE"
    pages = PdfReader(command_file(world, tmp_path, "pdf")).pages
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert text.count("OFFICIAL-SENSITIVE") >= 2  # header and footer
        assert "Northshire" in text
        assert f"Page {number} of {len(pages)}" in text


def figures(node) -> list:
    """The /Figure elements of a PDF structure tree, depth first."""
    node = node.get_object()
    found = []
    if isinstance(node, ArrayObject):
        for child in node:
            found += figures(child)
    elif isinstance(node, DictionaryObject):
        if node.get("/S") == "/Figure":
            found.append(node)
        if "/K" in node:
            found += figures(node["/K"])
    return found


def test_every_chart_in_the_pdf_has_alternative_text(pdf):
    charts = figures(pdf.trailer["/Root"]["/StructTreeRoot"])
    assert charts  # the measure's trend chart
    for chart in charts:
        assert chart["/Alt"].startswith("Line chart of Measure only-in-northshire by month")


def test_the_pdfs_charts_are_rgb_images_without_a_mask_and_nothing_else_is_fetched(world, settings):
    """The chart's PNG is handed to WeasyPrint by its private address, not as a data: URI, and
    as RGB (no alpha mask to split off); any other address is refused, not fetched."""
    settings.G2G_PACK_CHARTS = "all"
    with_values(world)
    pack = build_board_pack(world.plan, current_period())
    context = pack_context(pack, png=True)
    (_status, chart), *_ = context["charts"]
    printed = print_html(context)
    assert f'src="{chart.png_url}"' in printed
    assert "data:image" not in printed
    images = {  # the pages share their resources
        xobject.idnum: xobject.get_object()
        for page in PdfReader(io.BytesIO(pack_pdf(pack))).pages
        for xobject in page["/Resources"].get("/XObject", {}).values()
        if xobject.get_object()["/Subtype"] == "/Image"
    }
    assert len(images) == len(context["charts"])
    for image in images.values():
        assert (image["/Width"], image["/Height"]) == (960, 480)
        assert image["/ColorSpace"] == "/DeviceRGB"
        assert "/SMask" not in image
    with pytest.raises(ValueError, match="not one of the pack's charts"):
        _charts_only({}).fetch("file:///etc/passwd")


def test_no_full_garbage_collection_runs_while_the_pdf_is_made(world, monkeypatch):
    """A big pack's objects, living until the PDF is written, are not walked again and again by
    full collections (a second of the worker's time at 50 charts); the collector's thresholds
    are put back afterwards, also when pauses overlap."""
    from weasyprint import HTML

    thresholds = gc.get_threshold()
    full = []
    write_pdf = HTML.write_pdf

    def as_big_as_a_big_pack(document, *args, **kwargs):
        kept = [[index] for index in range(400_000)]  # enough, left alone, for full collections
        with full_collections_paused():  # overlapping pauses put back the first's thresholds
            pdf = write_pdf(document, *args, **kwargs)
        return pdf, len(kept)

    def record(phase, info):
        if phase == "start" and info["generation"] == 2:
            full.append(info)

    monkeypatch.setattr(HTML, "write_pdf", as_big_as_a_big_pack)
    gc.callbacks.append(record)
    try:
        pdf, _kept = pack_pdf(build_board_pack(world.plan, current_period()))
    finally:
        gc.callbacks.remove(record)
    assert pdf.startswith(b"%PDF")
    assert full == []
    assert gc.get_threshold() == thresholds


# ---------------------------------------------------------------------------------------------
# Word


@pytest.fixture
def word(world, tmp_path):
    rate(world.led_action, Rating.RED)
    return Document(command_file(world, tmp_path, "docx"))


def test_word_is_a4_portrait_in_british_english(word):
    section = word.sections[0]
    assert section.page_width == pytest.approx(Mm(210), abs=Mm(0.1))
    assert section.page_height == pytest.approx(Mm(297), abs=Mm(0.1))
    assert word.core_properties.language == "en-GB"
    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        language = word.styles[name].element.rPr.find(qn("w:lang"))
        assert language.get(qn("w:val")) == "en-GB", name


def instructions(part) -> list[str]:
    return [text.text.strip() for text in part._element.iter(qn("w:instrText"))]


def test_word_headers_and_footers_carry_the_marking_authority_and_page_number(word):
    section = word.sections[0]
    header = "\n".join(p.text for p in section.header.paragraphs)
    footer = "\n".join(p.text for p in section.footer.paragraphs)
    assert "OFFICIAL" in header
    assert "Northshire" in header
    assert "OFFICIAL" in footer
    assert "Northshire" in footer
    assert instructions(section.footer) == ["PAGE", "NUMPAGES"]


def test_word_opens_with_a_cover_and_uses_real_heading_styles(word):
    styles = [(p.style.name, p.text) for p in word.paragraphs]
    assert styles[0] == ("Normal", "OFFICIAL")
    assert ("Title", f"Northshire improvement board pack: {current_period():%B %Y}") in styles
    headings = {text for style, text in styles if style == "Heading 1"}
    assert {"Contents", "Summary", "Ratings by priority", "Exceptions", "Scorecard"} <= headings
    assert {"Last governance meeting", "Upcoming deadlines"} <= headings
    summary = [text for _, text in styles[styles.index(("Heading 1", "Summary")) + 1 :]]
    assert summary[0].startswith("At ")  # the summary's first paragraph, drafted from the data


def shading(cell) -> str | None:
    shade = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
    return None if shade is None else shade.get(qn("w:fill"))


def test_word_shades_rating_cells_with_their_colour_and_keeps_the_word(word, world):
    exceptions = next(t for t in word.tables if t.rows[0].cells[2].text == "Action rating")
    row = next(r for r in exceptions.rows if r.cells[0].text == world.led_action.ref)
    assert row.cells[2].text == "Red"
    assert shading(row.cells[2]) == rating_look(Rating.RED).fill
    assert row.cells[3].text == "Not rated"
    assert shading(row.cells[3]) is None
    ratings = next(t for t in word.tables if t.rows[0].cells[0].text == "Priority")
    headed = {cell.text: shading(cell) for cell in ratings.rows[0].cells}
    assert headed["Red"] == rating_look(Rating.RED).fill
    assert headed["Not rated"] == "D9D9D9"  # a header's grey, as Not rated has no colour
    for table in word.tables:
        assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")).get(qn("w:val")) == "true"


# ---------------------------------------------------------------------------------------------
# Excel


@pytest.fixture
def workbook(world, tmp_path):
    with_values(world)
    rate(world.led_action, Rating.RED)
    return openpyxl.load_workbook(command_file(world, tmp_path, "xlsx"))


def header_and_rows(sheet) -> tuple[list, list[list]]:
    rows = list(sheet.iter_rows(min_row=2))
    return [c.value for c in rows[0]], rows[1:]


def test_excel_has_a_sheet_per_section_with_the_header_row_frozen(workbook):
    assert workbook.sheetnames == [
        "Cover", "Summary", "Ratings by priority", "Exceptions", "Slippage log", "Scorecard",
        "Recommendation coverage", "Last governance meeting", "Upcoming deadlines",
        "Progress by action",
    ]  # fmt: skip
    summary = [row[0].value for row in workbook["Summary"].iter_rows()]
    assert summary[0] == "Summary"
    assert summary[1].startswith("At ")  # a paragraph a row
    for sheet in workbook.worksheets[2:]:
        assert sheet.freeze_panes == "A3"  # the title and the header row stay in view
    cover = [row[0].value for row in workbook["Cover"].iter_rows()]
    assert cover[0] == "OFFICIAL"
    assert workbook["Cover"].oddHeader.center.text == "OFFICIAL"


def test_excel_scorecard_values_are_numbers_with_formats_and_comparators(workbook, world):
    header, rows = header_and_rows(workbook["Scorecard"])
    assert {"Latest", "Target", "England", "Statistical neighbours", "Region"} <= set(header)
    row = {name: cell for name, cell in zip(header, rows[0], strict=True)}
    assert row["Measure"].value == world.measure.name
    assert row["Latest"].value == pytest.approx(0.668)
    assert row["Latest"].number_format == "0.0%"  # shown "66.8%", a number not text
    assert row["Target"].number_format == "0.0%"
    assert 0.60 < row["Target"].value < 0.70  # on the trajectory from 60% to 70%
    assert row["England"].value == pytest.approx(0.712)
    assert row["England"].number_format == "0.0%"
    assert row["Month"].is_date
    assert row["Region"].value is None


def test_excel_counts_and_changes_are_numbers_and_ratings_are_shaded_words(workbook):
    header, rows = header_and_rows(workbook["Ratings by priority"])
    assert header == [
        "Priority", "Rating of", "Blue", "Blue change", "Green", "Green change", "Amber",
        "Amber change", "Red", "Red change", "Not rated", "Not rated change", "Open",
    ]  # fmt: skip
    action = next(row for row in rows if row[1].value == "Action")
    red = header.index("Red")
    assert action[red].value == 1
    assert isinstance(action[red].value, int)
    assert action[red + 1].value == 1  # one more than at the last pack
    assert action[red + 1].number_format == '+0;-0;"no change"'
    _, exceptions = header_and_rows(workbook["Exceptions"])
    assert exceptions[0][2].value == "Red"
    assert exceptions[0][2].fill.fgColor.rgb.endswith(rating_look(Rating.RED).fill)


def test_the_pdf_reads_in_one_column(world, tmp_path, settings):
    """Each measure under the last: every chart starts at the same left edge."""
    settings.G2G_PACK_CHARTS = "all"
    second = MeasureFactory(authority=world.authority, plan=world.plan, name="Second measure")
    for measure in (world.measure, second):
        for months_ago in (1, 0):
            MeasureValue.objects.create(
                measure=measure, period=add_months(current_period(), -months_ago), value=50
            )
    with pdfplumber.open(command_file(world, tmp_path, "pdf")) as document:
        images = [image for page in document.pages for image in page.images]
    assert len(images) == 2
    assert images[0]["x0"] == pytest.approx(images[1]["x0"], abs=1)


def test_saved_packs_download_named_for_the_authority_and_month(client, world):
    client.force_login(world.users[Role.VIEWER])
    saved = world.saved_pack
    response = client.get(f"/{world.authority.slug}/reports/saved/{saved.pk}/?format=docx")
    name = f"northshire-board-pack-{saved.period:%Y-%m}-saved-{saved.pk}.docx"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'


def test_the_json_pack_names_its_protective_marking(world, settings):
    settings.G2G_PROTECTIVE_MARKING = "OFFICIAL-SENSITIVE"
    data = pack_data(build_board_pack(world.plan, current_period()))
    assert data["protective_marking"] == "OFFICIAL-SENSITIVE"


@pytest.mark.parametrize(
    ("choice", "latest", "charted"),
    [
        ("off-track", "66.8", False),  # above its trajectory: Green, words only
        ("off-track", "40", True),  # far below: off track, charted
        ("all", "66.8", True),
        ("none", "40", False),
    ],
)
def test_charts_are_drawn_for_the_measures_the_setting_names(
    world, settings, choice, latest, charted
):
    settings.G2G_PACK_CHARTS = choice
    with_values(world)
    value = MeasureValue.objects.get(measure=world.measure, period=current_period())
    value.value = Decimal(latest)
    value.save()  # the pack reads history
    pack = build_board_pack(world.plan, current_period())
    ((status, chart),) = pack_context(pack)["measures"]
    assert (chart is not None) == charted
    assert status.assessment.rating == ("green" if latest == "66.8" else "red")


# ---------------------------------------------------------------------------------------------
# One pack, the same words in every format


def web_pack(client, world) -> str:
    client.force_login(world.users[Role.VIEWER])
    response = client.get(f"/{world.authority.slug}/reports/board-pack/", {"period": month()})
    assert response.status_code == 200
    return response.content.decode()


def between(html: str, start: str, end: str | None = None) -> str:
    """The words of the page from the heading with id `start` to the one with id `end`."""
    part = html[html.index(f'id="{start}"') :]
    part = part[: part.index(f'id="{end}"')] if end else part
    return " ".join(re.sub(r"<[^>]+>", " ", part).split())


def test_a_measure_without_a_target_says_no_target_in_every_format(client, world, tmp_path):
    """Issue 17: Word and Excel said "Not rated" where the page and the PDF said "No target"."""
    MeasureValue.objects.create(measure=world.measure, period=current_period(), value=66)
    word = Document(command_file(world, tmp_path, "docx"))
    table = next(t for t in word.tables if t.rows[0].cells[0].text == "Measure")
    header = [cell.text for cell in table.rows[0].cells]
    (row,) = table.rows[1:]
    assert row.cells[header.index("Rating")].text == "No target"
    header, rows = header_and_rows(
        openpyxl.load_workbook(command_file(world, tmp_path, "xlsx"))["Scorecard"]
    )
    assert rows[0][header.index("Rating")].value == "No target"
    assert rows[0][header.index("Rating")].fill.fgColor.rgb == "00000000"  # no rating's colour
    printed = pack_print_html(build_board_pack(world.plan, current_period()))
    for html in (web_pack(client, world), printed):
        scorecard = between(html, "scorecard", "coverage")
        assert "No target" in scorecard
        assert "Not rated" not in scorecard
    data = pack_data(build_board_pack(world.plan, current_period()))
    assert data["scorecard"][0]["against_target"]["words"].startswith("No target")


def test_every_format_carries_each_open_action_s_progress_this_month(client, world, tmp_path):
    """The text of each open action's update for the month that counts; a draft is not shared."""
    words = "Twelve audits done; the panel met on 3 March & agreed the next steps."
    update = rate(world.led_action, Rating.GREEN)
    update.narrative = words
    update.synthetic_note = "A note on where these words come from."
    update.save()
    draft = rate(world.other_action, Rating.AMBER, status="draft")
    draft.narrative = "Draft words, not yet shared."
    draft.save()
    data = pack_data(build_board_pack(world.plan, current_period()))
    progress = {item["ref"]: item for item in data["progress"]}
    assert progress[world.led_action.ref]["progress"] == words
    assert progress[world.led_action.ref]["update"] == "Submitted"
    assert progress[world.led_action.ref]["note"] == "A note on where these words come from."
    assert progress[world.other_action.ref]["progress"] is None
    word = Document(command_file(world, tmp_path, "docx"))
    table = next(t for t in word.tables if t.rows[0].cells[-1].text.startswith("Progress in"))
    cells = {row.cells[0].text: row.cells[-1].text for row in table.rows[1:]}
    assert cells[world.led_action.ref] == words
    assert cells[world.other_action.ref] == "No update this month."
    paragraphs = [p.text for p in word.paragraphs]
    assert "A note on where these words come from." in paragraphs
    header, rows = header_and_rows(
        openpyxl.load_workbook(command_file(world, tmp_path, "xlsx"))["Progress by action"]
    )
    cells = {row[0].value: row[header.index(f"Progress in {current_period():%B %Y}")].value
             for row in rows}  # fmt: skip
    assert cells[world.led_action.ref] == words
    printed = pack_print_html(build_board_pack(world.plan, current_period()))
    for html in (web_pack(client, world), printed):
        section = between(html, "progress")
        assert words.replace("&", "&amp;") in section
        assert "No update this month." in section
        assert "Draft words" not in html
        assert "A note on where these words come from." in section


def test_paragraphs_and_bullets_typed_in_an_update_survive_into_word_and_the_pdf(world, tmp_path):
    """Issue 16: an update typed as a browser sends it (CRLF line endings) keeps its paragraphs
    and its "-" and "*" bullets in the pack's Word file and PDF."""
    update = rate(world.led_action, Rating.GREEN)
    update.narrative = (
        "Audit done.\r\n\r\nWhat changed:\r\n- fewer re-referrals\r\n* quicker visits"
    )
    update.save()
    word = Document(command_file(world, tmp_path, "docx"))
    table = next(t for t in word.tables if t.rows[0].cells[-1].text.startswith("Progress in"))
    cell = next(row.cells[-1] for row in table.rows if row.cells[0].text == world.led_action.ref)
    lines = [line for line in cell.text.splitlines() if line.strip()]
    assert lines == ["Audit done.", "What changed:", "- fewer re-referrals", "* quicker visits"]
    with pdfplumber.open(command_file(world, tmp_path, "pdf")) as pdf:
        page = next(page for page in pdf.pages if "Progress in" in page.extract_text())
        # The column headed "Progress in <month>", right of the heading "Progress by action".
        progress = [word for word in page.extract_words() if word["text"] == "Progress"]
        column = max(progress, key=lambda word: word["x0"])
        text = page.crop((column["x0"] - 1, column["top"], page.width, page.height)).extract_text()
    assert "Audit done.\nWhat changed:\n• fewer re-referrals\n• quicker visits\n" in text


def test_a_plan_the_demo_made_up_is_labelled_synthetic_on_every_format_s_cover(world, tmp_path):
    """The demo's own plan (`Plan.synthetic_note`) says so where each file names the plan;
    a council's plan carries no such label."""
    assert "Synthetic" not in pack_print_html(build_board_pack(world.plan, current_period()))
    assert (
        pack_data(build_board_pack(world.plan, current_period()))["plan"]["synthetic_note"] is None
    )
    note = "The demo made this plan up."
    world.plan.synthetic_note = note
    world.plan.save()
    pdf = PdfReader(command_file(world, tmp_path, "pdf"))
    assert f"Synthetic: {note}" in " ".join(pdf.pages[0].extract_text().split())
    word = Document(command_file(world, tmp_path, "docx"))
    paragraphs = [paragraph.text for paragraph in word.paragraphs]
    assert paragraphs[paragraphs.index(f"Plan: {world.plan.title}") + 1] == f"Synthetic: {note}"
    cover = openpyxl.load_workbook(command_file(world, tmp_path, "xlsx"))["Cover"]
    assert ["Synthetic", note] in [[cell.value for cell in row] for row in cover.iter_rows()]
    assert (
        pack_data(build_board_pack(world.plan, current_period()))["plan"]["synthetic_note"] == note
    )
