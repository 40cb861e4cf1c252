"""At 390 px (a phone) the pages a project lead uses most scroll only downwards: tables
scroll inside their own box, charts scale, the menu folds away behind a button."""

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.db import db
from portal.municipalities.models import Municipality
from portal.participations.models import Participation
from portal.programmes.models import Round
from tests.browser.sweep import duplicate_ids, sweep
from tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def aarhus_screen_visits(app) -> int:
    with app.app_context():
        participation_id = db.session.scalar(
            select(Participation.id)
            .join(Round)
            .join(Municipality, Municipality.id == Participation.municipality_id)
            .where(Round.slug == "skaermbesoeg-2025", Municipality.code == 751)
        )
        db.session.remove()
    return participation_id


def horizontal_overflow(page: Page) -> int:
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def too_wide(page: Page) -> list[str]:
    """The outermost elements sticking out on the right, to say what to fix."""
    return page.evaluate(
        """() => { const w = document.documentElement.clientWidth; const out = [];
        for (const el of document.querySelectorAll('body *')) {
          const r = el.getBoundingClientRect();
          if (r.right > w + 1 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > w + 1))
            out.push(el.tagName + '.' + el.className + ' in ' + el.parentElement.tagName + '.' + el.parentElement.className + ' ' + Math.round(r.right) + ' ' + (el.textContent || '').trim().slice(0, 40));
        } return out.slice(0, 8); }"""
    )


def test_home_dashboard_and_figures_have_no_sideways_scroll_at_390_px(page: Page, live_server, app):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "projektleder.aarhus@demo.dk")
    participation_id = aarhus_screen_visits(app)
    for path in (
        "/",
        f"/oversigt/deltagelse/{participation_id}",
        f"/gevinster/deltagelse/{participation_id}",
    ):
        page.goto(f"{live_server}{path}")
        assert horizontal_overflow(page) <= 0, (path, too_wide(page))
        # a wide table scrolls in its own box, which a keyboard user can reach
        for box in page.locator(".table-scroll").all():
            assert box.get_attribute("tabindex") == "0"
        for chart in page.locator("svg.chart").all():
            assert chart.bounding_box()["width"] <= PHONE["width"]


def test_the_menu_folds_behind_a_button_on_a_phone(page: Page, live_server):
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "koordinator@demo.dk")
    menu = page.get_by_role("navigation", name="Hovedmenu")
    toggle = page.get_by_role("button", name="Menu")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu.get_by_role("link", name="Logbog")).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Logbog")).to_be_visible()
    assert horizontal_overflow(page) <= 0
    page.set_viewport_size({"width": 1280, "height": 800})  # on a desktop: always shown
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(menu.get_by_role("link", name="Logbog")).to_be_visible()


TABLES_OUTSIDE_A_BOX = """() => [...document.querySelectorAll('main table')]
  .filter(t => !t.closest('.table-scroll[role=region][aria-label][tabindex="0"]'))
  .map(t => (t.querySelector('caption, th') || t).textContent.trim().slice(0, 40))"""

BOXES_WITHOUT_A_HINT = """() => [...document.querySelectorAll('.table-scroll')]
  .filter(b => b.scrollWidth > b.clientWidth + 1)
  .filter(b => { const hint = b.parentElement.querySelector('.scroll-hint');
                 return !hint || !hint.offsetParent || !hint.textContent.includes('Rul vandret'); })
  .map(b => b.getAttribute('aria-label'))"""


# Words, not code: text a reader sees (not a <code> sample of a file) holds no double full
# stop ("700.000 kr..") and no variable name (annual_cost, planning_hours).
SLIPS = r"""() => {
  const main = document.querySelector('main').cloneNode(true);
  main.querySelectorAll('code, pre, kbd, samp, textarea, select, script, style, .visually-hidden').forEach(e => e.remove());
  const text = main.innerText;
  const found = [];
  for (const m of text.matchAll(/\S*[^.\s]\.\.(?!\.)\S*/g)) found.push(`double full stop: ${m[0]}`);
  for (const m of text.matchAll(/\b[a-z]+(?:_[a-z0-9]+)+\b/g)) found.push(`code name: ${m[0]} in "${text.slice(Math.max(0, m.index - 30), m.index + m[0].length + 10).replace(/\s+/g, " ")}"`);
  return [...new Set(found)];
}"""


# A notice is a link to what it is about.
NOTICES_WITHOUT_A_LINK = """() => [...document.querySelectorAll('table.notices tbody tr')]
  .filter(row => !row.querySelector('a[href^="/"]'))
  .map(row => row.innerText.trim().slice(0, 60))"""


def fits_a_phone(page: Page, visit) -> list[str]:
    found = []
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        found.append(f"scrollWidth {width}: {too_wide(page)}")
    found += [
        f"table outside a labelled scroll box: {t}" for t in page.evaluate(TABLES_OUTSIDE_A_BOX)
    ]
    found += [
        f"scroll box without a visible hint: {b}" for b in page.evaluate(BOXES_WITHOUT_A_HINT)
    ]
    found += [f"notice without a link: {n}" for n in page.evaluate(NOTICES_WITHOUT_A_LINK)]
    return found + duplicate_ids(page) + page.evaluate(SLIPS)


def test_every_page_of_every_role_and_the_pages_they_lead_to_fit_a_phone(
    page: Page, live_server, app, record_property
):
    """The sweep (tests/browser/sweep.py) at 390 px: no page scrolls sideways, every table
    scrolls in its own labelled box that says so when it holds more than it shows."""
    page.set_viewport_size(PHONE)
    visits, problems = sweep(page, live_server, app, fits_a_phone)
    record_property("phone_pages", len(visits))
    rules = sorted({v.rule for v in visits})
    print(f"\n390 px sweep: {len(visits)} pages, {len(rules)} URL rules:\n" + "\n".join(rules))
    assert len(visits) >= 100
    assert problems == {}, "\n".join(f"{where}: {what}" for where, what in problems.items())
