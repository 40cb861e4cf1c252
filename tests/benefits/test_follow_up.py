"""After the end: an ended collaboration is judged at its end, and the follow-up a year
after records the key indicators' values for the months after the end, never counted in
the collaboration's own period, and sets the benefit a year later beside the benefit
realised at the end (issue 21)."""

from __future__ import annotations

from datetime import date

from portal.benefits.calculation import evaluate
from portal.benefits.progress import Status
from portal.db import db
from tests.dashboards.helpers import baseline, measure, screen_round, target
from tests.participations.helpers import participation


def ended_case():
    """A screen-visit collaboration from January 2020 to December 2020: 100 → 300 visits a
    month, measured every month of 2020 at 300 from July."""
    round_ = screen_round()
    round_.period_start, round_.period_end = date(2020, 1, 1), date(2020, 12, 31)
    kbh = participation(round_, 101)
    baseline(kbh, "screen_visits", 100, date(2019, 12, 1))
    target(kbh, "screen_visits", 300, date(2020, 12, 31))
    measure(kbh, "screen_visits", [150, 200, 250, 280, 290, 300] + [300] * 6, date(2020, 1, 1))
    measure(kbh, "km_avoided", [0] * 12, date(2020, 1, 1))
    db.session.flush()
    return round_, kbh


def test_an_ended_collaboration_is_judged_at_its_end_not_today():
    _round, kbh = ended_case()
    [evaluation] = evaluate([kbh], today=date(2026, 12, 7))
    visits = evaluation.indicator("screen_visits")
    # Judged today the latest value (December 2020) would be six years old: "Mangler data".
    assert visits.progress.status == Status.ON_TRACK
    assert not visits.progress.stale


def test_the_stored_results_judge_an_ended_collaboration_at_its_end_too():
    from portal.results.read import stored_evaluations
    from tests.dashboards.helpers import stored

    _round, kbh = ended_case()
    stored()
    [evaluation] = stored_evaluations([kbh], today=date(2026, 12, 7))
    assert evaluation.indicator("screen_visits").progress.status == Status.ON_TRACK
