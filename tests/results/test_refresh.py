"""The stored results stay what a rebuild from scratch gives, after every kind of write that
changes what they derive from, each through the service the pages and the CLI call."""

from dataclasses import fields, replace
from datetime import date
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from portal.benefits import recording
from portal.benefits.calculation import evaluate, round_participations
from portal.benefits.files.importing import import_figures
from portal.benefits.models import Cost, CostKind, Measurement
from portal.benefits.recording import costs
from portal.db import db
from portal.participations import communities
from portal.participations.importing import import_participants
from portal.programmes import benefit_lines, rules
from portal.programmes import services as programmes
from portal.programmes.models import Round
from portal.results.models import (
    IndicatorResultRow,
    LineMonthResult,
    MonthResult,
    ParticipationResult,
)
from portal.results.read import data_version, stored_evaluations
from portal.results.refresh import TABLES, rebuild
from tests.dashboards.helpers import key_of, two_municipalities
from tests.participations.helpers import approve

BOOKKEEPING = {"data_version", "refreshed_at"}


def snapshot() -> dict:
    """Every stored row, without the version and the time of its refresh."""
    db.session.flush()
    out = {}
    for table in TABLES:
        columns = [c for c in table.__table__.columns if c.name not in BOOKKEEPING]
        out[table.__tablename__] = sorted(
            tuple(str(v) for v in row) for row in db.session.execute(select(*columns))
        )
    return out


def assert_rebuild_equals_incremental(round_):
    incremental = snapshot()
    before = data_version(round_.id)
    rebuild()
    assert snapshot() == incremental
    assert data_version(round_.id) != before  # a rebuild never hands out an old version


@pytest.fixture
def case():
    return two_municipalities()


def _round_data(round_: Round, **changes) -> rules.RoundData:
    data = rules.RoundData(**{f.name: getattr(round_, f.name) for f in fields(rules.RoundData)})
    return replace(data, **changes)


def _write_figures(round_, kbh, frb):
    visits = key_of(round_, "screen_visits")
    km = key_of(round_, "km_avoided")
    yield "baseline", lambda: recording.set_baseline(frb, km, D(60), date(2025, 8, 20), actor=None)
    yield "target", lambda: recording.set_target(frb, km, D(20), date(2026, 8, 31), actor=None)
    yield (
        "measurement",
        lambda: recording.record_measurement(kbh, visits, date(2025, 12, 1), D(95), actor=None),
    )
    measurement = lambda: db.session.scalar(  # noqa: E731
        select(Measurement).where(
            Measurement.participation_id == kbh.id, Measurement.period == date(2025, 12, 1)
        )
    )
    yield (
        "measurement changed",
        lambda: recording.update_measurement(measurement(), D(70), actor=None),
    )
    yield "measurement deleted", lambda: recording.delete_measurement(measurement(), actor=None)
    yield (
        "cost",
        lambda: costs.add_cost(
            kbh, CostKind.YEARLY, "Drift", date(2025, 10, 1), D(12000), actor=None
        ),
    )
    yield (
        "cost deleted",
        lambda: costs.delete_cost(
            db.session.scalar(select(Cost).where(Cost.category == "Drift")), actor=None
        ),
    )
    yield "hourly cost", lambda: costs.set_hourly_cost(kbh, D("275.50"), actor=None)
    yield "benefit owner", lambda: costs.set_benefit_owner(kbh, "Ida", "Chef", actor=None)
    yield (
        "import",
        lambda: import_figures(
            "municipality,indicator,kind,date,value,note\n"
            "101,screen_visits,measurement,2026-01-01,90,\n"
            "147,km_avoided,measurement,2025-11-01,70,\n",
            round_,
            actor=None,
        ),
    )


def _write_programme(round_, kbh, frb):
    yield (
        "round parameters",
        lambda: programmes.update_round(
            round_,
            _round_data(round_, parameters={**round_.parameters, "km_rate": "5"}),
            actor=None,
        ),
    )
    line = next(b for b in round_.programme.benefits if b.key == "km")
    yield (
        "formula",
        lambda: benefit_lines.save_benefit_line(
            round_.programme,
            benefit_lines.BenefitLineData("km", "Km", "", "kroner", "km_avoided * km_rate * 2"),
            actor=None,
            line=line,
        ),
    )
    visits = key_of(round_, "screen_visits")
    yield (
        "indicator",
        lambda: programmes.save_indicator(
            round_.programme,
            programmes.IndicatorData(
                "screen_visits", "Besøg", "", visits.unit, "lower", "monthly", visits.block.value
            ),
            actor=None,
            indicator=visits,
        ),
    )


def _write_participations(round_, kbh, frb):
    yield "community", lambda: communities.assign(frb, None, actor=None)
    yield (
        "participants import",
        lambda: import_participants(
            "municipality,role,community,grant\n101,lead,Hovedstaden,\n147,participant,Nord,\n",
            round_,
            actor=None,
        ),
    )
    yield "approval", lambda: approve(round_, 751)


@pytest.mark.parametrize("writes", [_write_figures, _write_programme, _write_participations])
def test_rebuild_equals_incremental_after_every_kind_of_write(case, writes):
    round_, _community, kbh, frb = case
    for what, write in writes(round_, kbh, frb):
        before = data_version(round_.id)
        write()
        assert data_version(round_.id) != before, what
        assert_rebuild_equals_incremental(round_)


def test_stored_rows_hold_the_hand_calculation(case):
    round_, _community, kbh, frb = case
    row = db.session.get(ParticipationResult, kbh.id)
    assert (row.total_hours, row.gross, row.costs, row.net) == (D(90), D(23700), D(5000), D(18700))
    assert row.fte_12m == D("0.05625") and row.hourly_cost == D(250)
    months = db.session.scalars(
        select(MonthResult).where(MonthResult.participation_id == kbh.id).order_by("month")
    ).all()
    assert [m.cumulative_net for m in months] == [D(400), D(8300), D(18700)]
    lines = db.session.scalars(
        select(LineMonthResult).where(
            LineMonthResult.participation_id == kbh.id, LineMonthResult.line_key == "km"
        )
    ).all()
    assert [line.kroner for line in lines] == [D(400)] * 3
    visits = db.session.get(IndicatorResultRow, (kbh.id, key_of(round_, "screen_visits").id))
    assert (visits.latest_value, visits.progress) == (D(80), D("0.8"))


def test_stored_evaluations_judge_as_the_live_ones(case):
    """Progress, status and projection read back equal what the arithmetic computes, also
    when the status is judged on another day than the one the rows were stored."""
    round_, *_ = case
    participations = round_participations(round_.id)
    for as_of in (None, date(2026, 8, 1)):
        live = evaluate(participations, as_of=as_of)
        stored = stored_evaluations(participations, as_of=as_of)
        for a, b in zip(live, stored, strict=True):
            for x, y in zip(a.indicators, b.indicators, strict=True):
                assert (x.status, x.latest, x.missing) == (y.status, y.latest, y.missing)
                assert x.progress_value == y.progress_value
                px = x.progress.projection if x.progress else None
                py = y.progress.projection if y.progress else None
                assert (px is None) == (py is None)
                if px:
                    assert (px.reaches, px.points) == (py.reaches, py.points)
                    assert abs(px.projected - py.projected) < D("0.0001")


def test_the_rebuild_command_fills_an_empty_read_model(app, case):
    round_, *_ = case
    for table in TABLES:
        db.session.execute(table.__table__.delete())
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["results", "rebuild", "--round", round_.slug])
    assert result.exit_code == 0, result.output
    assert "2 participations" in result.output
    assert db.session.get(ParticipationResult, case[2].id).gross == D(23700)
    assert runner.invoke(args=["results", "rebuild", "--round", "nope"]).exit_code != 0
