"""After a save the round's summary is stored by the worker within seconds
(``dashboards.tasks.keep_round_summaries``), so the national view's and the indicator
pages' readers rarely work it out live; at most one run is scheduled per few seconds."""

from __future__ import annotations

import pytest

from portal.dashboards import summary, tasks
from portal.db import db
from portal.results.read import data_version
from portal.signals import send_figures_changed
from tests.dashboards.test_round_summary import five  # noqa: F401 (a fixture)


@pytest.fixture
def scheduled(monkeypatch):
    calls: list[dict] = []
    monkeypatch.setattr(tasks, "_scheduled_at", [float("-inf")])
    monkeypatch.setattr(tasks.keep_round_summaries, "schedule", lambda **kw: calls.append(kw))
    return calls


def test_a_save_schedules_the_summaries_once_and_the_worker_stores_them(five, scheduled):  # noqa: F811
    round_, made = five
    summary.summary(round_, data_version(round_.id), keep=True)
    before = data_version(round_.id)
    assert summary.kept_version(round_.id) == before

    send_figures_changed([made[0].id])  # as a saved measurement sends it
    db.session.commit()
    assert scheduled == [{"delay": tasks.SUMMARY_DELAY}]
    send_figures_changed([made[1].id])  # a second save before the run: no second run
    db.session.commit()
    assert len(scheduled) == 1

    moved = data_version(round_.id)
    assert moved != before and summary.kept_version(round_.id) == before  # stale
    assert tasks.keep_round_summaries.call_local() == 1
    assert summary.kept_version(round_.id) == moved
    assert tasks.keep_round_summaries.call_local() == 0  # current: nothing to do


def test_a_commit_without_changed_figures_schedules_nothing(five, scheduled):  # noqa: F811
    db.session.commit()
    assert scheduled == []
