"""The public results pages and the leadership's publication choice in a real browser: at
390 px (a phone) nothing scrolls sideways, and they pass axe-core (WCAG 2.1 A and AA);
an anonymous visitor goes from the login page to the screen-visit round and its CSV."""

import pytest
from playwright.sync_api import Page

from tests.browser.test_accessibility import violations
from tests.browser.test_journeys import log_in
from tests.browser.test_mobile import PHONE, fits_a_phone, horizontal_overflow, too_wide

pytestmark = pytest.mark.browser

PUBLIC = ["/resultater/", "/resultater/skaermbesoeg-2025", "/aabne-data/"]


def test_an_anonymous_visitor_on_a_phone_reads_the_results_and_downloads_the_csv(
    page: Page, live_server
):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/login")
    page.get_by_role("link", name="Se resultaterne").click()
    page.get_by_role("link", name="Skærmbesøg 2025–2027").click()
    assert page.get_by_role("heading", name="Aarhus").is_visible()
    for path in PUBLIC + [p + "?lang=en" for p in PUBLIC]:
        page.goto(f"{live_server}{path}")
        if "lang=en" in path:  # (the sweep's hint check reads the Danish hint)
            assert horizontal_overflow(page) <= 0, (path, too_wide(page))
        else:
            assert fits_a_phone(page, None) == [], path  # the phone sweep's checks
        assert violations(page) == [], path
    page.goto(f"{live_server}/aabne-data/")
    with page.expect_download() as download:
        page.get_by_role(
            "link", name="indikatorer.csv", exact=True
        ).click()  # the live file, not a dated one
    assert download.value.suggested_filename.startswith("indikatorer-")


def test_the_leaderships_publication_page_is_accessible_on_a_phone(page: Page, live_server):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "direktion.aarhus@demo.dk")
    page.goto(f"{live_server}/resultater/offentliggoerelse")
    assert horizontal_overflow(page) <= 0, too_wide(page)
    assert fits_a_phone(page, None) == []
    assert violations(page) == []
