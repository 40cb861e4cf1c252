"""Finishing a single sign-on, whichever adapter brought the person (here: none, directly)."""

from __future__ import annotations

import pytest
from flask import session
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.auth.models import User
from portal.auth.sso.views import finish_login, remember_next
from portal.db import db
from tests.auth.sso.helpers import identity

pytestmark = pytest.mark.usefixtures("sso_config")


def _users() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_an_admitted_person_is_logged_in_audited_and_sent_where_they_were_going(app):
    with app.test_request_context("/sso/oidc/callback", environ_base={"REMOTE_ADDR": "10.0.0.9"}):
        remember_next("/gevinster/")
        session["stale"] = "from before the login"
        response = finish_login(identity(), keep={"sso_logout": "kept"})
        assert response.status_code == 302
        assert response.location == "/gevinster/"
        assert "stale" not in session and session["sso_logout"] == "kept"
        logged_in = session["_user_id"]
    user = db.session.scalar(select(User).where(User.email == "anna@aarhus.example"))
    line = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "login").order_by(AuditEvent.id.desc())
    )
    assert logged_in == user.get_id()
    assert (line.actor_id, line.ip, line.details["protocol"]) == (user.id, "10.0.0.9", "oidc")


def test_a_next_address_off_the_site_is_not_kept(app):
    with app.test_request_context("/"):
        remember_next("https://evil.example/")
        assert finish_login(identity()).location == "/"


def test_a_refused_person_sees_why_in_danish_and_nothing_is_created(app):
    before = _users()
    with app.test_request_context("/"):
        body, status = finish_login(identity(cvr="87654321"))
    assert status == 403
    assert "CVR 87654321" in body and "kommuneregister" in body
    assert _users() == before
    line = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "sso_refused").order_by(AuditEvent.id.desc())
    )
    assert line.details["code"] == "unknown_cvr"


def test_refusals_count_against_the_throttle(app):
    statuses = []
    for _ in range(7):
        with app.test_request_context("/", environ_base={"REMOTE_ADDR": "10.0.0.7"}):
            response = finish_login(identity(cvr="87654321"))
            statuses.append(response[1])
    assert statuses[:5] == [403] * 5 and statuses[-1] == 429
    line = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "sso_refused").order_by(AuditEvent.id.desc())
    )
    assert (line.details["code"], line.details["subject"]) == ("throttled", "person-1")


def test_a_first_login_that_loses_a_race_finds_the_user_the_other_request_made(app, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    from portal.auth.sso import views
    from portal.auth.sso.mapping import admit

    calls = []

    def racing(person, *, ip=None):
        calls.append(person.subject)
        if len(calls) == 1:  # the other request commits the same person first
            admit(person, ip=ip)
            db.session.commit()
            raise IntegrityError("INSERT INTO external_logins", {}, Exception("duplicate"))
        return admit(person, ip=ip)

    monkeypatch.setattr(views, "admit", racing)
    with app.test_request_context("/"):
        assert finish_login(identity()).status_code == 302
    assert calls == ["person-1", "person-1"]
    assert (
        db.session.scalar(
            select(func.count()).select_from(User).where(User.email == "anna@aarhus.example")
        )
        == 1
    )
