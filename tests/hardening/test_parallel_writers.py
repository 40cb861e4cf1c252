"""Several users saving at once on a file database (SQLite's embedded default included): no
"database is locked", no server error; one save wins and the others get the conflict message."""

from __future__ import annotations

import threading
import time
from datetime import date
from decimal import Decimal as D

from sqlalchemy import text

from portal.auth.models import Role
from portal.benefits import recording
from portal.db import db
from tests.benefits.helpers import figures_round, indicator, participation_of
from tests.conftest import PASSWORD
from tests.hardening.conftest import in_parallel

WRITERS = 10


def _setup(make_user):
    round_ = figures_round(codes=(101,))
    own = participation_of(round_, 101)
    measurement = recording.record_measurement(
        own, indicator(round_, "screen_visits"), date(2025, 10, 1), D(1), actor=None
    )
    db.session.commit()
    users = [make_user(Role.MUNICIPAL, code=101) for _ in range(WRITERS)]
    return own, measurement, users


def _logged_in(app, user):
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_parallel_saves_of_one_figure_give_one_success_and_conflicts(
    app, committed_database, make_user
):
    own, measurement, users = _setup(make_user)
    clients = [_logged_in(app, user) for user in users]
    path = f"/gevinster/deltagelse/{own.id}/maalinger/{measurement.id}"
    version = str(measurement.version)

    def save(i: int):
        response = clients[i].post(path, data={"value": str(10 + i), "version": version})
        return response.status_code, response.get_data(as_text=True)

    results = in_parallel(save, WRITERS)
    # an exception (e.g. OperationalError: database is locked) is a server error
    statuses = sorted((r[0] if isinstance(r, tuple) else repr(r) for r in results), key=str)
    assert statuses == [302] + [400] * (WRITERS - 1), statuses
    assert all(
        "ændret af en anden" in body or "lige før dig" in body for s, body in results if s == 400
    )
    db.session.expire_all()
    db.session.refresh(measurement)
    assert measurement.version == int(version) + 1


def test_a_long_write_makes_others_wait_not_fail(app, committed_database, make_user):
    own, measurement, users = _setup(make_user)
    client = _logged_in(app, users[0])
    holding = threading.Event()

    def long_request():
        with db.engine.connect() as conn, conn.begin():
            conn.execute(
                text("UPDATE measurements SET note = 'låst' WHERE id = :id"), {"id": measurement.id}
            )
            holding.set()
            time.sleep(1.0)

    holder = threading.Thread(target=long_request)
    holder.start()
    assert holding.wait(10)
    started = time.perf_counter()
    response = client.post(
        f"/gevinster/deltagelse/{own.id}/maalinger/{measurement.id}",
        data={"value": "5", "version": str(measurement.version)},
    )
    holder.join()
    assert response.status_code in (302, 400), response.status_code  # saved, or a conflict
    assert time.perf_counter() - started < 20
