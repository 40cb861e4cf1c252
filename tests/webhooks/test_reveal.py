"""A new secret's page (Post/Redirect/Get) shows it once, to the session that made it, for a
short while: not to another user, not after a reload, not after it expired."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from portal.auth.models import Role
from portal.db import db
from portal.webhooks.models import WebhookEndpoint
from portal.webhooks.reveal import VALID_FOR
from portal.webhooks.sealing import unseal
from tests.conftest import PASSWORD

PUBLIC = "https://93.184.215.14/hook"


def _register(client):
    response = client.post("/webhooks/ny", data={"url": PUBLIC, "events": ["figures.changed"]})
    assert response.status_code == 303
    return db.session.scalar(select(WebhookEndpoint)), response.headers["Location"]


def test_another_user_never_sees_it_and_it_waits_for_its_own_session(app, client, login, make_user):
    login(make_user(Role.MUNICIPAL, 751))
    endpoint, page = _register(client)
    secret = unseal(endpoint.secret_encrypted)

    colleague = app.test_client()  # the same municipality, another session
    other = make_user(Role.MUNICIPAL, 751)
    colleague.post("/login", data={"email": other.email, "password": PASSWORD})
    seen = colleague.get(page)
    assert seen.status_code == 200 and secret not in seen.get_data(as_text=True)

    mine = client.get(page).get_data(as_text=True)  # the maker's view is still there
    assert secret in mine
    assert secret not in client.get(page).get_data(as_text=True)  # and only once


def test_an_expired_code_shows_nothing(client, login, make_user):
    login(make_user(Role.MUNICIPAL, 751))
    endpoint, page = _register(client)
    secret = unseal(endpoint.secret_encrypted)
    endpoint.secret_reveal_until -= VALID_FOR + timedelta(seconds=1)
    db.session.commit()
    late = client.get(page).get_data(as_text=True)
    assert secret not in late and "allerede vist" in late
    assert endpoint.secret_reveal_hash == "" and endpoint.secret_reveal_until is None
