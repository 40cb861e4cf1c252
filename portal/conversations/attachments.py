"""An attachment is let in only when its bytes say what it is: a PDF, a PNG or JPEG image,
or an Excel or Word file (a zip whose ``[Content_Types].xml`` names a workbook or a
document). The name a browser sends says nothing (``faktura.pdf`` may hold a program), so
the name's ending is never read to decide the type.

A hostile file is refused before it is read whole into memory: the upload is read at most
one byte past the size limit (``ATTACHMENT_MAX_BYTES``), and an Office file's zip directory
is checked — members, each member's unpacked size, the total and the packing ratio — by the
same bounded checks that guard the Excel imports (``portal.xlsx_reading.open_archive``)
before a single member is inflated; only ``[Content_Types].xml`` is then read, a bounded
number of bytes of it. Nothing is stored for a refused file."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

from flask_babel import lazy_gettext as _l

from portal.errors import InvalidInput, RowErrors
from portal.xlsx_reading import Limits, open_archive

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# What a type's file is called when it is downloaded, whatever it was called when sent.
SUFFIX = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", XLSX: ".xlsx", DOCX: ".docx"}
# The main part an Office file's [Content_Types].xml names.
_OFFICE_MAIN = {
    XLSX: b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    DOCX: b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
}
CONTENT_TYPES_MAX = 256 * 1024  # bytes of [Content_Types].xml read at most

WRONG_TYPE = _l(
    "%(name)s kan ikke vedhæftes: kun PDF, Excel (.xlsx), Word (.docx), PNG og JPEG. Filens"
    " indhold er ikke en af dem."
)
TOO_LARGE = _l("%(name)s fylder mere end %(limit)s MB og kan ikke vedhæftes.")
PACKED = _l(
    "%(name)s kan ikke vedhæftes: den fylder for meget, når den pakkes ud, eller er ikke en"
    " gyldig Office-fil."
)
EMPTY = _l("%(name)s er tom.")


@dataclass(frozen=True)
class Checked:
    """An upload that passed: its bytes, the type found in them and a safe name."""

    data: bytes
    content_type: str
    filename: str

    @property
    def size(self) -> int:
        return len(self.data)


def read_bounded(stream: BinaryIO, name: str, max_bytes: int) -> bytes:
    """At most ``max_bytes`` of the upload; refused (not read further) when there is more."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InvalidInput(
            TOO_LARGE % {"name": name, "limit": _megabytes(max_bytes)}, field="attachments"
        )
    if not data:
        raise InvalidInput(EMPTY % {"name": name}, field="attachments")
    return data


def sniff(data: bytes, limits: Limits) -> str | None:
    """The content type the bytes show, or None for anything not let in. Raises
    ``RowErrors`` (from the zip checks) for an archive that breaks the limits."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _office_type(data, limits)
    return None


def _office_type(data: bytes, limits: Limits) -> str | None:
    with open_archive(data, limits) as archive:
        try:
            with archive.open("[Content_Types].xml") as member:
                types = member.read(CONTENT_TYPES_MAX)
        except (KeyError, zipfile.BadZipFile, OSError, EOFError, RuntimeError):
            return None
    for content_type, main in _OFFICE_MAIN.items():
        if main in types:
            return content_type
    return None


def check_upload(stream: BinaryIO, name: str, *, max_bytes: int, limits: Limits) -> Checked:
    """Read and check one upload; ``InvalidInput`` at the attachments field when it is
    refused (too large, empty, another type, a zip that unpacks to too much)."""
    shown = safe_filename(name)
    data = read_bounded(stream, shown, max_bytes)
    try:
        content_type = sniff(data, limits)
    except RowErrors:
        raise InvalidInput(PACKED % {"name": shown}, field="attachments") from None
    if content_type is None:
        raise InvalidInput(WRONG_TYPE % {"name": shown}, field="attachments")
    return Checked(data, content_type, _with_suffix(shown, content_type))


def safe_filename(name: str | None) -> str:
    """The sender's name of the file without folders or control characters, at most 150
    characters (shown and used as the download's name)."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(
        c for c in unicodedata.normalize("NFC", base) if unicodedata.category(c)[0] != "C"
    )
    base = base.strip().strip(".") or "bilag"
    return base[-150:]


def _with_suffix(name: str, content_type: str) -> str:
    suffix = SUFFIX[content_type]
    if content_type == JPEG and name.lower().endswith(".jpeg"):
        return name
    return name if name.lower().endswith(suffix) else f"{name}{suffix}"


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g}".replace(".", ",")


def readable_size(size: int) -> str:
    """``12 kB``, ``1,4 MB``: how large an attachment is, as a Danish reader writes it."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} kB"
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
