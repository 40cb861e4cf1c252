"""PDF rendering through WeasyPrint that loads nothing from outside the document.

Shared by every PDF the portal makes (the review dossier, the reports): the HTML carries its
styles, images and charts inline, fonts come from the system (DejaVu, embedded by
WeasyPrint), and the result is tagged (PDF/UA-1) so screen readers can follow it.
"""

from __future__ import annotations

import re

from markupsafe import Markup
from weasyprint import HTML, URLFetcher


class NoFetching(URLFetcher):
    """Every resource of a document is inline; any other URL (a link typed into a free text,
    a remote stylesheet) is refused rather than fetched."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        raise ValueError(f"external resources are not loaded: {url[:80]}")


def render_pdf(html: str) -> bytes:
    return HTML(string=html, base_url="about:blank", url_fetcher=NoFetching()).write_pdf(
        pdf_variant="pdf/ua-1"
    )


def css_string(value) -> Markup:
    """Text for a CSS string in a PDF's page header: no quotes, backslashes or tags."""
    return Markup(re.sub(r'["\\<>\n]', " ", str(value)))
