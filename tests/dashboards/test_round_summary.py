"""A round's stored summary (issue 19 item 7): the national view of a large round and every
dashboard's medians read one row per round instead of every municipality's; the row holds
exactly what the live computation gives, is worked out once per results version and day,
and is worked out again when either moves."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal import rendered
from portal.auth.models import Role
from portal.dashboards import round_rows, summary
from portal.dashboards import services as dashboards
from portal.db import db
from portal.participations.models import Community
from portal.results.models import RoundSummary
from portal.results.read import data_version
from tests.dashboards.helpers import many_municipalities, measure, screen_round, stored


@pytest.fixture
def five():
    rendered.clear()
    round_ = screen_round()
    north, south = Community(round=round_, name="Nord"), Community(round=round_, name="Syd")
    db.session.add_all([north, south])
    made = many_municipalities(round_, north, 5, 3)
    made[3].community = south
    made[4].community = None  # one not placed in a community
    measure(made[3], "km_avoided", [40, 41], date(2025, 12, 1))
    stored()
    return round_, made


def test_the_summary_is_what_the_live_computation_gives(five):
    round_, _made = five
    found = summary.summary(round_, data_version(round_.id), keep=True)
    view, live = summary.view(round_, found), dashboards.round_view(round_)

    assert view.participations == len(live.evaluations) == 5
    assert view.totals == live.totals
    assert view.communities == live.communities
    assert [c.indicator for c in view.indicators] == [c.indicator for c in live.indicators]
    for kept, exact in zip(view.indicators, live.indicators, strict=True):
        assert kept.median == exact.median
        assert kept.status_counts == exact.status_counts
        assert kept.count == len(exact.rows)
        with_progress = [r.progress for r in exact.rows if r.progress is not None]
        assert sum(n for _label, n in kept.bands) == len(with_progress)
        for label, n in kept.bands:
            assert n == sum(summary.band_labels()[summary.band(p)] == label for p in with_progress)
    assert summary.medians(found) == dashboards._round_medians(round_.id)
    assert summary.kept_medians(round_.id, data_version(round_.id)) == summary.medians(found)
    assert summary.kept_medians(round_.id, "another version") is None


def test_the_summary_is_kept_per_results_version_and_day(five, monkeypatch):
    round_, made = five
    version = data_version(round_.id)
    summary.summary(round_, version)  # a reader's request works it out and stores nothing
    assert db.session.scalar(select(RoundSummary).where(RoundSummary.round_id == round_.id)) is None
    first = summary.summary(round_, version, keep=True)
    worked_out = []
    live = summary.summarise
    monkeypatch.setattr(
        summary, "summarise", lambda r, **kw: worked_out.append(r.id) or live(r, **kw)
    )

    assert (
        summary.summary(round_, version, keep=True) == first and worked_out == []
    )  # read, as kept

    measure(
        made[0], "screen_visits", [45, 48], date(2025, 12, 1)
    )  # a municipality's figures change
    stored()
    moved = data_version(round_.id)
    assert moved != version
    assert summary.summary(round_, moved, keep=True) != first and worked_out == [round_.id]

    row = db.session.scalar(select(RoundSummary).where(RoundSummary.round_id == round_.id))
    row.judged_on = date(2020, 1, 1)  # kept on another day: the statuses are stale
    db.session.commit()
    assert summary.kept_medians(round_.id, moved) == summary.medians(row.summary)
    assert worked_out == [round_.id]  # the medians do not go stale with the calendar
    summary.summary(round_, moved, keep=True)
    assert worked_out == [round_.id, round_.id]


def test_a_large_rounds_view_counts_municipalities_in_bands(
    client, make_user, login, five, monkeypatch
):
    round_, _made = five
    monkeypatch.setattr(round_rows, "ROWS_SHOWN", 2)
    login(make_user(Role.COORDINATOR))
    text = client.get(f"/oversigt/forloeb/{round_.slug}").get_data(as_text=True)
    assert "Kommuner efter fremdrift mod målbilledet" in text
    assert "alle 5 kommuner, side for side" in text
    assert "Nord" in text and "Syd" in text and "Ikke placeret" in text
