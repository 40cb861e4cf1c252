"""Every rejected form opens with its error summary, in view and with focus on it, linking to
each field in error (the figures page's baseline, assigning nobody, a score missing a
criterion); a link in the summary takes focus to its field."""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.test_accessibility import violations
from tests.browser.test_application_journey import ROUND, log_out
from tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser


def summary_in_focus(page: Page) -> Locator:
    summary = page.locator(".error-summary")
    expect(summary).to_have_count(1)
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary.get_by_role("heading")).to_have_text("Der er problemer med formularen")
    return summary


def test_a_rejected_baseline_on_the_figures_page(page: Page, live_server):
    log_in(page, live_server, "projektleder.vejle@demo.dk")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Indtast tal").click()
    page.get_by_role("link", name=re.compile("^Planlægningstimer")).first.click()
    baseline = page.locator("section", has=page.get_by_role("heading", name="Basislinje"))
    baseline.get_by_label("Værdi").fill("mange")
    baseline.get_by_label("Målt den").fill("")
    baseline.get_by_role("button", name="Gem basislinje").click()
    summary = summary_in_focus(page)
    expect(summary.get_by_role("link")).to_have_count(2)
    # the field keeps what was typed and its own message
    baseline = page.locator("section", has=page.get_by_role("heading", name="Basislinje"))
    expect(baseline.get_by_label("Værdi")).to_have_value("mange")
    expect(baseline.locator(".field-error").first).to_contain_text("Skriv et tal")
    assert violations(page) == []
    summary.get_by_role("link", name=re.compile("^Målt den")).click()
    expect(baseline.get_by_label("Målt den")).to_be_focused()


def test_assigning_nobody_and_a_score_missing_a_criterion(page: Page, live_server):
    log_in(page, live_server, "koordinator@demo.dk")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Vurdering").click()
    page.get_by_role("link", name=ROUND).click()
    page.get_by_role("link", name="Odense").first.click()

    page.get_by_role("button", name="Tildel").click()
    summary = summary_in_focus(page)
    expect(summary).to_contain_text("Vælg mindst én bedømmer.")
    summary.get_by_role("link").click()
    expect(page.get_by_role("listbox", name=re.compile("^Bedømmere"))).to_be_focused()

    page.get_by_role("listbox", name=re.compile("^Bedømmere")).select_option(
        label="Karen Koordinator"
    )
    page.get_by_role("button", name="Tildel").click()
    expect(page.locator(".flash-success")).to_be_visible()
    page.get_by_role("group", name=re.compile("Kommunens erfaring")).get_by_label(
        "4", exact=True
    ).check()
    page.get_by_role("group", name=re.compile("Parathed")).get_by_label("3", exact=True).check()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Indsend bedømmelsen").click()
    summary = summary_in_focus(page)
    expect(summary.get_by_role("link")).to_have_count(1)
    summary.get_by_role("link").click()
    leadership = page.get_by_role("group", name=re.compile("Ledelsesmæssig forankring"))
    expect(leadership.get_by_role("radio").first).to_be_focused()
    assert violations(page) == []
    log_out(page)
