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

from .draft import PlanImportError, Problem

MB = 1024 * 1024
MAX_UPLOAD_BYTES = 20 * MB
MAX_ENTRIES = 10_000  # files inside a zip, archives inside it counted too
MAX_UNPACKED_BYTES = 100 * MB  # everything inside a zip, unpacked, archives inside it counted too
MAX_RATIO = 100  # unpacked size / packed size of one entry
RATIO_FROM_BYTES = 1 * MB  # a smaller entry cannot hurt, however well it compresses
MAX_XML_PART_BYTES = 10 * MB  # one XML part, unpacked: a plan's largest is well under 1 MB
MAX_CONTENT_TYPES_BYTES = 1 * MB  # [Content_Types].xml is a few kilobytes
MAX_NESTING = 1  # a workbook inside a Word file (a chart's data) is fine; deeper is not
KINDS = ("docx", "xlsx", "csv", "text", "json", "pdf")


class UnsafeFileError(PlanImportError):
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


def _check_size(name: str, data: bytes, max_bytes: int) -> None:
    if len(data) > max_bytes:
        raise UnsafeFileError(name, f"is larger than {max_bytes // MB} MB; is it really a plan?")
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


def _check_text(name: str, data: bytes, kind: str) -> None:
    """Text, CSV and JSON hold no NULs; text and JSON must be UTF-8 (CSV has a fallback)."""
    if b"\x00" in data:
        what = "a CSV file" if kind == "csv" else "a plan in text or JSON layout"
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


def check_upload(name: str, data: bytes, *, max_bytes: int = MAX_UPLOAD_BYTES) -> str:
    """The kind of a plan file, one of `KINDS`, when its content agrees with its name and is
    safe to hand to that kind's parser; otherwise `UnsafeFileError` saying why.

    A name with no known extension is read as text, as plans always were.
    """
    extension = PurePosixPath(name).suffix.lower()
    _check_size(name, data, max_bytes)
    _check_extension(name, extension)
    expected = _EXTENSIONS.get(extension, "text")
    if expected in ("docx", "xlsx"):
        check_office_file(name, data, expected, max_bytes=max_bytes)
        return expected
    magic = _magic(data)
    if magic == "ole":
        raise UnsafeFileError(name, ole_message(data))
    if magic == "zip":  # a Word or Excel file named .txt, .csv…: say which, once it is checked
        raise UnsafeFileError(name, _misnamed(check_zip(name, data), extension))
    if expected == "pdf":
        if magic != "pdf":
            raise UnsafeFileError(name, _not_a("pdf", data))
        return "pdf"
    if magic is not None:
        raise UnsafeFileError(name, _misnamed(magic, extension))
    _check_text(name, data, expected)
    return expected


def _not_a(kind: str, data: bytes) -> str:
    return f"is not {_DESCRIPTIONS.get(kind, 'a plan')}: {_looks_like(data)}"


def _misnamed(found: str, extension: str) -> str:
    """A file whose content is `found` but whose name ends in `extension`."""
    what = _DESCRIPTIONS.get(found, found)
    if found in ("docx", "xlsx", "pdf"):
        named = f"named '{extension}'" if extension else "named without an extension"
        return f"is {what} but is {named}; rename it to .{found} and import that"
    return f"is {what}, not a plan"


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
        raise UnsafeFileError(
            name,
            f"is {_DESCRIPTIONS[found]}, not {_DESCRIPTIONS[kind]}: "
            f"rename it to .{found} and import that",
        )


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


def check_zip(name: str, data: bytes) -> str:
    """Check a zip without unpacking it to disk, and say whether it is a "docx" or "xlsx".

    Sizes are taken from the zip's table of contents; `zipfile` never returns more bytes than
    an entry declares (and a lie fails its checksum), so checking the declared sizes is enough.
    """
    _check_declared_entries(name, data)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_entries(archive, _Budget(name), depth=0)
            for info in archive.infolist():
                if _is_xml(info.filename):
                    _check_no_dtd(name, archive, info)
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
    return f"holds {count:,} files inside; a plan holds far fewer (limit {MAX_ENTRIES:,})"


def _check_entries(archive: zipfile.ZipFile, budget: _Budget, depth: int) -> None:
    for info in archive.infolist():
        budget.entries += 1
        budget.unpacked += info.file_size
        _check_entry_name(budget.name, info.filename)
        _check_entry_sizes(budget, info)
        _check_entry_kind(budget.name, info)
        if _is_archive(archive, info):
            _check_nested(archive, info, budget, depth + 1)


def _check_entry_name(name: str, entry: str) -> None:
    """Zip slip: a name that would land outside the folder if anything ever unpacked it."""
    parts = entry.replace("\\", "/").split("/")
    if entry.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", entry) or ".." in parts:
        raise UnsafeFileError(
            name, f"holds a file named '{entry}', which points outside the document; refused"
        )


def _check_entry_sizes(budget: _Budget, info: zipfile.ZipInfo) -> None:
    name, size = budget.name, info.file_size
    if budget.entries > MAX_ENTRIES:
        raise UnsafeFileError(name, _too_many(budget.entries))
    if budget.unpacked > MAX_UNPACKED_BYTES:
        limit = MAX_UNPACKED_BYTES // MB
        raise UnsafeFileError(name, f"would unpack to more than {limit} MB; a plan is far smaller")
    if size > RATIO_FROM_BYTES and size > MAX_RATIO * max(info.compress_size, 1):
        ratio = size // max(info.compress_size, 1)
        raise UnsafeFileError(
            name,
            f"holds '{info.filename}', packed {ratio:,} to 1: this is a zip bomb, not a plan",
        )
    if _is_xml(info.filename) and size > MAX_XML_PART_BYTES:
        raise UnsafeFileError(
            name,
            f"holds an XML part of {size / MB:.0f} MB ('{info.filename}'); a plan's parts are "
            f"far smaller (limit {MAX_XML_PART_BYTES // MB} MB)",
        )


def _check_entry_kind(name: str, info: zipfile.ZipInfo) -> None:
    if info.flag_bits & 0x1:
        raise UnsafeFileError(
            name, "holds encrypted parts; save it without a password and import that"
        )
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise UnsafeFileError(name, "is packed in a way Word and Excel never use; refused")
    if PurePosixPath(info.filename).name.lower() == "vbaproject.bin":
        raise UnsafeFileError(
            name, "contains macros; macros are never imported: save it without them (.docx/.xlsx)"
        )


_ARCHIVE_SUFFIXES = (".zip", ".docx", ".docm", ".xlsx", ".xlsm", ".pptx", ".jar", ".odt", ".ods")


def _is_archive(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """An archive inside the archive, by its name or its first bytes."""
    if info.filename.lower().endswith(_ARCHIVE_SUFFIXES):
        return True
    if info.is_dir() or info.file_size < 4 or _is_xml(info.filename):
        return False
    with archive.open(info) as entry:
        return entry.read(4) == b"PK\x03\x04"


def _check_nested(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget, depth: int
) -> None:
    """Count what an archive inside holds against the same limits. No parser here opens it,
    but nothing must hide a bomb behind one more layer either."""
    if depth > MAX_NESTING:
        raise UnsafeFileError(budget.name, "holds archives inside archives; refused")
    if info.file_size > MAX_UPLOAD_BYTES:
        raise UnsafeFileError(budget.name, f"holds an archive of over {MAX_UPLOAD_BYTES // MB} MB")
    try:
        inner = zipfile.ZipFile(io.BytesIO(archive.read(info)))
    except zipfile.BadZipFile:
        return  # not really an archive; its size is already counted
    with inner:
        _check_entries(inner, budget, depth)


def _is_xml(entry: str) -> bool:
    return entry.lower().endswith((".xml", ".rels"))


_CHUNK = 64 * 1024
_DTD_MARKERS = (b"<!doctype", b"<!entity")


def _check_no_dtd(name: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Office never writes a DTD; entity expansion and external entities both need one.
    The part is read as a stream; NULs are dropped so UTF-16 text is searched too."""
    tail = b""
    with archive.open(info) as part:
        while chunk := part.read(_CHUNK):
            text = tail + chunk.lower().replace(b"\x00", b"")
            if any(marker in text for marker in _DTD_MARKERS):
                raise UnsafeFileError(
                    name,
                    f"holds an XML part with a DOCTYPE or ENTITY declaration ('{info.filename}'); "
                    "Word and Excel never write these, so the file was made to attack XML readers",
                )
            tail = text[-16:]


_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": "xlsx",
}
_MACRO_TYPE = re.compile(r"macroenabled|vbaproject", re.IGNORECASE)


def _office_kind(name: str, archive: zipfile.ZipFile) -> str:
    """Word or Excel, from the content type of the package's main part, which must exist."""
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
            name, "is a macro-enabled file; macros are never imported: save it as .docx/.xlsx"
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
