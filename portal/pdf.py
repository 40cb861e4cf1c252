"""PDF rendering through WeasyPrint that loads nothing from outside the document.

Shared by every PDF the portal makes (the review dossier, the reports): the HTML carries its
styles, images and charts inline, fonts come from the system (DejaVu, embedded by
WeasyPrint), and the result is tagged (PDF/UA-1) so screen readers can follow it.
"""

from __future__ import annotations

import gc
import re
from contextlib import contextmanager

from markupsafe import Markup
from weasyprint import HTML, URLFetcher


class NoFetching(URLFetcher):
    """Every resource of a document is inline; any other URL (a link typed into a free text,
    a remote stylesheet) is refused rather than fetched."""

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            return super().fetch(url, headers)
        raise ValueError(f"external resources are not loaded: {url[:80]}")


@contextmanager
def collector_paused():
    """Python's cyclic garbage collector paused for a burst of short-lived objects (a report's
    data, WeasyPrint's boxes): every collection walks all live objects of the process, which
    measured 13 % of a national report's typesetting, more in a busy process. Reference
    counting still frees the objects; the collector resumes afterwards. Also a decorator."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


@collector_paused()
def render_pdf(html: str) -> bytes:
    return HTML(string=html, base_url="about:blank", url_fetcher=NoFetching()).write_pdf(
        pdf_variant="pdf/ua-1"
    )


def css_string(value) -> Markup:
    """Text for a CSS string in a PDF's page header: no quotes, backslashes, tags or control
    characters (``\\f`` and ``\\r`` end a CSS string as ``\\n`` does)."""
    return Markup(re.sub(r'["\\<>\x00-\x1f\x7f\u2028\u2029]', " ", str(value)))
