"""Reading report files back."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader


def pdf_pages(data: bytes) -> list[str]:
    """Each page's text, with non-breaking spaces as plain ones."""
    return [p.extract_text().replace("\xa0", " ") for p in PdfReader(io.BytesIO(data)).pages]


def get_pdf(client, url: str):
    """A report's PDF as a reader gets it: stored, or pending — then made by the job the
    pending page offers (run at once under TESTING, and stored), and fetched again."""
    response = client.get(url)
    if response.mimetype == "application/pdf":
        return response
    page = response.get_data(as_text=True)
    assert "PDF'en er ved at blive lavet" in page, page[:500]
    form = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', page))
    started = client.post("/filer/", data=form)
    assert started.status_code == 303, started.status_code
    return client.get(url)
