import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.db import db
from tests.conftest import PASSWORD


def test_login_page_is_danish_by_default(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert "Log ind" in response.get_data(as_text=True)
    assert response.headers["Content-Language"] == "da"


def test_home_requires_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_municipal_user_logs_in_and_sees_own_municipality(client, make_user, login):
    user = make_user(Role.MUNICIPAL, code=751)
    login(user)
    page = client.get("/").get_data(as_text=True)
    assert "Aarhus Kommune" in page
    events = db.session.scalars(select(AuditEvent.action).where(AuditEvent.actor_id == user.id))
    assert "login" in list(events)


def test_unknown_email_and_wrong_password_get_the_same_message(client, make_user):
    user = make_user(Role.COORDINATOR)
    unknown = client.post("/login", data={"email": "nobody@example.dk", "password": "x" * 12})
    wrong = client.post("/login", data={"email": user.email, "password": "forkert-kode-123"})
    message = "Forkert e-mail eller adgangskode."
    assert message in unknown.get_data(as_text=True)
    assert message in wrong.get_data(as_text=True)
    assert unknown.status_code == wrong.status_code == 200
    failures = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "login_failed")
    ).all()
    assert len(failures) == 2


def test_email_is_case_insensitive(client, make_user, login):
    user = make_user(Role.COORDINATOR, email="Karen@Example.DK")
    assert user.email == "karen@example.dk"
    response = client.post("/login", data={"email": "KAREN@example.dk", "password": PASSWORD})
    assert response.status_code == 302


def test_five_failures_throttle_the_account_with_a_clear_wait(client, make_user):
    user = make_user(Role.COORDINATOR)
    for _ in range(5):
        client.post("/login", data={"email": user.email, "password": "forkert-kode-123"})
    blocked = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert blocked.status_code == 429
    text = blocked.get_data(as_text=True)
    assert "Prøv igen om" in text and "sekunder" in text
    # the right password does not get through while throttled
    assert client.get("/").status_code == 302


def test_one_persons_typos_do_not_lock_out_a_colleague_at_the_same_address(client, make_user):
    typist, colleague = make_user(Role.MUNICIPAL), make_user(Role.MUNICIPAL)
    for _ in range(6):
        client.post("/login", data={"email": typist.email, "password": "forkert-kode-123"})
    response = client.post("/login", data={"email": colleague.email, "password": PASSWORD})
    assert response.status_code == 302


def test_a_forged_forwarded_for_header_does_not_buy_new_attempts(client, make_user):
    """Without TRUSTED_PROXIES the header is ignored: the address stays the caller's."""
    user = make_user(Role.COORDINATOR)
    for n in range(5):
        client.post(
            "/login",
            data={"email": user.email, "password": "forkert-kode-123"},
            headers={"X-Forwarded-For": f"192.0.2.{n}"},
        )
    blocked = client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD},
        headers={"X-Forwarded-For": "192.0.2.99"},
    )
    assert blocked.status_code == 429


def test_the_address_is_taken_from_exactly_the_trusted_proxies():
    from flask import Flask, request

    from portal import behind_proxies

    for count, expected in ((0, "127.0.0.1"), (1, "203.0.113.7"), (2, "198.51.100.1")):
        app = Flask(__name__)
        app.add_url_rule("/", "ip", lambda: request.remote_addr)
        app.wsgi_app = behind_proxies(app.wsgi_app, count)
        header = {"X-Forwarded-For": "6.6.6.6, 198.51.100.1, 203.0.113.7"}
        assert app.test_client().get("/", headers=header).get_data(as_text=True) == expected


def test_the_current_password_check_is_throttled(client, make_user, login):
    user = make_user(Role.MUNICIPAL)
    login(user)
    for _ in range(5):
        response = client.post(
            "/konto/adgangskode",
            data={
                "current": "forkert-kode-123",
                "new": "en-helt-ny-kode-42",
                "repeat": "en-helt-ny-kode-42",
            },
        )
        assert response.status_code == 200
    blocked = client.post(
        "/konto/adgangskode",
        data={"current": PASSWORD, "new": "en-helt-ny-kode-42", "repeat": "en-helt-ny-kode-42"},
    )
    assert blocked.status_code == 429
    assert "Prøv igen om" in blocked.get_data(as_text=True)


def test_inactive_user_cannot_log_in(client, make_user):
    user = make_user(Role.COORDINATOR, active=False)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert "Forkert e-mail eller adgangskode." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/indsatser/", "/indsatser/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_redirects_only_within_the_site(client, make_user, target, expected):
    user = make_user(Role.COORDINATOR)
    response = client.post(
        "/login", query_string={"next": target}, data={"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_logout_needs_post_and_ends_the_session(client, make_user, login):
    login(make_user(Role.COORDINATOR))
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_csrf_is_enforced_on_login(app, client, make_user):
    user = make_user(Role.COORDINATOR)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/login", data={"email": user.email, "password": PASSWORD})
        assert response.status_code == 400
        page = client.get("/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        response = client.post(
            "/login", data={"email": user.email, "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_session_cookie_is_httponly_and_lax(client, make_user, login):
    response = login(make_user(Role.COORDINATOR))
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_deactivated_user_loses_an_open_session(client, make_user, login):
    user = make_user(Role.MUNICIPAL)
    login(user)
    assert client.get("/").status_code == 200
    user.active = False
    db.session.commit()
    assert client.get("/").status_code == 302


def test_english_can_be_chosen_and_kept_after_login(client, make_user, login):
    client.post("/sprog", data={"lang": "en", "next": "/login"})
    response = client.get("/login")
    assert response.headers["Content-Language"] == "en"
    login(make_user(Role.COORDINATOR))
    assert client.get("/").headers["Content-Language"] == "en"
    client.post("/sprog", data={"lang": "xx"})
    assert client.get("/").headers["Content-Language"] == "en"


def test_the_language_choice_is_kept_per_user_across_logins(client, make_user, login):
    user = make_user(Role.MUNICIPAL)
    login(user)
    client.post("/sprog", data={"lang": "en"})
    db.session.refresh(user)
    assert user.language == "en"
    client.post("/logout")
    assert client.get("/login").headers["Content-Language"] == "da"  # nobody known yet
    login(user)
    assert client.get("/").headers["Content-Language"] == "en"  # their choice, applied
    client.post("/logout")
    login(make_user(Role.MUNICIPAL, code=751))  # another user on the same browser: Danish
    assert client.get("/").headers["Content-Language"] == "da"
    client.post("/logout")
    client.post("/sprog", data={"lang": "da"})  # chosen on the login page: wins and is kept
    login(user)
    assert client.get("/").headers["Content-Language"] == "da"
    db.session.refresh(user)
    assert user.language == "da"


def test_a_user_changes_their_own_password(client, make_user, login):
    user = make_user(Role.MUNICIPAL)
    login(user)
    url = "/konto/adgangskode"
    wrong = client.post(
        url,
        data={"current": "forkert-kode-1", "new": "helt-ny-kode-42", "repeat": "helt-ny-kode-42"},
    )
    assert "Den nuværende adgangskode er forkert." in wrong.get_data(as_text=True)
    mismatch = client.post(
        url, data={"current": PASSWORD, "new": "helt-ny-kode-42", "repeat": "andet"}
    )
    assert "De to adgangskoder er ikke ens." in mismatch.get_data(as_text=True)
    short = client.post(url, data={"current": PASSWORD, "new": "kort", "repeat": "kort"})
    assert "mindst 10 tegn" in short.get_data(as_text=True)
    ok = client.post(
        url, data={"current": PASSWORD, "new": "helt-ny-kode-42", "repeat": "helt-ny-kode-42"}
    )
    assert ok.status_code == 302
    client.post("/logout")
    assert (
        client.post("/login", data={"email": user.email, "password": "helt-ny-kode-42"}).status_code
        == 302
    )


def test_a_new_password_ends_the_other_sessions(app, client, make_user, login):
    user = make_user(Role.MUNICIPAL)
    login(user)
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": PASSWORD})
    assert other.get("/").status_code == 200
    response = client.post(
        "/konto/adgangskode",
        data={"current": PASSWORD, "new": "helt-ny-kode-42", "repeat": "helt-ny-kode-42"},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200  # the session that changed it goes on
    assert other.get("/").status_code == 302  # the other one is over


def test_an_admin_reset_ends_the_users_sessions(app, client, make_user, login):
    user = make_user(Role.MUNICIPAL)
    other = app.test_client()
    other.post("/login", data={"email": user.email, "password": PASSWORD})
    assert other.get("/").status_code == 200
    login(make_user(Role.ADMIN))
    client.post(f"/admin/brugere/{user.id}/adgangskode", data={"password": ""})
    assert other.get("/").status_code == 302


def test_signing_in_is_no_edit_of_the_account(make_user):
    """Two sign-ins of one account at the same moment (two devices, two app processes)
    must not collide on the account's version: signing in records the time only."""
    from portal.auth.services import authenticate

    user = make_user(Role.MUNICIPAL, code=101)
    version = user.version
    first = authenticate(user.email, PASSWORD)
    db.session.expire_all()
    second = authenticate(user.email, PASSWORD)
    db.session.flush()
    assert first.id == second.id == user.id
    db.session.refresh(user)
    assert user.version == version and user.last_login_at is not None
