"""Opening an uploaded PDF for reading, within bounds a hostile file cannot stretch.

`core.safe_files` has already looked at the bytes (no active content, no zip appended). This
module is what every PDF reader (inspection reports, PDF plans) opens a PDF through: pypdf with
its limits lowered from what any PDF may need to what a report or a plan needs, the end marker
required, a password refused, and the pages' drawing instructions counted before any text is
extracted (extraction is the slow part). `open_pdf` raises only `ReadError`.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import NoReturn

from pypdf import PasswordType, PdfReader, apply_configuration
from pypdf.errors import DependencyError, LimitReachedError

from g2g.core.problems import Problem, ReadError

MAX_FILE_BYTES = 50 * 1024 * 1024  # the largest Ofsted report PDFs are about 2 MB
MAX_PAGES = 200  # SIF reports, the longest, run to about 60 pages
MAX_CONTENT_BYTES = 1536 * 1024  # all pages' drawing instructions; the longest report has 0.9 MB
# pypdf's own limits, lowered from what any PDF may need to what a report needs, so a hostile
# file fails in a fraction of a second rather than after 75 MB or two million operators.
PDF_LIMITS = {
    "zlib_maximum_output_length": 8 * 1024 * 1024,  # one stream, unpacked; pages use < 50 KB
    "lzw_maximum_output_length": 8 * 1024 * 1024,
    "run_length_maximum_output_length": 8 * 1024 * 1024,
    "brotli_maximum_output_length": 8 * 1024 * 1024,
    "array_based_stream_maximum_output_length": 8 * 1024 * 1024,
    "stream_decoding_work_maximum_length": 16 * 1024 * 1024,
    "stream_parsing_work_maximum_count": 300_000,  # one page; a report's have about 10,000
    "page_tree_maximum_entries": 1_000,
    "xform_maximum_invocations_per_extraction": 100,
    "outline_maximum_entries": 10_000,
}
_AES_MESSAGE = "the PDF is AES-encrypted; reading it needs the 'cryptography' package"


@dataclass(frozen=True)
class Bounds:
    """What a kind of document may hold: pages, and drawing instructions over all pages."""

    what: str = "a report"
    max_pages: int = MAX_PAGES
    max_content_bytes: int = MAX_CONTENT_BYTES
    # Fonts and character maps, unpacked, over the whole file (0: not counted). pypdf reads a
    # report's text within its own limits; pdfminer, which reads plans, unpacks each of these
    # whole, so they are counted first.
    max_resource_bytes: int = 0


REPORT = Bounds()


@dataclass
class OpenPdf:
    reader: PdfReader
    pages: int
    data: bytes  # the file up to its last end marker: what follows is not the PDF's


def _refuse(source: str, message: str) -> NoReturn:
    raise ReadError([Problem(source, message)])


@contextmanager
def open_pdf(data: bytes, source: str, bounds: Bounds = REPORT) -> Iterator[OpenPdf]:
    """A checked PDF, read inside pypdf's lowered limits and with its warnings about small
    defects it repairs silenced. Refuses (ReadError) an empty, truncated, damaged, password
    protected or oversized PDF before any page's text is extracted."""
    if not data:
        _refuse(source, "the file is empty")
    if len(data) > MAX_FILE_BYTES:
        _refuse(source, f"the file is {len(data)} bytes; {bounds.what} is at most {MAX_FILE_BYTES}")
    if b"%PDF-" not in data[:1024]:
        _refuse(source, "not a PDF: it does not start with %PDF-")
    end = data.rfind(b"%%EOF")
    if end < 0:  # pypdf would read the whole file backwards, line by line, looking for it
        _refuse(source, "the PDF is damaged or truncated: it has no end marker (%%EOF)")
    data = data[: end + len(b"%%EOF")]
    with warnings.catch_warnings(), apply_configuration(**PDF_LIMITS):
        warnings.simplefilter("ignore")  # pypdf warns about every small defect it repairs
        reader = _open(data, source)
        pages = _count(reader, source, bounds)
        _check_content_size(reader, pages, source, bounds)
        if bounds.max_resource_bytes:
            _check_resources(reader, pages, source, bounds)
        yield OpenPdf(reader, pages, data)


def _open(data: bytes, source: str) -> PdfReader:
    """Encryption with an empty user password (permissions only) reads fine; a PDF that needs
    a password to open is refused."""
    try:
        reader = PdfReader(io.BytesIO(data))
        unlocked = not reader.is_encrypted or reader.decrypt("") != PasswordType.NOT_DECRYPTED
    except DependencyError as error:
        raise ReadError([Problem(source, _AES_MESSAGE)]) from error
    except Exception as error:  # pypdf's errors on damaged files are many
        raise ReadError(
            [Problem(source, f"the PDF is damaged or truncated and cannot be opened ({error})")]
        ) from error
    if not unlocked:
        _refuse(source, "the PDF is encrypted with a password, so its text cannot be read")
    return reader


def _count(reader: PdfReader, source: str, bounds: Bounds) -> int:
    try:
        pages = len(reader.pages)
    except Exception as error:  # a broken page tree fails here
        raise ReadError([Problem(source, f"the PDF's page list is damaged ({error})")]) from error
    if pages == 0:
        _refuse(source, "the PDF has no pages")
    if pages > bounds.max_pages:
        _refuse(source, f"the PDF has {pages} pages; {bounds.what} has at most {bounds.max_pages}")
    return pages


def _check_content_size(reader: PdfReader, pages: int, source: str, bounds: Bounds) -> None:
    """Refuse a PDF whose pages hold far more drawing instructions than the document it should
    be, before any text is extracted."""
    total = 0
    for number in range(pages):
        try:
            total += content_size(reader.pages[number])
        except LimitReachedError:
            _refuse(source, f"page {number + 1} of the PDF unpacks to far more than a page needs")
        if total > bounds.max_content_bytes:
            _refuse(
                source,
                f"the PDF's pages hold more than {bounds.max_content_bytes / 1024 / 1024:.1f} MB "
                f"of drawing instructions; {bounds.what} holds far less",
            )


def content_size(page) -> int:
    """The bytes of a page's drawing instructions, unpacked, with those of the forms it draws
    (0 for a damaged page, which is reported when its text is read)."""
    try:
        contents = page.get_contents()
        size = len(contents.get_data()) if contents is not None else 0
        return size + _forms_size(page)
    except LimitReachedError:
        raise
    except Exception:  # noqa: BLE001 - pypdf's errors on damaged pages are many
        return 0


def _forms_size(page) -> int:
    """Drawing instructions of the forms (XObjects) a page's resources name, one level deep:
    text extractors draw them too."""
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else None
    xobjects = resources.get("/XObject") if resources is not None else None
    xobjects = xobjects.get_object() if xobjects is not None else None
    size = 0
    for name in list(xobjects or {})[:100]:
        xobject = xobjects[name].get_object()
        if xobject.get("/Subtype") == "/Form":
            size += len(xobject.get_data())
    return size


_FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3", "/ToUnicode")


def _check_resources(reader: PdfReader, pages: int, source: str, bounds: Bounds) -> None:
    """Refuse a PDF whose fonts and character maps unpack to more than `bounds` allows (each
    unpacked once, within pypdf's limit of 8 MB a stream)."""
    seen: set[int] = set()
    total = 0
    for number in range(pages):
        try:
            for stream in _font_streams(reader.pages[number]):
                key = id(stream)
                if key in seen:
                    continue
                seen.add(key)
                total += len(stream.get_data())
                if total > bounds.max_resource_bytes:
                    _refuse(source, f"the PDF's fonts unpack to far more than {bounds.what} needs")
        except LimitReachedError:
            _refuse(
                source, f"a font on page {number + 1} of the PDF unpacks to far more than it needs"
            )
        except ReadError:
            raise
        except Exception as error:  # pypdf's errors on damaged files are many
            # Refused rather than handed to pdfminer, which would unpack it without a limit.
            raise ReadError(
                [Problem(source, f"a font on page {number + 1} of the PDF is damaged ({error})")]
            ) from error


def _font_streams(page) -> Iterator:
    """The font programs and character maps a page's fonts use, and those of its forms."""
    resources = page.get("/Resources")
    resources = resources.get_object() if resources is not None else None
    holders = [resources] if resources is not None else []
    xobjects = resources.get("/XObject") if resources is not None else None
    for xobject in list((xobjects.get_object() if xobjects is not None else {}).values())[:100]:
        form = xobject.get_object()
        inner = form.get("/Resources") if form.get("/Subtype") == "/Form" else None
        if inner is not None:
            holders.append(inner.get_object())
    for holder in holders:
        fonts = holder.get("/Font")
        for font in list((fonts.get_object() if fonts is not None else {}).values())[:200]:
            yield from _streams_of_font(font.get_object())


def _streams_of_font(font) -> Iterator:
    parts = [font]
    for descendant in font.get("/DescendantFonts") or []:
        parts.append(descendant.get_object())
    for part in parts:
        holders = [part]
        descriptor = part.get("/FontDescriptor")
        if descriptor is not None:
            holders.append(descriptor.get_object())
        for holder in holders:
            for key in _FONT_FILES:
                stream = holder.get(key)
                if stream is not None and hasattr(stream.get_object(), "get_data"):
                    yield stream.get_object()
