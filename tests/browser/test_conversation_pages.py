"""The demo's conversation at 390 px (a phone): Odense's thread, its inbox and the
coordinator's side-by-side of what changed scroll only downwards and pass axe."""

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.conversations.models import Thread
from portal.db import db
from tests.browser.test_accessibility import violations
from tests.browser.test_application_journey import log_out
from tests.browser.test_journeys import log_in
from tests.browser.test_mobile import PHONE, horizontal_overflow, too_wide

pytestmark = pytest.mark.browser


def demo_application(app) -> int:
    with app.app_context():
        application_id = db.session.scalar(
            select(Thread.application_id).where(Thread.application_id.is_not(None))
        )
        db.session.remove()
    return application_id


def test_a_thread_its_inbox_and_what_changed_fit_a_phone(page: Page, live_server, app):
    application_id = demo_application(app)
    page.set_viewport_size(PHONE)
    log_in(page, live_server, "projektleder.odense@demo.dk")
    for path in ("/samtaler/", f"/samtaler/ansoegning/{application_id}"):
        page.goto(f"{live_server}{path}")
        assert horizontal_overflow(page) <= 0, (path, too_wide(page))
        assert violations(page) == [], path
    expect(page.get_by_role("link", name="budget-skaermbesoeg-2026.pdf")).to_be_visible()
    log_out(page)
    log_in(page, live_server, "koordinator@demo.dk")
    for path in (f"/ansoegninger/{application_id}/versioner", f"/ansoegninger/{application_id}"):
        page.goto(f"{live_server}{path}")
        assert horizontal_overflow(page) <= 0, (path, too_wide(page))
        assert violations(page) == [], path
    expect(page.locator("table.changes ins").first).to_be_visible()
