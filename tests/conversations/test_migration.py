"""The conversations' revision gives every application already submitted its first version,
so the first resubmission after the upgrade shows what changed."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

import portal.models  # noqa: F401
from portal.db import Base, make_engine


def test_an_application_submitted_before_the_upgrade_gets_its_first_version(
    fresh_database_url,
):
    from alembic.script import ScriptDirectory

    from portal.migrate import alembic_config, upgrade

    engine = make_engine(fresh_database_url("versions"))
    # the revision just before the conversations', whichever that is in the chain
    before = ScriptDirectory.from_config(alembic_config()).get_revision("k35_conversations")
    upgrade(engine, before.down_revision)
    t = Base.metadata.tables
    submitted = datetime(2026, 9, 30, 10, 0, tzinfo=UTC)
    with engine.begin() as connection:
        for mid, code, name in ((1, 751, "Aarhus"), (2, 461, "Odense")):
            connection.execute(
                t["municipalities"]
                .insert()
                .values(
                    id=mid,
                    country="DK",
                    code=code,
                    name=name,
                    full_name=f"{name} Kommune",
                    region="Region Midtjylland",
                    active=True,
                )
            )
        connection.execute(
            t["programmes"]
            .insert()
            .values(id=1, slug="skaermbesoeg", name_da="Skærmbesøg", name_en="Screen visits")
        )
        connection.execute(
            t["programme_goals"]
            .insert()
            .values(
                [
                    {"id": 1, "programme_id": 1, "position": 1, "text_da": "At udbrede"},
                    {"id": 2, "programme_id": 1, "position": 0, "text_da": "At komme i gang"},
                ]
            )
        )
        connection.execute(
            t["rounds"]
            .insert()
            .values(
                id=1,
                programme_id=1,
                slug="r",
                name_da="Runde",
                opens_at=datetime(2026, 8, 1, tzinfo=UTC),
                deadline_at=submitted,
                period_start=date(2026, 1, 1),
                period_end=date(2027, 1, 1),
                lead_grant=1,
                participant_grant=1,
                community_min=1,
                community_max=2,
                parameters={},
                status="open",
            )
        )
        for aid, mid, when in ((1, 1, submitted), (2, 2, None)):
            connection.execute(
                t["applications"]
                .insert()
                .values(
                    id=aid,
                    round_id=1,
                    municipality_id=mid,
                    role="participant",
                    status="submitted" if when else "draft",
                    experience="some",
                    motivation="Vi vil frigøre tid.",
                    backing_board=True,
                    submitted_at=when,
                )
            )
        connection.execute(
            t["application_goals"]
            .insert()
            .values([{"application_id": 1, "goal_id": 1}, {"application_id": 1, "goal_id": 2}])
        )
        connection.execute(
            t["application_members"].insert().values(application_id=1, municipality_id=2)
        )
    upgrade(engine, "head")
    versions = t["application_versions"]
    with engine.connect() as connection:
        rows = connection.execute(select(versions)).all()
    engine.dispose()
    assert len(rows) == 1  # the draft has none
    (row,) = rows
    assert (row.application_id, row.municipality_id, row.number) == (1, 1, 1)
    assert row.fields["motivation"] == "Vi vil frigøre tid."
    assert row.fields["backing_board"] is True and row.fields["backing_political"] is False
    assert row.fields["goals"] == ["At komme i gang", "At udbrede"]
    assert row.fields["members"] == ["Odense"]
    assert row.submitted_at.replace(tzinfo=UTC) == submitted
