"""Fulfilment from the figures, states as of a day, submitting and reopening, narratives."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.audit.models import AuditEvent
from portal.auth.models import Role
from portal.benefits.models import Target
from portal.db import db
from portal.errors import Conflict, InvalidInput, NotAllowed, RuleViolations
from portal.reporting import late, services
from portal.reporting.models import ReportKind
from portal.reporting.narratives import narratives_for
from portal.reporting.services import NarrativeData, items_for, submit_report
from tests.reporting.helpers import item, participation_of, record_all_figures, reporting_round

GOOD = NarrativeData("Skærmbesøg i nattevagten.", "Netværket på plejecentret.", "Udrul i syd.")
Q4 = date(2026, 1, 15)  # the status report for Q4 2025


@pytest.fixture
def round_():
    return reporting_round()


@pytest.fixture
def p101(round_):
    return participation_of(round_, 101)


def test_baseline_and_target_fulfilled_by_the_figures(round_, p101):
    baseline_item = item(p101, ReportKind.BASELINE_TARGET)
    view = services.view_of(baseline_item, date(2025, 9, 20))
    assert view.state == services.OPEN and len(view.missing) == 4
    record_all_figures(p101, skip="punctuality")
    view = services.view_of(baseline_item, date(2025, 10, 2))
    assert view.state == services.OVERDUE
    assert [(m.indicator.key, m.baseline, m.target) for m in view.missing] == [
        ("punctuality", False, True)
    ]
    indicator = next(i for i in round_.programme.indicators if i.key == "punctuality")
    db.session.add(
        Target(
            participation_id=p101.id,
            municipality_id=p101.municipality_id,
            indicator_id=indicator.id,
            value=95,
            target_date=date(2027, 3, 31),
        )
    )
    db.session.flush()
    view = services.view_of(baseline_item, date(2025, 10, 2))
    assert view.state == services.FULFILLED and view.done and view.missing == []
    # the other municipality's figures count for nobody else
    other = item(participation_of(round_, 147), ReportKind.BASELINE_TARGET)
    assert services.view_of(other, date(2025, 10, 2)).state == services.OVERDUE


def test_states_as_of_a_day(p101, make_user):
    views = items_for([p101], date(2026, 1, 20))[p101.id]
    states = [(v.item.kind.value, v.item.due_on, v.state) for v in views]
    assert states[:4] == [
        ("baseline_target", date(2025, 10, 1), "overdue"),
        ("status", date(2025, 10, 15), "overdue"),
        ("status", Q4, "overdue"),
        ("status", date(2026, 4, 15), "open"),  # Q1 2026 has begun
    ]
    assert states[4][2] == "upcoming" and states[-2] == ("final", date(2027, 4, 30), "upcoming")
    assert states[-1] == ("follow_up", date(2028, 3, 31), "upcoming")
    assert views[2].days_left == -5 and views[3].days_left == 85
    user = make_user(Role.MUNICIPAL, code=101)
    submit_report(item(p101, ReportKind.STATUS, Q4), GOOD, actor=user, today=date(2026, 1, 20))
    assert items_for([p101], date(2026, 1, 20))[p101.id][2].state == services.SUBMITTED


def test_submit_a_status_report_is_audited(p101, make_user):
    user = make_user(Role.MUNICIPAL, code=101)
    report = item(p101, ReportKind.STATUS, Q4)
    submit_report(
        report,
        NarrativeData("  Det virkede.\r\nOgså her. ", "Ingen", "Flere"),
        actor=user,
        version=report.version,
        today=date(2026, 1, 10),
    )
    assert report.submitted_at is not None and report.submitted_by_id == user.id
    assert report.what_worked == "Det virkede.\nOgså her."
    event = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "report_submitted")
    ).one()
    assert event.round_id == p101.round_id and event.municipality_id == p101.municipality_id
    assert event.object_id == report.id
    assert event.details["before"]["submitted_at"] is None
    assert event.details["after"]["what_worked"] == "Det virkede.\nOgså her."


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        (NarrativeData("", " ", "Næste"), ["what_worked", "obstacles"]),
        (NarrativeData("x" * 4001, "Ok", "Ok"), ["what_worked"]),
        (NarrativeData("Borgeren 010203-1234 fik besøg", "Ok", "Ok"), ["what_worked"]),
        (NarrativeData("Ok", "Ok", "CPR 0102031234"), ["next_steps"]),
    ],
)
def test_submission_refused_at_the_field(p101, make_user, data, fields):
    report = item(p101, ReportKind.STATUS, Q4)
    with pytest.raises(RuleViolations) as refused:
        submit_report(
            report, data, actor=make_user(Role.MUNICIPAL, code=101), today=date(2026, 1, 10)
        )
    assert [field for field, _message in refused.value.problems] == fields
    assert report.submitted_at is None


def test_exactly_4000_characters_with_line_breaks_is_accepted(p101, make_user):
    text = "a\r\n" * 1999 + "aa"  # 4,000 characters once each line break counts as one
    report = item(p101, ReportKind.STATUS, Q4)
    submit_report(
        report,
        NarrativeData(text, "Ok", "Ok"),
        actor=make_user(Role.MUNICIPAL, code=101),
        today=date(2026, 1, 10),
    )
    assert len(report.what_worked) == 4000


def test_who_and_when_may_submit(round_, p101, make_user):
    report = item(p101, ReportKind.STATUS, Q4)
    today = date(2026, 1, 10)
    for user in (
        make_user(Role.MUNICIPAL, code=147),
        make_user(Role.LEADERSHIP, code=101),
        make_user(Role.COORDINATOR),
    ):
        with pytest.raises(NotAllowed):
            submit_report(report, GOOD, actor=user, today=today)
    own = make_user(Role.MUNICIPAL, code=101)
    with pytest.raises(NotAllowed):  # Q2 2026 has not begun
        submit_report(
            item(p101, ReportKind.STATUS, date(2026, 7, 15)), GOOD, actor=own, today=today
        )
    with pytest.raises(InvalidInput):  # fulfilled by the figures, not a form
        submit_report(item(p101, ReportKind.BASELINE_TARGET), GOOD, actor=own, today=today)
    with pytest.raises(Conflict):
        submit_report(report, GOOD, actor=own, version=report.version + 1, today=today)
    submit_report(report, GOOD, actor=own, today=today)
    with pytest.raises(NotAllowed):  # read-only once submitted
        submit_report(report, GOOD, actor=own, today=today)


def test_a_coordinator_reopens_and_the_municipality_submits_again(p101, make_user):
    own, coordinator = make_user(Role.MUNICIPAL, code=101), make_user(Role.COORDINATOR)
    report = item(p101, ReportKind.STATUS, Q4)
    with pytest.raises(NotAllowed):  # nothing to reopen yet
        services.reopen_report(report, actor=coordinator)
    submit_report(report, GOOD, actor=own, today=date(2026, 1, 10))
    with pytest.raises(NotAllowed):
        services.reopen_report(report, actor=own)
    services.reopen_report(report, actor=coordinator, version=report.version)
    assert report.submitted_at is None and report.reopened_at is not None
    assert report.what_worked == GOOD.what_worked  # the text is kept
    submit_report(report, NarrativeData("Rettet", "Ok", "Ok"), actor=own, today=date(2026, 2, 1))
    actions = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.object_type == "ReportingRequirement")
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["report_submitted", "report_reopened", "report_submitted"]


def test_narratives_for_a_participation_and_a_round(round_, p101, make_user):
    p147 = participation_of(round_, 147)
    submit_report(
        item(p101, ReportKind.STATUS, Q4),
        GOOD,
        actor=make_user(Role.MUNICIPAL, code=101),
        today=date(2026, 1, 10),
    )
    submit_report(
        item(p147, ReportKind.STATUS, date(2025, 10, 15)),
        NarrativeData("September", "Ingen", "Videre"),
        actor=make_user(Role.MUNICIPAL, code=147),
        today=date(2025, 10, 1),
    )
    mine = narratives_for(p101)
    assert [(n.label, n.what_worked) for n in mine] == [
        ("Statusrapport, 4. kvartal 2025", GOOD.what_worked)
    ]
    everyone = narratives_for(round_)
    assert [n.municipality for n in everyone] == sorted(n.municipality for n in everyone)
    assert len(everyone) == 2
    assert narratives_for(round_, (date(2025, 9, 1), date(2025, 9, 30)))[0].what_worked == (
        "September"
    )
    assert narratives_for(round_, (date(2026, 6, 1), date(2026, 12, 31))) == []


def test_the_late_list_filters_sorts_and_counts(round_, p101, make_user):
    tied = late.late_list(round_, date(2025, 10, 2)).rows  # both lack baseline and target
    assert [(r.name, len(r.overdue)) for r in tied] == [("Frederiksberg", 1), ("København", 1)]
    today = date(2026, 1, 20)
    submit_report(
        item(p101, ReportKind.STATUS, date(2025, 10, 15)),
        GOOD,
        actor=make_user(Role.MUNICIPAL, code=101),
        today=today,
    )
    record_all_figures(p101)
    report = late.late_list(round_, today)
    # 101: Q4 2025 overdue; 147: baseline, Q3 and Q4 2025 overdue
    assert [(r.name, len(r.overdue)) for r in report.rows] == [
        ("Frederiksberg", 3),
        ("København", 1),
    ]
    assert report.counts == {"municipalities": 2, "late": 2, "overdue": 4, "done": 2, "total": 18}
    by_name = late.late_list(round_, today, sort="name")
    assert [r.name for r in by_name.rows] == ["Frederiksberg", "København"]
    assert late.late_list(round_, today, sort="-name").rows[0].name == "København"
    assert late.late_list(round_, today, sort="oldest").rows[0].oldest_due == date(2025, 10, 1)
    assert late.late_list(round_, date(2025, 9, 20), show="overdue").rows == []
    assert len(late.late_list(round_, date(2025, 9, 20), show="all").rows) == 2
    assert late.late_list(round_, today, sort="; drop").sort == "-overdue"
