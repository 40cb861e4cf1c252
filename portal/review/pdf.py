"""PDF rendering through WeasyPrint that loads nothing from outside the document."""

from __future__ import annotations

from weasyprint import HTML, URLFetcher


class NoFetching(URLFetcher):
    """Every resource of a dossier is inline; any other URL (a link typed into a free text,
    a remote stylesheet) is refused rather than fetched."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        raise ValueError(f"external resources are not loaded: {url[:80]}")


def render_pdf(html: str) -> bytes:
    return HTML(string=html, base_url="about:blank", url_fetcher=NoFetching()).write_pdf(
        pdf_variant="pdf/ua-1"
    )
