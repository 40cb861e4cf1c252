"""Reminders through the outbox: once before and once after each due date, none for what is
delivered; and the command the cron job runs."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.auth.models import Role
from portal.db import db
from portal.notifications.models import Notification, OutboxMessage
from portal.reporting.models import ReportKind
from portal.reporting.reminders import AFTER, BEFORE, send_reminders
from portal.reporting.services import NarrativeData, submit_report
from tests.conftest import municipality
from tests.reporting.helpers import item, participation_of, record_all_figures, reporting_round

Q4 = date(2026, 1, 15)


@pytest.fixture
def round_(make_user):
    make_user(Role.MUNICIPAL, code=101, email="pia@kbh.dk")
    make_user(Role.MUNICIPAL, code=147, email="frede@frb.dk")
    make_user(Role.LEADERSHIP, code=101, email="chef@kbh.dk")  # no e-mails for leadership
    return reporting_round()


def outbox() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_one_reminder_before_and_one_after(round_):
    p101 = participation_of(round_, 101)
    record_all_figures(p101)
    record_all_figures(participation_of(round_, 147))  # baseline and target delivered
    assert send_reminders(date(2026, 1, 7)) == []  # nine days before: not yet
    sent = send_reminders(date(2026, 1, 8))
    assert [(r.item.municipality_id, r.item.due_on, r.when) for r in sent] == [
        (municipality(101).id, Q4, BEFORE),
        (municipality(147).id, Q4, BEFORE),
    ]
    mail = outbox()
    assert [m.to_address for m in mail] == ["pia@kbh.dk", "frede@frb.dk"]
    assert mail[0].subject == f"Påmindelse: aflevering senest 15.01.2026 – {round_.name_da}"
    assert "statusrapporten for 4. kvartal 2025" in mail[0].body
    assert f"/rapportering/{item(p101, ReportKind.STATUS, Q4).id}" in mail[0].body
    for day in (date(2026, 1, 9), date(2026, 1, 15)):
        assert send_reminders(day) == []  # once only, also on the due date itself
    after = send_reminders(date(2026, 1, 16))
    assert [r.when for r in after] == [AFTER, AFTER]
    assert outbox()[-1].subject == f"Fristen er overskredet – {round_.name_da}"
    assert "var 15.01.2026" in outbox()[-1].body
    assert send_reminders(date(2026, 1, 17)) == []
    notices = db.session.scalars(
        select(Notification.kind).where(Notification.municipality_id == municipality(101).id)
    ).all()
    assert notices == ["report_due_soon", "report_overdue"]


def test_no_reminder_for_a_submitted_report_or_fulfilled_baseline(round_, make_user):
    p101 = participation_of(round_, 101)
    submit_report(
        item(p101, ReportKind.STATUS, Q4),
        NarrativeData("Godt", "Ingen", "Videre"),
        actor=make_user(Role.MUNICIPAL, code=101),
        today=date(2026, 1, 2),
    )
    assert all(r.item.municipality_id != p101.municipality_id for r in send_reminders(Q4))
    assert [r.item.due_on for r in send_reminders(date(2026, 1, 16))] == [Q4]  # 147's
    record_all_figures(p101)
    baseline = send_reminders(date(2025, 9, 24))  # a week before 1 October
    assert [r.item.municipality_id for r in baseline] == [municipality(147).id]
    assert baseline[0].item.kind == ReportKind.BASELINE_TARGET
    mail = outbox()[-1]
    assert mail.to_address == "frede@frb.dk" and "basislinje og målbillede" in mail.body


def test_long_overdue_items_are_not_reminded_about(round_):
    # The schedule of a collaboration brought in late: months-old items get no e-mail.
    sent = send_reminders(date(2026, 1, 16))
    assert {r.item.due_on for r in sent} == {Q4}


def test_the_remind_command_prints_what_it_sent(app, round_):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["reporting", "remind", "--today", "2026-01-08"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("Rapporteringsplaner: 0 frister oprettet")
    assert "frist snart: København – " in result.output
    assert "Statusrapport, 4. kvartal 2025 (frist 15.01.2026)" in result.output
    assert lines[-1] == "2 påmindelser lagt i udbakken."
    again = runner.invoke(args=["reporting", "remind", "--today", "2026-01-08"])
    assert again.output.splitlines()[-1] == "0 påmindelser lagt i udbakken."


def test_the_schedule_command_creates_what_is_missing(app, round_):
    p = participation_of(round_, 101)
    db.session.delete(item(p, ReportKind.FINAL))
    db.session.flush()
    result = app.test_cli_runner().invoke(args=["reporting", "schedule"])
    assert result.exit_code == 0, result.output
    assert "Rapporteringsplaner: 1 frist oprettet, 0 flyttet, 0 fjernet." in result.output
    assert item(p, ReportKind.FINAL).due_on == date(2027, 4, 30)


def test_the_follow_up_a_year_after_is_reminded_about(round_):
    for code in (101, 147):
        record_all_figures(participation_of(round_, code))
    sent = [r for r in send_reminders(date(2028, 3, 24)) if r.item.kind == ReportKind.FOLLOW_UP]
    assert [(r.item.due_on, r.when) for r in sent] == [(date(2028, 3, 31), BEFORE)] * 2
    assert any("gevinstopfølgningen et år efter forløbet" in m.body for m in outbox())
