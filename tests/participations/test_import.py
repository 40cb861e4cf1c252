"""Importing the participants of a running round: every error kind, all or nothing,
re-import, grants, and the CLI."""

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal.audit.models import AuditEvent
from portal.db import db
from portal.errors import RowErrors
from portal.models import Community, Participation
from portal.participations import grants
from portal.participations.importing import import_participants
from portal.participations.models import ParticipationSource
from tests.participations.helpers import approve, fixed_round, mid, pool_round

HEADER = "municipality,role,community,grant\n"
SAMPLE = Path(__file__).resolve().parents[2] / "portal/data/participants/skaermbesoeg-2025.csv"


def count(model=Participation):
    return db.session.scalar(select(func.count(model.id)))


def refused(data, round_):
    db.session.commit()  # what came before stays; the refused import must leave no trace
    before = (count(), count(Community))
    with pytest.raises(RowErrors) as info:
        import_participants(data, round_, actor=None)
    db.session.rollback()
    assert (count(), count(Community)) == before
    return info.value.errors


def by_code(round_, code):
    return db.session.scalar(
        select(Participation).where(
            Participation.round_id == round_.id, Participation.municipality_id == mid(code)
        )
    )


def test_a_file_registers_participations_communities_and_grants():
    round_ = pool_round(1_000_000, community_min=1, community_max=3)
    result = import_participants(
        HEADER
        + "751,lead,Fællesskab Aarhus,\n"
        + "0101,participant,Fællesskab Aarhus,\n"
        + "Frederiksberg,participant,fællesskab aarhus,\n"
        + '461,participant,,"400.000"\n'
        + "851,participant,Nord,\n",
        round_,
        actor=None,
    )
    assert (result.created, result.updated, result.unchanged) == (5, 0, 0)
    assert result.communities_created == ["Fællesskab Aarhus", "Nord"]
    aarhus = by_code(round_, 751)
    assert aarhus.source == ParticipationSource.IMPORT and aarhus.application_id is None
    assert aarhus.grant == 900_000
    assert by_code(round_, 101).community is aarhus.community
    assert by_code(round_, 147).community is aarhus.community
    odense = by_code(round_, 461)
    assert odense.grant == 400_000 and odense.grant_override_reason == "Fastsat ved import"
    assert odense.community is None
    # 600.000 left of the pool for the other three.
    assert {by_code(round_, c).grant for c in (101, 147, 851)} == {200_000}
    line = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "participants_imported")
    ).one()
    assert line.round_id == round_.id and line.details["created"] == 5


def test_every_bad_row_is_listed_and_nothing_stored():
    round_ = fixed_round(community_min=1, community_max=2)
    errors = refused(
        HEADER
        + "751,lead,A,\n"  # 2: fine
        + "9999,participant,,\n"  # 3: unknown code
        + "Atlantis,participant,,\n"  # 4: unknown name
        + "101,boss,,\n"  # 5: bad role
        + "147,participant,,mange\n"  # 6: bad grant
        + "0751,participant,,\n"  # 7: duplicate of line 2
        + "461,lead,a,\n"  # 8: a second lead for A
        + "151,participant,A,\n"  # 9
        + "153,participant,A,\n"  # 10
        + "157,participant,A,\n"  # 11: the third in A, max 2
        + ",participant,,\n",  # 12: no municipality
        round_,
    )
    assert errors == [
        (3, "ukendt kommune '9999'"),
        (4, "ukendt kommune 'Atlantis'"),
        (5, "rollen 'boss' er hverken lead eller participant"),
        (6, "tilskuddet 'mange' er ikke et helt antal kroner"),
        (7, "Aarhus står også i linje 2"),
        (
            8,
            "fællesskabet 'a' har allerede skaleringslederen Aarhus (linje 2); et fællesskab"
            " har én skaleringsleder",
        ),
        (
            11,
            "fællesskabet 'A' får 3 deltagerkommuner, men forløbet tillader højst 2"
            " (skaleringslederen tælles ikke med)",
        ),
        (12, "kommune mangler"),
    ]


def test_header_problems_are_line_one():
    round_ = fixed_round()
    assert refused("kommune,rolle\n101,lead\n", round_)[0][0] == 1
    assert refused("", round_) == [(1, "Filen er tom.")]


def test_members_already_in_the_round_count_against_the_limits():
    round_ = fixed_round(community_min=1, community_max=1)
    import_participants(HEADER + "751,lead,A,\n101,participant,A,\n", round_, actor=None)
    errors = refused(HEADER + "461,lead,A,\n147,participant,A,\n", round_)
    assert [line for line, _reason in errors] == [2, 3]
    assert "skaleringslederen Aarhus (forløbet)" in errors[0][1]
    # Moving the one member out in the same file makes room.
    import_participants(HEADER + "101,participant,,\n147,participant,A,\n", round_, actor=None)
    assert by_code(round_, 147).community.name == "A" and by_code(round_, 101).community is None


def test_reimport_updates_instead_of_duplicating():
    round_ = fixed_round(100_000, community_min=1, community_max=5)
    data = HEADER + "751,lead,A,\n101,participant,A,150.000\n147,participant,,\n"
    import_participants(data, round_, actor=None)
    again = import_participants(data, round_, actor=None)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert again.communities_created == []
    assert count() == 3 and count(Community) == 1
    changed = import_participants(
        HEADER + "751,lead,A,\n101,participant,,\n147,lead,B,\n", round_, actor=None
    )
    assert (changed.created, changed.updated, changed.unchanged) == (0, 2, 1)
    copenhagen = by_code(round_, 101)
    assert copenhagen.grant == 100_000 and copenhagen.grant_override is None
    assert copenhagen.community is None
    assert by_code(round_, 147).grant == 900_000


def test_a_coordinators_own_override_survives_an_empty_grant():
    round_ = fixed_round(100_000)
    import_participants(HEADER + "101,participant,,\n", round_, actor=None)
    p = by_code(round_, 101)
    grants.override_grant(p, 80_000, "Aftalt med kommunen", actor=None)
    import_participants(HEADER + "101,participant,,\n", round_, actor=None)
    assert p.grant == 80_000


def test_a_municipality_from_an_application_is_updated_not_doubled():
    round_ = fixed_round(100_000)
    application = approve(round_, 101)
    result = import_participants(HEADER + "101,participant,A,\n", round_, actor=None)
    assert (result.created, result.updated) == (0, 1)
    p = by_code(round_, 101)
    assert p.application_id == application.id and p.community.name == "A"


def test_a_grant_below_what_is_paid_is_refused():
    round_ = fixed_round(100_000)
    import_participants(HEADER + "101,participant,,\n", round_, actor=None)
    grants.record_disbursement(by_code(round_, 101), date(2025, 9, 1), 60_000, "", actor=None)
    errors = refused(HEADER + "101,participant,,50.000\n", round_)
    assert errors == [
        (
            2,
            "tilskuddet 50.000 kr. er mindre end de 60.000 kr., der allerede er udbetalt til"
            " København",
        )
    ]


def test_the_shipped_sample_imports(app):
    round_ = fixed_round(100_000)
    result = import_participants(SAMPLE.read_bytes(), round_, actor=None)
    assert result.created == 12 and len(result.communities_created) == 2


def run(app, *args):
    return app.test_cli_runner().invoke(args=["participants", "import", *args])


def test_cli_imports_and_exits_1_with_every_bad_line(app, tmp_path):
    round_ = fixed_round(100_000)
    db.session.commit()
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "751,lead,A,\n101,participant,A,\n", encoding="utf-8")
    result = run(app, str(good), "--round", round_.slug)
    assert result.exit_code == 0, result.output
    assert "2 kommuner læst: 2 oprettet, 0 ændret, 0 uændret. Nye fællesskaber: A." in result.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "751,lead,A,\n9999,participant,,\n101,chef,,\n", encoding="utf-8")
    result = run(app, str(bad), "--round", round_.slug)
    assert result.exit_code == 1
    assert "linje 3: ukendt kommune '9999'" in result.stderr
    assert "linje 4: rollen 'chef' er hverken lead eller participant" in result.stderr
    assert "Intet er gemt: 2 fejl." in result.stderr
    result = run(app, str(good), "--round", "findes-ikke")
    assert result.exit_code == 1 and "findes-ikke" in result.stderr
