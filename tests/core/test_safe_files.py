"""Hostile files cannot hurt the service: a corpus of attacks and accidents, each refused with
a clear message before any parser opens it, quickly and in little memory; and any bytes at
all, under any name, end in a plan or a `ReadError`."""

import functools
import io
import random
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from g2g.core.problems import ReadError
from g2g.core.safe_files import KINDS, MB, UnsafeFileError, check_upload, identify
from g2g.importers.draft import PlanDraft
from g2g.importers.services import read_plan_file
from tests.importers.builders import docx_from_seed, xlsx_one_sheet

MEMORY_LIMIT = 256 * MB
SMALL_PLAN = (
    "Test Council Improvement Plan\n\n1: PRIORITY ONE\n\n"
    "Ref\tActions\tLead\tTimescale\n1.1\tDo it\tDCS\tMarch 2025\n"
)
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def billion_laughs_xml() -> bytes:
    """The classic: nine entities, each ten of the one before: a billion "lol"s in 1 KB."""
    entities = ['<!ENTITY lol0 "lol">']
    for n in range(1, 10):
        entities.append(f'<!ENTITY lol{n} "' + f"&lol{n - 1};" * 10 + '">')
    declarations = "\n".join(entities)
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n{declarations}\n]>\n<lolz>&lol9;</lolz>'.encode()
    )


EXTERNAL = (
    b'<?xml version="1.0"?>\n<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b"<w:document>&x;</w:document>"
)


@functools.cache
def word_file() -> bytes:
    return docx_from_seed(SMALL_PLAN)


@functools.cache
def excel_file() -> bytes:
    return xlsx_one_sheet(SMALL_PLAN)


def zip_of(entries: dict[str, bytes], *, level: int = 6) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def repacked(base: bytes, put: dict[str, bytes], *, drop: str = "", level: int = 6) -> bytes:
    """A real Office file with parts added or replaced (`put`), or one dropped."""
    with zipfile.ZipFile(io.BytesIO(base)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist() if name != drop}
    return zip_of(entries | put, level=level)


# ---------------------------------------------------------------------------------------------
# The corpus: each case builds its file only when its test runs


def zip_bomb() -> bytes:
    return repacked(word_file(), {"word/media/image1.png": bytes(50 * MB)})


def too_many_entries() -> bytes:
    return zip_of({f"xl/parts/{n}.txt": b"" for n in range(10_001)}, level=1)


def nested_zips() -> bytes:
    deepest = zip_of({"data.txt": b"hello"})
    inner = zip_of({"deeper.zip": deepest})
    return repacked(excel_file(), {"xl/embeddings/outer.zip": zip_of({"inner.zip": inner})})


def nested_zip_bomb() -> bytes:
    bomb = zip_of({"zeros.bin": bytes(50 * MB)})
    return repacked(word_file(), {"word/embeddings/Microsoft_Excel_Worksheet.xlsx": bomb})


def path_traversal() -> bytes:
    return repacked(word_file(), {"../../../etc/cron.d/evil.xml": b"<x/>"})


def billion_laughs() -> bytes:
    return repacked(word_file(), {"word/document.xml": billion_laughs_xml()})


def external_entity() -> bytes:
    return repacked(word_file(), {"word/document.xml": EXTERNAL})


def utf16_doctype() -> bytes:
    return repacked(word_file(), {"word/document.xml": EXTERNAL.decode().encode("utf-16")})


def encrypted_office() -> bytes:
    directory = "".join(["EncryptionInfo", "EncryptedPackage"]).encode("utf-16-le")
    return OLE + bytes(512) + directory + bytes(512)


def old_word() -> bytes:
    return OLE + bytes(512) + "WordDocument".encode("utf-16-le") + bytes(512)


def truncated_word() -> bytes:
    data = word_file()
    return data[: len(data) // 2]


def encrypted_entry() -> bytes:
    """word/document.xml flagged as encrypted (bit 0 of its flags, in both of its headers);
    `zipfile` clears the flag when writing, so it is set in the bytes afterwards."""
    data = bytearray(word_file())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("word/document.xml")
    data[info.header_offset + 6] |= 0x1  # the local header's flags
    at = data.find(b"PK\x01\x02")
    while at >= 0:  # the central directory's record for the same entry
        length = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + length] == b"word/document.xml":
            data[at + 8] |= 0x1
        at = data.find(b"PK\x01\x02", at + 46)
    return bytes(data)


def png() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def macro_workbook() -> bytes:
    return repacked(excel_file(), {"xl/vbaProject.bin": b"Attribute VB_Name = 'Module1'"})


def huge_shared_strings() -> bytes:
    """50 MB of XML that packs only about 11 to 1: no zip bomb, just far too big a part."""
    table = bytes(ord("a") if i < 248 else ord("bcdefghi"[i % 8]) for i in range(256))
    text = random.Random(1).randbytes(50 * MB).translate(table)  # noqa: S311 - test data
    return repacked(excel_file(), {"xl/sharedStrings.xml": b"<sst>" + text}, level=1)


def plain_zip() -> bytes:
    return zip_of({"plan.txt": SMALL_PLAN.encode()})


CASES = [
    ("zip-bomb", "plan.docx", zip_bomb, "packed 1,0"),
    ("too-many-entries", "plan.xlsx", too_many_entries, "holds 10,001 files inside"),
    ("nested-zips", "plan.xlsx", nested_zips, "holds archives inside archives"),
    ("nested-zip-bomb", "plan.docx", nested_zip_bomb, "this is a zip bomb"),
    ("path-traversal", "plan.docx", path_traversal, "points outside the document"),
    ("billion-laughs", "plan.docx", billion_laughs, "DOCTYPE or ENTITY declaration"),
    ("external-entity", "plan.docx", external_entity, "DOCTYPE or ENTITY declaration"),
    ("utf16-external-entity", "plan.docx", utf16_doctype, "DOCTYPE or ENTITY declaration"),
    ("encrypted-office-file", "plan.docx", encrypted_office, "is password-protected"),
    ("old-word-named-docx", "plan.docx", old_word, "old Word 97-2003 format"),
    ("old-word", "plan.doc", old_word, "old Office format (.doc); save it as .docx"),
    ("encrypted-zip-entry", "plan.docx", encrypted_entry, "holds encrypted parts"),
    ("truncated-docx", "plan.docx", truncated_word, "is damaged or incomplete"),
    ("png-named-xlsx", "plan.xlsx", png, "is not an Excel workbook (.xlsx): it looks like a PNG"),
    ("docx-named-xlsx", "plan.xlsx", word_file, "is a Word document (.docx), not an Excel"),
    ("xlsx-named-docx", "plan.docx", excel_file, "is an Excel workbook (.xlsx), not a Word"),
    ("docx-named-txt", "plan.txt", word_file, "but is named '.txt'; rename it to .docx"),
    ("xlsm", "plan.xlsm", macro_workbook, "is a macro-enabled file (.xlsm)"),
    ("macros-in-xlsx", "plan.xlsx", macro_workbook, "contains macros"),
    (
        "no-document-part",
        "plan.docx",
        lambda: repacked(word_file(), {}, drop="word/document.xml"),
        "'/word/document.xml', the main part of a Word document (.docx), is missing",
    ),
    ("zip-not-office", "plan.docx", plain_zip, "is a zip archive, not a Word document"),
    ("empty", "plan.txt", lambda: b"", "is empty"),
    ("25-mb", "plan.txt", lambda: b"x" * (25 * MB), "is larger than 20 MB"),
    ("not-utf8", "plan.txt", lambda: "Café plan".encode("latin-1"), "is not UTF-8 text (byte 3"),
    ("50-mb-sheet", "plan.xlsx", huge_shared_strings, "holds an XML part of 50 MB"),
]


def measured(check) -> tuple[ReadError | None, float, int]:
    """Run a check; what it raised, its seconds and its peak memory in bytes."""
    tracemalloc.start()
    start = time.perf_counter()
    refused = None
    try:
        check()
    except ReadError as error:
        refused = error
    seconds = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return refused, seconds, peak


@pytest.mark.parametrize(
    ("name", "build", "message"),
    [pytest.param(name, build, message, id=case) for case, name, build, message in CASES],
)
def test_a_hostile_file_is_refused_before_any_parser_quickly_and_in_little_memory(
    tmp_path, name, build, message
):
    data = build()
    refused, seconds, peak = measured(lambda: check_upload(name, data))
    print(f"\n{name}: {seconds:.3f} s, peak {peak / MB:.1f} MB: {refused}")
    assert isinstance(refused, UnsafeFileError)
    (problem,) = refused.problems
    assert problem.where == name
    assert message in problem.message
    assert peak < MEMORY_LIMIT

    path = tmp_path / name
    path.write_bytes(data)
    refused, seconds, peak = measured(lambda: read_plan_file(path))
    print(f"read_plan_file: {seconds:.3f} s, peak {peak / MB:.1f} MB")
    assert refused is not None
    assert refused.problems == [problem]
    assert peak < MEMORY_LIMIT


@pytest.mark.parametrize(
    ("name", "build", "kind"),
    [
        ("plan.docx", word_file, "docx"),
        ("plan.xlsx", excel_file, "xlsx"),
        ("plan.csv", lambda: b"Ref,Actions\n1.1,Do it\n", "csv"),
        ("plan.txt", lambda: SMALL_PLAN.encode(), "text"),
        ("plan", lambda: SMALL_PLAN.encode(), "text"),
        ("plan.json", lambda: b'{"format": "x"}', "json"),
        ("report.pdf", lambda: b"%PDF-1.7\n", "pdf"),
    ],
)
def test_a_good_file_is_named_by_its_kind(name, build, kind):
    assert check_upload(name, build()) == kind


PPTX_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Override PartName="/ppt/presentation.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>'
)


@pytest.mark.parametrize(
    ("build", "kind"),
    [
        (word_file, "docx"),
        (excel_file, "xlsx"),
        (
            lambda: zip_of({"[Content_Types].xml": PPTX_TYPES, "ppt/presentation.xml": b"<p/>"}),
            "pptx",
        ),
        (lambda: b"%PDF-1.7\n", "pdf"),
        (png, "png"),
        (lambda: b"\xff\xd8\xff\xe0rest", "jpeg"),
        (lambda: b"\x1f\x8b\x08\x00", "gzip"),
        (old_word, "ole"),
        (encrypted_office, "ole"),
        (lambda: b"MZ\x90\x00", "binary"),
        (lambda: b"month,value\n2025-03,31.4\n", "text"),
    ],
    ids=["docx", "xlsx", "pptx", "pdf", "png", "jpeg", "gzip", "old", "encrypted", "exe", "text"],
)
def test_identify_says_what_a_file_is_from_its_content(build, kind):
    assert identify("evidence", build()) == kind


@pytest.mark.parametrize(
    ("build", "problem"),
    [
        (zip_bomb, "packed 1,0"),
        (billion_laughs, "DOCTYPE or ENTITY declaration"),
        (macro_workbook, "contains macros"),
        (plain_zip, "is a zip archive, not a Word document"),
        (lambda: b"%PDF-1.7\n1 0 obj << /OpenAction << /S /JavaScript >> >> endobj", "active"),
        (lambda: png() + zip_of({"a.txt": b"x"}), "zip archive hidden at its end"),
    ],
    ids=["zip-bomb", "billion-laughs", "macros", "zip-not-office", "pdf-script", "png-polyglot"],
)
def test_identify_refuses_hostile_content_as_imports_do(build, problem):
    with pytest.raises(UnsafeFileError, match=problem):
        identify("evidence", build())


def test_a_damaged_pdf_plan_is_refused_by_its_reader(tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_bytes(b"%PDF-1.7\n")
    with pytest.raises(ReadError, match="damaged or truncated"):
        read_plan_file(path)


# ---------------------------------------------------------------------------------------------
# Any bytes at all


def _read(path: Path) -> None:
    """Either a plan with actions, or the one documented error with its reasons."""
    problems = []
    try:
        draft = read_plan_file(path)
    except ReadError as error:
        problems, draft = error.problems, None
    assert problems if draft is None else isinstance(draft, PlanDraft) and draft.actions


EXTENSIONS = [".docx", ".xlsx", ".csv", ".txt", ".json", ".pdf", ".doc", ".xlsm", ""]


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=2048), extension=st.sampled_from(EXTENSIONS))
def test_any_bytes_under_any_name_are_a_plan_or_a_plan_import_error(
    tmp_path_factory, data, extension
):
    path = tmp_path_factory.mktemp("any") / f"plan{extension}"
    path.write_bytes(data)
    _read(path)
    try:
        kind = check_upload(path.name, data)
    except UnsafeFileError as error:
        kind = "refused" if error.problems else "refused without saying why"
    assert kind in {*KINDS, "refused"}


@functools.cache
def office_files() -> dict[str, bytes]:
    return {".docx": word_file(), ".xlsx": excel_file()}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    extension=st.sampled_from([".docx", ".xlsx"]),
    cut=st.floats(0, 1),
    noise=st.binary(min_size=1, max_size=64),
    how=st.sampled_from(["overwrite", "truncate", "damage-main-part"]),
)
def test_damaged_word_and_excel_files_are_a_plan_or_a_plan_import_error(
    tmp_path_factory, extension, cut, noise, how
):
    data = office_files()[extension]
    at = int(cut * len(data))
    if how == "overwrite":
        data = data[:at] + noise + data[at + len(noise) :]
    elif how == "truncate":
        data = data[:at]
    else:  # a sound zip holding broken XML, so the parser itself meets it
        part = "word/document.xml" if extension == ".docx" else "xl/worksheets/sheet1.xml"
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = archive.read(part)
        at = int(cut * len(xml))
        data = repacked(data, {part: xml[:at] + noise + xml[at + len(noise) :]})
    path = tmp_path_factory.mktemp("damaged") / f"plan{extension}"
    path.write_bytes(data)
    _read(path)
