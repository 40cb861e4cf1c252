"""OpenID Connect end to end against a local provider (oidc-provider-mock in a thread): the
portal's routes, Authlib's checks and the one mapping, through the test client."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.auth.models import Role, User
from portal.db import db
from tests.auth.sso.helpers import AARHUS_CVR, CLIENT_ID, LEADERSHIP, ODENSE_CVR, PROJECT_LEAD
from tests.conftest import municipality
from tests.factories import create_application, create_programme, create_round


def _person(provider, sub="anna", cvr=AARHUS_CVR, roles=(PROJECT_LEAD,), **extra):
    provider.set_user(
        sub,
        email=f"{sub}@kommune.example",
        email_verified=True,
        name=sub.title(),
        cvr=cvr,
        roles=list(roles),
        **extra,
    )


def sign_in(client, provider, sub="anna", next_="/"):
    started = client.get("/sso/oidc/login", query_string={"next": next_})
    assert started.status_code == 302, started.get_data(as_text=True)[:300]
    back = provider.authorize(started.location, sub)
    return client.get(back)


def _refusals() -> list[str]:
    return list(
        db.session.scalars(
            select(AuditEvent.details["code"].as_string())
            .where(AuditEvent.action == "sso_refused")
            .order_by(AuditEvent.id)
        )
    )


def _users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_the_login_asks_the_provider_with_pkce_state_and_nonce(client, oidc):
    started = client.get("/sso/oidc/login")
    assert started.location.startswith(f"{oidc.url}/oauth2/authorize?")
    query = parse_qs(urlsplit(started.location).query)
    assert query["client_id"] == [CLIENT_ID] and query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0]
    assert query["redirect_uri"] == ["http://localhost/sso/oidc/callback"]
    assert set(query["scope"][0].split()) == {"openid", "email", "profile"}


def test_a_project_lead_signs_in_and_sees_only_their_own_municipalitys_data(client, oidc):
    round_ = create_round(create_programme())
    own = create_application(round_, municipality(751).id)
    other = create_application(round_, municipality(461).id)
    db.session.commit()
    _person(oidc, "anna")
    response = sign_in(client, oidc, "anna", next_=f"/ansoegninger/{own.id}")
    assert response.status_code == 302 and response.location == f"/ansoegninger/{own.id}"
    user = db.session.scalar(select(User).where(User.email == "anna@kommune.example"))
    assert (user.role, user.municipality_id) == (Role.MUNICIPAL, municipality(751).id)
    assert client.get(f"/ansoegninger/{own.id}").status_code == 200
    assert client.get(f"/ansoegninger/{other.id}").status_code in (403, 404)
    login = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "login", AuditEvent.actor_id == user.id)
    )
    assert login.details == {"protocol": "oidc", "issuer": oidc.url}


def test_a_changed_role_and_municipality_at_the_provider_apply_at_the_next_login(app, client, oidc):
    _person(oidc, "bo")
    assert sign_in(client, oidc, "bo").status_code == 302
    client.post("/logout")
    _person(oidc, "bo", cvr=ODENSE_CVR, roles=(LEADERSHIP,))
    assert sign_in(client, oidc, "bo").status_code == 302
    user = db.session.scalar(select(User).where(User.email == "bo@kommune.example"))
    db.session.refresh(user)
    assert (user.role, user.municipality_id) == (Role.LEADERSHIP, municipality(461).id)


@pytest.mark.parametrize(
    ("tamper", "code"),
    [
        ({"claims": {"aud": "another-client"}}, "bad_aud"),
        ({"claims": {"aud": "another-client", "azp": CLIENT_ID}}, "bad_aud"),
        ({"claims": {"exp": lambda now: now - 600, "iat": lambda now: now - 900}}, "expired"),
        ({"claims": {"nonce": "not-the-one-sent"}}, "bad_nonce"),
        ({"drop": ["nonce"]}, "bad_nonce"),
        ({"claims": {"iss": "https://evil.example"}}, "bad_iss"),
        ({"other_key": True}, "bad_signature"),
    ],
    ids=[
        "wrong-audience",
        "wrong-audience-our-azp",
        "expired",
        "wrong-nonce",
        "no-nonce",
        "wrong-issuer",
        "other-key",
    ],
)
def test_an_id_token_that_fails_a_check_is_refused_and_creates_nothing(client, oidc, tamper, code):
    _person(oidc, "eve")
    oidc.tamper = tamper
    before = _users()
    response = sign_in(client, oidc, "eve")
    assert response.status_code == 403
    assert "Du kan ikke logge ind" in response.get_data(as_text=True)
    assert _users() == before
    assert _refusals()[-1] == code
    assert client.get("/").status_code == 302  # still not logged in


def test_a_wrong_or_missing_state_is_refused(client, oidc):
    _person(oidc, "eve")
    started = client.get("/sso/oidc/login")
    back = oidc.authorize(started.location, "eve")
    tampered = back.replace("state=", "state=x")
    response = client.get(tampered)
    assert response.status_code == 403 and _refusals()[-1] == "bad_state"
    # a callback from a login this browser never started (another session)
    fresh = client.application.test_client()
    assert fresh.get(back).status_code == 403 and _refusals()[-1] == "bad_state"
    assert (
        db.session.scalar(select(func.count()).select_from(User).where(User.email.like("eve%")))
        == 0
    )


def test_the_mapping_refuses_an_unknown_organisation_in_danish(client, oidc):
    _person(oidc, "ulla", cvr="87654321")
    response = sign_in(client, oidc, "ulla")
    assert response.status_code == 403
    assert "CVR 87654321" in response.get_data(as_text=True)
    assert _refusals()[-1] == "unknown_cvr"


def test_the_provider_refusing_is_a_refusal(client, oidc):
    client.get("/sso/oidc/login")
    with client.session_transaction() as session:
        state = next(k for k in session if k.startswith("_state_oidc_")).removeprefix(
            "_state_oidc_"
        )
    response = client.get(f"/sso/oidc/callback?error=access_denied&state={state}")
    assert response.status_code == 403 and _refusals()[-1] == "provider_error"


def test_the_login_page_offers_the_organisations_login_when_configured(client, oidc):
    page = client.get("/login").get_data(as_text=True)
    assert "Log ind med din organisation" in page
    assert "/sso/oidc/login" in page and "KL og kommuner via broker" in page


def test_without_configuration_the_routes_are_not_there_and_the_login_page_is_unchanged(
    client, app
):
    assert not app.config["OIDC_ISSUER"]
    assert client.get("/sso/oidc/login").status_code == 404
    assert client.get("/sso/oidc/callback?code=x&state=y").status_code == 404
    page = client.get("/login").get_data(as_text=True)
    assert "Log ind med din organisation" not in page and "sso" not in page


def test_a_user_made_by_single_sign_on_is_told_they_have_no_password_here(client, oidc):
    _person(oidc, "anna")
    sign_in(client, oidc, "anna")
    page = client.get("/konto/adgangskode").get_data(as_text=True)
    assert "ingen adgangskode i portalen" in page and 'name="current"' not in page


def test_the_log_tells_an_operator_what_was_refused_and_who_was_created(
    app, client, oidc, make_user
):
    _person(oidc, "anna")
    sign_in(client, oidc, "anna")
    _person(oidc, "ulla", cvr="87654321")
    client.post("/logout")
    sign_in(client, oidc, "ulla")
    admin = make_user(Role.ADMIN)
    other = app.test_client()
    other.post("/login", data={"email": admin.email, "password": "korrekt-hest-batteri"})
    page = other.get("/logbog/").get_data(as_text=True)
    assert "Login med organisationens login afvist" in page and "unknown_cvr" in page
    assert "Bruger knyttet til organisationens login" in page and "OpenID Connect" in page


def test_the_admins_user_page_shows_the_provider_a_user_logs_in_with(app, client, oidc, make_user):
    _person(oidc, "anna")
    sign_in(client, oidc, "anna")
    user = db.session.scalar(select(User).where(User.email == "anna@kommune.example"))
    admin = make_user(Role.ADMIN)
    other = app.test_client()
    other.post("/login", data={"email": admin.email, "password": "korrekt-hest-batteri"})
    page = other.get(f"/admin/brugere/{user.id}").get_data(as_text=True)
    assert "Logger ind med organisationens login" in page and oidc.url in page
