"""One-time use across app processes: each process has its own connection, and what one
accepted the others refuse (the primary key of ``saml_messages`` is the guard)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select

from portal.auth.sso.saml import store
from portal.auth.sso.saml.models import SamlMessage, SamlMessageKind
from portal.db import db, utcnow
from tests.browser_fixtures import empty_database


@pytest.fixture
def committed_database(app):
    """Rows other connections can see: committed for real, removed afterwards."""
    db.session.remove()
    with app.app_context():
        yield
        db.session.remove()
        db.session.execute(delete(SamlMessage))
        db.session.commit()
        empty_database()


def in_another_process(app, work):
    """``work()`` in a thread of its own: its own session, connection and commit."""
    result = {}

    def run():
        with app.app_context():
            result["value"] = work()
            db.session.commit()
            db.session.remove()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    return result["value"]


def test_an_assertion_accepted_by_one_process_is_refused_by_the_others(app, committed_database):
    until = utcnow() + timedelta(minutes=5)

    def use():
        return store.use_once(SamlMessageKind.ASSERTION, "_assertion-1", until)

    assert [in_another_process(app, use) for _ in range(3)] == [True, False, False]


def test_expired_rows_are_swept_when_the_next_is_recorded(app, committed_database):
    past = utcnow() - timedelta(seconds=1)
    in_another_process(app, lambda: store.use_once(SamlMessageKind.REQUEST, "_old", past))
    in_another_process(
        app,
        lambda: store.use_once(SamlMessageKind.REQUEST, "_new", utcnow() + timedelta(minutes=1)),
    )
    with app.app_context():
        kept = db.session.scalars(select(SamlMessage.message_id)).all()
        assert kept == ["_new"]
        assert db.session.scalar(select(func.count()).select_from(SamlMessage)) == 1
