"""Every response carries the security headers, checked one by one on pages, files, errors
and static files; pages hold no inline script or style for the policy to block."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from portal.auth.models import Role
from portal.security import register_security_headers
from tests.dashboards.helpers import two_municipalities

EXPECTED = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
CSP_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "frame-ancestors": "'none'",
    "object-src": "'none'",
}


def check_headers(response) -> None:
    for name, value in EXPECTED.items():
        assert response.headers.get(name) == value, (name, response.request.path)
    policy = dict(
        part.strip().split(" ", 1)
        for part in response.headers["Content-Security-Policy"].split(";")
    )
    for directive, value in CSP_DIRECTIVES.items():
        assert policy[directive] == value, directive
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "Strict-Transport-Security" not in response.headers  # development: no HSTS


def test_headers_on_pages_files_errors_and_static(client, make_user, login):
    round_, community, kbh, frb = two_municipalities()
    responses = [client.get("/login"), client.get("/static/portal.css"), client.get("/nowhere")]
    login(make_user(Role.MUNICIPAL, code=101))
    responses += [
        client.get("/"),
        client.get(f"/oversigt/deltagelse/{kbh.id}"),
        client.get(f"/gevinster/deltagelse/{kbh.id}/tal.xlsx"),
        client.get(f"/gevinster/deltagelse/{frb.id}"),  # another's: 404
    ]
    assert [r.status_code for r in responses] == [200, 200, 404, 200, 200, 200, 404]
    for response in responses:
        check_headers(response)


def test_hsts_in_production_only():
    for env, expected in (("production", True), ("development", False)):
        app = Flask(__name__)
        app.config["PORTAL_ENV"] = env
        app.add_url_rule("/", "x", lambda: "ok")
        register_security_headers(app)
        response = app.test_client().get("/")
        assert ("max-age=" in response.headers.get("Strict-Transport-Security", "")) is expected


INLINE = [
    re.compile(r"<script(?![^>]*\ssrc=)[^>]*>"),  # a script without src
    re.compile(r"<style[\s>]"),
    re.compile(r"\sstyle=\""),
    re.compile(r"\son[a-z]+=\""),  # onclick= and friends
]


@pytest.mark.parametrize("path", ["dashboard", "community", "review"])
def test_pages_hold_no_inline_script_or_style(client, make_user, login, path):
    round_, community, kbh, frb = two_municipalities()
    login(make_user(Role.MUNICIPAL, code=101))
    url = {
        "dashboard": f"/oversigt/deltagelse/{kbh.id}",
        "community": f"/oversigt/faellesskab/{community.id}",
        "review": f"/gevinster/deltagelse/{kbh.id}",
    }[path]
    html = client.get(url).get_data(as_text=True)
    assert "<svg" in html or path == "review"
    for pattern in INLINE:
        assert not pattern.search(html), (pattern.pattern, pattern.search(html))
