"""A project lead registers a webhook on a phone (390 px): the form's error summary, the
secret shown once, the endpoint's page, and deleting it after a confirmation page."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_journeys import log_in
from tests.browser.test_mobile import PHONE, horizontal_overflow, too_wide

pytestmark = pytest.mark.browser


def test_a_project_lead_registers_and_deletes_a_webhook_on_a_phone(page: Page, live_server):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "projektleder.aarhus@demo.dk")
    page.goto(f"{live_server}/webhooks/")
    expect(page.get_by_text("Der er ingen webhooks endnu.")).to_be_visible()
    page.get_by_role("link", name="Opret webhook").click()

    page.get_by_label("Adresse (URL)").fill("http://10.0.0.5/hook")
    page.get_by_role("button", name="Opret webhook").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Adressen skal begynde med https://.")
    expect(summary).to_contain_text("Vælg mindst én hændelse.")
    expect(page.get_by_label("Adresse (URL)")).to_have_value("http://10.0.0.5/hook")
    assert horizontal_overflow(page) <= 0, too_wide(page)

    page.get_by_label("Adresse (URL)").fill("https://93.184.215.14/skalering")
    page.get_by_label("Tal ændret").check()
    page.get_by_label("Rapport klar").check()
    page.get_by_role("button", name="Opret webhook").click()
    secret = page.get_by_label("Nøgle til https://93.184.215.14/skalering")
    expect(secret).to_be_visible()
    assert secret.input_value().startswith("whsec_")
    assert horizontal_overflow(page) <= 0, too_wide(page)

    page.get_by_role("link", name="Jeg har gemt nøglen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("https://93.184.215.14/skalering")
    page.get_by_role("button", name="Send en testbesked").click()
    expect(page.get_by_role("cell", name="Testbesked")).to_be_visible()
    assert horizontal_overflow(page) <= 0, too_wide(page)

    page.get_by_role("link", name="Slet", exact=True).click()
    expect(page.get_by_text("Vil du slette webhooken")).to_be_visible()
    page.get_by_role("button", name="Ja, slet webhooken").click()
    expect(page.get_by_text("Webhooken er slettet.")).to_be_visible()
    expect(page.get_by_text("Der er ingen webhooks endnu.")).to_be_visible()
