"""Security headers on every response (pages, files, errors, static files).

The Content-Security-Policy allows scripts, styles, images and fonts from the portal itself
only: no inline script or style (the few scripts live in ``static/``, the charts carry SVG
presentation attributes instead of ``style``), no framing (``frame-ancestors 'none'``), forms
post only here. HSTS is sent in production, where a TLS proxy is in front (README).

Every response to a logged-in user (pages, downloads, errors; the portal's static files
excepted) says ``Cache-Control: no-store``, so neither a shared computer's browser nor a
proxy keeps a municipality's figures, unless the page chose ``private`` itself (a page with
an ETag, ``portal.conditional``, which the browser may keep and ask about again); and
``Vary: Cookie`` always, since what a URL shows depends on who asks.
"""

from __future__ import annotations

from flask import Flask, request, session


def content_security_policy(form_action: tuple[str, ...] = ()) -> str:
    """The policy; ``form_action`` adds origins a form may post (or be redirected) to, e.g.
    the SAML identity provider's single logout after the logout form (``CSP_FORM_ACTION``)."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            " ".join(("form-action 'self'", *form_action)),
            "frame-ancestors 'none'",
        ]
    )


CONTENT_SECURITY_POLICY = content_security_policy()
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",  # for browsers that predate frame-ancestors
}
HSTS = "max-age=31536000; includeSubDomains"


def register_security_headers(app: Flask) -> None:
    production = app.config.get("PORTAL_ENV") == "production"

    @app.after_request
    def _security_headers(response):
        form_action = _form_action(app)
        if form_action:
            policy = content_security_policy(form_action)
            response.headers.setdefault("Content-Security-Policy", policy)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if production:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        if request.endpoint != "static" and not _same_for_everyone(app) and session.get("_user_id"):
            _personal(response)
        return response


def _form_action(app: Flask) -> tuple[str, ...]:
    """``CSP_FORM_ACTION`` (set at start, e.g. by SAML) and the origins that a domain's
    function in ``app.extensions["csp_form_action"]`` gives for this request (OpenID
    Connect's end-session endpoint, known once its discovery document is)."""
    found = list(app.config.get("CSP_FORM_ACTION", ()))
    for source in app.extensions.get("csp_form_action", ()):
        found += [o for o in source(app) if o not in found]
    return tuple(found)


def _same_for_everyone(app: Flask) -> bool:
    """A public file that is the same whoever asks (the open data, ``openresults``): it keeps
    its own public caching headers, logged in or not."""
    view = app.view_functions.get(request.endpoint or "")
    return bool(getattr(view, "same_for_everyone", False))


def _personal(response) -> None:
    """Headers of a response that was made for one logged-in user (see the module)."""
    if "private" not in response.cache_control:
        response.headers["Cache-Control"] = "no-store"
    response.vary.add("Cookie")
