"""Checks that run on an uploaded plan BEFORE any parser opens it: hostile files cannot hurt
the service.

Why: python-docx and openpyxl trust what they are given. A zip "bomb" unpacks a few kilobytes
into gigabytes, an XML part with a DOCTYPE can expand one entity a billion times or read the
server's own files, macros are code, and a renamed file makes a parser fail in surprising
ways. So an upload is first looked at as bytes, with the standard library only: its first
bytes must agree with its name, a zip's table of contents is checked against fixed limits
before anything is unpacked, and the XML parts a parser will read are scanned as a stream.
Nothing is ever extracted to disk.

This follows, briefly:
- OWASP File Upload Cheat Sheet and ASVS V12.1: an allow-list of extensions, the type checked
  from the content and not the name, size limits, zip bombs refused;
- OWASP XML External Entity Prevention Cheat Sheet: no DTDs at all, so neither external
  entities nor entity expansion ("billion laughs") can happen;
- NCSC "Pattern: Safely Importing Data": import the data, not the document around it; check
  the syntax before use and refuse active content (macros).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePosixPath
from xml.etree import ElementTree

from g2g.core.problems import Problem, ReadError

MB = 1024 * 1024
MAX_UPLOAD_BYTES = 20 * MB  # the one limit for an upload (plans, reports, Annex A), page or not
MAX_ENTRIES = 10_000  # files inside a zip, archives inside it counted too
MAX_UNPACKED_BYTES = 100 * MB  # everything inside a zip, unpacked, archives inside it counted too
MAX_RATIO = 100  # unpacked size / packed size of one entry
RATIO_FROM_BYTES = 1 * MB  # a smaller entry cannot hurt, however well it compresses
MAX_XML_PART_BYTES = 10 * MB  # one XML part, unpacked: a plan's largest is well under 1 MB
MAX_CONTENT_TYPES_BYTES = 1 * MB  # [Content_Types].xml is a few kilobytes
MAX_NESTING = 1  # a workbook inside a Word file (a chart's data) is fine; deeper is not
MAX_SHEETS = 250  # worksheets in a workbook: openpyxl reads each one's XML when it opens it
MAX_TEXT_RUN = 100_000  # characters of text in one piece: Excel stops a cell at 32,767
KINDS = ("docx", "xlsx", "csv", "text", "json", "pdf")


class UnsafeFileError(ReadError):
    """A file refused before any parser saw it: one problem, located at the file's name."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__([Problem(name, message)])


# ---------------------------------------------------------------------------------------------
# Names and first bytes

_EXTENSIONS = {
    ".docx": "docx",
    ".xlsx": "xlsx",
    ".csv": "csv",
    ".json": "json",
    ".pdf": "pdf",
    ".txt": "text",
    ".text": "text",
    ".tsv": "text",
}
_MACRO_EXTENSIONS = {".docm": ".docx", ".dotm": ".docx", ".xlsm": ".xlsx", ".xltm": ".xlsx"}
_MACRO_EXTENSIONS |= {".xlam": ".xlsx", ".xlsb": ".xlsx"}  # .xlsb: a binary, macro-capable book
_OLD_EXTENSIONS = {".doc": ".docx", ".dot": ".docx", ".xls": ".xlsx", ".xlt": ".xlsx"}
_DESCRIPTIONS = {
    "docx": "a Word document (.docx)",
    "xlsx": "an Excel workbook (.xlsx)",
    "pptx": "a PowerPoint presentation (.pptx)",
    "pdf": "a PDF",
    "zip": "a zip archive",
    "png": "a PNG image",
    "jpeg": "a JPEG image",
    "gif": "a GIF image",
    "gzip": "a gzip archive",
    "rar": "a RAR archive",
    "7z": "a 7-Zip archive",
    "program": "a program",
}
_SIGNATURES = {
    b"PK\x03\x04": "zip",
    b"PK\x05\x06": "zip",  # an empty zip
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1": "ole",  # old Office files, and encrypted new ones
    b"%PDF-": "pdf",
    b"\x89PNG\r\n\x1a\n": "png",
    b"\xff\xd8\xff": "jpeg",
    b"GIF87a": "gif",
    b"GIF89a": "gif",
    b"\x1f\x8b": "gzip",
    b"Rar!\x1a\x07": "rar",
    b"7z\xbc\xaf\x27\x1c": "7z",
    b"\x7fELF": "program",
}


def _magic(data: bytes) -> str | None:
    """What the first bytes say the file is; None for text or anything unrecognised."""
    return next((kind for sig, kind in _SIGNATURES.items() if data.startswith(sig)), None)


def _looks_like(data: bytes) -> str:
    """For messages: what a file that is not what its name says seems to be."""
    magic = _magic(data)
    if magic in _DESCRIPTIONS:
        return f"it looks like {_DESCRIPTIONS[magic]}"
    return "it holds unknown binary data" if b"\x00" in data[:4096] else "it holds plain text"


def ole_message(data: bytes) -> str:
    """Old Office files and password-protected new ones share one container (OLE): tell the
    user which one this is, by the names of the streams inside it."""
    if "EncryptedPackage".encode("utf-16-le") in data:
        return "is password-protected; save it without a password and import that"
    if "WordDocument".encode("utf-16-le") in data:
        return "is in the old Word 97-2003 format; save it as a Word document (.docx)"
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return "is in the old Excel 97-2003 format; save it as an Excel workbook (.xlsx)"
    return "is in an old Microsoft Office format; save it as .docx or .xlsx and import that"


def _check_size(name: str, data: bytes, max_bytes: int, what: str = "a plan") -> None:
    if len(data) > max_bytes:
        raise UnsafeFileError(name, f"is larger than {max_bytes // MB} MB; is it really {what}?")
    if not data or data.isspace():
        raise UnsafeFileError(name, "is empty")


def _check_extension(name: str, extension: str) -> None:
    """Macro-enabled and old binary formats are refused by name alone."""
    if extension in _MACRO_EXTENSIONS:
        raise UnsafeFileError(
            name,
            f"is a macro-enabled file ({extension}); macros are never imported: "
            f"save it as {_MACRO_EXTENSIONS[extension]} and import that",
        )
    if extension in _OLD_EXTENSIONS:
        raise UnsafeFileError(
            name,
            f"is in an old Office format ({extension}); "
            f"save it as {_OLD_EXTENSIONS[extension]} and import that",
        )


def _check_text(name: str, data: bytes, kind: str, what: str = "a plan") -> None:
    """Text, CSV and JSON hold no NULs; text and JSON must be UTF-8 (CSV has a fallback)."""
    if b"\x00" in data:
        if kind == "csv":
            what = "a CSV file"
        elif what == "a plan":
            what = "a plan in text or JSON layout"
        raise UnsafeFileError(name, f"is a binary file, not {what}")
    if kind == "csv":
        return
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UnsafeFileError(
            name, f"is not UTF-8 text (byte {error.start} cannot be read)"
        ) from error


# ---------------------------------------------------------------------------------------------
# The entry point


def check_upload(
    name: str, data: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES, what: str = "a plan"
) -> str:
    """The kind of a plan file, one of `KINDS`, when its content agrees with its name and is
    safe to hand to that kind's parser; otherwise `UnsafeFileError` saying why.

    A name with no known extension is read as text, as plans always were. Other uploads
    (inspection reports, measure values, Annex A returns) are checked the same way; `what`
    names what the upload should be, for the messages ("an Annex A return").
    """
    extension = PurePosixPath(name).suffix.lower()
    _check_size(name, data, max_bytes, what)
    _check_extension(name, extension)
    expected = _EXTENSIONS.get(extension, "text")
    if expected in ("docx", "xlsx"):
        check_office_file(name, data, expected, max_bytes=max_bytes)
        return expected
    magic = _magic(data)
    if magic == "ole":
        raise UnsafeFileError(name, ole_message(data))
    if magic == "zip":  # a Word or Excel file named .txt, .csv…: say which, once it is checked
        raise UnsafeFileError(name, _misnamed(check_zip(name, data), extension, what))
    if expected == "pdf":
        if magic != "pdf":
            raise UnsafeFileError(name, _not_a("pdf", data))
        check_pdf(name, data)
        return "pdf"
    if magic is not None:
        raise UnsafeFileError(name, _misnamed(magic, extension, what))
    _check_text(name, data, expected, what)
    return expected


def identify(name: str, data: bytes) -> str:
    """What a file is, from its content alone, once it is known to be harmless: "docx", "xlsx"
    or "pptx" (from an Office package's main part), "pdf", "png", "jpeg", "gif", "gzip", "rar",
    "7z", "program", "ole" (an old or password-protected Office file), "binary" (unrecognised
    bytes) or "text". Hostile content (zip bombs, XML attacks, macros, scripts in PDFs, pixel
    floods, files hidden inside others) raises `UnsafeFileError`, by the same rules as imports.

    For files that are stored and downloaded rather than parsed (evidence): which kinds may be
    attached, and how large, is the caller's business (`plans.services`)."""
    magic = _magic(data)
    if magic == "zip":
        return check_zip(name, data)
    if magic == "pdf":
        check_pdf(name, data)
    elif magic in ("png", "jpeg"):
        _check_image(name, data, magic)
    if magic is not None:
        return magic
    return "binary" if b"\x00" in data else "text"


def describe(kind: str) -> str:
    """A kind `identify` returns, in words for a message: "a Word document (.docx)"."""
    return _DESCRIPTIONS.get(kind, kind)


def _not_a(kind: str, data: bytes) -> str:
    return f"is not {_DESCRIPTIONS.get(kind, 'a plan')}: {_looks_like(data)}"


def _misnamed(found: str, extension: str, what: str = "a plan") -> str:
    """A file whose content is `found` but whose name ends in `extension`."""
    description = _DESCRIPTIONS.get(found, found)
    if found in ("docx", "xlsx", "pdf"):
        named = f"named '{extension}'" if extension else "named without an extension"
        return f"is {description} but is {named}; rename it to .{found} and import that"
    return f"is {description}, not {what}"


def check_office_file(
    name: str, data: bytes, kind: str, *, max_bytes: int = MAX_UPLOAD_BYTES
) -> None:
    """Refuse anything that must not reach python-docx ("docx") or openpyxl ("xlsx")."""
    _check_size(name, data, max_bytes)
    magic = _magic(data)
    if magic == "ole":
        raise UnsafeFileError(name, ole_message(data))
    if magic != "zip":
        raise UnsafeFileError(name, _not_a(kind, data))
    found = check_zip(name, data)
    if found != kind:
        advice = f": rename it to .{found} and import that" if found in KINDS else ""
        raise UnsafeFileError(name, f"is {_DESCRIPTIONS[found]}, not {_DESCRIPTIONS[kind]}{advice}")


# ---------------------------------------------------------------------------------------------
# Zips: Word and Excel files are zips of XML parts

_DAMAGED_ZIP = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    struct.error,
    ElementTree.ParseError,
    IndexError,  # zipfile's is_dir() on an entry whose damaged name is empty
)


@dataclass
class _Budget:
    """What a zip, and the archives inside it, have used of the limits, counted together."""

    name: str
    entries: int = 0
    unpacked: int = 0
    sheets: int = 0


def check_zip(name: str, data: bytes) -> str:
    """Check a zip without unpacking it to disk, and say whether it is a "docx", "xlsx" or
    "pptx".

    Every entry is inflated once, as a stream, from the zip's own bytes: its size and
    checksum must be what its headers say (Python's `zipfile.read` would inflate a lying entry
    whole before cutting it to its declared size, and python-docx and openpyxl use it), and
    its XML, if it is an XML part, is checked on the way.
    """
    _check_declared_entries(name, data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_entries(archive, data, _Budget(name), depth=0)
            return _office_kind(name, archive)
    except _DAMAGED_ZIP as error:
        raise UnsafeFileError(
            name,
            "is damaged or incomplete and cannot be opened; save it again and import that "
            f"({error})",
        ) from error


def _check_declared_entries(name: str, data: bytes) -> None:
    """Read the entry count from the zip's end record before `zipfile` builds an index of
    every entry in memory. (65,535 there means "more, see the zip64 record": too many.)"""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end >= 0 and end + 12 <= len(data):
        (count,) = struct.unpack_from("<H", data, end + 10)
        if count > MAX_ENTRIES:
            raise UnsafeFileError(name, _too_many(count))


def _too_many(count: int) -> str:
    return (
        f"holds {count:,} files inside; Word and Excel files hold far fewer (limit {MAX_ENTRIES:,})"
    )


def _check_entries(archive: zipfile.ZipFile, data: bytes, budget: _Budget, depth: int) -> None:
    starts = {info.header_offset: _data_start(data, info) for info in archive.infolist()}
    _check_no_overlap(budget.name, archive, starts)
    for info in archive.infolist():
        budget.entries += 1
        budget.unpacked += info.file_size
        _check_entry_name(budget.name, info.filename)
        _check_entry_sizes(budget, info)
        _check_entry_kind(budget.name, info)
        scan = _XmlScan(budget.name, info) if depth == 0 and _is_xml(info.filename) else None
        first = b""
        for chunk in _inflated(budget.name, data, info, starts[info.header_offset]):
            first = first or chunk[:4]
            if scan:
                scan.feed(chunk)
        if scan:
            scan.finish()
        if _is_archive(info, first):
            _check_nested(archive, info, budget, depth + 1)


def _data_start(data: bytes, info: zipfile.ZipInfo) -> int:
    """Where an entry's packed bytes start: after its local header, whose name must be the
    one the central directory gives (as `zipfile` checks when it opens an entry)."""
    at = info.header_offset
    if data[at : at + 4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"no local header for '{info.filename}'")
    name_length, extra_length = struct.unpack_from("<2H", data, at + 26)
    encoding = "utf-8" if info.flag_bits & 0x800 else "cp437"
    if data[at + 30 : at + 30 + name_length] != info.orig_filename.encode(encoding):
        raise zipfile.BadZipFile(f"the two names of '{info.filename}' differ")
    return at + 30 + name_length + extra_length


def _check_no_overlap(name: str, archive: zipfile.ZipFile, starts: dict[int, int]) -> None:
    """Entries whose packed bytes overlap are how the smallest zip bombs repeat one kernel."""
    spans = sorted(
        (info.header_offset, starts[info.header_offset] + info.compress_size)
        for info in archive.infolist()
    )
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        if start < end:
            raise UnsafeFileError(
                name, "holds files that overlap one another inside the zip: a zip bomb; refused"
            )


def _inflated(name: str, data: bytes, info: zipfile.ZipInfo, start: int):
    """An entry's bytes, unpacked in chunks of at most `_CHUNK`, checked against its declared
    size (never more is unpacked) and checksum."""
    packed = memoryview(data)[start : start + info.compress_size]
    if len(packed) < info.compress_size:
        raise zipfile.BadZipFile(f"'{info.filename}' is cut short")
    total, crc = 0, 0
    if info.compress_type == zipfile.ZIP_STORED:
        pieces = (packed[at : at + _CHUNK] for at in range(0, len(packed), _CHUNK))
    else:
        pieces = _inflate(packed)
    for piece in pieces:
        total += len(piece)
        if total > info.file_size:
            raise UnsafeFileError(
                name,
                f"holds '{info.filename}', which unpacks to more than its headers say: a zip "
                "bomb; refused",
            )
        crc = zlib.crc32(piece, crc)
        yield bytes(piece)
    if total != info.file_size or crc != info.CRC:
        raise zipfile.BadZipFile(f"'{info.filename}' is not what its headers say")


def _inflate(packed: memoryview):
    unpacker, at = zlib.decompressobj(-15), 0
    while not unpacker.eof:
        if unpacker.unconsumed_tail:
            piece = unpacker.unconsumed_tail
        elif at < len(packed):
            piece, at = packed[at : at + _CHUNK], at + _CHUNK
        else:
            return  # cut short: the size check says so
        yield unpacker.decompress(piece, _CHUNK)


MAX_ENTRY_NAME = 1_000  # characters; Office's part names are a few dozen


def _check_entry_name(name: str, entry: str) -> None:
    """Zip slip: a name that would land outside the folder if anything ever unpacked it; and
    names far longer than any part of an Office file."""
    if len(entry) > MAX_ENTRY_NAME:
        raise UnsafeFileError(name, f"holds a file with a name of {len(entry):,} characters")
    parts = entry.replace("\\", "/").split("/")
    if entry.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", entry) or ".." in parts:
        raise UnsafeFileError(
            name, f"holds a file named '{entry}', which points outside the document; refused"
        )


def _check_entry_sizes(budget: _Budget, info: zipfile.ZipInfo) -> None:
    name, size = budget.name, info.file_size
    if budget.entries > MAX_ENTRIES:
        raise UnsafeFileError(name, _too_many(budget.entries))
    if info.filename.startswith("xl/worksheets/sheet"):
        budget.sheets += 1
        if budget.sheets > MAX_SHEETS:
            raise UnsafeFileError(
                name, f"holds more than {MAX_SHEETS} worksheets; is it really the right workbook?"
            )
    if budget.unpacked > MAX_UNPACKED_BYTES:
        limit = MAX_UNPACKED_BYTES // MB
        raise UnsafeFileError(
            name, f"would unpack to more than {limit} MB; the files imported here are far smaller"
        )
    if size > RATIO_FROM_BYTES and size > MAX_RATIO * max(info.compress_size, 1):
        ratio = size // max(info.compress_size, 1)
        raise UnsafeFileError(
            name,
            f"holds '{info.filename}', packed {ratio:,} to 1: this is a zip bomb, not a document",
        )
    if _is_xml(info.filename) and size > MAX_XML_PART_BYTES:
        raise UnsafeFileError(
            name,
            f"holds an XML part of {size / MB:.0f} MB ('{info.filename}'); a document's parts "
            f"are far smaller (limit {MAX_XML_PART_BYTES // MB} MB)",
        )


_ACTIVE_FOLDERS = ("macrosheets", "activex")  # Excel 4.0 macro sheets, ActiveX controls
_SYMLINK = 0o120000


def _check_entry_kind(name: str, info: zipfile.ZipInfo) -> None:
    if info.flag_bits & 0x1:
        raise UnsafeFileError(
            name, "holds encrypted parts; save it without a password and import that"
        )
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise UnsafeFileError(name, "is packed in a way Word and Excel never use; refused")
    path = PurePosixPath(info.filename.lower())
    if path.name == "vbaproject.bin":
        raise UnsafeFileError(
            name, "contains macros; macros are never imported: save it without them (.docx/.xlsx)"
        )
    if any(folder in path.parts for folder in _ACTIVE_FOLDERS):
        raise UnsafeFileError(
            name,
            f"contains active content ('{info.filename}': macro sheets or ActiveX controls), "
            "which is never imported: save it without them",
        )
    if info.create_system == 3 and (info.external_attr >> 16) & 0o170000 == _SYMLINK:
        raise UnsafeFileError(name, f"holds a link to another file ('{info.filename}'); refused")


_ARCHIVE_SUFFIXES = (".zip", ".docx", ".docm", ".xlsx", ".xlsm", ".pptx", ".jar", ".odt", ".ods")


def _is_archive(info: zipfile.ZipInfo, first: bytes) -> bool:
    """An archive inside the archive, by its name or its first bytes."""
    if info.filename.lower().endswith(_ARCHIVE_SUFFIXES):
        return True
    return not info.is_dir() and not _is_xml(info.filename) and first == b"PK\x03\x04"


def _check_nested(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget, depth: int
) -> None:
    """Count what an archive inside holds against the same limits. No parser here opens it,
    but nothing must hide a bomb behind one more layer either. (Its size and checksum are
    checked already, so reading it whole is safe.)"""
    if depth > MAX_NESTING:
        raise UnsafeFileError(budget.name, "holds archives inside archives; refused")
    if info.file_size > MAX_UPLOAD_BYTES:
        raise UnsafeFileError(budget.name, f"holds an archive of over {MAX_UPLOAD_BYTES // MB} MB")
    inner_data = archive.read(info)
    try:
        inner = zipfile.ZipFile(io.BytesIO(inner_data))
    except zipfile.BadZipFile:
        return  # not really an archive; its size is already counted
    with inner:
        _check_entries(inner, inner_data, budget, depth)


def _is_xml(entry: str) -> bool:
    return entry.lower().endswith((".xml", ".rels"))


_CHUNK = 64 * 1024
_DTD_MARKERS = (b"<!doctype", b"<!entity")
_XML_ENCODINGS = {"utf-8", "utf8", "utf-16", "utf-16le", "utf-16be", "us-ascii", "ascii"}
_DECLARED_ENCODING = re.compile(rb"^<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']{1,40})[\"']")


class _XmlScan:
    """Checks on an XML part, fed its bytes as they are unpacked. Office never writes a DTD;
    entity expansion and external entities both need one. NULs are dropped so UTF-16 text is
    searched too. A part in any other encoding (UTF-7, EBCDIC, UTF-32) could spell a DOCTYPE
    that this search does not see but libxml2 decodes, so those are refused. A text of more
    than `MAX_TEXT_RUN` characters in one piece is refused too: the readers' patterns are not
    made for it."""

    def __init__(self, name: str, info: zipfile.ZipInfo) -> None:
        self.name, self.info = name, info
        self.head = b""  # the first bytes, until the encoding is known
        self.tail = b""  # the end of what was searched, for a marker split between chunks
        self.run = 0  # characters since the last "<"

    def feed(self, chunk: bytes) -> None:
        if self.head is not None:
            self.head += chunk
            if len(self.head) < 256:
                return
            chunk, self.head = self.head, None
            _check_xml_encoding(self.name, self.info, chunk)
        self._search(chunk.lower().replace(b"\x00", b""))

    def finish(self) -> None:
        if self.head:
            _check_xml_encoding(self.name, self.info, self.head)
            self._search(self.head.lower().replace(b"\x00", b""))

    def _search(self, text: bytes) -> None:
        if any(marker in self.tail + text for marker in _DTD_MARKERS):
            raise UnsafeFileError(
                self.name,
                "holds an XML part with a DOCTYPE or ENTITY declaration "
                f"('{self.info.filename}'); Word and Excel never write these, so the file was "
                "made to attack XML readers",
            )
        pieces = text.split(b"<")
        longest = max([self.run + len(pieces[0]), *map(len, pieces[1:])])
        self.run = self.run + len(text) if len(pieces) == 1 else len(pieces[-1])
        if longest > MAX_TEXT_RUN:
            raise UnsafeFileError(
                self.name,
                f"holds a text of over {MAX_TEXT_RUN:,} characters in one piece "
                f"('{self.info.filename}'); the documents imported here hold far shorter ones",
            )
        self.tail = (self.tail + text)[-16:]


def _check_xml_encoding(name: str, info: zipfile.ZipInfo, first: bytes) -> None:
    """UTF-8 or UTF-16, with or without a byte order mark, and a declaration (if any) that
    says so: the only encodings Office writes, and the ones the DTD search can read."""
    wide = first[:4] in (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff") or first[:4] in (
        b"<\x00\x00\x00",
        b"\x00\x00\x00<",
    )
    start = first.removeprefix(b"\xef\xbb\xbf").removeprefix(b"\xff\xfe").removeprefix(b"\xfe\xff")
    start = start.replace(b"\x00", b"").lstrip()
    declared = _DECLARED_ENCODING.match(start)
    encoding = declared.group(1).decode("ascii", "replace").lower() if declared else "utf-8"
    if wide or (start and not start.startswith(b"<")) or encoding not in _XML_ENCODINGS:
        shown = encoding if declared else "not UTF-8 or UTF-16"
        raise UnsafeFileError(
            name,
            f"holds an XML part in an encoding Word and Excel never use ('{info.filename}', "
            f"{shown}); refused",
        )


# ---------------------------------------------------------------------------------------------
# PDFs and images: refused when they carry active content or hide another file

_PDF_ACTIVE = ("JavaScript", "JS", "Launch", "EmbeddedFile", "RichMedia", "SubmitForm")


def _pdf_name(word: str) -> bytes:
    """A pattern for a PDF name however it is spelt: each letter may be written #xx."""
    return b"".join(
        b"(?:%s|#%s|#%s)" % (re.escape(bytes([c])), b"%02x" % c, b"%02X" % c) for c in word.encode()
    )


_PDF_ACTIVE_NAMES = re.compile(
    b"/(?:" + b"|".join(_pdf_name(word) for word in _PDF_ACTIVE) + rb")s?(?![^\s/<>\[\]()%{}])"
)
_OBJECT_STREAM = re.compile(rb"/Type\s*/ObjStm\b")
MAX_PDF_INFLATED = 50 * MB  # all object streams of a PDF, unpacked


def check_pdf(name: str, data: bytes) -> None:
    """A PDF that runs code, launches programs or carries files (looked for in its objects,
    and in its compressed object streams up to a budget), or that is a zip as well, is
    refused. Links are allowed: they need a person to follow them."""
    if zipfile.is_zipfile(io.BytesIO(data)):
        raise UnsafeFileError(
            name, "is a PDF with a zip archive hidden at its end (a file of two kinds); refused"
        )
    for text in _pdf_object_texts(name, data):
        found = _PDF_ACTIVE_NAMES.search(text)
        if found:
            raise UnsafeFileError(
                name,
                f"holds active content ({found.group().decode('latin-1')}: scripts, programs "
                "or attached files); print it to a new PDF without them and upload that",
            )


_STREAM_START = re.compile(rb"(?<!end)stream\r?\n")


def _pdf_object_texts(name: str, data: bytes):
    """The PDF's objects without their streams' bytes (packed images and fonts would match a
    name like /JS by chance), then each object stream inflated, within `MAX_PDF_INFLATED`."""
    outside, at = [], 0
    for found in _STREAM_START.finditer(data):
        if found.start() < at:
            continue
        outside.append(data[at : found.start()])
        end = data.find(b"endstream", found.end())
        at = len(data) if end < 0 else end
    outside.append(data[at:])
    yield b" ".join(outside)
    budget = MAX_PDF_INFLATED
    for found in _OBJECT_STREAM.finditer(data):
        start = data.find(b"stream", found.end())
        end = data.find(b"endstream", start)
        if start < 0 or end < 0:
            continue
        body = data[start + len(b"stream") : end].lstrip(b"\r\n")
        unpacker = zlib.decompressobj()
        try:
            text = unpacker.decompress(body, budget + 1)
        except zlib.error:
            continue  # not Flate, or encrypted: nothing a reader could run either way
        budget -= len(text)
        if budget < 0:
            raise UnsafeFileError(
                name, "holds object streams that unpack to far more than a PDF needs"
            )
        yield text


MAX_PIXELS = 100_000_000  # a 100-megapixel image is not a screenshot or a photo of evidence
_JPEG_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _check_image(name: str, data: bytes, kind: str) -> None:
    """An image that would take gigabytes to show (a "pixel flood"), or with a zip hidden at
    its end, is refused."""
    if zipfile.is_zipfile(io.BytesIO(data)):
        raise UnsafeFileError(
            name, "is an image with a zip archive hidden at its end (a file of two kinds); refused"
        )
    size = _png_size(data) if kind == "png" else _jpeg_size(data)
    if size and size[0] * size[1] > MAX_PIXELS:
        raise UnsafeFileError(
            name,
            f"is an image of {size[0]:,} by {size[1]:,} pixels; make it smaller and attach that",
        )


def _png_size(data: bytes) -> tuple[int, int] | None:
    if len(data) < 24 or data[12:16] != b"IHDR":
        return None
    return struct.unpack(">2L", data[16:24])


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    """The size in the first frame header; segments are skipped by their lengths."""
    at = 2
    while at + 9 <= len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if marker in _JPEG_FRAMES:
            height, width = struct.unpack(">2H", data[at + 5 : at + 9])
            return width, height
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:
            at += 2
            continue
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        at += 2 + length
    return None


_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "pptx",
}
_MACRO_TYPE = re.compile(r"macroenabled|vbaproject|macrosheet|activex", re.IGNORECASE)


def _office_kind(name: str, archive: zipfile.ZipFile) -> str:
    """Word, Excel or PowerPoint, from the content type of the package's main part, which
    must exist."""
    try:
        info = archive.getinfo("[Content_Types].xml")
    except KeyError:
        raise UnsafeFileError(
            name, "is a zip archive, not a Word document or Excel workbook"
        ) from None
    if info.file_size > MAX_CONTENT_TYPES_BYTES:
        raise UnsafeFileError(name, "has an implausibly large list of content types; refused")
    # No DTD (checked above), so there are no entities for the parser to expand.
    types = ElementTree.fromstring(archive.read(info))  # noqa: S314  # nosec B314
    if any(_MACRO_TYPE.search(entry.get("ContentType", "")) for entry in types):
        raise UnsafeFileError(
            name,
            "is a macro-enabled file or holds active content; macros are never imported: "
            "save it as .docx/.xlsx",
        )
    names = {entry.lower() for entry in archive.namelist()}
    for override in types.findall("{*}Override"):
        content_type, part = override.get("ContentType", ""), override.get("PartName", "")
        kind = _MAIN_TYPES.get(content_type)
        if kind and part.lstrip("/").lower() not in names:
            raise UnsafeFileError(
                name,
                f"is not complete: '{part}', the main part of {_DESCRIPTIONS[kind]}, is missing; "
                "save it again and import that",
            )
        if kind:
            return kind
    raise UnsafeFileError(
        name, "is a zip archive (perhaps another kind of file), not a Word document or workbook"
    )
