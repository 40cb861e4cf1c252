"""The stored results by hand: the rows a refresh keeps (Frederiksberg's, worked out below),
the medians taken over a round's stored rows, the status judged from a stored row, a rebuild
of one round, and the one road by which they learn that figures changed (the house's
``figures_changed`` signal, never a call from ``benefits``)."""

from __future__ import annotations

import ast
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.benefits import recording
from portal.benefits.calculation.progress import Status
from portal.benefits.display import medians
from portal.benefits.models import CostKind
from portal.benefits.recording import costs
from portal.db import db
from portal.results.models import IndicatorResultRow, MonthResult, ParticipationResult
from portal.results.read import data_version, judge, round_figures
from portal.results.refresh import TABLES, rebuild
from portal.signals import figures_changed
from tests.dashboards.helpers import (
    baseline,
    key_of,
    measure,
    participation,
    screen_round,
    stored,
    target,
    two_municipalities,
)

PORTAL = Path(__file__).resolve().parents[2] / "portal"


@pytest.fixture
def case():
    return two_municipalities()


def test_frederiksbergs_stored_rows_by_hand(case):
    """Frederiksberg: 20 screen visits in September and October 2025, 30 minutes saved each:
    10 hours a month at its own hourly cost of 300 kr. (3,000 kr.), 50 km a month avoided at
    4 kr. (200 kr.); a yearly licence of 1,200 kr. from September, 100 kr. a month. Per
    month 3,100 kr. net; 6,200 kr. over the two months."""
    round_, _community, _kbh, frb = case
    row = db.session.get(ParticipationResult, frb.id)
    assert row.hourly_cost == D(300)
    assert (row.total_hours, row.gross, row.costs, row.net) == (D(20), D(6400), D(200), D(6200))
    assert row.fte_12m == D("0.0125")  # 20 hours of 1,600 a year
    assert row.payback is None  # never below zero, so nothing to pay back
    months = db.session.scalars(
        select(MonthResult).where(MonthResult.participation_id == frb.id).order_by("month")
    ).all()
    assert [(m.hours, m.gross, m.costs, m.net) for m in months] == [
        (D(10), D(3200), D(100), D(3100)),
        (D(10), D(3200), D(100), D(3100)),
    ]
    assert [m.cumulative_net for m in months] == [D(3100), D(6200)]
    visits = db.session.get(IndicatorResultRow, (frb.id, key_of(round_, "screen_visits").id))
    # (20 − 10) / (50 − 10): a quarter of the way from the baseline to the target
    assert (visits.baseline_value, visits.target_value, visits.latest_value) == (10, 50, 20)
    assert visits.progress == D("0.25") and visits.measurements == 2


def test_the_medians_of_a_rounds_stored_rows(case):
    """Three municipalities' screen visits: latest 80, 20 and 50, progress 0.8, 0.25 and 0.5;
    the medians are 50 and 0.5. With two municipalities no median is shown (fewer than
    three another municipality can see)."""
    round_, community, *_ = case
    visits = key_of(round_, "screen_visits").id

    def screen_visits():
        rows = [r for r in round_figures(round_.id) if r[0] == visits]
        return medians([r[2] for r in rows if r[2] is not None], [r[3] for r in rows if r[3]])

    two = screen_visits()
    assert (two.latest, two.progress) == (None, None)
    taarnby = participation(round_, 185, community=community)
    baseline(taarnby, "screen_visits", 0, date(2025, 8, 1))
    target(taarnby, "screen_visits", 100, date(2026, 8, 31))
    measure(taarnby, "screen_visits", [30, 50])
    stored()
    three = screen_visits()
    assert (three.latest, three.progress) == (D(50), D("0.5"))


def test_the_status_judged_from_a_stored_row(case):
    """København: progress 0.8 when 78 of 381 days have passed (on track). Frederiksberg: 0.25
    when 259 of 593 days have (0.44: behind by less than 0.25, at risk); on 1 March 2026
    (410 of 593 days, 0.69) off track."""
    round_, _community, kbh, frb = case
    visits = key_of(round_, "screen_visits").id
    kbh_row = db.session.get(IndicatorResultRow, (kbh.id, visits))
    frb_row = db.session.get(IndicatorResultRow, (frb.id, visits))
    today = date(2025, 11, 15)
    assert judge(kbh_row, None, today).status == Status.ON_TRACK
    frederiksberg = judge(frb_row, None, today)
    assert frederiksberg.elapsed == D(259) / D(593)
    assert frederiksberg.status == Status.AT_RISK
    assert judge(frb_row, date(2026, 3, 1), None).status == Status.OFF_TRACK
    assert judge(kbh_row, date(2026, 3, 1), None).status == Status.ON_TRACK


def test_a_rebuild_of_one_round_leaves_the_others_alone(case):
    round_, *_ = case
    other = screen_round()
    odense = participation(other, 461)
    measure(odense, "screen_visits", [5])
    stored()
    kept = db.session.get(ParticipationResult, odense.id).data_version
    before = data_version(round_.id)
    for table in TABLES[:-1]:
        db.session.execute(table.__table__.delete().where(table.round_id == round_.id))
    assert rebuild(round_) == 2
    assert data_version(round_.id) != before
    assert db.session.get(ParticipationResult, odense.id).data_version == kept
    assert (
        len(db.session.scalars(select(MonthResult).where(MonthResult.round_id == round_.id)).all())
        == 5
    )


def test_figures_reach_the_stored_results_by_the_one_signal(case):
    """A recording service sends ``figures_changed`` naming the participation; the stored
    results (and the stored reports' scheduler) listen; the row follows in the same
    transaction."""
    round_, _community, kbh, _frb = case
    heard = []

    def listen(_sender, **changes):
        heard.append(changes)

    figures_changed.connect(listen)
    try:
        visits = key_of(round_, "screen_visits")
        recording.record_measurement(kbh, visits, date(2025, 12, 1), D(100), actor=None)
        costs.add_cost(kbh, CostKind.ONE_OFF, "Skærme", date(2025, 12, 5), D(700), actor=None)
    finally:
        figures_changed.disconnect(listen)
    assert [h["participation_ids"] for h in heard] == [(kbh.id,), (kbh.id,)]
    assert all(h["numbers"] for h in heard)
    row = db.session.get(IndicatorResultRow, (kbh.id, visits.id))
    assert (row.latest_value, row.progress) == (D(100), D(1))
    assert db.session.get(ParticipationResult, kbh.id).costs == D(5700)
    receivers = {getattr(r, "__module__", "") for r in figures_changed.receivers_for(None)}
    assert {"portal.results.refresh", "portal.jobs.tasks"} <= receivers


def test_benefits_never_call_the_results():
    """The one cycle the review found (``benefits`` ↔ ``results``) stays gone: no module of
    ``benefits`` imports ``portal.results``."""
    offenders = []
    for path in (PORTAL / "benefits").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            module = getattr(node, "module", None) or ""
            names = [a.name for a in getattr(node, "names", [])]
            if module.startswith("portal.results") or any(
                n.startswith("portal.results") for n in names
            ):
                offenders.append(str(path.relative_to(PORTAL)))
    assert not offenders


def test_the_stored_fields_are_declared_once_and_the_tables_hold_exactly_them():
    """``results.fields`` lists every stored figure once; each table's columns are those and
    its keys, so a column added without a declaration (that the refresh would not fill), or
    a declaration without a column, fails here; and every column the reads name of a
    results table is one of them."""
    from portal.results import fields

    for table, declared in fields.FIELDS.items():
        columns = {c.name for c in table.__table__.columns}
        assert columns - fields.KEYS == set(declared), table.__name__
    stored = {name for declared in fields.FIELDS.values() for name in declared} | fields.KEYS
    # Reading a whole row (``__table__.columns``) reads the columns checked just above.
    stored.add("__table__")
    names = {t.__name__ for t in fields.FIELDS}
    for reader in ("results/read.py", "results/read_benefits.py", "dashboards/months.py"):
        for node in ast.walk(ast.parse((PORTAL / reader).read_text())):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in names
            ):
                assert node.attr in stored, (reader, node.value.id, node.attr)
