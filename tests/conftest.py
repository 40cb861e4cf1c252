"""Fixtures: one database per test run (SQLite file, or a throwaway PostgreSQL database when
``TEST_DATABASE_URL`` names a server), migrated with Alembic, and every test inside a
transaction that is rolled back (SQLAlchemy 2's "join a session into an external
transaction" recipe)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator

import pytest
from flask import g, request_started
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.engine import make_url

from portal import create_app
from portal.auth import services as auth_services
from portal.auth.models import REGION_REQUIRED, Role, User
from portal.db import db
from portal.migrate import upgrade
from portal.municipalities.models import Municipality
from portal.municipalities.services import load_shipped_register

PASSWORD = "korrekt-hest-batteri"

pytest_plugins = ["tests.browser_fixtures", "tests.auth.sso.saml_fixtures"]


def _create_postgres_database(url: str) -> tuple[str, Callable[[], None]]:
    base = make_url(url)
    if base.drivername == "postgresql":
        base = base.set(drivername="postgresql+psycopg")
    name = f"portal_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return base.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture(scope="session")
def fresh_database_url(tmp_path_factory) -> Iterator[Callable[[str], str]]:
    """A factory of empty databases of the kind under test, dropped at the end of the run."""
    drops: list[Callable[[], None]] = []
    target = os.environ.get("TEST_DATABASE_URL", "")

    def make(label: str) -> str:
        if target.startswith("postgresql"):
            url, drop = _create_postgres_database(target)
            drops.append(drop)
            return url
        return f"sqlite:///{tmp_path_factory.mktemp(label) / 'portal.sqlite3'}"

    yield make
    for drop in drops:
        drop()


@pytest.fixture(scope="session")
def database_url(fresh_database_url) -> str:
    return fresh_database_url("main")


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    auth_services.use_fast_hashing()
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_STORAGE_URI": "memory://",
            "JOBS_FOLDER": str(tmp_path_factory.mktemp("jobs")),
            "SECTIONS_FOLDER": str(tmp_path_factory.mktemp("sections")),
        }
    )
    upgrade(db.engine)
    with app.app_context():
        load_shipped_register()
        db.session.commit()
    yield app
    db.session.remove()
    db.engine.dispose()


@pytest.fixture(autouse=True)
def db_session(request, app) -> Iterator:
    """Each test in a transaction that is rolled back; the app's commits become savepoints."""
    if {"live_server", "committed_database"} & set(request.fixturenames):
        yield None
        return
    engine = db.engine
    connection = engine.connect()
    transaction = connection.begin()
    db.session.remove()
    db.session.configure(bind=connection, join_transaction_mode="create_savepoint")
    app.extensions["login_throttle"].reset()
    # The test holds an app context so its objects stay in the session across requests; each
    # request still starts with an empty ``g``, as in production (Flask-Login and Flask-Babel
    # cache the user and the locale there).
    ctx = app.app_context()
    ctx.push()
    request_started.connect(_fresh_g, app)
    try:
        yield db.session
    finally:
        request_started.disconnect(_fresh_g, app)
        ctx.pop()
        db.session.remove()
        transaction.rollback()
        connection.close()
        db.session.configure(bind=engine, join_transaction_mode="conditional_savepoint")


def _fresh_g(sender, **extra) -> None:
    g.__dict__.clear()


@pytest.fixture
def client(app):
    return app.test_client()


def municipality(code: int, country: str = "DK") -> Municipality:
    return db.session.scalar(
        select(Municipality).where(Municipality.country == country, Municipality.code == code)
    )


@pytest.fixture
def make_user() -> Callable[..., User]:
    counter = iter(range(1, 10_000))

    def make(role: Role = Role.MUNICIPAL, code: int | None = None, **fields) -> User:
        n = next(counter)
        if code is None and role == Role.MUNICIPAL:
            code = 101
        # a role that carries a region (a regional consultant): the region of ``code``
        if role in REGION_REQUIRED and code is not None:
            fields.setdefault("region", municipality(code).region)
            code = None
        data = auth_services.UserData(
            email=fields.pop("email", f"{role.value}{n}@example.dk"),
            name=fields.pop("name", f"{role.value.title()} {n}"),
            role=role,
            municipality_id=municipality(code).id if code is not None else None,
            **fields,
        )
        user = auth_services.create_user(data, PASSWORD)
        db.session.commit()
        return user

    return make


@pytest.fixture
def login(client) -> Callable[[User], object]:
    def do(user: User, password: str = PASSWORD):
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do


@pytest.fixture
def count_queries() -> Callable:
    """``with count_queries() as counter: ...`` then ``counter.count``: statements sent."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        class Counter:
            count = 0
            statements: list[str] = []

        def before(conn, cursor, statement, *args):
            if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
                Counter.count += 1
                Counter.statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", before)
        try:
            yield Counter
        finally:
            event.remove(db.engine, "before_cursor_execute", before)

    return counting
