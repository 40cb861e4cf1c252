"""PostgreSQL restarts cost no page (issue 20, item 4): a read whose connection is cut is
run once more on a fresh one, a write whose connection is cut answers 503 saying nothing was
saved (and nothing is), ``/healthz`` answers 503 while the database is away; and, against a
real PostgreSQL, GETs to an app server (gunicorn) while its sessions are terminated
(``pg_terminate_backend``, only the test database's own) answer without a server error."""

from __future__ import annotations

import io
import os
import threading
import time

import pytest
import requests
from sqlalchemy import create_engine, event, func, select, text
from sqlalchemy.exc import OperationalError

from portal.auth.models import Role
from portal.benefits.models import Measurement
from portal.db import db, make_engine
from tests.benefits.helpers import figures_round
from tests.conftest import PASSWORD
from tests.faults.conftest import form_token, survived
from tests.faults.processes import free_port

POSTGRES = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")


def cut_once(kind: str):
    """The next statement starting with ``kind`` fails as if PostgreSQL had terminated
    the session (what SQLAlchemy raises then); the listener, to remove afterwards."""
    state = {"cut": 0}

    def before(_conn, _cursor, statement, *_args):
        if not state["cut"] and statement.lstrip().upper().startswith(kind):
            state["cut"] += 1
            raise OperationalError(
                statement,
                None,
                Exception("terminating connection due to administrator command"),
                connection_invalidated=True,
            )

    event.listen(db.engine, "before_cursor_execute", before)
    return before, state


def test_a_read_whose_connection_is_cut_is_run_again(client, login, make_user):
    login(make_user(Role.COORDINATOR))
    listener, state = cut_once("SELECT")
    try:
        response = client.get("/")
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert state["cut"] == 1 and response.status_code == 200


def test_a_write_whose_connection_is_cut_says_nothing_was_saved(client, login, make_user):
    round_ = figures_round(codes=(101, 147))
    db.session.commit()
    login(make_user(Role.COORDINATOR))
    before = db.session.scalar(select(func.count(Measurement.id)))
    csv = "municipality,indicator,kind,date,value,note\n101,screen_visits,measurement,2025-11-01,12,\n"
    listener, state = cut_once("INSERT")
    try:
        response = client.post(
            f"/gevinster/forloeb/{round_.slug}/indlaes",
            data={"file": (io.BytesIO(csv.encode()), "tal.csv")},
            content_type="multipart/form-data",
        )
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert state["cut"] == 1 and response.status_code == 503
    assert "ikke gemt" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Measurement.id))) == before


def test_healthz_says_503_while_the_database_is_away(client, monkeypatch, tmp_path):
    if POSTGRES:
        away = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/away"
    else:
        away = f"sqlite:///{tmp_path / 'missing' / 'portal.sqlite3'}"
    assert client.get("/healthz").status_code == 200
    monkeypatch.setattr(db, "engine", make_engine(away))
    response = client.get("/healthz")
    assert response.status_code == 503 and response.headers["Cache-Control"] == "no-store"


def _terminate_loop(url: str, stop: threading.Event, counts: dict) -> None:
    """Terminate the app's sessions of this test's own database every two seconds, as a
    restart does (never another database's, never our own)."""
    killer = create_engine(make_engine(url).url, isolation_level="AUTOCOMMIT")
    with killer.connect() as conn:
        while not stop.is_set():
            cut = conn.execute(
                text(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                    "AND backend_type = 'client backend'"
                )
            ).scalar()
            counts["terminated"] += cut
            counts["rounds"] += 1
            stop.wait(2.0)
    killer.dispose()


@pytest.mark.skipif(
    not POSTGRES, reason="pg_terminate_backend needs PostgreSQL (run with TEST_DATABASE_URL)"
)
def test_gets_while_postgres_sessions_are_terminated_answer_without_server_errors(
    app, committed_database, make_user, app_server, tmp_path, database_url
):
    emails = [make_user(Role.COORDINATOR).email, make_user(Role.MUNICIPAL, code=101).email]
    db.session.remove()
    db.engine.dispose()  # our own pooled connections are not the app server's
    server = app_server(
        {"DATABASE_URL": database_url, "SECRET_KEY": "test-secret", "JOBS_FOLDER": str(tmp_path)},
        workers=2,
        threads=4,
    )
    browsers = []
    for email in emails:
        browser = requests.Session()
        page = browser.get(f"{server.url}/login", timeout=30).text
        csrf = form_token(page)
        answer = browser.post(
            f"{server.url}/login",
            data={"email": email, "password": PASSWORD, "csrf_token": csrf},
            allow_redirects=False,
            timeout=30,
        )
        assert answer.status_code == 302
        browsers.append(browser)
    paths = ["/", "/rapporter/", "/indsatser/", "/beskeder/", "/oversigt/", "/healthz"]
    statuses: list[int] = []
    writes: list[tuple[int, bool]] = []  # (status, the page said nothing was saved)
    lock = threading.Lock()
    stop = threading.Event()
    counts = {"terminated": 0, "rounds": 0}

    def browse(browser) -> None:
        deadline = time.monotonic() + 12
        while time.monotonic() < deadline:
            for path in paths:
                answer = browser.get(server.url + path, timeout=60)
                with lock:
                    statuses.append(answer.status_code)
            if answer.status_code == 200 and "csrf_token" in answer.text:
                token = form_token(answer.text)
            else:
                token = form_token(browser.get(server.url + "/", timeout=60).text)
            wrote = browser.post(  # a write: the language kept for the next login
                f"{server.url}/sprog",
                data={"lang": "da", "next": "/", "csrf_token": token},
                allow_redirects=False,
                timeout=60,
            )
            with lock:
                writes.append((wrote.status_code, "ikke gemt" in wrote.text))

    killer = threading.Thread(target=_terminate_loop, args=(database_url, stop, counts))
    killer.start()
    workers = [threading.Thread(target=browse, args=(b,)) for b in browsers * 2]
    try:
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(120)
    finally:
        stop.set()
        killer.join(30)
    errors = [s for s in statuses if s >= 500]
    survived(
        "GETs while PostgreSQL sessions were terminated",
        len(statuses) - len(errors),
        len(statuses),
        f"{counts['terminated']} sessions terminated in {counts['rounds']} rounds, "
        f"{server.output().count('retried')} requests retried",
    )
    told = [w for w in writes if w[0] == 503 and w[1]]
    survived(
        "writes while PostgreSQL sessions were terminated",
        sum(1 for w in writes if w[0] in (302, 303)) + len(told),
        len(writes),
        f"{len(told)} told nothing was saved (503), the rest committed, no 500",
    )
    assert counts["terminated"] > 0
    assert not errors, server.output()[-4000:]
    assert all(w[0] in (302, 303) or (w[0] == 503 and w[1]) for w in writes), writes
