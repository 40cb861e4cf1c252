"""Small manners of every page, in a real browser: a focus ring that can be seen (3:1 or
more against what surrounds it), Escape folds the phone menu, and a confirm dialog only for a
form that can be saved."""

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.applications.models import Application, ApplicationStatus
from portal.db import db
from tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}

# The focused element's outline colour against the first opaque background behind it (the
# ring sits outside the element, so the element's own background does not count).
RING_CONTRAST = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth) < 2) return 0;
  const rgb = c => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  let bg = [255, 255, 255];
  for (let n = el.parentElement; n; n = n.parentElement) {
    const c = rgb(getComputedStyle(n).backgroundColor);
    if (c.length === 3 || c[3] > 0) { bg = c.slice(0, 3); break; }
  }
  const a = lum(rgb(style.outlineColor)), b = lum(bg);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def test_the_focus_ring_stands_out_3_to_1_on_the_header_and_the_page(page: Page, live_server):
    log_in(page, live_server, "koordinator@demo.dk")
    page.goto(f"{live_server}/deltagere/")
    seen = []
    for _ in range(25):  # the skip link, the header's links and buttons, the page's links
        page.keyboard.press("Tab")
        where = page.evaluate("document.activeElement.closest('header') ? 'header' : 'page'")
        contrast = page.evaluate(RING_CONTRAST)
        seen.append(where)
        assert contrast >= 3, (page.evaluate("document.activeElement.outerHTML"), contrast)
    assert {"header", "page"} <= set(seen)


def test_escape_folds_the_phone_menu_and_returns_to_its_button(page: Page, live_server):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "koordinator@demo.dk")
    toggle = page.get_by_role("button", name="Menu")
    menu = page.get_by_role("navigation", name="Hovedmenu")
    toggle.click()
    expect(menu.get_by_role("link", name="Logbog")).to_be_visible()
    menu.get_by_role("link", name="Logbog").focus()
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu.get_by_role("link", name="Logbog")).to_be_hidden()
    expect(toggle).to_be_focused()


def submitted_application(app) -> int:
    with app.app_context():
        found = db.session.scalar(
            select(Application.id)
            .where(Application.status == ApplicationStatus.SUBMITTED)
            .order_by(Application.id)
        )
        db.session.remove()
    return found


def test_the_confirm_dialog_comes_only_once_the_required_fields_are_filled(
    page: Page, live_server, app
):
    """The server refuses a decision without a reason: asking "are you sure?" first would
    be a question about something that cannot be saved."""
    dialogs: list[str] = []

    def answer(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", answer)
    log_in(page, live_server, "koordinator@demo.dk")
    page.goto(f"{live_server}/vurdering/ansoegning/{submitted_application(app)}")
    page.get_by_role("combobox", name="Afgørelse").select_option(index=1)
    page.get_by_role("button", name="Gem afgørelse").click()
    expect(page.locator(".error-summary")).to_contain_text("Skriv en begrundelse")
    assert dialogs == []
    page.get_by_label("Begrundelse (kommunen kan læse den)").fill("Stærk ansøgning")
    page.get_by_role("combobox", name="Afgørelse").select_option(index=1)
    page.get_by_role("button", name="Gem afgørelse").click()
    assert dialogs == ["Gem afgørelsen og giv kommunen besked?"]  # dismissed: nothing saved
    expect(page.locator(".error-summary")).to_be_visible()  # still the page with the form
