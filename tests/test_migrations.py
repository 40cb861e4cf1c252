"""The migrations build exactly the models' schema, on the database under test."""

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

import portal.models  # noqa: F401
from portal.db import Base, make_engine
from portal.migrate import alembic_config


def _diff(connection):
    context = MigrationContext.configure(
        connection, opts={"compare_type": True, "compare_server_default": True}
    )
    return compare_metadata(context, Base.metadata)


def test_upgrade_from_empty_matches_models_and_downgrades(fresh_database_url):
    engine = make_engine(fresh_database_url("migrations"))
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
        with engine.connect() as connection:
            assert _diff(connection) == []
            tables = set(inspect(connection).get_table_names())
        assert set(Base.metadata.tables) <= tables
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection), "base")
        with engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
        with engine.connect() as connection:
            assert _diff(connection) == []
    finally:
        engine.dispose()


def test_alembic_check_finds_nothing(fresh_database_url):
    engine = make_engine(fresh_database_url("check"))
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), "head")
            command.check(alembic_config(connection))  # raises when autogenerate finds a change
    finally:
        engine.dispose()


def test_one_head_and_date_prefixed_revisions():
    script = ScriptDirectory.from_config(alembic_config())
    assert len(script.get_heads()) == 1
    for revision in script.walk_revisions():
        assert revision.path.rsplit("/", 1)[-1][:8].isdigit(), revision.path


def test_file_names_sort_in_chain_order():
    """Reading the folder top to bottom is reading the chain from the first revision to the
    head: each file's name sorts after the file of the revision it revises. A new revision
    takes a name that sorts last and revises the head."""
    script = ScriptDirectory.from_config(alembic_config())
    chain = [r.path.rsplit("/", 1)[-1] for r in script.walk_revisions("base", "heads")]
    chain.reverse()  # walk_revisions goes from the head down
    assert chain == sorted(chain)


def test_an_upgrade_that_recreates_a_table_keeps_the_rows_that_point_at_it(fresh_database_url):
    """On SQLite a constraint change recreates the table (copy, DROP, rename): with foreign
    keys enforced, the DROP would first delete every row, cascading to the notices of every
    user and municipality (``j25`` recreates the register, ``j26`` the users). The rows
    stay, on every database."""
    from portal.migrate import upgrade

    engine = make_engine(fresh_database_url("recreate"))
    upgrade(engine, "j23_job_leases")
    now = "2026-12-01 10:00:00"
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO municipalities (id, country, code, name, full_name, region, active)"
            " VALUES (1, 'DK', 751, 'Aarhus', 'Aarhus Kommune', 'Region Midtjylland', true)"
        )
        connection.exec_driver_sql(
            "INSERT INTO users (id, email, name, password_hash, role, active, created_at,"
            " version, municipality_id) VALUES (1, 'pl@aarhus.dk', 'Projektleder', 'x',"
            f" 'municipal', true, '{now}', 1, 1)"
        )
        connection.exec_driver_sql(
            "INSERT INTO notifications (id, municipality_id, user_id, kind, params, link,"
            f" created_at) VALUES (1, 1, 1, 'decision', '{{}}', '/', '{now}')"
        )
    upgrade(engine, "head")
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT user_id FROM notifications").all() == [(1,)]
        assert connection.exec_driver_sql("SELECT municipality_id FROM users").all() == [(1,)]
    engine.dispose()
