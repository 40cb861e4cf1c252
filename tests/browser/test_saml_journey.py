"""SAML in a real browser: the login page's Context Handler button, the fixture Context
Handler's own page (served on a port of its own), its signed answer posted back by the
browser, and into the portal as the municipality's project lead; then logging out through
the provider's single logout."""

from __future__ import annotations

import html
import threading
from dataclasses import replace

import pytest
from flask import Flask, request
from playwright.sync_api import Page, expect
from werkzeug.serving import make_server

from portal.auth.sso.saml.settings import read_idp_metadata
from portal.auth.sso.settings import parse_role_map
from portal.db import db
from tests.auth.sso.helpers import AARHUS_CVR, NATIONAL_CVR, PROJECT_LEAD, ROLE_MAP
from tests.auth.sso.saml_browser import inflate
from tests.auth.sso.saml_idp import Login, encode, idp_metadata
from tests.browser.test_accessibility import violations
from tests.browser_fixtures import empty_database

pytestmark = pytest.mark.browser


def fixture_idp_app(idp, person: dict) -> Flask:
    """The fixture Context Handler as a tiny site: a login page, then a form that posts the
    signed answer to the portal (the HTTP-POST binding, with a button instead of a script)."""
    site = Flask("fixture_context_handler")

    @site.get("/sso")
    def sso():
        authn = inflate(request.args["SAMLRequest"])
        return (
            '<!doctype html><html lang="da"><title>Context Handler</title>'
            f'<form method="post" action="/sso/answer">'
            f'<input type="hidden" name="id" value="{html.escape(authn.get("ID"))}">'
            f'<input type="hidden" name="acs" value="{html.escape(authn.get("AssertionConsumerServiceURL"))}">'
            "<button>Log ind som Anne</button></form>"
        )

    @site.post("/sso/answer")
    def answer():
        login = Login(in_response_to=request.form["id"], acs_url=request.form["acs"], **person)
        return (
            '<!doctype html><html lang="da"><title>Context Handler</title>'
            f'<form method="post" action="{html.escape(request.form["acs"])}">'
            f'<input type="hidden" name="SAMLResponse" value="{encode(idp.response(login))}">'
            "<button>Fortsæt til Skaleringsportalen</button></form>"
        )

    @site.get("/slo")
    def slo():
        return '<!doctype html><html lang="da"><title>Logget ud</title><p>Du er logget ud hos Context Handler.</p>'

    return site


def serve(wsgi_app):
    server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


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
def portal_with_saml(app, committed_database, saml_settings, saml_keys, fixture_idp, monkeypatch):
    person = {
        "cvr": AARHUS_CVR,
        "privileges": {AARHUS_CVR: [PROJECT_LEAD]},
        "email": "anne.saml@aarhus.example",
    }
    idp_server = serve(fixture_idp_app(fixture_idp, person))
    idp_base = f"http://127.0.0.1:{idp_server.server_port}"
    metadata = idp_metadata(saml_keys["idp"][1])
    metadata = metadata.replace(b"https://idp.test", idp_base.encode())
    for name in ("SAML_SP_ENTITY_ID", "SAML_SP_CERT", "SAML_SP_KEY", "SAML_IDP_METADATA"):
        monkeypatch.setitem(app.config, name, "set")
    monkeypatch.setitem(app.config, "SSO_ROLE_MAP", parse_role_map(ROLE_MAP))
    monkeypatch.setitem(app.config, "SSO_NATIONAL_CVR", NATIONAL_CVR)
    settings = replace(saml_settings, idp=read_idp_metadata(metadata))
    monkeypatch.setitem(app.extensions, "saml", settings)
    monkeypatch.setitem(app.config, "CSP_FORM_ACTION", (idp_base,))  # as loading the settings does
    portal_server = serve(app)
    try:
        yield f"http://127.0.0.1:{portal_server.server_port}"
    finally:
        portal_server.shutdown()
        idp_server.shutdown()


def test_a_project_lead_logs_in_through_context_handler_on_a_phone(page: Page, portal_with_saml):
    base = portal_with_saml
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/login")
    expect(page.get_by_text("Kommunale medarbejdere: KOMBIT's Context Handler")).to_be_visible()
    assert violations(page) == []  # WCAG 2.1 A and AA, with the Context Handler button
    page.get_by_role("link", name="Log ind med din organisation").click()
    page.get_by_role("button", name="Log ind som Anne").click()
    page.get_by_role("button", name="Fortsæt til Skaleringsportalen").click()
    expect(page).to_have_url(f"{base}/")
    expect(page.get_by_text("Du arbejder for Aarhus Kommune.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # logging out here goes on to Context Handler's single logout
    page.get_by_role("button", name="Log ud").click()
    expect(page.get_by_text("Du er logget ud hos Context Handler.")).to_be_visible()
    page.goto(f"{base}/")
    expect(page).to_have_url(f"{base}/login?next=%2F")
