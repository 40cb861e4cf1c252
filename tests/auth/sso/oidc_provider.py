"""A local OpenID Connect provider for the tests: ``oidc-provider-mock`` in a thread, with a
hook that re-signs the ID token of its next token response with changed claims (with its own
key, so only the claim is wrong) or with another key — what a hostile or broken provider
would send."""

from __future__ import annotations

import base64
import json
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import quote

import flask
import oidc_provider_mock
import requests
import werkzeug.serving
from joserfc import jwt
from joserfc.jwk import RSAKey


@dataclass
class MockProvider:
    url: str
    # the next token response's ID token: claims to change, or "other_key" to sign with
    tamper: dict = field(default_factory=dict)
    # discovery document without ``end_session_endpoint`` (a provider with no RP logout)
    no_end_session: bool = False

    def set_user(self, sub: str, **claims) -> None:
        response = requests.put(f"{self.url}/users/{quote(sub, safe='')}", json=claims, timeout=5)
        assert response.status_code == 204, response.text

    def authorize(self, authorization_url: str, sub: str) -> str:
        """The person picks ``sub`` on the provider's form; the redirect back to the portal."""
        response = requests.post(
            authorization_url, data={"sub": sub}, allow_redirects=False, timeout=5
        )
        assert response.status_code == 302, response.text[:500]
        return response.headers["Location"]


def _unverified(token: str) -> tuple[dict, dict]:
    header, payload, _sig = token.split(".")

    def part(text: str) -> dict:
        return json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))

    return part(header), part(payload)


def _resign(token: str, tamper: dict, private_jwk: dict) -> str:
    header, claims = _unverified(token)
    now = int(time.time())
    for name, value in tamper.get("claims", {}).items():
        claims[name] = value(now) if callable(value) else value
    for name in tamper.get("drop", ()):
        claims.pop(name, None)
    key = RSAKey.generate_key(2048) if tamper.get("other_key") else RSAKey.import_key(private_jwk)
    kept = {k: v for k, v in header.items() if k in ("alg", "kid", "typ")}
    return jwt.encode(kept, claims, key)


def start_provider():
    """A running provider and the function that stops it."""
    app = oidc_provider_mock.app(require_nonce=True)
    provider = MockProvider(url="")

    @app.after_request
    def _discovery(response):
        if flask.request.path.endswith("/openid-configuration") and provider.no_end_session:
            body = json.loads(response.get_data())
            body.pop("end_session_endpoint", None)
            response.set_data(json.dumps(body))
        return response

    @app.after_request
    def _tamper(response):
        if (
            flask.request.path == "/oauth2/token"
            and provider.tamper
            and response.status_code == 200
        ):
            body = json.loads(response.get_data())
            private = flask.g.oidc_provider_mock_storage.jwk.as_dict(is_private=True)
            body["id_token"] = _resign(body["id_token"], provider.tamper, private)
            response.set_data(json.dumps(body))
        return response

    server = werkzeug.serving.make_server("localhost", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    provider.url = f"http://localhost:{server.server_port}"

    def stop() -> None:
        server.shutdown()
        thread.join(5)
        server.server_close()

    return provider, stop
