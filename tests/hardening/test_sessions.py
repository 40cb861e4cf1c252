"""Sessions: a generated password is shown on the response page (never in the readable
session cookie) and must be replaced at first login; a cookie copied before logout dies at
logout."""

from __future__ import annotations

from portal.auth.models import Role
from tests.conftest import PASSWORD


def _session_data(app, client) -> dict:
    cookie = client.get_cookie(app.config.get("SESSION_COOKIE_NAME", "session"))
    if cookie is None:
        return {}
    return app.session_interface.get_signing_serializer(app).loads(cookie.value)


def test_a_generated_password_is_on_the_page_not_in_the_cookie(app, client, make_user, login):
    user = make_user(Role.MUNICIPAL)
    login(make_user(Role.ADMIN))
    response = client.post(f"/admin/brugere/{user.id}/adgangskode", data={"password": ""})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    prefix = f"Midlertidig adgangskode til {user.email}: "
    shown = response.get_data(as_text=True).split(prefix)[1][:14]
    assert shown not in repr(_session_data(app, client))

    fresh = app.test_client()
    first = fresh.post("/login", data={"email": user.email, "password": shown})
    assert first.status_code == 302
    assert fresh.get("/").headers["Location"].endswith("/konto/adgangskode")
    assert fresh.get("/konto/adgangskode").status_code == 200
    changed = fresh.post(
        "/konto/adgangskode",
        data={"current": shown, "new": "min-egen-kode-42", "repeat": "min-egen-kode-42"},
    )
    assert changed.status_code == 302
    assert fresh.get("/").status_code == 200


def test_a_typed_password_needs_no_change(app, client, make_user, login):
    user = make_user(Role.MUNICIPAL)
    login(make_user(Role.ADMIN))
    client.post(f"/admin/brugere/{user.id}/adgangskode", data={"password": "valgt-af-admin-42"})
    fresh = app.test_client()
    fresh.post("/login", data={"email": user.email, "password": "valgt-af-admin-42"})
    assert fresh.get("/").status_code == 200


def test_a_cookie_captured_before_logout_does_not_work_after(app, client, make_user, login):
    user = make_user(Role.MUNICIPAL)
    login(user, PASSWORD)
    assert client.get("/").status_code == 200
    cookie_name = app.config.get("SESSION_COOKIE_NAME", "session")
    captured = client.get_cookie(cookie_name).value
    client.post("/logout")
    thief = app.test_client()
    thief.set_cookie(cookie_name, captured)
    response = thief.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
