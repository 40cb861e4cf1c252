"""Logins at the same moment: a login is not an edit (no version conflict, no server error),
and parallel wrong passwords get exactly as many checks as the throttle allows."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.auth.models import Role, User
from portal.db import db
from tests.conftest import PASSWORD
from tests.hardening.conftest import in_parallel


def _post_login(app, email, password):
    response = app.test_client().post("/login", data={"email": email, "password": password})
    return response.status_code


def test_parallel_logins_of_one_account_all_succeed(app, committed_database, make_user):
    user = make_user(Role.COORDINATOR)
    version = user.version
    results = in_parallel(lambda i: _post_login(app, user.email, PASSWORD), 3)
    assert results == [302, 302, 302], results
    db.session.expire_all()
    stored = db.session.get(User, user.id)
    assert stored.version == version and stored.last_login_at is not None


def test_thirty_parallel_wrong_passwords_get_five_checks(app, committed_database, make_user):
    user = make_user(Role.COORDINATOR)
    results = in_parallel(lambda i: _post_login(app, user.email, "forkert-kode-123"), 30)
    assert sorted(results) == [200] * 5 + [429] * 25, results
    failures = db.session.scalar(
        select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "login_failed")
    )
    assert failures == 5
