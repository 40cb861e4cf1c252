"""Tokens: made, shown once, stored as a hash, used (last use and address), scoped by the
creator's role today, expired (by date, or a year unused), revoked; and their pages."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.api import tokens
from portal.api.models import ApiToken
from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.db import db, utcnow
from tests.api.helpers import bearer, make_token, round_with_two


def test_a_token_is_stored_as_a_hash_and_acts_with_last_use_and_address(client, make_user):
    user = make_user(Role.MUNICIPAL, 101)
    secret, token = make_token(user)
    assert secret.startswith("skp_") and secret not in (token.token_hash, token.prefix)
    assert token.token_hash == tokens.digest(secret)
    response = client.get(
        "/api/v1/participations", headers=bearer(secret), environ_base={"REMOTE_ADDR": "10.1.2.3"}
    )
    assert response.status_code == 200
    db.session.refresh(token)
    assert token.last_used_ip == "10.1.2.3" and token.last_used_at is not None


def test_without_a_token_or_with_a_bad_one_401_problem_never_a_login(client, make_user):
    for headers in ({}, {"Authorization": "Bearer skp_nonsense"}, {"Authorization": "Basic x"}):
        response = client.get("/api/v1/participations", headers=headers)
        assert response.status_code == 401
        assert response.mimetype == "application/problem+json"
        assert response.json["status"] == 401 and "Bearer" in response.headers["WWW-Authenticate"]


def test_a_session_cookie_is_not_a_token(client, login, make_user):
    user = make_user(Role.MUNICIPAL, 101)
    login(user)
    assert client.get("/api/v1/participations").status_code == 401
    assert client.post("/api/v1/participations/1/figures", json={"items": []}).status_code == 401


def test_scopes_read_only_token_cannot_write_and_a_regional_consultant_gets_read_only(
    client, make_user
):
    round_, (mine, _other) = round_with_two()
    user = make_user(Role.MUNICIPAL, 101)
    secret, _token = make_token(user, scopes=[tokens.READ])
    response = client.post(
        f"/api/v1/participations/{mine.id}/figures",
        headers=bearer(secret),
        json={
            "items": [
                {"kind": "baseline", "indicator": "screen_visits", "date": "2025-09-01", "value": 1}
            ]
        },
    )
    assert (
        response.status_code == 403 and "insufficient_scope" in response.headers["WWW-Authenticate"]
    )
    regional = make_user(Role.REGIONAL, 101)
    assert tokens.allowed_scopes(regional) == (tokens.READ,)
    try:
        tokens.issue(regional, "BI", [tokens.WRITE_FIGURES], None)
    except Exception as error:  # noqa: BLE001
        assert "mere, end du selv har" in str(error)
    else:
        raise AssertionError("a regional consultant got a write token")
    assert tokens.allowed_scopes(make_user(Role.REVIEWER, 101)) == ()


def test_a_creator_who_loses_the_role_gets_less(client, make_user):
    user = make_user(Role.MUNICIPAL, 101)
    secret, _token = make_token(user)
    assert client.get("/api/v1/participations", headers=bearer(secret)).status_code == 200
    user.active = False
    db.session.commit()
    assert client.get("/api/v1/participations", headers=bearer(secret)).status_code == 401


def test_expiry_by_date_and_after_a_year_unused_and_revocation(client, make_user):
    user = make_user(Role.MUNICIPAL, 101)
    dated, dated_token = make_token(user, days=30, name="a")
    unused, unused_token = make_token(user, name="b")
    revoked, revoked_token = make_token(user, name="c")
    assert client.get("/api/v1/participations", headers=bearer(dated)).status_code == 200
    dated_token.expires_at = utcnow() - timedelta(seconds=1)
    unused_token.created_at = utcnow() - timedelta(days=366)
    tokens.revoke(revoked_token, actor=user)
    db.session.commit()
    for secret in (dated, unused, revoked):
        assert client.get("/api/v1/participations", headers=bearer(secret)).status_code == 401
    assert [tokens.state(t) for t in (dated_token, unused_token, revoked_token)] == [
        "expired",
        "expired",
        "revoked",
    ]


def test_token_pages_create_show_once_list_and_revoke(client, login, make_user):
    user = make_user(Role.MUNICIPAL, 101)
    colleague = make_user(Role.MUNICIPAL, 101)
    stranger = make_user(Role.MUNICIPAL, 147)
    _s, strangers = make_token(stranger, name="Fremmed")
    login(user)
    page = client.get("/api-noegler/")
    assert page.status_code == 200 and "Opret nøgle" in page.get_data(as_text=True)
    refused = client.post("/api-noegler/", data={"name": "", "scopes": ["read"], "expires": "90"})
    assert refused.status_code == 400 and "Giv nøglen et navn" in refused.get_data(as_text=True)
    made = client.post(
        "/api-noegler/",
        data={"name": "Omsorg", "scopes": ["read", "write:figures"], "expires": "90"},
    )
    assert made.status_code == 201
    text = made.get_data(as_text=True)
    secret = text.split('data-testid="new-token">')[1].split("<")[0]
    token = db.session.scalar(select(ApiToken).where(ApiToken.name == "Omsorg"))
    assert token.token_hash == tokens.digest(secret)
    assert secret not in client.get("/api-noegler/").get_data(as_text=True)  # shown once
    # a colleague of the municipality sees it and may revoke it; another municipality may not
    assert "Fremmed" not in client.get("/api-noegler/").get_data(as_text=True)
    assert client.post(f"/api-noegler/{strangers.id}/tilbagekald").status_code == 404
    client.get("/logout")
    login(colleague)
    assert "Omsorg" in client.get("/api-noegler/").get_data(as_text=True)
    assert client.post(f"/api-noegler/{token.id}/tilbagekald").status_code == 303
    assert tokens.state(token) == "revoked"
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"api_token_created", "api_token_revoked"} <= actions
