"""Leadership downloads its municipality's progress report as a PDF a board can read."""

import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.test_accessibility import violations
from tests.browser.test_journeys import download_report_pdf, log_in

pytestmark = pytest.mark.browser


def test_leadership_downloads_the_municipality_progress_pdf(page: Page, live_server):
    log_in(page, live_server, "direktion.aarhus@demo.dk")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role(
        "link", name="Rapporter", exact=True
    ).click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert violations(page) == []
    # one row per round Aarhus takes part in; the first is enough
    row = page.locator("tr", has=page.get_by_role("link", name="Fremdrift: Aarhus"))
    expect(row.first).to_be_visible()
    download = download_report_pdf(page, row.first.get_by_role("link", name=re.compile("^PDF")))
    assert download.suggested_filename.endswith(".pdf")
    text = "\n".join(p.extract_text() for p in PdfReader(download.path()).pages)
    assert "Aarhus" in text and "Side 1 af" in text
    assert "233,89" in text  # the hourly cost, Danish format, stated with the formulas
    # others' reports stay out of reach: Odense's is not offered and not served
    assert "Fremdrift: Odense" not in page.content()
