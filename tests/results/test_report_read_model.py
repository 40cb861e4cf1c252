"""A round's and the nation's progress reports come from the stored results (issue 19 item
6): the page, the workbook's cells and the CSV are the same as when every municipality's
figures are evaluated again, quality marks, flagged months, costs and scenarios included,
and building them evaluates nobody."""

from __future__ import annotations

import io
from datetime import date

import pytest
from flask import render_template
from openpyxl import load_workbook
from sqlalchemy import select, update

from portal.benefits import calculation
from portal.benefits.calculation import round_participations, scenarios
from portal.benefits.models import Baseline, Measurement, Quality
from portal.db import db, utcnow
from portal.reports import progress
from portal.reports.csv import report_csv_zip
from portal.reports.pdf import TOC_MIN_SECTIONS
from portal.reports.progress import progress_report
from portal.reports.scope import ReportScope
from portal.reports.xlsx import report_workbook
from portal.results.read import stored_evaluations
from tests.dashboards.helpers import key_of, measure, stored


def _page(report) -> str:
    return render_template(
        "reports/page.html", report=report, job_kind=None, downloads=[], toc_min=TOC_MIN_SECTIONS
    )


def _cells(report) -> list[list]:
    book = load_workbook(io.BytesIO(report_workbook(report)))
    return [[c.value for row in sheet.iter_rows() for c in row] for sheet in book.worksheets]


@pytest.fixture
def marked_round(progress_round):
    """The hand-calculated round with marks: one of København's measurements provisional,
    Aarhus's baseline estimated, and a month of Frederiksberg's without km (flagged)."""
    kbh, frb = progress_round.kbh, progress_round.frb
    db.session.execute(
        update(Measurement)
        .where(Measurement.participation_id == kbh.id, Measurement.period == date(2025, 10, 1))
        .values(quality=Quality.PROVISIONAL)
    )
    db.session.execute(
        update(Baseline)
        .where(Baseline.municipality_id != kbh.municipality_id)
        .values(quality=Quality.ESTIMATED)
    )
    measure(frb, "screen_visits", [40], first=date(2026, 6, 1))  # no km_avoided that month
    stored()
    return progress_round


def _scopes(fixture) -> list[ReportScope]:
    round_ = fixture.round
    return [
        ReportScope(round=round_),
        ReportScope(round=round_, community=fixture.community),
        ReportScope(),
    ]


@pytest.mark.parametrize("scope_index", [0, 1, 2], ids=["round", "community", "national"])
def test_a_report_from_stored_rows_is_the_report_evaluated_live(app, marked_round, scope_index):
    scope = _scopes(marked_round)[scope_index]
    at = utcnow()
    with app.test_request_context():
        kept = progress_report(scope, generated_at=at)
        live = progress_report(scope, generated_at=at, live=True)
        assert _page(kept) == _page(live)
        assert _cells(kept) == _cells(live)
        assert report_csv_zip(kept) == report_csv_zip(live)
        text = _page(kept)
    assert "foreløbig" in text.lower() or "skøn" in text.lower()  # the marks are there


def test_the_stored_rows_carry_the_marks_and_the_flags(app, marked_round):
    round_ = marked_round.round
    participations = round_participations(round_.id)
    with app.test_request_context():
        kept = stored_evaluations(participations, benefits=True)
        live = calculation.evaluate(participations)
    for k, e in zip(kept, live, strict=True):
        assert e.marked == k.marked
        for a, b in zip(k.indicators, e.indicators, strict=True):
            assert a.qualities == b.qualities
            assert a.marked_count == sum(1 for p in b.series if p.quality)
        assert len(k.benefits.flags) == len(e.benefits.flags)
        assert [p.period for p in k.benefits.periods] == [p.period for p in e.benefits.periods]
        assert k.benefits.payback == e.benefits.payback and k.costs == e.costs
    assert any(e.benefits.flags for e in kept) and any(e.marked for e in kept)
    visits = key_of(round_, "screen_visits")
    provisional = db.session.scalar(
        select(Measurement.id).where(
            Measurement.indicator_id == visits.id, Measurement.quality == Quality.PROVISIONAL
        )
    )
    assert provisional is not None


def test_a_round_report_evaluates_nobody(app, marked_round, monkeypatch):
    def refuse(*_args, **_kwargs):
        raise AssertionError("a round's report reads the stored results")

    monkeypatch.setattr(progress, "evaluate", refuse)
    scenarios._computed.cache_clear()
    with app.test_request_context():
        for scope in _scopes(marked_round):
            assert progress_report(scope).sections
