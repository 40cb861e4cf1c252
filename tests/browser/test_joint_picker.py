"""Applying jointly in a real browser: co-applicants found by typing and ticked (picker.js
over the multi-select), and the co-applicant asked again after a change."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import violations
from tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser

ROUND = "Skærmbesøg – ny ansøgningsrunde"


def test_co_applicants_are_searched_and_ticked_and_asked_again_after_a_change(
    page: Page, live_server
):
    log_in(page, live_server, "projektleder.helsingoer@demo.dk")
    page.goto(f"{live_server}/ansoegninger/")
    page.get_by_role("link", name=f"Ansøg – {ROUND}").click()
    search = page.get_by_label("Søg efter kommune")
    search.fill("vard")
    picks = page.locator(".picker-list li:visible")
    expect(picks).to_have_count(1)
    page.get_by_label(re.compile("^Varde")).check()
    expect(page.locator(".picker-chosen")).to_contain_text("Varde")
    assert violations(page) == []
    page.get_by_label("Motivation").fill("Sammen med Varde.")
    page.get_by_role("button", name="Gem kladde").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.get_by_text("Varde", exact=False).first).to_be_visible()
    application_url = page.url
    page.get_by_role("button", name="Log ud").click()

    log_in(page, live_server, "projektleder.varde@demo.dk")
    page.goto(application_url)
    page.get_by_role("button", name=re.compile("^Bekræft")).first.click()
    page.get_by_role("button", name="Log ud").click()

    log_in(page, live_server, "projektleder.helsingoer@demo.dk")
    page.goto(f"{application_url}/rediger")
    expect(page.locator("#reconfirm-note")).to_contain_text("Varde har bekræftet ansøgningen")
    expect(page.locator(".picker-chosen")).to_contain_text("Varde")  # kept when editing
    page.get_by_label("Motivation").fill("Sammen med Varde – nu med en bedre plan.")
    page.get_by_role("button", name="Gem kladde").click()
    page.get_by_role("button", name="Log ud").click()

    log_in(page, live_server, "projektleder.varde@demo.dk")
    page.goto(f"{live_server}/beskeder/")
    expect(page.get_by_text("Bekræft den igen", exact=False).first).to_be_visible()
