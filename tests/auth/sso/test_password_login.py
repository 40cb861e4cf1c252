"""``PASSWORD_LOGIN=admins``: passwords for operators only; everyone else signs on."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from tests.conftest import PASSWORD

CLOSED = "Adgangskoder bruges kun af portalens administratorer"


@pytest.fixture
def admins_only(app, monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_LOGIN", "admins")


def _post(client, user, password=PASSWORD):
    return client.post("/login", data={"email": user.email, "password": password})


@pytest.mark.usefixtures("admins_only")
def test_a_non_admin_with_the_right_password_is_sent_to_their_organisations_login(
    client, make_user, db_session
):
    user = make_user(Role.MUNICIPAL)
    response = _post(client, user)
    assert response.status_code == 403
    assert CLOSED in response.get_data(as_text=True)
    assert client.get("/").status_code == 302  # not logged in
    line = db_session.scalar(
        select(AuditEvent).where(AuditEvent.action == "login_failed").order_by(AuditEvent.id.desc())
    )
    assert line.actor_id == user.id and line.details["code"] == "password_login_admins"


@pytest.mark.usefixtures("admins_only")
def test_a_wrong_password_says_only_that_it_is_wrong(client, make_user):
    response = _post(client, make_user(Role.COORDINATOR), "forkert-forkert")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "Forkert e-mail eller adgangskode." in text and CLOSED not in text


@pytest.mark.usefixtures("admins_only")
def test_an_operator_still_logs_in_with_a_password(client, make_user):
    assert _post(client, make_user(Role.ADMIN)).status_code == 302
    assert client.get("/").status_code == 200


def test_by_default_everyone_logs_in_with_a_password(client, make_user, app):
    assert app.config["PASSWORD_LOGIN"] == "all"
    assert _post(client, make_user(Role.MUNICIPAL)).status_code == 302
