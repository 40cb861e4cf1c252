"""Reading report files back."""

from __future__ import annotations

import io

from pypdf import PdfReader


def pdf_pages(data: bytes) -> list[str]:
    """Each page's text, with non-breaking spaces as plain ones."""
    return [p.extract_text().replace("\xa0", " ") for p in PdfReader(io.BytesIO(data)).pages]
