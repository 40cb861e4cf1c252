"""Single sign-on in a real browser: the login page's button, the provider's own form
(oidc-provider-mock), and back into the portal as the person's municipality's project lead."""

from __future__ import annotations

import threading

import pytest
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from portal.auth.sso.settings import parse_role_map
from portal.db import db
from tests.auth.sso.helpers import AARHUS_CVR, NATIONAL_CVR, PROJECT_LEAD, ROLE_MAP
from tests.auth.sso.oidc_provider import start_provider
from tests.browser.test_accessibility import violations
from tests.browser_fixtures import empty_database

pytestmark = pytest.mark.browser


@pytest.fixture
def committed_database(app):
    """Rows the live server's threads can see: committed for real, emptied afterwards."""
    db.session.remove()
    with app.app_context():
        yield
        db.session.remove()
        empty_database()
        app.extensions["login_throttle"].reset()


@pytest.fixture
def portal_with_sso(app, committed_database, monkeypatch):
    provider, stop = start_provider()
    for name, value in {
        "OIDC_ISSUER": provider.url,
        "OIDC_CLIENT_ID": "skaleringsportalen",
        "OIDC_CLIENT_SECRET": "hemmelig",
        "OIDC_DISPLAY_NAME": "Kommunernes login via broker",
        "SSO_ROLE_MAP": parse_role_map(ROLE_MAP),
        "SSO_NATIONAL_CVR": NATIONAL_CVR,
    }.items():
        monkeypatch.setitem(app.config, name, value)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", provider
    finally:
        server.shutdown()
        thread.join(timeout=5)
        stop()


def test_a_project_lead_logs_in_with_their_organisation_on_a_phone(page: Page, portal_with_sso):
    base, provider = portal_with_sso
    provider.set_user(
        "anna.aarhus",
        email="anna@aarhus.example",
        email_verified=True,
        name="Anna Andersen",
        cvr=AARHUS_CVR,
        roles=[PROJECT_LEAD],
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/login")
    button = page.get_by_role("link", name="Log ind med din organisation")
    expect(page.get_by_text("Kommunernes login via broker")).to_be_visible()
    assert button.bounding_box()["width"] <= 390
    assert violations(page) == []  # WCAG 2.1 A and AA, with the buttons
    button.click()
    # the provider's own form: the person says who they are there
    page.locator("input[name=sub]").fill("anna.aarhus")
    page.get_by_role("button", name="Authorize").click()
    expect(page).to_have_url(f"{base}/")
    expect(page.get_by_text("Du arbejder for Aarhus Kommune.")).to_be_visible()
    expect(page.get_by_role("link", name="Anna Andersen · Aarhus")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
