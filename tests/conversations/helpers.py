"""Small builders for the conversation tests: files whose bytes are (or pretend to be) the
kinds an attachment may be, and a submitted application with its participation."""

from __future__ import annotations

import io
import zipfile

DOCX_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    b'package/2006/content-types"><Override PartName="/word/document.xml" ContentType='
    b'"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    b"</Types>"
)
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
# The first bytes of a Windows program (a PE file's DOS header).
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def docx(document: bytes = b"<w:document/>") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", DOCX_TYPES)
        archive.writestr("word/document.xml", document)
    return out.getvalue()


def zip_bomb_docx(unpacked: int = 16 << 20) -> bytes:
    """A DOCX on the outside: the right [Content_Types].xml, and a member that unpacks to
    ``unpacked`` bytes of zeros from a few kilobytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", DOCX_TYPES)
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = b"\x00" * (1 << 20)
            for _ in range(unpacked >> 20):
                member.write(chunk)
    return out.getvalue()


def xlsx() -> bytes:
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    book.add_worksheet().write(0, 0, "Tal")
    book.close()
    return out.getvalue()


class CountingStream(io.RawIOBase):
    """A stream of ``size`` bytes made on demand, counting how many were read."""

    def __init__(self, size: int, head: bytes = PDF) -> None:
        self.size, self.head, self.read_bytes = size, head, 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        left = self.size - self.read_bytes
        n = left if n is None or n < 0 else min(n, left)
        start = self.read_bytes
        self.read_bytes += n
        head = self.head[start : start + n]
        return head + b"\x00" * (n - len(head))
