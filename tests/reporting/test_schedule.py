"""The schedule: which items, which periods and due dates; idempotent; a changed period."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from portal.db import db, utcnow
from portal.i18n import local_today
from portal.reporting.models import ReportingRequirement, ReportKind
from portal.reporting.schedule import (
    ScheduleChange,
    ensure_schedule,
    ensure_schedules,
    opens_on,
    plan,
    plan_for,
    quarters,
)
from tests.participations.helpers import approve
from tests.reporting.helpers import END, START, item, items, participation_of, reporting_round

STATUS_DUES = [
    date(2025, 10, 15),
    date(2026, 1, 15),
    date(2026, 4, 15),
    date(2026, 7, 15),
    date(2026, 10, 15),
    date(2027, 1, 15),
]


def test_plan_for_the_screen_visit_period():
    planned = plan(START, END, joined_on=date(2025, 8, 15))
    kinds = [p.kind for p in planned]
    assert kinds == (
        [ReportKind.BASELINE_TARGET]
        + [ReportKind.STATUS] * 6
        + [ReportKind.FINAL, ReportKind.FOLLOW_UP]
    )
    baseline, *status, final, follow_up = planned
    assert (baseline.period_start, baseline.period_end, baseline.due_on) == (
        START,
        END,
        date(2025, 10, 1),
    )
    assert [(s.period_start, s.period_end) for s in status] == [
        (date(2025, 9, 1), date(2025, 9, 30)),  # the first quarter clipped to the period
        (date(2025, 10, 1), date(2025, 12, 31)),
        (date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 4, 1), date(2026, 6, 30)),
        (date(2026, 7, 1), date(2026, 9, 30)),
        (date(2026, 10, 1), date(2026, 12, 31)),
    ]
    assert [s.due_on for s in status] == STATUS_DUES
    # Q1 2027 has no status report: the final report covers it.
    assert (final.period_start, final.period_end, final.due_on) == (START, END, date(2027, 4, 30))
    assert opens_on(final) == date(2027, 1, 1)
    # The benefit follow-up covers the year after the period and is due when it ends.
    assert (follow_up.period_start, follow_up.period_end, follow_up.due_on) == (
        date(2027, 4, 1),
        date(2028, 3, 31),
        date(2028, 3, 31),
    )
    assert opens_on(follow_up) == date(2028, 1, 1)
    assert opens_on(status[1]) == date(2025, 10, 1)
    assert opens_on(baseline) is None


def test_a_late_participant_gets_thirty_days_and_no_reports_for_before_it_joined():
    baseline, first, *_rest = plan(START, END, joined_on=date(2026, 2, 10))
    assert baseline.due_on == date(2026, 3, 12)
    assert (first.period_start, first.due_on) == (date(2026, 1, 1), date(2026, 4, 15))
    assert len(plan(START, END, joined_on=date(2025, 10, 5))) == 8  # Q3 2025 not owed


def test_quarters_across_a_year_and_a_period_inside_one_quarter():
    assert quarters(date(2025, 11, 15), date(2026, 2, 1)) == [
        (date(2025, 11, 15), date(2025, 12, 31)),
        (date(2026, 1, 1), date(2026, 2, 1)),
    ]
    short = plan(date(2026, 1, 10), date(2026, 3, 20))
    assert [p.kind for p in short] == [
        ReportKind.BASELINE_TARGET,
        ReportKind.FINAL,
        ReportKind.FOLLOW_UP,
    ]


def test_ensure_creates_the_items_with_the_municipality_once():
    round_ = reporting_round()
    p = participation_of(round_, 101)
    stored = items(p)
    assert len(stored) == 9  # with the follow-up a year after the end
    assert {i.municipality_id for i in stored} == {p.municipality_id}
    assert [i.due_on for i in items(p, ReportKind.STATUS)] == STATUS_DUES
    assert ensure_schedule(p) == ScheduleChange()
    assert not ensure_schedules(round_)
    assert len(items(p)) == 9


def test_the_database_refuses_a_duplicate():
    p = participation_of(reporting_round(), 101)
    existing = item(p, ReportKind.FINAL)
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(
            ReportingRequirement(
                participation_id=p.id,
                municipality_id=p.municipality_id,
                kind=ReportKind.FINAL,
                period_start=existing.period_start,
                period_end=existing.period_end,
                due_on=existing.due_on,
            )
        )
        db.session.flush()


def test_a_changed_period_moves_unsubmitted_items_and_keeps_submitted_ones():
    round_ = reporting_round()
    p = participation_of(round_, 101)
    first = item(p, ReportKind.STATUS, date(2025, 10, 15))
    first.what_worked = first.obstacles = first.next_steps = "Tekst"
    first.submitted_at = utcnow()
    final = item(p, ReportKind.FINAL)
    final.reminder_before_sent_at = utcnow()
    round_.period_start, round_.period_end = date(2025, 10, 1), date(2026, 12, 31)
    # baseline and target, the final report and the follow-up move; Q4 2026 is dropped
    assert ensure_schedule(p) == ScheduleChange(created=0, updated=3, removed=1)
    assert item(p, ReportKind.BASELINE_TARGET).due_on == date(2025, 10, 31)
    moved = item(p, ReportKind.FINAL)
    assert (moved.period_start, moved.period_end, moved.due_on) == (
        date(2025, 10, 1),
        date(2026, 12, 31),
        date(2027, 1, 30),
    )
    assert moved.reminder_before_sent_at is None  # a new due date gets its reminder again
    dues = [i.due_on for i in items(p, ReportKind.STATUS)]
    # The submitted September report stays as it was; Q4 2026 is now the final quarter.
    assert dues == [date(2025, 10, 15), *STATUS_DUES[1:5]]
    assert item(p, ReportKind.STATUS, date(2025, 10, 15)).submitted_at is not None
    assert not ensure_schedule(p)
    assert ensure_schedules(round_).removed == 2  # the other participation's, unsubmitted
    assert not ensure_schedules(round_)


def test_a_longer_period_adds_quarters():
    round_ = reporting_round()
    p = participation_of(round_, 147)
    round_.period_end = date(2027, 6, 30)
    assert ensure_schedule(p).created == 1  # Q1 2027 now needs a status report
    assert items(p, ReportKind.STATUS)[-1].due_on == date(2027, 4, 15)
    assert item(p, ReportKind.FINAL).due_on == date(2027, 7, 30)


def test_changing_a_rounds_period_moves_the_items_in_the_same_transaction():
    from dataclasses import replace

    from portal.programmes import services as programmes
    from portal.programmes.rules import RoundData

    round_ = reporting_round()
    p = participation_of(round_, 147)
    data = RoundData(**{name: getattr(round_, name) for name in programmes.ROUND_FIELDS})
    programmes.update_round(round_, replace(data, period_end=date(2027, 6, 30)), actor=None)
    assert items(p, ReportKind.STATUS)[-1].due_on == date(2027, 4, 15)
    assert item(p, ReportKind.FINAL).due_on == date(2027, 7, 30)


def test_a_participation_created_after_the_start_uses_its_own_date():
    round_ = reporting_round()
    p = participation_of(round_, 101)
    p.created_at = datetime(2026, 2, 9, 23, 30, tzinfo=UTC)  # 10 February in Copenhagen
    ensure_schedule(p)
    assert item(p, ReportKind.BASELINE_TARGET).due_on == date(2026, 3, 12)


def test_ready_right_after_approval():
    """``create_for_application`` announces new participations; their schedule is made in
    the same transaction (``ensure_schedule`` then finds nothing to do)."""
    round_ = reporting_round()
    approve(round_, 151)
    p = participation_of(round_, 151)
    assert len(items(p)) == len(plan_for(p))
    assert ensure_schedule(p).created == 0
    joined = local_today()
    assert item(p, ReportKind.BASELINE_TARGET).due_on == joined + timedelta(days=30)
    assert all(i.period_end >= joined for i in items(p, ReportKind.STATUS))


def test_an_import_gives_new_participations_their_schedule():
    from portal.participations.importing import import_participants

    round_ = reporting_round()
    import_participants(b"municipality,role,community,grant\n751,lead,,\n", round_, actor=None)
    p = participation_of(round_, 751)
    assert len(items(p)) == len(plan_for(p)) and items(p, ReportKind.FINAL)
