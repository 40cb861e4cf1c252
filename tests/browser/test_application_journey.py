"""The application journey in a real browser: a municipality applies and submits; the
coordinator scores, approves and places it in a community; the municipality sees the
decision, its community and its grant."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser

ROUND = "Skærmbesøg – ny ansøgningsrunde"


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log ud").click()
    expect(page).to_have_url(re.compile(r"/login$"))


def apply_and_submit(page: Page, base: str) -> str:
    log_in(page, base, "projektleder.helsingoer@demo.dk")
    page.get_by_role("navigation", name="Hovedmenu").get_by_role("link", name="Ansøgninger").click()
    page.get_by_role("link", name=f"Ansøg – {ROUND}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(ROUND)
    page.get_by_label("Deltagerkommune").check()
    page.get_by_label(re.compile("^Nogen erfaring med at bruge teknologien")).check()
    page.get_by_label("At komme i gang med at bruge skærmbesøg", exact=False).first.check()
    page.get_by_label("Motivation").fill("Vi vil frigøre tid i sygeplejen med skærmbesøg.")
    page.get_by_label("Projektleder: navn").fill("Hanne Hansen")
    page.get_by_label("Projektleder: e-mail").fill("hanne@helsingor.dk")
    page.get_by_label("Projektejer (chef): navn").fill("Ole Olsen")
    page.get_by_label("Projektejer: titel").fill("Sundhedschef")
    # first an incomplete submit: told what is missing, nothing typed is lost
    page.get_by_role("button", name="Gem og indsend").click()
    expect(page.get_by_role("alert")).to_contain_text("Der skal være opbakning i direktionen")
    expect(page.get_by_label("Motivation")).to_have_value(
        "Vi vil frigøre tid i sygeplejen med skærmbesøg."
    )
    page.get_by_label("Initiativet har opbakning i direktionen").check()
    page.get_by_label("Initiativet har opbakning på chefniveau").check()
    page.get_by_role("button", name="Gem og indsend").click()
    expect(page.get_by_text("Ansøgningen er indsendt.")).to_be_visible()
    expect(page.locator("h1 .badge")).to_have_text("Indsendt")
    url = page.url
    log_out(page)
    return url
