"""Journeys in a real browser: Playwright driving Debian's Chromium against a live server."""

import re
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Download, Locator, Page, expect

from portal.demo import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def log_in(page: Page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()


def download_report_pdf(page: Page, link: Locator) -> Download:
    """A report's PDF as a reader gets it: the stored file at once, or — while the latest
    figures are still being typeset in the background — the pending page's job, followed
    to its file (jobs run at once under test)."""
    served = page.request.get(urljoin(page.url, link.get_attribute("href")))
    if served.headers["content-type"].startswith("application/pdf"):
        with page.expect_download() as info:
            link.click()
        return info.value
    link.click()
    expect(page.get_by_role("heading", name="PDF'en er ved at blive lavet")).to_be_visible()
    page.get_by_role("button", name="Lav PDF'en").click()
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("^Hent ")).click()
    return info.value


def test_demo_coordinator_logs_in_and_sees_the_home_page(page: Page, live_server):
    log_in(page, live_server, "koordinator@demo.dk")
    expect(page).to_have_url(f"{live_server}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Goddag, Karen Koordinator")
    expect(page.get_by_text("Du er national koordinator.")).to_be_visible()
    # real figures: the open demo round and the 98 municipalities of the register
    expect(page.get_by_role("link", name="Skærmbesøg – ny ansøgningsrunde")).to_be_visible()
    expect(page.locator(".card", has_text="aktive kommuner")).to_contain_text("98")


def test_keyboard_only_login_and_logout(page: Page, live_server):
    page.goto(f"{live_server}/login")
    page.keyboard.press("Tab")  # skip link
    page.keyboard.press("Tab")  # brand
    page.get_by_label("E-mail").focus()
    page.keyboard.type("projektleder.aarhus@demo.dk")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Du arbejder for Aarhus Kommune.")).to_be_visible()
    page.get_by_role("button", name="Log ud").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_text("Du er logget ud.")).to_be_visible()


def test_wrong_password_keeps_the_email_and_says_why(page: Page, live_server):
    page.goto(f"{live_server}/login")
    page.get_by_label("E-mail").fill("koordinator@demo.dk")
    page.get_by_label("Adgangskode").fill("forkert-kode-123")
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("alert")).to_contain_text("Forkert e-mail eller adgangskode.")
    expect(page.get_by_label("E-mail")).to_have_value("koordinator@demo.dk")
