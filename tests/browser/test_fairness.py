"""The fairness pages in the browser, on the demo's decided round: the flag and the
normalised score are there for the coordinator, pass axe (WCAG 2.1 AA) and fit a 390 px phone
(tables scroll inside their own box)."""

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import violations
from tests.browser.test_journeys import log_in
from tests.browser.test_mobile import PHONE, horizontal_overflow, too_wide

pytestmark = pytest.mark.browser

BASE = "/vurdering/forloeb/vagtplanlaegning-2026"
PAGES = (
    BASE + "?flagged=1",
    BASE + "/rangering?sort=normalised",
    BASE + "/rangering?flagged=1",
    BASE + "/kalibrering",
)


def test_the_coordinator_sees_the_flag_and_the_strict_reviewer(page: Page, live_server):
    log_in(page, live_server, "koordinator@demo.dk")
    page.goto(f"{live_server}{BASE}")
    page.get_by_label("Kun markerede").check()
    page.get_by_role("button", name="Filtrér").click()
    expect(page.get_by_role("link", name="Horsens")).to_be_visible()
    expect(page.get_by_text("Til drøftelse").first).to_be_visible()
    page.goto(f"{live_server}{BASE}/rangering")
    page.get_by_role("link", name="normaliseret score").click()
    expect(page.get_by_text("Listen er sorteret efter den normaliserede score")).to_be_visible()
    page.get_by_role("link", name="Kalibrering og uenighed").first.click()
    bent = page.get_by_role("row").filter(has_text="Bent Bedømmer")
    expect(bent).to_contain_text("strengere")
    expect(page.get_by_role("heading", name="Sådan er det beregnet")).to_be_visible()
    for path in PAGES:
        page.goto(f"{live_server}{path}")
        assert violations(page) == [], path


def test_the_fairness_pages_fit_a_phone(page: Page, live_server):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "koordinator@demo.dk")
    for path in PAGES:
        page.goto(f"{live_server}{path}")
        assert horizontal_overflow(page) <= 0, (path, too_wide(page))
